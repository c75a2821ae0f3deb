"""The attacker's suite, the operator's side: issue 28, item 8 (following
the docs, `db upgrade` into a new folder ended in a traceback; the database
holding password hashes was readable by every local user). The plain
gunicorn recipe's Server header is checked in test_server.py."""

import stat

import pytest

from imblearn_vae.cli import main
from imblearn_vae.web import create_app
from imblearn_vae.web.database import upgrade_database
from imblearn_vae.web.models import db


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    """The usual umask, under which files are made readable by everyone."""
    import os

    before = os.umask(0o022)
    yield
    os.umask(before)


def test_db_upgrade_makes_a_new_data_folder_private(tmp_path, capsys, umask_022):
    folder = tmp_path / "new" / "site"
    assert main(["db", "upgrade", "--data-dir", str(folder)]) == 0
    assert "database at revision" in capsys.readouterr().out
    assert mode(folder) == 0o700
    files = sorted(folder.iterdir())
    assert folder / "imblearn-vae.sqlite3" in files
    for file in files:  # the database, and its write-ahead log if still there
        assert mode(file) == 0o600, file.name


def test_the_sites_database_and_its_log_are_private(tmp_path, umask_022):
    database = tmp_path / "site.sqlite3"
    app = create_app({"SECRET_KEY": "k" * 40, "DATABASE_URL": f"sqlite:///{database}",
                      "DATA_DIR": str(tmp_path)}, with_model=False)  # fmt: skip
    upgrade_database(app)
    with app.app_context(), db.engine.connect():  # the log files exist now
        made = sorted(p.name for p in tmp_path.iterdir())
        assert made == ["site.sqlite3", "site.sqlite3-shm", "site.sqlite3-wal"]
        assert {mode(tmp_path / name) for name in made} == {0o600}
        db.engine.dispose()


def test_a_database_in_a_missing_folder_is_one_line(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}"
    assert main(["db", "upgrade", "--database-url", url,
                 "--data-dir", str(tmp_path)]) == 2  # fmt: skip
    said = capsys.readouterr().err.strip()
    assert len(said.splitlines()) == 1
    assert f"folder {tmp_path / 'missing'} does not exist" in said
    assert not (tmp_path / "missing").exists()  # a typo makes no folder


def test_a_database_server_that_does_not_answer_is_one_line(tmp_path, capsys):
    pytest.importorskip("psycopg")
    url = "postgresql+psycopg://app:s3cret@127.0.0.1:1/imblearn"
    for command in (["db", "upgrade"], ["user", "reset-password", "bob"]):
        assert main([*command, "--database-url", url,
                     "--data-dir", str(tmp_path)]) == 2  # fmt: skip
        said = capsys.readouterr().err.strip()
        assert len(said.splitlines()) == 1 and "Cannot open the database" in said
        assert "s3cret" not in said and "127.0.0.1:1" in said
