"""Signing up, logging in and out, throttling, CSRF, cookies, passwords."""

import logging

import pytest
from flask import Flask
from sqlalchemy import select

from imblearn_vae.web import auth
from imblearn_vae.web.models import User, db

from .conftest import PASSWORD, csrf_token, login, logout, signup

PROTECTED = ["/predict", "/upload", "/upload/template.csv", "/history", "/tokens",
             "/predictions/1", "/batches/1", "/batches/1.csv"]  # fmt: skip


def test_home_and_forms_are_public_everything_else_needs_a_log_in(client):
    for page in ("/", "/signup", "/login", "/model"):
        assert client.get(page).status_code == 200, page
    # the API's description: a token, or a session (test_attack_tables.py)
    assert client.get("/api/v1/openapi.json").status_code == 401
    for page in PROTECTED:
        response = client.get(page)
        assert response.status_code == 302, page
        assert "/login?next=" in response.headers["Location"]


def test_sign_up_logs_in_and_log_out_logs_out(client):
    response = signup(client)
    assert response.status_code == 302 and response.headers["Location"] == "/predict"
    assert client.get("/predict").status_code == 200
    assert logout(client).status_code == 302
    assert client.get("/predict").status_code == 302


@pytest.mark.parametrize(
    ("username", "password", "confirm", "message"),
    [
        ("al", PASSWORD, PASSWORD, "between 3 and 64"),
        ("bob", "short", "short", "at least 12 characters"),
        ("bob", PASSWORD, PASSWORD + "x", "The passwords differ."),
        (" bob", PASSWORD, PASSWORD, "no spaces before or after"),
    ],
)
def test_sign_up_refusals_name_the_field(client, app, username, password, confirm,
                                         message):  # fmt: skip
    token = csrf_token(client.get("/signup"))
    response = client.post("/signup", data={"csrf_token": token, "username": username,
                           "password": password, "confirm": confirm})  # fmt: skip
    assert response.status_code == 400
    assert message in response.text
    assert f'value="{username}"' in response.text  # the form keeps what was typed
    with app.app_context():
        assert db.session.scalar(select(User)) is None  # nothing stored


def test_a_taken_name_is_refused_whatever_its_case(client):
    signup(client)
    logout(client)
    response = signup(client, username="ALICE")
    assert response.status_code == 400 and "This name is taken." in response.text


def test_unknown_user_and_wrong_password_get_the_same_answer(client):
    signup(client)
    logout(client)
    wrong = login(client, password="not the password")
    unknown = login(client, username="mallory")
    assert wrong.status_code == unknown.status_code == 401
    assert auth.BAD_LOGIN in wrong.text and auth.BAD_LOGIN in unknown.text
    assert login(client).status_code == 302


def test_posts_without_the_csrf_token_are_refused(client, app):
    response = client.post("/signup", data={"username": "eve", "password": PASSWORD,
                                            "confirm": PASSWORD})  # fmt: skip
    assert response.status_code == 400 and "forged" in response.text
    with app.app_context():
        assert db.session.scalar(select(User)) is None
    signup(client)
    assert client.post("/logout").status_code == 400
    assert client.get("/predict").status_code == 200  # still logged in
    assert client.post("/predict", data={"duration": "0"}).status_code == 400
    assert client.post("/tokens", data={"name": "x"}).status_code == 400


def test_session_cookie_is_http_only_and_same_site(client):
    response = signup(client)
    cookie = next(c for c in response.headers.getlist("Set-Cookie")
                  if c.startswith("session="))  # fmt: skip
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_passwords_are_hashed_slowly_and_never_logged(client, app, caplog):
    caplog.set_level(logging.DEBUG)
    signup(client)
    logout(client)
    login(client, password="wrong wrong wrong")
    with app.app_context():
        stored = db.session.scalar(select(User)).password_hash
    assert stored.startswith("scrypt:") and PASSWORD not in stored
    assert PASSWORD not in caplog.text and "wrong wrong wrong" not in caplog.text


def test_script_in_a_user_name_comes_back_escaped(client):
    name = "<script>alert(1)</script>"
    signup(client, username=name)
    page = client.get("/predict").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert name not in page


def test_after_log_in_only_local_pages_are_followed(client):
    signup(client)
    logout(client)
    token = csrf_token(client.get("/login"))
    data = {"csrf_token": token, "username": "alice", "password": PASSWORD}
    response = client.post("/login?next=//evil.example/x", data=data)
    assert response.headers["Location"] == "/predict"
    logout(client)
    token = csrf_token(client.get("/login"))
    response = client.post("/login?next=/history", data={**data, "csrf_token": token})
    assert response.headers["Location"] == "/history"


def test_security_headers(client):
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_secret_key_must_come_from_the_operator(config, monkeypatch):
    from imblearn_vae.web import create_app

    monkeypatch.delenv("IMBLEARN_VAE_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="IMBLEARN_VAE_SECRET_KEY"):
        create_app({**config, "SECRET_KEY": None})
    monkeypatch.setenv("IMBLEARN_VAE_SECRET_KEY", "from-the-environment-" + "x" * 20)
    app = create_app({**config, "SECRET_KEY": None})
    assert isinstance(app, Flask)
    assert app.config["SECRET_KEY"].startswith("from-the-environment-")
