"""The JSON API, its tokens, and the operators' commands."""

import io

import pytest

from imblearn_vae.cli import main
from imblearn_vae.detector import LABEL_COLUMNS

from .conftest import (
    csrf_token,
    example_row,
    logout,
    make_app,
    signup,
    stored_predictions,
)


def create_token(client, name="script") -> str:
    token = csrf_token(client.get("/tokens"))
    page = client.post("/tokens", data={"csrf_token": token, "name": name}).text
    return page.split('<code id="new-token">')[1].split("</code>")[0]


def predict(client, body, secret=None, **kwargs):
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return client.post("/api/v1/predict", json=body, headers=headers, **kwargs)


@pytest.fixture
def secret(client):
    signup(client)
    return create_token(client)


def test_one_and_many_connections(client, secret, detector, app):
    one = example_row(detector, "Probe")
    response = predict(client, one, secret)
    assert response.status_code == 200
    (result,) = response.json["predictions"]
    assert result["class"] in detector.classes
    assert sum(result["probabilities"].values()) == pytest.approx(1)
    many = [example_row(detector, c) for c in detector.classes]
    response = predict(client, {"connections": many}, secret)
    labels = [p["class"] for p in response.json["predictions"]]
    assert labels == detector.predict(detector.check_rows(many)[0])[0]
    # each answer's id is its stored row
    from imblearn_vae.web.models import Prediction, db

    with app.app_context():
        for answer, row in zip(response.json["predictions"], many, strict=True):
            stored = db.session.get(Prediction, answer["id"])
            assert stored.predicted == answer["class"]
            assert stored.row_number == answer["row"]
            assert stored.input_values()["service"] == row["service"]
    assert response.json["model"]["classes"] == detector.classes
    assert stored_predictions(app) == 6
    # each request is one entry of the history: one row, then five
    history = client.get("/history").text
    assert history.count('class="entry-api"') == 2
    assert response.json["batch"] and f"/batches/{response.json['batch']}" in history
    assert "share of" in response.json["model"]["scores"]


def test_numbers_as_json_numbers_work_too(client, secret, detector):
    row = {k: v for k, v in detector.examples["normal"][0].items()}
    assert predict(client, row, secret).status_code == 200


@pytest.mark.parametrize(
    ("body", "row", "field", "message"),
    [
        ("drop:flag", 0, "flag", "missing"),
        ("set:src_bytes=abc", 0, "src_bytes", "not a number"),
        ("set:num_root=-1", 0, "num_root", "must not be negative"),
        ("set:protocol_type=sctp", 0, "protocol_type", "unknown category 'sctp'"),
        ("set:ip=10.0.0.1", 0, "ip", "unknown field"),
        ("second:set:flag=XX", 1, "flag", "unknown category 'XX'"),
    ],
)
def test_errors_are_json_and_name_the_row_and_field(
    client, secret, detector, app, body, row, field, message
):
    rows = [example_row(detector), example_row(detector, "normal")]
    target = 1 if body.startswith("second:") else 0
    action = body.removeprefix("second:")
    if action.startswith("drop:"):
        del rows[target][action[5:]]
    else:
        key, value = action[4:].split("=")
        rows[target][key] = value
    response = predict(client, {"connections": rows}, secret)
    assert response.status_code == 400
    (error,) = response.json["errors"]
    assert (error["row"], error["field"]) == (row, field)
    assert message in error["message"]
    assert stored_predictions(app) == 0


def test_bodies_that_are_not_connections_are_refused(client, secret, app):
    response = client.post("/api/v1/predict", data="duration=0",
                           headers={"Authorization": f"Bearer {secret}"})  # fmt: skip
    assert response.status_code == 400 and "must be JSON" in response.text
    assert predict(client, [1, 2], secret).status_code == 400
    response = predict(client, {"connections": {"a": 1}}, secret)
    assert response.json["errors"][0]["field"] == "connections"
    response = predict(client, {"connections": []}, secret)
    assert response.json["errors"][0]["message"] == "no connection given"
    assert stored_predictions(app) == 0


def test_too_many_rows_or_bytes(config, detector):
    app = make_app(config, MAX_ROWS=2, MAX_UPLOAD_BYTES=4000)
    client = app.test_client()
    signup(client)
    secret = create_token(client)
    rows = [example_row(detector)] * 3
    response = predict(client, {"connections": rows}, secret)
    assert response.status_code == 400 and "at most 2" in response.text
    response = predict(client, {"connections": rows * 10}, secret)
    assert response.status_code == 413 and response.is_json
    assert stored_predictions(app) == 0


def test_tokens_authenticate_and_revoked_ones_stop_working(client, secret, detector):
    row = example_row(detector)
    assert predict(client, row).status_code == 401
    assert predict(client, row).headers["WWW-Authenticate"].startswith("Bearer")
    assert predict(client, row, "ivt_not-a-token").status_code == 401
    assert predict(client, row, secret).status_code == 200
    page = client.get("/tokens").text
    assert secret not in page  # shown once, then only its prefix
    token = csrf_token(client.get("/tokens"))
    assert (
        client.post("/tokens/1/revoke", data={"csrf_token": token}).status_code == 302
    )
    response = predict(client, row, secret)
    assert response.status_code == 401
    assert "revoked" in response.json["errors"][0]["message"]


def test_users_cannot_use_or_revoke_each_others_tokens(client, detector):
    signup(client, "alice")
    alice_secret = create_token(client)
    logout(client)
    signup(client, "bob")
    token = csrf_token(client.get("/tokens"))
    assert (
        client.post("/tokens/1/revoke", data={"csrf_token": token}).status_code == 404
    )
    assert "script" not in client.get("/tokens").text.split("<tbody>")[1]
    # alice's token acts as alice: her prediction is not in bob's history
    assert predict(client, example_row(detector), alice_secret).status_code == 200
    assert "entry-api" not in client.get("/history").text


def test_the_openapi_description_lists_every_field(client, secret, detector):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    connection = document["components"]["schemas"]["Connection"]
    assert set(connection["required"]) == set(detector.feature_names)
    assert set(connection["properties"]) == {*detector.feature_names, *LABEL_COLUMNS}
    assert connection["properties"]["flag"]["enum"] == next(
        f.categories for f in detector.features if f.name == "flag"
    )
    assert connection["properties"]["serror_rate"]["maximum"] == 1
    assert "/api/v1/predict" in document["paths"]


def test_operator_commands(config, monkeypatch, capsys, client, detector):
    site = ["--data-dir", config["DATA_DIR"], "--database-url", config["DATABASE_URL"]]
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    assert main(["user", "create", "operator", "--password-stdin", *site]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["user", "reset-password", "operator", "--password-stdin", *site]) == 2
    assert "at least 12 characters" in capsys.readouterr().err
    assert main(["user", "create", "operator", "--password-stdin", *site]) == 2
    assert "already a user 'operator'" in capsys.readouterr().err
    assert main(["token", "create", "operator", "--name", "cron", *site]) == 0
    secret = capsys.readouterr().out.strip()
    assert predict(client, example_row(detector), secret).status_code == 200
    assert main(["token", "list", "operator", *site]) == 0
    prefix, name, state = capsys.readouterr().out.split()
    assert (name, state) == ("cron", "active") and secret.startswith(prefix)
    assert main(["token", "revoke", prefix, *site]) == 0
    assert predict(client, example_row(detector), secret).status_code == 401
    assert main(["token", "create", "nobody", *site]) == 2
    assert "no user 'nobody'" in capsys.readouterr().err
    # the operator's account logs in on the site
    monkeypatch.setattr("sys.stdin", io.StringIO("another long one\n"))
    assert main(["user", "reset-password", "operator", "--password-stdin", *site]) == 0
    token = csrf_token(client.get("/login"))
    response = client.post("/login", data={"csrf_token": token, "username": "operator",
                                           "password": "another long one"})  # fmt: skip
    assert response.status_code == 302
