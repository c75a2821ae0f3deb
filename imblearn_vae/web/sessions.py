"""Log-in sessions kept on the server, so that ending one is final.

Flask's session cookie is signed but lives in the browser: without a record
on the server, a cookie copied before log-out would keep working. Here the
cookie carries a random key (Flask-Login's "alternative token": what
``User.get_id`` returns), each request looks the key up, and log-out, "log
out everywhere" or a password change mark the record ended. OWASP ASVS 4.0
V3.3 (session termination) and V3.2 (new session key at log-in).

The rest of Flask's session (the CSRF token's secret above all) is emptied
at log-in and at log-out: a session cookie planted in a browser before
log-in, whose CSRF token the planter knows, is worth nothing after it
(ASVS V3.2.1).
"""

import datetime
import secrets

from flask import current_app, g, session
from flask_login import login_user, logout_user
from sqlalchemy import select, update

from .models import LoginSession, User, db, hash_token, utcnow


def load_user(key: str) -> User | None:
    """The user of a live session key (Flask-Login's user loader), else None."""
    lifetime = datetime.timedelta(hours=current_app.config["SESSION_HOURS"])
    found = db.session.scalar(
        select(LoginSession).where(
            LoginSession.key_hash == hash_token(key),
            LoginSession.ended_at.is_(None),
            LoginSession.created_at > utcnow() - lifetime,
        )
    )
    if found is None:
        return None
    user = found.user
    user.session_key = key
    return user


def start(user: User) -> None:
    """Log ``user`` in with a new session (a fresh key: no fixation)."""
    key = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user_id=user.id, key_hash=hash_token(key)))
    db.session.commit()
    user.session_key = key
    clear_browser_session()
    login_user(user)


def clear_browser_session() -> None:
    """Empty Flask's session cookie (log-in, log-out, account deleted)."""
    # Flask-WTF keeps the CSRF token's secret in the session under its field
    # name, and the signed token of this request in g: without both, the
    # next form gets a new token.
    session.clear()
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def end(user: User) -> None:
    """End the session this request came with, and log out."""
    db.session.execute(
        update(LoginSession)
        .where(
            LoginSession.key_hash == hash_token(user.session_key),
            LoginSession.ended_at.is_(None),
        )
        .values(ended_at=utcnow())
    )
    db.session.commit()
    logout_user()
    clear_browser_session()


def end_all(user_id: int) -> int:
    """End every session of the user (the caller commits); how many ended."""
    result = db.session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    return result.rowcount
