"""What an operator does from the command line: accounts and API tokens.

These need the database only, not the model: they run on an application
made with ``create_app(config, with_model=False)``, where the site's model
file need not be.
"""

from flask import Flask
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from . import sessions
from .auth import find_user
from .models import (
    ApiToken,
    Batch,
    LoginFailure,
    LoginSession,
    Prediction,
    User,
    db,
    utcnow,
)
from .names import name_problem
from .passwords import password_problem


class OperatorError(ValueError):
    """A command that cannot be carried out (no such user, a weak password...)."""


def _check_password(password: str, username: str) -> None:
    problem = password_problem(password, username)
    if problem:
        raise OperatorError(f"The password is refused: {problem}.")


def create_user(app: Flask, username: str, password: str) -> User:
    """A new user, with the sign-up page's rules for the name and password."""
    with app.app_context():
        problem = name_problem(username)
        if problem:
            raise OperatorError(f"The user name is refused: {problem}")
        if find_user(username) is not None:
            raise OperatorError(f"There is already a user {username!r}.")
        _check_password(password, username)
        user = User(username=username)
        user.set_password(password)
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:  # made by the site meanwhile
            db.session.rollback()
            raise OperatorError(f"There is already a user {username!r}.") from None
        return user


def reset_password(
    app: Flask, username: str, password: str, keep_tokens: bool = False
) -> tuple[int, int]:
    """Set a new password; end every session of the user and, unless
    ``keep_tokens``, revoke their API tokens.

    Returns
    -------
    (sessions, tokens) : tuple of int
        How many sessions ended and tokens were revoked.
    """
    with app.app_context():
        user = _user(username)
        _check_password(password, username)
        user.set_password(password)
        ended = sessions.end_all(user.id)
        revoked = 0 if keep_tokens else revoke_all_tokens(user.id)
        db.session.commit()
        return ended, revoked


def revoke_all_tokens(user_id: int) -> int:
    """Revoke every active token of the user (the caller commits); how many."""
    result = db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return result.rowcount


def delete_user(user_id: int) -> None:
    """Delete a user with their predictions, batches, tokens, sessions and
    failed log-ins, in one transaction."""
    user = db.session.get(User, user_id)
    batches = select(Batch.id).where(Batch.user_id == user_id)
    db.session.execute(delete(Prediction).where(Prediction.batch_id.in_(batches)))
    for table, column in (
        (Batch, Batch.user_id),
        (ApiToken, ApiToken.user_id),
        (LoginSession, LoginSession.user_id),
    ):
        db.session.execute(delete(table).where(column == user_id))
    # throttle.record_failure counts under the normal name
    failures = LoginFailure.username == user.username_key
    db.session.execute(delete(LoginFailure).where(failures))
    db.session.execute(delete(User).where(User.id == user_id))
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
