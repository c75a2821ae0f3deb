"""The site on the real server (gunicorn, several workers), on SQLite and on
PostgreSQL."""

import json
import os
import stat
import urllib.error
import urllib.request

import pytest

from imblearn_vae.cli import main

from .conftest import example_row
from .servers import postgres_cluster, serving

pytestmark = pytest.mark.slow


def api_predict(url, secret, rows):
    request = urllib.request.Request(
        url + "/api/v1/predict",
        data=json.dumps({"connections": rows}).encode(),
        headers={"Content-Type": "application/json",
                 "Authorization": f"Bearer {secret}"},
        method="POST",
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def make_token(site, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("a long password\n"))
    assert main(["user", "create", "ops", "--password-stdin", *site]) == 0
    assert main(["token", "create", "ops", *site]) == 0
    return capsys.readouterr().out.strip().splitlines()[-1]


def test_serve_runs_gunicorn_with_workers_and_a_key_of_its_own(
    detector_file, detector, tmp_path, capsys, monkeypatch
):
    data = tmp_path / "data"
    site = ["--data-dir", str(data)]
    environment = {"IMBLEARN_VAE_SECRET_KEY": ""}
    with serving("--model", str(detector_file), "--workers", "2", *site,
                 env=environment) as url:  # fmt: skip
        with urllib.request.urlopen(url + "/") as response:
            assert "Is this connection an attack?" in response.read().decode()
            # issue 22: the answer does not name the server software
            assert "gunicorn" not in response.headers.get("Server", "").lower()
        key = data / "secret_key"
        assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_text()) == 64
        assert (data / "imblearn-vae.sqlite3").exists()
        secret = make_token(site, capsys, monkeypatch)
        rows = [example_row(detector, c) for c in detector.classes]
        for _ in range(4):  # requests spread over both workers
            status, body = api_predict(url, secret, rows)
            assert status == 200 and len(body["predictions"]) == 5
        status, body = api_predict(url, secret, [{"duration": "x"}])
        assert status == 400 and body["errors"][0]["row"] == 0


def test_serve_refuses_a_missing_named_model(tmp_path, capsys):
    code = main(["serve", "--model", str(tmp_path / "none.model"), "--data-dir",
                 str(tmp_path)])  # fmt: skip
    assert code == 2
    assert "No detector file" in capsys.readouterr().err


def test_the_site_on_postgresql(detector_file, detector, tmp_path, capsys,
                                monkeypatch):  # fmt: skip
    with postgres_cluster() as database:
        site = ["--data-dir", str(tmp_path / "data"), "--database-url", database]
        # the schema comes from the migrations, on command, not at start
        assert main(["serve", "--model", str(detector_file), *site]) == 2
        assert "imblearn-vae db upgrade" in capsys.readouterr().err
        assert main(["db", "upgrade", *site]) == 0
        assert "database at revision" in capsys.readouterr().out
        with serving("--model", str(detector_file), "--workers", "3", *site,
                     env={"IMBLEARN_VAE_SECRET_KEY": "k" * 64}) as url:  # fmt: skip
            secret = make_token(site, capsys, monkeypatch)
            status, _ = api_predict(url, secret, [example_row(detector)] * 3)
            assert status == 200
        from sqlalchemy import create_engine, text

        engine = create_engine(database)
        with engine.connect() as connection:
            stored = connection.execute(text("select count(*) from prediction"))
            assert stored.scalar() == 3
        engine.dispose()


@pytest.mark.skipif(os.environ.get("IMBLEARN_VAE_SKIP_DEFAULT_MODEL") == "1",
                    reason="asked to skip training the default model")  # fmt: skip
def test_serve_with_no_arguments_trains_a_default_model(nsl_kdd_home, tmp_path,
                                                        monkeypatch):  # fmt: skip
    from imblearn_vae.web import server

    monkeypatch.setattr(server, "DEFAULT_MODEL",
                        {**server.DEFAULT_MODEL, "sampler": "none"})  # fmt: skip
    monkeypatch.delenv("IMBLEARN_VAE_MODEL", raising=False)
    monkeypatch.delenv("IMBLEARN_VAE_SECRET_KEY", raising=False)
    args = main.__globals__["build_parser"]()[0].parse_args(
        ["serve", "--data-dir", str(tmp_path), "--nsl-kdd", str(nsl_kdd_home)]
    )
    settings = server.prepare(args)
    assert (tmp_path / "detector.model").exists()
    assert settings["SECRET_KEY"] == (tmp_path / "secret_key").read_text()
