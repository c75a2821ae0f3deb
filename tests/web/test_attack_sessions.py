"""The attacker's suite, sessions: issue 22, observations 1 (log-out, password
reset), 2 (user enumeration by timing) and 7 (open redirect); issue 28, item
7 (a CSRF token that survives log-in).

Each test is an attack that worked before the fix.
"""

import io
import statistics
import time

import pytest
from sqlalchemy import select

from imblearn_vae.cli import main
from imblearn_vae.web import models
from imblearn_vae.web.auth import BAD_LOGIN
from imblearn_vae.web.models import ApiToken, db

from .conftest import (
    PASSWORD,
    csrf_token,
    example_row,
    form_fields,
    login,
    logout,
    signup,
)
from .test_api import create_token, predict


def copy_cookie(app, client):
    """Another browser that holds ``client``'s session cookie (stolen, say)."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def refused(response) -> bool:
    """Sent to the log-in page, as a visitor without a session is."""
    return response.status_code == 302 and "/login" in response.headers["Location"]


def tokens_of(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(ApiToken)).all())


# Observation 1 -------------------------------------------------------------


def test_a_cookie_copied_before_log_out_is_refused_after_it(app, client, detector):
    signup(client)
    thief = copy_cookie(app, client)
    assert thief.get("/history").status_code == 200  # the copy works...
    form_token = csrf_token(thief.get("/tokens"))
    logout(client)
    # ...and after log-out it opens nothing, posts nothing, makes no token
    assert refused(thief.get("/history"))
    row = example_row(detector)
    assert refused(
        thief.post("/predict", data={"csrf_token": form_token, **form_fields(row)})
    )
    assert refused(thief.post("/tokens", data={"csrf_token": form_token,
                                               "name": "stolen"}))  # fmt: skip
    assert tokens_of(app) == 0


def test_log_out_everywhere_ends_every_session(app, client):
    signup(client)
    laptop = app.test_client()
    assert login(laptop).status_code == 302
    thief = copy_cookie(app, laptop)
    token = csrf_token(client.get("/account"))
    assert "Log out everywhere" in client.get("/account").text
    response = client.post("/account/logout-everywhere", data={"csrf_token": token})
    assert response.status_code == 302
    for browser in (client, laptop, thief):
        assert refused(browser.get("/history"))


def test_a_password_change_ends_the_other_sessions_and_revokes_tokens(
    app, client, detector
):
    signup(client)
    secret = create_token(client)
    laptop = app.test_client()
    login(laptop)
    token = csrf_token(client.get("/account"))
    new = "a different passphrase here"
    response = client.post("/account", data={
        "csrf_token": token, "current": PASSWORD, "password": new, "confirm": new,
        "revoke_tokens": "y"})  # fmt: skip
    assert response.status_code == 302
    assert refused(laptop.get("/history"))
    assert client.get("/history").status_code == 200  # this browser goes on
    assert predict(client, example_row(detector), secret).status_code == 401
    logout(client)
    assert login(client, password=PASSWORD).status_code == 401
    assert login(client, password=new).status_code == 302


def test_a_password_change_needs_the_current_password(client):
    signup(client)
    token = csrf_token(client.get("/account"))
    new = "a different passphrase here"
    response = client.post("/account", data={
        "csrf_token": token, "current": "not my password", "password": new,
        "confirm": new})  # fmt: skip
    assert response.status_code == 400
    assert "This is not your current password." in response.text
    logout(client)
    assert login(client).status_code == 302  # the old password still works


def reset(config, monkeypatch, *options):
    site = ["--data-dir", config["DATA_DIR"], "--database-url", config["DATABASE_URL"]]
    monkeypatch.setattr("sys.stdin", io.StringIO("a brand new passphrase\n"))
    return main(["user", "reset-password", "alice", "--password-stdin", *site,
                 *options])  # fmt: skip


def test_a_password_reset_ends_sessions_and_revokes_tokens(
    app, client, config, monkeypatch, capsys, detector
):
    signup(client)
    secret = create_token(client)
    assert reset(config, monkeypatch) == 0
    assert "1 session(s) ended, 1 API token(s) revoked" in capsys.readouterr().out
    assert refused(client.get("/history"))
    assert predict(client, example_row(detector), secret).status_code == 401


def test_a_password_reset_can_keep_the_tokens(
    app, client, config, monkeypatch, detector
):
    signup(client)
    secret = create_token(client)
    assert reset(config, monkeypatch, "--keep-tokens") == 0
    assert refused(client.get("/history"))  # sessions end whatever the option
    assert predict(client, example_row(detector), secret).status_code == 200


def test_a_session_ends_after_its_lifetime(config):
    from .conftest import make_app

    app = make_app(config, SESSION_HOURS=0)
    client = app.test_client()
    assert signup(client).status_code == 302
    assert refused(client.get("/history"))


def test_a_forged_session_key_is_refused(app, client):
    signup(client)
    from flask.sessions import SecureCookieSessionInterface

    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    session = serializer.loads(client.get_cookie("session").value)
    forged = app.test_client()
    forged.set_cookie("session", serializer.dumps({**session, "_user_id": "1"}))
    assert refused(forged.get("/history"))


# Observation 2 -------------------------------------------------------------


def test_unknown_names_cost_one_password_hash_like_known_ones(client, monkeypatch):
    signup(client)
    logout(client)
    checked = []
    real = models.check_password_hash

    def spy(stored, password):
        checked.append(stored.split("$")[0])  # method and cost, not the hash
        return real(stored, password)

    monkeypatch.setattr(models, "check_password_hash", spy)
    assert login(client, password="wrong wrong wrong").status_code == 401
    assert login(client, username="mallory").status_code == 401
    assert len(checked) == 2 and checked[0] == checked[1]
    assert checked[0].startswith("scrypt:")


def test_unknown_and_known_names_take_as_long(client):
    """Medians of a few tries each, with a wide margin (the machine is shared):
    before the fix an unknown name answered about 15 times faster."""
    signup(client)
    logout(client)

    def median_seconds(username: str) -> float:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            response = login(client, username=username, password="wrong guess 123")
            times.append(time.perf_counter() - start)
            assert BAD_LOGIN in response.text
        return statistics.median(times)

    known, unknown = median_seconds("alice"), median_seconds("nobody-here")
    assert unknown > known / 3


# Observation 7 -------------------------------------------------------------

#: Known ways to make a "local" next parameter leave the site.
BYPASSES = [
    "//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https://evil.example",
    "http:evil.example",
    "https:/evil.example",
    "///evil.example",
    " //evil.example",
    "/ /evil.example",
    "\t//evil.example",
    "javascript:alert(1)",
    "/\x00/evil.example",
    "/\u3000/evil.example",
    "/\uff0f/evil.example",
    "evil.example",
    "",
]


@pytest.mark.parametrize("target", BYPASSES, ids=repr)
def test_log_in_never_redirects_off_site(client, target):
    signup(client)
    logout(client)
    response = login(client, url="/login", query_string={"next": target})
    if "\x00" in target:  # refused before log-in, like every NUL (guards.py)
        assert response.status_code == 400 and "Location" not in response.headers
        return
    assert response.status_code == 302
    assert response.headers["Location"] == "/predict"


def test_the_observed_tab_bypass(client):
    signup(client)
    logout(client)
    response = login(client, url="/login?next=/%09/evil.example")
    assert response.headers["Location"] == "/predict"


@pytest.mark.parametrize("target", ["/history", "/uploads/3?page=2", "/tokens"])
def test_local_pages_are_still_followed(client, target):
    signup(client)
    logout(client)
    response = login(client, url="/login", query_string={"next": target})
    assert response.headers["Location"] == target


# Issue 28, item 7 ------------------------------------------------------------


def test_a_csrf_token_planted_before_log_in_is_refused_after_it(app, client):
    """An attacker's own session cookie, planted in the victim's browser
    before she logs in: the CSRF token the attacker read with it must not
    work in her logged-in session (a new token at log-in, ASVS V3.2.1)."""
    signup(client)
    logout(client)
    attacker = app.test_client()
    planted = csrf_token(attacker.get("/login"))
    victim = app.test_client()
    victim.set_cookie("session", attacker.get_cookie("session").value)
    assert login(victim).status_code == 302
    forged = victim.post("/tokens", data={"csrf_token": planted, "name": "forged"})
    assert forged.status_code == 400 and "Form expired or forged" in forged.text
    assert tokens_of(app) == 0
    fresh = csrf_token(victim.get("/tokens"))
    assert fresh != planted
    made = victim.post("/tokens", data={"csrf_token": fresh, "name": "mine"})
    assert made.status_code == 200 and tokens_of(app) == 1


def test_a_csrf_token_does_not_outlive_log_out(app, client):
    signup(client)
    before = csrf_token(client.get("/tokens"))
    logout(client)
    login(client)
    response = client.post("/tokens", data={"csrf_token": before, "name": "old"})
    assert response.status_code == 400 and tokens_of(app) == 0
