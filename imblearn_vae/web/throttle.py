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
"""

import datetime
import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, func, select

from .models import LoginFailure, db, utcnow

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


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="device-cookie")


def trusted_device(username: str) -> str | None:
    """The id of this browser's device cookie if it is valid for ``username``."""
    cookie = request.cookies.get(DEVICE_COOKIE, "")
    try:
        name, device = _serializer().loads(cookie, max_age=DEVICE_COOKIE_DAYS * 86400)
    except (BadSignature, ValueError, TypeError):
        return None
    if name != username.lower() or _count(LoginFailure.device == device) >= (
        DEVICE_FAILURES
    ):
        return None
    return device


def set_device_cookie(response, username: str) -> None:
    """Give the browser a device cookie for ``username`` (after a log-in)."""
    value = _serializer().dumps([username.lower(), secrets.token_hex(8)])
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
    waits = [
        _wait(LoginFailure.username == username.lower(), ACCOUNT_FREE, extra=untrusted),
        _wait(LoginFailure.address == address, ADDRESS_FREE, extra=untrusted),
    ]
    return max(waits)


def record_failure(username: str, address: str, device: str | None) -> None:
    db.session.add(
        LoginFailure(username=username.lower()[:64], address=address, device=device)
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
