"""The database's schema: created and changed by migrations, on command.

The site does not touch the schema when it starts: ``imblearn-vae db
upgrade`` runs the Alembic migrations of ``migrations/`` (Flask-Migrate, the
Flask project's wrapper of SQLAlchemy's migration tool), so that a schema
change reaches an existing PostgreSQL database without losing its rows.
"""

import os
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import stamp, upgrade
from sqlalchemy import Engine, event, inspect
from sqlalchemy.exc import OperationalError

from .models import db

MIGRATIONS = Path(__file__).with_name("migrations")

#: The revision whose tables ``create_all`` made before there were migrations.
FIRST_REVISION = "0001"


class DatabaseNotReady(RuntimeError):
    """The database's schema is missing or older than this version's."""


class DatabaseUnreachable(RuntimeError):
    """The database cannot be opened: a missing folder, a server that does
    not answer. The message is one line, without the password."""


def head() -> str:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(app: Flask) -> str | None:
    """The schema's revision; every command's first look at the database.

    Raises
    ------
    DatabaseUnreachable
        When the database cannot be opened, saying why in one line.
    """
    with app.app_context():
        try:
            with db.engine.connect() as connection:
                return MigrationContext.configure(connection).get_current_revision()
        except OperationalError as error:
            raise DatabaseUnreachable(_why_unreachable(db.engine, error)) from None


def _why_unreachable(engine: Engine, error: OperationalError) -> str:
    folder = Path(engine.url.database or "").parent
    if engine.dialect.name == "sqlite" and not folder.is_dir():
        return (
            f"The database's folder {folder} does not exist: make it, or give "
            "another --database-url (or --data-dir, which is made when missing)."
        )
    reason = str(error.orig or error).strip().splitlines()[0]
    url = engine.url.render_as_string(hide_password=True)
    return f"Cannot open the database {url}: {reason}"


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


def enforce_foreign_keys(engine: Engine) -> None:
    """Have SQLite check the schema's foreign keys, as PostgreSQL does.

    SQLite leaves them unchecked unless each connection asks: a request
    racing its account's deletion would then store a batch of a user that
    no longer exists, and SQLite may give the next new user that id (a
    rowid table reuses the largest one once it is deleted), who would see
    the batch as theirs. Checked, the insert fails and nothing is stored.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _foreign_keys(connection, _record) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


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


def keep_sqlite_private(engine: Engine, data_dir: Path) -> None:
    """Make a new SQLite file readable by its owner only (0600), in a data
    folder made for it (0700) when that is missing.

    The file holds password hashes; SQLite would make it by the process's
    umask (0644: every local user could read it), and it gives its
    write-ahead log files the database file's mode. A database in another
    missing folder is not made: a mistyped URL should fail, not create
    folders (:class:`DatabaseUnreachable` says which).
    """
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return
    path = Path(engine.url.database)

    @event.listens_for(engine, "do_connect")
    def _private_file(_dialect, _record, _cargs, _cparams) -> None:
        if path.exists():
            return  # the connection goes on as usual
        if not path.parent.exists() and path.parent == Path(data_dir):
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:  # another worker made it first
            pass
        except FileNotFoundError:  # no folder: the connection says so
            pass
