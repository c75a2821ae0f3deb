"""What an operator does from the command line: accounts and API tokens.

These need the database only, not the model, so they run where the site's
model file is not (a script that makes the first account, say).
"""

import secrets
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from .auth import find_user
from .models import ApiToken, User, db, utcnow
from .settings import from_environment

MIN_PASSWORD_LENGTH = 10


class OperatorError(ValueError):
    """A command that cannot be carried out (no such user, a weak password...)."""


def database_app(config: dict | None = None) -> Flask:
    """A Flask application holding only the database of the site's settings."""
    settings = from_environment(config)
    Path(settings["DATA_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = settings["DATABASE_URL"]
    db.init_app(app)
    with app.app_context():
        db.create_all()
    return app


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise OperatorError(
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters."
        )


def create_user(app: Flask, username: str, password: str) -> User:
    with app.app_context():
        if not 3 <= len(username) <= 64 or username != username.strip():
            raise OperatorError(
                "A user name has 3 to 64 characters and no outer spaces."
            )
        if find_user(username) is not None:
            raise OperatorError(f"There is already a user {username!r}.")
        _check_password(password)
        user = User(username=username)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user


def reset_password(app: Flask, username: str, password: str) -> None:
    with app.app_context():
        user = _user(username)
        _check_password(password)
        user.set_password(password)
        db.session.commit()


def create_token(app: Flask, username: str, name: str) -> str:
    """A new API token of the user; returns the secret (shown once)."""
    with app.app_context():
        token, secret = ApiToken.issue(_user(username), name)
        db.session.add(token)
        db.session.commit()
        return secret


def revoke_token(app: Flask, prefix: str) -> str:
    """Revoke the token whose shown prefix (or whole secret) starts with ``prefix``."""
    with app.app_context():
        matches = [
            t
            for t in db.session.scalars(select(ApiToken))
            if prefix and t.prefix.startswith(prefix[:10])
        ]
        if len(matches) != 1:
            raise OperatorError(
                f"{len(matches)} tokens start with {prefix!r}; give the prefix that "
                "`imblearn-vae token list` shows."
            )
        token = matches[0]
        token.revoked_at = token.revoked_at or utcnow()
        db.session.commit()
        return f"{token.name} ({token.prefix}…) of {token.user.username}"


def list_tokens(app: Flask, username: str) -> list[tuple[str, str, bool]]:
    with app.app_context():
        return [
            (t.prefix, t.name, t.active)
            for t in db.session.scalars(
                select(ApiToken).where(ApiToken.user_id == _user(username).id)
            )
        ]


def _user(username: str) -> User:
    user = find_user(username)
    if user is None:
        raise OperatorError(f"There is no user {username!r}.")
    return user


def secret_key_file(data_dir: Path) -> str:
    """The site's secret key kept in the data folder, made on first use.

    For a single machine without IMBLEARN_VAE_SECRET_KEY: random, readable by
    its owner only, the same for every worker and restart.
    """
    path = Path(data_dir) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()
