"""Alembic's environment: the application's database and models (Flask-Migrate)."""

from alembic import context
from flask import current_app

config = context.config
migrate = current_app.extensions["migrate"]
target_metadata = migrate.db.metadata


def run_offline() -> None:
    url = migrate.db.engine.url.render_as_string(hide_password=False)
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    with migrate.db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # The site's connections check foreign keys (enforce_foreign_keys);
            # a migration copies and drops tables that others refer to, which
            # SQLite's documented way to alter a table does with them off. The
            # pragma is a no-op inside a transaction: it goes first.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # with render_as_batch (Flask-Migrate's default): SQLite alters
            # a table by copying it
            **migrate.configure_args,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
