"""Real servers for the web tests: gunicorn through `imblearn-vae serve`, and a
throw-away PostgreSQL cluster from Debian's packages."""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(*arguments, env=None, timeout=120):
    """`python -m imblearn_vae serve ...` on 127.0.0.1; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "imblearn_vae", "serve", "--host", "127.0.0.1",
               "--port", str(port), *arguments]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.stdout.read()
                pytest.fail(f"the server did not start:\n{output[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _postgres_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


@contextlib.contextmanager
def postgres_cluster():
    """A PostgreSQL server on 127.0.0.1 with a fresh cluster in a new folder.

    Yields its SQLAlchemy URL; skips the test, saying why, when PostgreSQL's
    programs are not installed (`apt-get install postgresql`) or it cannot
    start.
    """
    pytest.importorskip("psycopg", reason="psycopg is needed for PostgreSQL")
    binaries = _postgres_bin()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    run_as = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: cannot start PostgreSQL")
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("no postgres system user to run PostgreSQL as")
        run_as = ["runuser", "-u", "postgres", "--"]
    # Under the system's temporary folder, not pytest's: the postgres user
    # must reach it, and pytest's folders are private to the test's user.
    folder = Path(tempfile.mkdtemp(prefix="imblearn-vae-pg-"))
    data, sockets = folder / "pgdata", folder / "pgsocket"
    sockets.mkdir(parents=True)
    if run_as:
        shutil.chown(folder, "postgres")
        shutil.chown(sockets, "postgres")
    port = free_port()
    init = subprocess.run(
        [*run_as, str(binaries / "initdb"), "-D", str(data), "--auth=trust",
         "-U", "postgres", "--no-sync"],
        capture_output=True, text=True,
    )  # fmt: skip
    if init.returncode:
        pytest.skip(f"initdb failed: {init.stderr[-500:]}")
    start = subprocess.run(
        [*run_as, str(binaries / "pg_ctl"), "-D", str(data), "-w", "-l",
         str(folder / "postgres.log"), "-o",
         f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off",
         "start"],
        capture_output=True, text=True,
    )  # fmt: skip
    if start.returncode:
        pytest.skip(f"PostgreSQL did not start: {start.stderr[-500:]}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*run_as, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate",
             "stop"],
            capture_output=True,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)
