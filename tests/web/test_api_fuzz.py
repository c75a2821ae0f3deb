"""The API fuzzed from its own OpenAPI document with schemathesis (issue 22):
valid and invalid bodies, bounded in examples, every answer checked against
the document (status, JSON, schema) and for server errors. What the fuzzer
found is kept below as plain regression tests."""

import itertools
import re

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402

from imblearn_vae.web.openapi import IDEMPOTENCY_KEY  # noqa: E402

from .conftest import example_row, make_app, signup  # noqa: E402
from .test_api import create_token, predict  # noqa: E402

#: Examples per generation mode: enough to reach every field's edge cases,
#: few enough for the fast tier (a few seconds each).
EXAMPLES = 60


@pytest.fixture
def fuzz_target(config):
    """The API operation, on an app without rate limits in the way, called
    with a valid token."""
    unlimited = "100000 per minute"
    app = make_app(config, API_RATE_LIMIT=unlimited,
                   API_ADDRESS_RATE_LIMIT=unlimited,
                   API_AUTH_FAILURE_LIMIT=unlimited)  # fmt: skip
    client = app.test_client()
    signup(client)
    token = create_token(client)
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", app, headers={"Authorization": f"Bearer {token}"}
    )
    calls = itertools.count()

    @schema.auth()
    class Bearer:
        def get(self, case, context):
            return token

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}
            key = case.headers.get("Idempotency-Key")
            if key is not None and re.fullmatch(IDEMPOTENCY_KEY["pattern"], key):
                # a valid key made unique: the generator repeats keys with
                # other bodies, a 422 that the document cannot foresee
                # (test_attack_api.py tests that one)
                case.headers["Idempotency-Key"] = f"{key[:240]}-{next(calls)}"

    return schema["/api/v1/predict"]["POST"]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_keeps_to_its_document(fuzz_target, mode):
    operation = fuzz_target
    statuses = set()

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    def fuzz(case):
        response = case.call()
        statuses.add(response.status_code)
        case.validate_response(response)

    fuzz()
    # 401: schemathesis also checks that a request without the token fails
    assert statuses <= {200, 400, 401}
    assert (200 if mode == GenerationMode.POSITIVE else 400) in statuses


# Found by the fuzzer -------------------------------------------------------


def test_the_document_asks_for_at_least_one_connection(client, config):
    """It allowed {"connections": []}, which the API refuses."""
    signup(client)
    document = client.get("/api/v1/openapi.json").json
    body = document["paths"]["/api/v1/predict"]["post"]["requestBody"]
    many = body["content"]["application/json"]["schema"]["oneOf"][1]
    connections = many["properties"]["connections"]
    assert connections["minItems"] == 1
    assert connections["maxItems"] == config.get("MAX_ROWS", 10_000)


def test_the_document_allows_label_columns_and_no_other_field(client, secret_client):
    """It allowed any extra field, which the API refuses as unknown."""
    client, secret, detector = secret_client
    document = client.get("/api/v1/openapi.json").json
    connection = document["components"]["schemas"]["Connection"]
    assert connection["additionalProperties"] is False
    assert {"label", "difficulty"} <= set(connection["properties"])
    row = example_row(detector) | {"label": "neptune", "difficulty": 21}
    assert predict(client, row, secret).status_code == 200
    response = predict(client, example_row(detector) | {"ip": "x"}, secret)
    assert response.status_code == 400


@pytest.fixture
def secret_client(client, detector):
    signup(client)
    return client, create_token(client), detector
