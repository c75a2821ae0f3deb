"""The site on the real server (gunicorn, several workers), on SQLite and on
PostgreSQL."""

import json
import os
import signal
import stat
import urllib.error
import urllib.request

import pytest

from imblearn_vae.cli import main
from imblearn_vae.web import server

from .conftest import example_row
from .servers import free_port, postgres_cluster, serving

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
            status, body = api_predict(url, secret, [example_row(detector)] * 3)
            assert status == 200
            ids = [p["id"] for p in body["predictions"]]
        from sqlalchemy import create_engine, text

        engine = create_engine(database)
        with engine.connect() as connection:
            stored = connection.execute(text("select id from prediction order by id"))
            assert stored.scalars().all() == ids  # RETURNING, in order
        engine.dispose()


@pytest.mark.skipif(os.environ.get("IMBLEARN_VAE_SKIP_DEFAULT_MODEL") == "1",
                    reason="asked to skip training the default model")  # fmt: skip
def test_serve_with_no_arguments_trains_a_default_model_showing_progress(
    nsl_kdd_home, tmp_path, monkeypatch, capsys
):
    from imblearn_vae.web import training

    # the default's steps (no balancing here, to be quick), a smaller forest
    forest = "sklearn.ensemble.RandomForestClassifier:n_estimators=10"
    monkeypatch.setattr(training, "DEFAULT_MODEL",
                        {**training.DEFAULT_MODEL, "sampler": "none",
                         "classifier": forest})  # fmt: skip
    monkeypatch.delenv("IMBLEARN_VAE_MODEL", raising=False)
    monkeypatch.delenv("IMBLEARN_VAE_SECRET_KEY", raising=False)
    args = main.__globals__["build_parser"]()[0].parse_args(
        ["serve", "--data-dir", str(tmp_path), "--data-home", str(nsl_kdd_home)]
    )
    settings = server.prepare(args)
    assert (tmp_path / "detector.model").exists()
    assert settings["SECRET_KEY"] == (tmp_path / "secret_key").read_text()
    said = capsys.readouterr().out
    assert "about a minute on two free cores" in said
    assert "step 2 of 2, classify (RandomForestClassifier): 125,973 rows" in said
    assert "10/10" in said  # the forest's bar
    assert "on its held-out half macro F1" in said
    # the option's earlier name still works
    again = main.__globals__["build_parser"]()[0].parse_args(
        ["serve", "--nsl-kdd", str(nsl_kdd_home)]
    )
    assert again.data_home == str(nsl_kdd_home)


def test_plain_gunicorn_on_a_new_folder_says_what_it_needs_then_serves(
    detector_file, tmp_path
):
    """The docs' recipe: gunicorn on imblearn_vae.web.wsgi:app."""
    import shutil
    import subprocess
    import sys

    site = tmp_path / "site"
    env = {**os.environ, "IMBLEARN_VAE_DATA_DIR": str(site),
           "IMBLEARN_VAE_SECRET_KEY": ""}  # fmt: skip
    env.pop("IMBLEARN_VAE_MODEL", None)
    env.pop("IMBLEARN_VAE_DATABASE_URL", None)
    load = [sys.executable, "-c", "import imblearn_vae.web.wsgi"]
    first = subprocess.run(load, env=env, capture_output=True, text=True)
    assert first.returncode != 0
    assert "No detector file" in first.stderr and "imblearn-vae train" in first.stderr
    shutil.copy(detector_file, site / "detector.model")
    second = subprocess.run(load, env=env, capture_output=True, text=True)
    assert "has no tables" in second.stderr
    assert "imblearn-vae db upgrade" in second.stderr
    assert main(["db", "upgrade", "--data-dir", str(site)]) == 0
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--preload", "--bind",
         f"127.0.0.1:{port}", "imblearn_vae.web.wsgi:app"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        answer = wait_for(f"http://127.0.0.1:{port}/model", server)
        assert "The model this site serves" in answer
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
            # issue 28, item 8: the docs' recipe names no software either
            assert "gunicorn" not in response.headers.get("Server", "").lower()
        assert (site / "secret_key").stat().st_size == 64
    finally:
        server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def wait_for(url: str, process, timeout: float = 60) -> str:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            if process.poll() is not None:
                pytest.fail(process.stdout.read()[-3000:])
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer")


def test_the_load_test_runs_and_finds_every_prediction_stored(
    nsl_detector_file, nsl_kdd_home, tmp_path
):
    """benchmarks/load_test.py, bounded to a few requests: the issue's figures
    come from it."""
    import subprocess
    import sys

    from tests.conftest import REPO_ROOT

    command = [sys.executable, str(REPO_ROOT / "benchmarks" / "load_test.py"),
               "--model", str(nsl_detector_file), "--data-home", str(nsl_kdd_home),
               "--requests", "16", "--seconds", "10", "--clients", "2",
               "--out", str(tmp_path)]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    table = (tmp_path / "load.md").read_text()
    for scenario in ("API, one connection", "API, 1,000 connections", "form ("):
        (row,) = [line for line in table.splitlines() if scenario in line]
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert cells[1] == "16" and cells[2] == "0" and cells[-2] == "all", row
