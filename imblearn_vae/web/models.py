"""The tables: users, their log-in sessions and API tokens, batches of
predictions (one per request), predictions, failed log-ins.

The schema is created and changed by the migrations in ``migrations/``
(``imblearn-vae db upgrade``); a change here needs a new revision there.
"""

import datetime
import hashlib
import json
import secrets

from flask_login import UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    mapped_column,
    relationship,
    validates,
)
from werkzeug.security import check_password_hash, generate_password_hash

from .names import name_key

#: werkzeug's scrypt: memory-hard and slow on purpose (2**15 iterations).
PASSWORD_METHOD = "scrypt"


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_METHOD)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The name as the user typed it, shown on the pages.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    #: Its normal form (names.name_key), set with it: the name accounts are
    #: found, compared and counted by; unique, so no two accounts share one.
    username_key: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)

    tokens: Mapped[list["ApiToken"]] = relationship(back_populates="user")

    @validates("username")
    def _keep_the_key(self, _, username: str) -> str:
        # every way a name is set (sign-up, the operator's command) sets its key
        self.username_key = name_key(username)
        return username

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def get_id(self) -> str:
        # Flask-Login keeps this in the cookie: the session's key, not the
        # user's id, so that a session can end on the server (sessions.py).
        return self.session_key

    #: The key of the log-in session this user object came with.
    session_key = ""


_dummy_hash: list[str] = []


def verify_password(user: User | None, password: str) -> bool:
    """Whether ``password`` is ``user``'s; for no user, the same work, False.

    Without a user the password is checked against a hash of a random
    password made with the same method, so that both answers take one scrypt
    (OWASP ASVS 4.0 V2.2.1: no user enumeration by timing).
    """
    if user is not None:
        return check_password_hash(user.password_hash, password)
    if not _dummy_hash:
        _dummy_hash.append(hash_password(secrets.token_hex(16)))
    check_password_hash(_dummy_hash[0], password)
    return False


class LoginSession(db.Model):
    """One log-in of a user in one browser; the cookie holds its random key.

    Only the key's SHA-256 is kept. A session ends (``ended_at``) on log-out,
    "log out everywhere", a password change or reset, or when it is older
    than the site's session lifetime.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime.datetime | None]

    user: Mapped[User] = relationship()


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is kept, the token is shown once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime.datetime | None]
    revoked_at: Mapped[datetime.datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")

    #: Tokens start with this, so that a leaked one is recognisable.
    SCHEME = "ivt_"

    @classmethod
    def issue(cls, user: User, name: str) -> tuple["ApiToken", str]:
        """A new token for ``user``: the row (not yet added) and the secret."""
        secret = cls.SCHEME + secrets.token_urlsafe(32)
        row = cls(
            user=user, name=name, token_hash=hash_token(secret), prefix=secret[:10]
        )
        return row, secret

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def hash_token(secret: str) -> str:
    # Tokens and session keys are long random strings: a fast hash is enough
    # (no dictionary to guess from), and it lets each request find its row.
    return hashlib.sha256(secret.encode()).hexdigest()


class Batch(db.Model):
    """The predictions of one request: a form, an API call or an uploaded file.

    The history lists batches, newest first; deleting one deletes its
    predictions. ``columns`` names the values of each prediction's
    ``inputs`` (a JSON list in that order); batches from before it keep
    their inputs as JSON objects and no ``columns``.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    source: Mapped[str] = mapped_column(String(16))  # form, api, upload
    filename: Mapped[str] = mapped_column(String(255), default="")
    rows: Mapped[int]
    #: Rows whose label (an uploaded label column) names a class of the model.
    labelled: Mapped[int] = mapped_column(default=0)
    columns: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    #: An API call's Idempotency-Key header and its body's SHA-256: a retry
    #: with the same key and body gets this batch's answer again.
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    request_hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_batch_user_newest", "user_id", "id"),
        # each user's keys are their own; NULL (no key) repeats freely
        Index("ix_batch_idempotency", "user_id", "idempotency_key", unique=True),
    )

    @property
    def title(self) -> str:
        if self.source == "upload":
            return self.filename
        return {"api": "API request", "form": "form"}.get(self.source, self.source)


class Prediction(db.Model):
    """One connection's class and scores; who and when are its batch's."""

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id"))
    row_number: Mapped[int] = mapped_column(default=0)
    inputs: Mapped[str] = mapped_column(Text)  # JSON: see Batch.columns
    predicted: Mapped[str] = mapped_column(String(64))
    probabilities: Mapped[str] = mapped_column(Text)  # JSON class -> score
    #: The row's label from an uploaded label column, as a class of the model
    #: where it names one, else as written (64 characters at most).
    actual: Mapped[str | None] = mapped_column(String(64))

    batch: Mapped[Batch] = relationship()

    #: A batch's rows, its counts per class and its rows of one class.
    __table_args__ = (Index("ix_prediction_batch_class", "batch_id", "predicted"),)

    def input_values(self) -> dict:
        """The connection's fields, name -> value."""
        values = json.loads(self.inputs)
        if isinstance(values, dict):
            return values
        return dict(zip(json.loads(self.batch.columns), values, strict=True))


class LoginFailure(db.Model):
    """A failed log-in, kept for throttling (by account and by address)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    #: The device cookie's id when the browser sent a valid one for this user.
    device: Mapped[str | None] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime.datetime] = mapped_column(default=utcnow, index=True)
