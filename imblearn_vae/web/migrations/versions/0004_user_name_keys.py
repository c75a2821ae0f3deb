"""user names compared under one normal form (NFKC and case folding)

Each user gets ``username_key``, the normal form of the name, unique: the
name accounts are found, compared and counted by (``web/names.py``).
Before, a name was compared with the database's ``lower()``, which SQLite
applies to ASCII only, so "Émile" and "émile" could both sign up. Where
existing names share a normal form, the oldest account keeps its name and
each later one is renamed ``user-<id>`` (its data, password and tokens
kept); the upgrade names them in a warning, for the operator to tell their
owners. Failed log-ins are counted under the normal name.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 02:00:00

"""

import logging
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

#: The width of user names and of their normal form.
WIDTH = 64

_user = sa.table(
    "user", sa.column("id"), sa.column("username"), sa.column("username_key")
)
_failure = sa.table("login_failure", sa.column("username"))


def _key(name: str) -> str:
    # names.name_key as this revision made the keys: kept here, so that the
    # revision does the same whatever later versions of the module do
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("username_key", sa.String(length=WIDTH), nullable=True)
        )
    renamed = _fill_keys(op.get_bind())
    _count_failures_under_keys(op.get_bind())
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.alter_column(
            "username_key", existing_type=sa.String(length=WIDTH), nullable=False
        )
        batch_op.create_index("ix_user_username_key", ["username_key"], unique=True)
    log = logging.getLogger("imblearn_vae.web.migrations")
    for old, new in renamed:
        log.warning(
            "user %r is renamed %r: an older account's name is the same once "
            "normalised (case and Unicode form); it logs in as %r now",
            old,
            new,
            new,
        )


def _fill_keys(connection) -> list[tuple[str, str]]:
    """Set every user's key, oldest first; returns the renamed (old, new)."""
    users = connection.execute(
        sa.select(_user.c.id, _user.c.username).order_by(_user.c.id)
    ).all()
    names = {_key(name) for _, name in users}  # no new name may take one
    given, renamed = set(), []
    for id_, name in users:
        key = _key(name)
        if key in given or len(key) > WIDTH:
            new = _free_name(id_, names | given)
            renamed.append((name, new))
            name, key = new, _key(new)
        given.add(key)
        connection.execute(
            sa.update(_user)
            .where(_user.c.id == id_)
            .values(username=name, username_key=key)
        )
    return renamed


def _free_name(id_: int, taken: set[str]) -> str:
    name, number = f"user-{id_}", 1
    while _key(name) in taken:
        number += 1
        name = f"user-{id_}-{number}"
    return name


def _count_failures_under_keys(connection) -> None:
    names = connection.execute(sa.select(_failure.c.username).distinct()).scalars()
    for name in names.all():
        key = _key(name)[:WIDTH]
        if key != name:
            connection.execute(
                sa.update(_failure)
                .where(_failure.c.username == name)
                .values(username=key)
            )


def downgrade():
    # Renamed accounts keep their new names: their old ones would clash.
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_index("ix_user_username_key")
        batch_op.drop_column("username_key")
