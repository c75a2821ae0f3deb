"""Log-in sessions kept on the server, so that ending one is final.

Flask's session cookie is signed but lives in the browser: without a record
on the server, a cookie copied before log-out would keep working. Here the
cookie carries a random key (Flask-Login's "alternative token": what
``User.get_id`` returns), each request looks the key up, and log-out, "log
out everywhere" or a password change mark the record ended. OWASP ASVS 4.0
V3.3 (session termination) and V3.2 (new session key at log-in).
"""

import datetime
import secrets

from flask import current_app
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
    login_user(user)


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


def end_all(user_id: int) -> int:
    """End every session of the user (the caller commits); how many ended."""
    result = db.session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    return result.rowcount
