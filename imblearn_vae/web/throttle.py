"""Failed log-ins slow guessing down without locking the owner out.

OWASP's "slow down online guessing attacks with device cookies": a browser
that logged in as a user gets a signed cookie naming that user. Failures from
browsers without one ("untrusted") are counted per account and per address;
past a few, each next try must wait, the wait doubling up to
:data:`MAX_DELAY` (progressive delays, not a wall that an attacker could
raise on purpose). A browser with the owner's device cookie is not held by
those counters, so guessing from elsewhere cannot lock the owner out; its
own failures are counted per cookie, and a cookie that fails too often is
trusted no more. OWASP ASVS 4.0 V2.2.1, NIST SP 800-63B 5.2.2.

Every check of a password a person types goes through
:func:`check_password`, and so through the same counts: the log-in, and the
password asked again to change it or to delete the account (a stolen
session cookie must not guess the password behind it). Accounts are counted
under their normal name (:func:`~.names.name_key`).
"""

import datetime
import secrets

from flask import current_app, make_response, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, func, select

from .models import LoginFailure, User, db, utcnow, verify_password
from .names import name_key

#: Failures are counted over this window.
WINDOW = datetime.timedelta(hours=24)
#: Untrusted failures per account that cost no wait.
ACCOUNT_FREE = 5
#: Failures from one address (any accounts) that cost no wait.
ADDRESS_FREE = 20
#: Failures with one device cookie after which it is trusted no more.
DEVICE_FAILURES = 5
#: The first wait; each failure after it doubles the wait.
FIRST_DELAY = datetime.timedelta(seconds=15)
#: The longest wait between two tries.
MAX_DELAY = datetime.timedelta(minutes=15)

DEVICE_COOKIE = "device"
DEVICE_COOKIE_DAYS = 365


def client_address() -> str:
    """The client's address as ProxyFix leaves it: the proxy's own address
    unless TRUSTED_PROXIES says how many proxies to look through.

    Cut to the column's 64 characters here, where it is both stored and
    looked up: behind a proxy it comes from a header, any length.
    """
    return (request.remote_addr or "unknown")[:64]


def check_password(username: str, user: User | None, password: str) -> tuple[bool, int]:
    """Check ``password`` for the account named ``username``, within the limits.

    Parameters
    ----------
    username : str
        The account's name as typed (any case or form).
    user : User or None
        Its user; None when there is no such account (the check then costs
        the same, against a dummy hash).
    password : str

    Returns
    -------
    right : bool
        Whether the password is the user's; a right one clears this
        browser's device failures, a wrong one is counted.
    wait : int
        Seconds to wait before the next try, 0 when the password was
        checked; when not 0 it was not even checked (too many failures).
    """
    address = client_address()
    device = trusted_device(username)
    wait = wait_seconds(username, address, device)
    if wait:
        return False, wait
    if verify_password(user, password):
        forget_device_failures(device)
        return True, 0
    record_failure(username, address, device)
    return False, 0


def held_back(wait: int) -> str:
    """The message of a password try that must wait ``wait`` seconds."""
    return (
        "Too many wrong passwords for this account or from this address: try "
        f"again in {wait} seconds (a browser you logged in with before is not "
        "held back)."
    )


def held_response(page: str, wait: int):
    """A page that says to wait (429), with ``Retry-After``."""
    response = make_response(page, 429)
    response.headers["Retry-After"] = str(wait)
    return response


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="device-cookie")


def trusted_device(username: str) -> str | None:
    """The id of this browser's device cookie if it is valid for ``username``."""
    cookie = request.cookies.get(DEVICE_COOKIE, "")
    try:
        name, device = _serializer().loads(cookie, max_age=DEVICE_COOKIE_DAYS * 86400)
    except (BadSignature, ValueError, TypeError):
        return None
    if name != name_key(username) or _count(LoginFailure.device == device) >= (
        DEVICE_FAILURES
    ):
        return None
    return device


def set_device_cookie(response, username: str) -> None:
    """Give the browser a device cookie for ``username`` (after a log-in)."""
    value = _serializer().dumps([name_key(username), secrets.token_hex(8)])
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_COOKIE_DAYS * 86400,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SECURE_COOKIES"],
    )


def wait_seconds(username: str, address: str, device: str | None) -> int:
    """How long this try must wait before its password is even checked (0: none)."""
    if device is not None:
        return 0
    untrusted = LoginFailure.device.is_(None)
    account = LoginFailure.username == name_key(username)[:64]
    waits = [
        _wait(account, ACCOUNT_FREE, extra=untrusted),
        _wait(LoginFailure.address == address, ADDRESS_FREE, extra=untrusted),
    ]
    return max(waits)


def record_failure(username: str, address: str, device: str | None) -> None:
    db.session.add(
        LoginFailure(username=name_key(username)[:64], address=address, device=device)
    )
    db.session.commit()


def forget_device_failures(device: str | None) -> None:
    """A right password from a device clears that device's failures."""
    if device is not None:
        db.session.execute(delete(LoginFailure).where(LoginFailure.device == device))
        db.session.commit()


def _count(condition) -> int:
    return db.session.scalar(
        select(func.count(LoginFailure.id)).where(
            condition, LoginFailure.created_at >= utcnow() - WINDOW
        )
    )


def _wait(condition, free: int, extra) -> int:
    recent = select(
        func.count(LoginFailure.id), func.max(LoginFailure.created_at)
    ).where(condition, extra, LoginFailure.created_at >= utcnow() - WINDOW)
    failures, last = db.session.execute(recent).one()
    if failures < free:
        return 0
    delay = min(FIRST_DELAY * 2 ** min(failures - free, 20), MAX_DELAY)
    left = (last + delay - utcnow()).total_seconds()
    return max(0, int(left + 0.999))
