"""The database's schema: created and changed by migrations, on command.

The site does not touch the schema when it starts: ``imblearn-vae db
upgrade`` runs the Alembic migrations of ``migrations/`` (Flask-Migrate, the
Flask project's wrapper of SQLAlchemy's migration tool), so that a schema
change reaches an existing PostgreSQL database without losing its rows.
"""

from pathlib import Path

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import stamp, upgrade
from sqlalchemy import Engine, event, inspect

from .models import db

MIGRATIONS = Path(__file__).with_name("migrations")

#: The revision whose tables ``create_all`` made before there were migrations.
FIRST_REVISION = "0001"


class DatabaseNotReady(RuntimeError):
    """The database's schema is missing or older than this version's."""


def head() -> str:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(app: Flask) -> str | None:
    with app.app_context(), db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_database(app: Flask) -> tuple[str | None, str]:
    """Bring the schema to this version's; returns (before, after) revisions.

    A database that a version before migrations made (its tables, no
    revision) is taken as :data:`FIRST_REVISION` and upgraded from there.
    """
    before = current_revision(app)
    with app.app_context():
        if before is None and inspect(db.engine).has_table("user"):
            stamp(directory=str(MIGRATIONS), revision=FIRST_REVISION)
            before = FIRST_REVISION
        upgrade(directory=str(MIGRATIONS))
    return before, current_revision(app)


def check_database(app: Flask) -> None:
    """Raise :class:`DatabaseNotReady` unless the schema is this version's."""
    found, wanted = current_revision(app), head()
    if found != wanted:
        state = f"is at revision {found}"
        if found is None:
            with app.app_context():
                made_before = inspect(db.engine).has_table("user")
            state = "was made before migrations" if made_before else "has no tables"
        raise DatabaseNotReady(
            f"The database {state}; this version needs {wanted}. Run "
            "`imblearn-vae db upgrade` (with the same --data-dir / "
            "--database-url) first."
        )


def tune_sqlite(engine: Engine) -> None:
    """Write-ahead logging for an SQLite file: readers do not wait for the
    writer, and a commit writes the log without waiting for the disk.

    With ``synchronous=NORMAL`` a committed transaction survives the site's
    crash; a power cut can lose the last ones, never the file (SQLite's
    documentation, "WAL mode"). Other databases are left as they are.
    """
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return

    @event.listens_for(engine, "connect")
    def _pragmas(connection, _record) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=15000")  # ms a writer waits its turn
        cursor.close()
