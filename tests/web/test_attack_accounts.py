"""The attacker's suite, accounts: issue 28, items 1 (the password re-check
not throttled), 2 (user names with non-ASCII capitals), 4 (sign-up tells who
exists and has no limit) and 6 (the sign-up race).

Each test is an attack that worked before the fix.
"""

import io
import threading

import pytest
from sqlalchemy import func, select

from imblearn_vae.cli import main
from imblearn_vae.web import auth, models, throttle
from imblearn_vae.web.models import LoginFailure, User, db

from .conftest import PASSWORD, csrf_token, login, logout, make_app, signup
from .test_attack_sessions import copy_cookie, refused

GUESS = "guess guess guess"
NEW = "a different passphrase here"


def users(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(User.username)))


# Item 1: the password re-check ---------------------------------------------


def recheck(client, path: str, password: str):
    """Give the password again: change it (/account) or delete the account."""
    token = csrf_token(client.get("/account"))
    fields = {"password": password}
    if path == "/account":
        fields = {"current": password, "password": NEW, "confirm": NEW}
    return client.post(path, data={"csrf_token": token, **fields})


@pytest.mark.parametrize("path", ["/account", "/account/delete"])
def test_a_stolen_cookie_cannot_guess_the_password(app, client, path):
    signup(client)
    thief = copy_cookie(app, client)  # the session cookie, not the device one
    statuses = [recheck(thief, path, GUESS).status_code for _ in range(8)]
    assert statuses[: throttle.ACCOUNT_FREE] == [400] * throttle.ACCOUNT_FREE
    assert statuses[throttle.ACCOUNT_FREE :] == [429] * 3
    held = recheck(thief, path, PASSWORD)  # the right one is not even checked
    assert held.status_code == 429 and int(held.headers["Retry-After"]) > 0
    assert "try again in" in held.text
    # nothing changed: the account, its password and the owner's session
    assert users(app) == ["alice"]
    assert client.get("/history").status_code == 200
    logout(client)
    assert login(client).status_code == 302


def test_re_check_failures_count_with_log_in_failures(app, client):
    """One count per account: guesses on the Account page bring the log-in
    page's wait closer, and the other way round."""
    signup(client)
    thief = copy_cookie(app, client)
    for _ in range(throttle.ACCOUNT_FREE - 1):
        assert recheck(thief, "/account", GUESS).status_code == 400
    stranger = app.test_client()
    assert login(stranger, password=GUESS).status_code == 401
    assert login(stranger, password=GUESS).status_code == 429
    assert recheck(thief, "/account", PASSWORD).status_code == 429


def test_the_owners_browser_is_not_held_by_a_thiefs_guesses(app, client):
    signup(client)
    thief = copy_cookie(app, client)
    for _ in range(throttle.ACCOUNT_FREE + 2):
        recheck(thief, "/account", GUESS)
    # the owner's browser holds her device cookie: the password change works
    assert recheck(client, "/account", PASSWORD).status_code == 302
    assert refused(thief.get("/history"))  # and ends the thief's session


# Item 2: one normal form of a user name ------------------------------------

#: (signed up as, logged in as): one account each time.
SAME_NAME = [
    ("Ölaf", "Ölaf"),
    ("Ölaf", "ölaf"),
    ("ölaf", "ÖLAF"),
    ("Ölaf", "O\u0308laf"),  # decomposed: O and a combining diaeresis
    ("Straße", "STRASSE"),  # case folding, not lower()
    ("\uff42\uff4f\uff42", "Bob"),  # full-width letters (NFKC)
    ("Émile", "émile"),
]


@pytest.mark.parametrize(("name", "typed"), SAME_NAME)
def test_a_name_logs_in_whatever_its_case_or_form(client, name, typed):
    assert signup(client, username=name).status_code == 302
    logout(client)
    assert login(client, username=typed).status_code == 302
    assert f">{name}</a>" in client.get("/predict").text  # as signed up


@pytest.mark.parametrize(("name", "again"), SAME_NAME)
def test_a_name_is_taken_whatever_its_case_or_form(app, name, again):
    assert signup(app.test_client(), username=name).status_code == 302
    response = signup(app.test_client(), username=again)
    assert response.status_code == 400 and "This name is taken." in response.text
    assert users(app) == [name]


def test_a_name_never_opens_another_account(app, client):
    """Before, on SQLite: "émile" signed up beside "Émile", then logging in
    as "Émile" checked émile's password."""
    signup(client, username="Émile")
    logout(client)
    other = app.test_client()
    response = signup(other, username="émile", password="another long passphrase")
    assert response.status_code == 400 and "This name is taken." in response.text
    assert login(other, "Émile", "another long passphrase").status_code == 401
    assert login(other, "émile").status_code == 302  # Émile's, the one account
    assert users(app) == ["Émile"]


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("ali\u200bce", "U+200B"),  # a zero-width space: looks like alice
        ("bo\u2028b", "U+2028"),  # a line separator
        ("\u00a0bob", "no spaces before or after"),
        ("a\ufdfa" * 4, "64 characters once normalised"),
    ],
)
def test_names_that_cannot_be_told_apart_are_refused(app, client, name, why):
    response = signup(client, username=name)
    assert response.status_code == 400 and why in response.text
    assert users(app) == []


def operator(config, monkeypatch, *arguments, password="a brand new passphrase"):
    site = ["--data-dir", config["DATA_DIR"], "--database-url", config["DATABASE_URL"]]
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main([*arguments, *site])


def test_the_operator_commands_use_the_same_names(app, config, monkeypatch, capsys):
    assert operator(config, monkeypatch, "user", "create", "ÄBC_user",
                    "--password-stdin") == 0  # fmt: skip
    assert operator(config, monkeypatch, "user", "reset-password", "äbc_USER",
                    "--password-stdin") == 0  # fmt: skip
    assert operator(config, monkeypatch, "token", "create", "ÄBC_USER") == 0
    assert operator(config, monkeypatch, "user", "create", "äbc_user",
                    "--password-stdin") == 2  # fmt: skip
    assert "already a user" in capsys.readouterr().err
    assert operator(config, monkeypatch, "user", "create", "ev\u200be",
                    "--password-stdin") == 2  # fmt: skip
    assert "U+200B" in capsys.readouterr().err
    assert users(app) == ["ÄBC_user"]
    client = app.test_client()
    assert login(client, "äbc_user", "a brand new passphrase").status_code == 302


def test_failed_log_ins_are_counted_under_the_normal_name(app, client):
    signup(client, username="Ölaf")
    logout(client)
    attacker = app.test_client()
    for typed in ("Ölaf", "ölaf", "ÖLAF", "O\u0308laf", "ölaf"):
        assert login(attacker, username=typed, password=GUESS).status_code == 401
    assert login(attacker, username="öLaF", password=GUESS).status_code == 429
    with app.app_context():
        assert set(db.session.scalars(select(LoginFailure.username))) == {"ölaf"}


def test_deleting_an_account_forgets_its_failed_log_ins(app, client):
    signup(client, username="Ölaf")
    logout(client)
    login(app.test_client(), username="O\u0308LAF", password=GUESS)
    login(client, username="Ölaf")
    assert recheck(client, "/account/delete", PASSWORD).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(LoginFailure.id))) == 0


# Item 4: sign-up probes ----------------------------------------------------


def test_sign_up_is_rate_limited_per_address(app):
    signup(app.test_client(), username="alice")
    statuses = [
        signup(app.test_client(), username=name).status_code
        for name in ["alice"] * 10 + [f"user{index}" for index in range(10)]
    ]
    assert 429 in statuses
    limited = statuses.index(429)
    assert set(statuses[limited:]) == {429}  # every later probe and account
    assert len(users(app)) <= 5


def test_the_sign_up_limit_is_a_setting(config):
    app = make_app(config, SIGNUP_RATE_LIMIT="2 per minute")
    assert [signup(app.test_client(), username=f"user{i}").status_code
            for i in range(3)] == [302, 302, 429]  # fmt: skip


def test_a_taken_name_costs_the_same_password_hash_as_a_new_one(
    app, client, monkeypatch
):
    signup(client)
    hashed = []
    real = models.generate_password_hash

    def spy(password, method):
        hashed.append(method)
        return real(password, method=method)

    monkeypatch.setattr(models, "generate_password_hash", spy)
    assert signup(app.test_client(), username="alice").status_code == 400
    assert signup(app.test_client(), username="bob").status_code == 302
    assert hashed == [models.PASSWORD_METHOD] * 2


# Item 6: the sign-up race --------------------------------------------------


def test_two_simultaneous_sign_ups_of_one_name(app, monkeypatch):
    """Both requests pass the "is it taken?" check before either stores the
    account (a barrier holds them there): the database's unique index
    decides, and the second gets the form saying the name is taken."""
    barrier = threading.Barrier(2, timeout=10)
    real = auth.find_user

    def find_then_wait(username):
        found = real(username)
        barrier.wait()
        return found

    monkeypatch.setattr(auth, "find_user", find_then_wait)
    tokens = {}
    browsers = [app.test_client() for _ in range(2)]
    for browser in browsers:
        tokens[browser] = csrf_token(browser.get("/signup"))
    results = []

    def sign_up(browser):
        results.append(browser.post("/signup", data={
            "csrf_token": tokens[browser], "username": "Ölaf", "password": PASSWORD,
            "confirm": PASSWORD}))  # fmt: skip

    threads = [threading.Thread(target=sign_up, args=(b,)) for b in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in results) == [302, 400]
    (refused_one,) = [r for r in results if r.status_code == 400]
    assert "This name is taken." in refused_one.text
    assert users(app) == ["Ölaf"]
