"""The database is made and changed by the migrations, on command (issue 25,
point 6): the schema they make is the models', an empty or older database
is refused with the command to run, and a database of the version before
migrations is taken over with its rows."""

import datetime

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


def old_rows(app) -> None:
    """A user with an upload of two rows, a form prediction and an API one,
    as revision 0002 kept them."""
    from sqlalchemy import column, insert, table

    user = table(
        "user",
        column("id"),
        column("username"),
        column("password_hash"),
        column("created_at"),
    )
    upload = table(
        "upload",
        column("id"),
        column("user_id"),
        column("filename"),
        column("rows"),
        column("created_at"),
    )
    prediction = table("prediction", *(column(name) for name in (
        "id", "user_id", "created_at", "source", "upload_id", "row_number",
        "inputs", "predicted", "probabilities")))  # fmt: skip
    day = datetime.datetime(2026, 1, 2)
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(
            insert(user).values(
                id=1, username="old", password_hash="scrypt:x", created_at=day
            )
        )
        connection.execute(
            insert(upload).values(
                id=1, user_id=1, filename="day.csv", rows=2, created_at=day
            )
        )
        for id_, source, upload_id in (
            (1, "form", None),
            (2, "upload", 1),
            (3, "upload", 1),
            (4, "api", None),
        ):
            connection.execute(insert(prediction).values(
                id=id_, user_id=1, created_at=day, source=source,
                upload_id=upload_id, row_number=0, inputs='{"duration": 0}',
                predicted="normal", probabilities='{"normal": 1.0}'))  # fmt: skip


def check_batches(app) -> None:
    from imblearn_vae.web.models import Batch, Prediction

    with app.app_context():
        batches = {b.id: (b.source, b.filename, b.rows) for b in Batch.query.all()}
        assert batches == {1: ("upload", "day.csv", 2), 2: ("form", "", 1),
                           5: ("api", "", 1)}  # fmt: skip
        # 0005: no key for earlier calls, as many times as there are batches
        assert {b.idempotency_key for b in Batch.query.all()} == {None}
        owners = {p.id: p.batch_id for p in Prediction.query.all()}
        assert owners == {1: 2, 2: 1, 3: 1, 4: 5}
        assert db.session.get(Prediction, 1).input_values() == {"duration": 0}
        # new batches are numbered after the moved ones
        db.session.add(Batch(user_id=1, source="api", rows=1))
        db.session.commit()
        assert max(b.id for b in Batch.query.all()) == 6


def test_uploads_and_single_predictions_become_batches(bare_app):
    """0003: an upload keeps its id as a batch with its rows; each earlier
    form or API prediction becomes a batch of one; nothing is lost."""
    with bare_app.app_context():
        upgrade(directory=str(MIGRATIONS), revision="0002")
    old_rows(bare_app)
    assert upgrade_database(bare_app) == ("0002", head())
    check_batches(bare_app)


def test_0003_goes_back_to_uploads_with_the_rows(bare_app):
    from flask_migrate import downgrade

    with bare_app.app_context():
        upgrade(directory=str(MIGRATIONS), revision="0002")
    old_rows(bare_app)
    upgrade_database(bare_app)
    with bare_app.app_context():
        downgrade(directory=str(MIGRATIONS), revision="0002")
        with db.engine.connect() as connection:
            uploads = connection.execute(text("SELECT id, filename, rows FROM upload"))
            assert uploads.all() == [(1, "day.csv", 2)]
            predictions = connection.execute(
                text(
                    "SELECT id, user_id, source, upload_id FROM prediction ORDER BY id"
                )
            )
            assert predictions.all() == [
                (1, 1, "form", None),
                (2, 1, "upload", 1),
                (3, 1, "upload", 1),
                (4, 1, "api", None),
            ]
        db.engine.dispose()


#: Users as revisions 0002 and 0003 could hold them: names compared with the
#: database's lower(), which SQLite applies to ASCII only (issue 28, item 2).
OLD_NAMES = {10: "émile", 11: "Émile", 12: "Ölaf", 13: "STRASSE", 14: "Straße",
             15: "user-14", 16: "bob"}  # fmt: skip
#: What 0004 makes of them: the oldest keeps a shared name, the later ones
#: are renamed user-<id> (user-14 being taken, user-14-2).
NEW_NAMES = {10: ("émile", "émile"), 11: ("user-11", "user-11"),
             12: ("Ölaf", "ölaf"), 13: ("STRASSE", "strasse"),
             14: ("user-14-2", "user-14-2"), 15: ("user-14", "user-14"),
             16: ("bob", "bob")}  # fmt: skip


def old_names(app) -> None:
    """OLD_NAMES, and failed log-ins stored under lower() of what was typed."""
    from sqlalchemy import column, insert, table

    user = table("user", *(column(name) for name in (
        "id", "username", "password_hash", "created_at")))  # fmt: skip
    failure = table("login_failure", *(column(name) for name in (
        "username", "address", "created_at")))  # fmt: skip
    day = datetime.datetime(2026, 1, 2)
    with app.app_context(), db.engine.begin() as connection:
        for id_, name in OLD_NAMES.items():
            connection.execute(insert(user).values(
                id=id_, username=name, password_hash="x", created_at=day))  # fmt: skip
        for typed in ("ölaf", "o\u0308laf", "straße", "bob"):
            connection.execute(insert(failure).values(
                username=typed, address="192.0.2.1", created_at=day))  # fmt: skip


def check_names(app, warnings: str) -> None:
    from imblearn_vae.web.auth import find_user
    from imblearn_vae.web.models import LoginFailure, User

    with app.app_context():
        found = {
            u.id: (u.username, u.username_key) for u in User.query.filter(User.id >= 10)
        }
        assert found == NEW_NAMES
        failures = db.session.scalars(db.select(LoginFailure.username)).all()
        assert sorted(failures) == ["bob", "strasse", "ölaf", "ölaf"]
        assert find_user("ÉMILE").id == 10 and find_user("User-11").id == 11
    for old, new in (("Émile", "user-11"), ("Straße", "user-14-2")):
        assert f"user {old!r} is renamed {new!r}" in warnings


def test_0004_gives_every_user_one_normal_name(bare_app, caplog):
    """0004: the normal form of each name, unique; accounts whose names
    became one are renamed (their rows kept), failed log-ins re-counted."""
    with bare_app.app_context():
        upgrade(directory=str(MIGRATIONS), revision="0003")
    old_names(bare_app)
    assert upgrade_database(bare_app) == ("0003", head())
    check_names(bare_app, caplog.text)
    from flask_migrate import downgrade

    with bare_app.app_context():
        downgrade(directory=str(MIGRATIONS), revision="0003")
        with db.engine.connect() as connection:
            names = connection.execute(text("SELECT id, username FROM user"))
            assert dict(names.all()) == {i: n for i, (n, _) in NEW_NAMES.items()}
        db.engine.dispose()


@pytest.mark.slow  # starts a PostgreSQL server
def test_the_same_on_postgresql(caplog):
    from .servers import postgres_cluster

    with postgres_cluster() as url:
        app = create_app({"SECRET_KEY": "k" * 40, "DATABASE_URL": url},
                         with_model=False)  # fmt: skip
        with app.app_context():
            upgrade(directory=str(MIGRATIONS), revision="0002")
        old_rows(app)
        old_names(app)
        assert upgrade_database(app) == ("0002", head())
        check_batches(app)
        check_names(app, caplog.text)
        with app.app_context(), db.engine.connect() as connection:
            context = MigrationContext.configure(connection)
            assert compare_metadata(context, db.metadata) == []
            db.engine.dispose()
