"""The attacker's suite, API: issue 22, observations 6 (no rate limit), 10
(a 500 with an HTML body), 11 (out-of-range integers stored wrapped) and 12
(values echoed in full), and every API error in JSON; issue 28, item 8
(numbers no CSV reader would read, a chunked body over the limit, a retried
call stored twice)."""

import io
import json

import pytest

from .conftest import example_row, make_app, post_form, signup, stored_predictions
from .test_api import create_token, predict


@pytest.fixture
def secret(client):
    signup(client)
    return create_token(client)


def post_raw(client, body, secret):
    return client.post(
        "/api/v1/predict",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )


def is_json_error(response, status: int) -> bool:
    return (
        response.status_code == status
        and response.is_json
        and isinstance(response.json["errors"], list)
    )


# Observation 6 -------------------------------------------------------------


def test_guessing_bearer_tokens_is_stopped(app, client):
    statuses = []
    for index in range(300):
        response = predict(client, {}, f"ivt_guess{index}")
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
    assert statuses[-1] == 429 and len(statuses) <= 25
    assert is_json_error(response, 429)
    assert int(response.headers["Retry-After"]) > 0


def test_each_token_has_its_limit(config, detector):
    app = make_app(config, API_RATE_LIMIT="5 per minute")
    client = app.test_client()
    signup(client)
    first, second = create_token(client, "one"), create_token(client, "two")
    row = example_row(detector)
    assert [predict(client, row, first).status_code for _ in range(5)] == [200] * 5
    over = predict(client, row, first)
    assert is_json_error(over, 429) and int(over.headers["Retry-After"]) > 0
    assert stored_predictions(app) == 5  # the refused request stored nothing
    assert predict(client, row, second).status_code == 200


def test_each_address_has_its_limit(config, detector):
    app = make_app(config, API_ADDRESS_RATE_LIMIT="4 per minute")
    client = app.test_client()
    signup(client)
    secret = create_token(client)
    row = example_row(detector)
    here = {"REMOTE_ADDR": "127.0.0.2"}
    statuses = [predict(client, row, secret, environ_base=here).status_code
                for _ in range(5)]  # fmt: skip
    assert statuses == [200] * 4 + [429]
    there = {"REMOTE_ADDR": "127.0.0.3"}
    assert predict(client, row, secret, environ_base=there).status_code == 200


# Observation 10 ------------------------------------------------------------


def test_a_401_digit_integer_is_a_field_error(client, secret, detector, app):
    row = example_row(detector) | {"src_bytes": int("9" * 401)}
    response = predict(client, row, secret)
    assert is_json_error(response, 400)
    (error,) = response.json["errors"]
    assert error["field"] == "src_bytes"
    assert "whole number from 0 to" in error["message"]
    row = example_row(detector) | {"serror_rate": int("9" * 401)}
    (error,) = predict(client, row, secret).json["errors"]
    assert (error["field"], error["message"]) == ("serror_rate", "not a finite number")
    assert stored_predictions(app) == 0


def test_deeply_nested_json_is_a_json_error(client, secret):
    body = "[" * 100_000 + "]" * 100_000
    response = post_raw(client, body, secret)
    assert is_json_error(response, 400)
    assert "nested too deeply" in response.json["errors"][0]["message"]


@pytest.mark.parametrize(
    "body",
    [b"{", b"\xff\xfe", b'{"duration": 1' + b"1" * 5000 + b"}", b"NaN", b'"text"'],
    ids=["cut", "not-utf8", "5000-digits", "nan", "string"],
)
def test_broken_bodies_are_json_errors(client, secret, body):
    response = post_raw(client, body, secret)
    assert is_json_error(response, 400)


def test_whatever_breaks_the_api_answers_json(client, secret, detector, monkeypatch):
    from imblearn_vae.web import api

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(api, "predict_rows", broken)
    client.application.testing = False  # as in production: no re-raise
    response = predict(client, example_row(detector), secret)
    assert is_json_error(response, 500)
    assert "a bug" not in response.text and "Traceback" not in response.text
    for path, method in (("/api/v1/nothing", "get"), ("/api/v1/predict", "get")):
        response = getattr(client, method)(path, headers={
            "Authorization": f"Bearer {secret}"})  # fmt: skip
        assert response.is_json and response.status_code in (404, 405)


# Observation 11 ------------------------------------------------------------


@pytest.mark.parametrize("value", ["1e308", 1e308, "1e19", 1e19,
                                   "9300000000000000000", 9300000000000000000,
                                   "9223372036854775808", -1e19])  # fmt: skip
def test_integers_out_of_range_are_field_errors(client, secret, detector, app, value):
    row = example_row(detector) | {"duration": value}
    response = predict(client, row, secret)
    assert is_json_error(response, 400)
    (error,) = response.json["errors"]
    assert error["field"] == "duration"
    assert "from 0 to 9,223,372,036,854,775,807" in error["message"]
    assert stored_predictions(app) == 0


#: Integers beyond 64 bits, which orjson neither reads (it gives a float) nor
#: writes (a TypeError).
HUGE = [2**70, -(2**70), 2**64]


@pytest.mark.parametrize("value", HUGE)
@pytest.mark.parametrize("field", ["duration", "serror_rate", "service"])
@pytest.mark.parametrize("reader", ["orjson", "standard library"])
@pytest.mark.parametrize("rows", [1, 6], ids=["by the rule", "in bulk"])
def test_integers_beyond_64_bits_are_field_errors(
    client, secret, detector, app, value, field, reader, rows
):
    """As a JSON number (not text), read by orjson or, when a NaN elsewhere
    sends the body there, by the standard library (a Python int then): a
    400 naming the field, never a 500, nothing stored."""
    row = json.dumps(example_row(detector) | {field: 0})
    row = row.replace(f'"{field}": 0', f'"{field}": {value}')
    if reader == "standard library":
        row = row[:-1] + ', "extra": NaN}'
    body = '{"connections": [' + ",".join([row] * rows) + "]}"
    response = post_raw(client, body, secret)
    assert is_json_error(response, 400)
    fields = {e["field"] for e in response.json["errors"]}
    assert field in fields and fields <= {field, "extra"}
    assert stored_predictions(app) == 0


def test_the_largest_integer_is_kept_exactly(client, secret, detector, app):
    row = example_row(detector) | {"src_bytes": "9223372036854775807"}
    assert predict(client, row, secret).status_code == 200
    from imblearn_vae.web.models import Prediction, db

    with app.app_context():
        stored = db.session.query(Prediction).one().input_values()
    assert stored["src_bytes"] == 9223372036854775807


# Observation 12 ------------------------------------------------------------


def test_errors_never_echo_a_huge_value(client, secret, detector):
    huge = "x" * 1_000_000
    for row in (example_row(detector) | {"service": huge},
                example_row(detector) | {"src_bytes": huge},
                example_row(detector) | {huge: "1"}):  # fmt: skip
        response = predict(client, row, secret)
        assert is_json_error(response, 400)
        assert len(response.data) < 2000


# Issue 28, item 8 ------------------------------------------------------------

#: Text that Python's int() and float() read as numbers, and no CSV reader
#: (pandas, a spreadsheet) would: digit separators, other scripts' digits,
#: other kinds of spaces.
NOT_NUMBERS = ["1_000", "1_0.5", "\u0663", "\u0661\u0662", "\uff11\uff12",
               "12\u00a0", "\u200912"]  # fmt: skip


@pytest.mark.parametrize("text", NOT_NUMBERS, ids=ascii)
@pytest.mark.parametrize("field", ["duration", "serror_rate"])
def test_numbers_are_what_a_csv_reader_reads(client, secret, detector, app,
                                             text, field):  # fmt: skip
    response = predict(client, example_row(detector) | {field: text}, secret)
    assert is_json_error(response, 400)
    (error,) = response.json["errors"]
    assert error["field"] == field and error["message"].startswith("not a number")
    assert stored_predictions(app) == 0


@pytest.mark.parametrize("text", ["12", " 12 ", "+12", "1e3", "12.0"])
def test_plain_numbers_still_pass(client, secret, detector, text):
    row = example_row(detector) | {"duration": text, "serror_rate": "0.5"}
    assert predict(client, row, secret).status_code == 200


def post_chunked(client, path, body: bytes, **headers):
    """A body sent in chunks, with no Content-Length (as gunicorn passes it)."""
    return client.post(
        path,
        input_stream=io.BytesIO(body),
        headers={"Transfer-Encoding": "chunked", **headers},
        environ_overrides={"wsgi.input_terminated": True},
    )


def test_a_chunked_body_over_the_limit_is_a_413(config, detector):
    app = make_app(config, MAX_UPLOAD_BYTES=2000)
    client = app.test_client()
    signup(client)
    secret = create_token(client)
    rows = json.dumps({"connections": [example_row(detector)] * 20}).encode()
    auth = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    response = post_chunked(client, "/api/v1/predict", rows, **auth)
    assert is_json_error(response, 413)
    assert stored_predictions(app) == 0
    one = json.dumps(example_row(detector)).encode()  # under the limit: as before
    assert post_chunked(client, "/api/v1/predict", one, **auth).status_code == 200
    form = b"username=alice&password=" + b"x" * 3000
    kind = {"Content-Type": "application/x-www-form-urlencoded"}
    assert post_chunked(client, "/login", form, **kind).status_code == 413


def predict_once(client, body, secret, key):
    headers = {"Authorization": f"Bearer {secret}", "Idempotency-Key": key}
    return client.post("/api/v1/predict", json=body, headers=headers)


def test_a_retried_call_with_its_idempotency_key_is_stored_once(
    client, secret, detector, app
):
    body = {"connections": [example_row(detector, c) for c in ("DoS", "normal")]}
    first = predict_once(client, body, secret, "nightly-2026-12-06")
    assert first.status_code == 200 and stored_predictions(app) == 2
    again = predict_once(client, body, secret, "nightly-2026-12-06")
    assert again.status_code == 200 and again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert stored_predictions(app) == 2
    other = predict_once(client, body, secret, "nightly-2026-12-07")
    assert other.status_code == 200 and stored_predictions(app) == 4


def test_an_idempotency_key_reused_for_another_body_is_refused(
    client, secret, detector, app
):
    assert predict_once(client, example_row(detector), secret, "k1").status_code == 200
    response = predict_once(client, example_row(detector, "normal"), secret, "k1")
    assert is_json_error(response, 422)
    assert response.json["errors"][0]["field"] == "Idempotency-Key"
    assert stored_predictions(app) == 1


@pytest.mark.parametrize("key", ["", "with space", "x" * 256, "caf\u00e9"], ids=len)
def test_a_bad_idempotency_key_is_a_field_error(client, secret, detector, app, key):
    response = predict_once(client, example_row(detector), secret, key)
    assert is_json_error(response, 400)
    assert response.json["errors"][0]["field"] == "Idempotency-Key"
    assert stored_predictions(app) == 0


def test_idempotency_keys_are_each_users_own(app, client, secret, detector):
    row = example_row(detector)
    assert predict_once(client, row, secret, "shared").status_code == 200
    other = app.test_client()
    signup(other, username="bob")
    theirs = predict_once(other, row, create_token(other), "shared")
    assert theirs.status_code == 200 and "Idempotent-Replayed" not in theirs.headers
    assert stored_predictions(app) == 2


def test_a_retry_racing_its_first_call_gets_the_stored_answer(
    client, secret, detector, app, monkeypatch
):
    """The retry looked for its key before the first call was stored: the
    unique key refuses its rows, and it answers with the first call's."""
    from imblearn_vae.web import api

    row = example_row(detector)
    first = predict_once(client, row, secret, "racing")
    real, looks = api._replay, []

    def late_look(*args):
        looks.append(args)
        return None if len(looks) == 1 else real(*args)

    monkeypatch.setattr(api, "_replay", late_look)
    again = predict_once(client, row, secret, "racing")
    assert again.status_code == 200 and again.json == first.json
    assert len(looks) == 2 and stored_predictions(app) == 1


@pytest.mark.parametrize("key", [None, "deleted-meanwhile"])
def test_rows_the_database_refuses_are_a_409_storing_nothing(
    config, detector, monkeypatch, key
):
    """The account deleted while its call is predicted: the batch's user is
    gone, which the database's foreign keys refuse (SQLite checks them on
    the site's connections: unchecked, the batch was stored for a user that
    no longer exists, whose id SQLite may give the next new user). An
    IntegrityError was taken for a retry with the call's key: without a key
    it was a TypeError (a 500), with one the lookup found nothing and the
    view returned None (a 500 too)."""
    from sqlalchemy import select, text

    from imblearn_vae.web import service
    from imblearn_vae.web.accounts import delete_user
    from imblearn_vae.web.models import Batch, User, db

    app = make_app(config)  # its SQLite connections check foreign keys
    with app.app_context():
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    client = app.test_client()
    signup(client)
    secret = create_token(client)
    real = service.store_batch

    def deleted_meanwhile(batch, *args):
        delete_user(batch["user_id"])  # another request of the user's
        return real(batch, *args)

    monkeypatch.setattr(service, "store_batch", deleted_meanwhile)
    headers = {"Authorization": f"Bearer {secret}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    response = client.post("/api/v1/predict", json=example_row(detector),
                           headers=headers)  # fmt: skip
    assert is_json_error(response, 409)
    assert "nothing was stored" in response.json["errors"][0]["message"]
    with app.app_context():
        assert db.session.scalars(select(Batch)).all() == []
        assert db.session.scalars(select(User)).all() == []
    assert stored_predictions(app) == 0


def test_a_form_racing_its_accounts_deletion_is_a_409_storing_nothing(
    config, detector, monkeypatch
):
    """The prediction form's rows refused by the database (the account
    deleted meanwhile by another of its requests) get the site's page with
    409, not the 500 page, and nothing is stored."""
    from sqlalchemy import select

    from imblearn_vae.web import service
    from imblearn_vae.web.accounts import delete_user
    from imblearn_vae.web.models import Batch, User, db

    app = make_app(config)
    client = app.test_client()
    signup(client)
    real = service.store_batch

    def deleted_meanwhile(batch, *args):
        delete_user(batch["user_id"])
        return real(batch, *args)

    monkeypatch.setattr(service, "store_batch", deleted_meanwhile)
    response = post_form(client, example_row(detector))
    assert response.status_code == 409
    assert b"nothing was stored" in response.data
    assert b"Traceback" not in response.data
    with app.app_context():
        assert db.session.scalars(select(Batch)).all() == []
        assert db.session.scalars(select(User)).all() == []
    assert stored_predictions(app) == 0
