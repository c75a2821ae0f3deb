"""The tables: users, API tokens, predictions, uploads, failed log-ins."""

import datetime
import hashlib
import secrets

from flask_login import UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

#: werkzeug's scrypt: memory-hard and slow on purpose (2**15 iterations).
PASSWORD_METHOD = "scrypt"


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)

    tokens: Mapped[list["ApiToken"]] = relationship(back_populates="user")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


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
    # Tokens are long random strings: a fast hash is enough (no dictionary
    # to guess from), and it lets each request find its row by the hash.
    return hashlib.sha256(secret.encode()).hexdigest()


class Upload(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    rows: Mapped[int]
    created_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)


class Prediction(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    source: Mapped[str] = mapped_column(String(16))  # form, upload, api
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"), index=True)
    row_number: Mapped[int] = mapped_column(default=0)
    inputs: Mapped[str] = mapped_column(Text)  # JSON of the connection's fields
    predicted: Mapped[str] = mapped_column(String(64))
    probabilities: Mapped[str] = mapped_column(Text)  # JSON class -> probability

    upload: Mapped[Upload | None] = relationship()

    __table_args__ = (Index("ix_prediction_user_newest", "user_id", "id"),)


class LoginFailure(db.Model):
    """A failed log-in, kept for throttling (by account and by address)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime.datetime] = mapped_column(default=utcnow, index=True)
