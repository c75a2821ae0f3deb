"""The database is made and changed by the migrations, on command (issue 25,
point 6): the schema they make is the models', an empty or older database
is refused with the command to run, and a database of the version before
migrations is taken over with its rows."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import text

from imblearn_vae.web import create_app
from imblearn_vae.web.database import (
    FIRST_REVISION,
    MIGRATIONS,
    DatabaseNotReady,
    check_database,
    head,
    upgrade_database,
)
from imblearn_vae.web.models import db


@pytest.fixture
def bare_app(tmp_path):
    """An app on an empty SQLite file (no model: none is needed here)."""
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    return create_app({"SECRET_KEY": "k" * 40, "DATABASE_URL": url},
                      with_model=False)  # fmt: skip


def test_the_app_creates_no_tables(bare_app):
    with bare_app.app_context():
        assert db.inspect(db.engine).get_table_names() == []
    with pytest.raises(DatabaseNotReady, match=r"has no tables.*db upgrade"):
        check_database(bare_app)


def test_the_migrations_make_the_models_schema(bare_app):
    before, after = upgrade_database(bare_app)
    assert (before, after) == (None, head())
    check_database(bare_app)
    with bare_app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, db.metadata) == []


def test_an_older_database_is_refused_then_upgraded(bare_app):
    with bare_app.app_context():
        upgrade(directory=str(MIGRATIONS), revision=FIRST_REVISION)
    with pytest.raises(DatabaseNotReady, match=f"at revision {FIRST_REVISION}"):
        check_database(bare_app)
    assert upgrade_database(bare_app) == (FIRST_REVISION, head())


def test_a_database_from_before_migrations_keeps_its_rows(bare_app):
    with bare_app.app_context():
        upgrade(directory=str(MIGRATIONS), revision=FIRST_REVISION)
        with db.engine.begin() as connection:  # as create_all left it
            connection.execute(text("DROP TABLE alembic_version"))
            connection.execute(text(
                "INSERT INTO user (username, password_hash, created_at) "
                "VALUES ('old', 'scrypt:x', '2026-01-01')"))  # fmt: skip
    with pytest.raises(DatabaseNotReady, match="made before migrations"):
        check_database(bare_app)
    assert upgrade_database(bare_app) == (FIRST_REVISION, head())
    with bare_app.app_context(), db.engine.connect() as connection:
        names = connection.execute(text("SELECT username FROM user")).scalars()
        assert list(names) == ["old"]
