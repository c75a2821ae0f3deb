"""A bounded load test of the web application on gunicorn, on 127.0.0.1.

Starts ``imblearn-vae serve`` (or uses ``--url``), makes a user and an API
token, then runs each scenario with ``--clients`` concurrent clients until
``--requests`` requests are done or ``--seconds`` have passed, whichever
comes first:

- ``api-1``: ``POST /api/v1/predict`` with one KDDTest+ connection;
- ``api-1000``: the same with 1,000 connections;
- ``form``: a logged-in browser session posting the prediction form (CSRF
  token included) and following the redirect to the result page.

Reports requests and predictions per second, p50 / p99 latency and errors
(any answer other than 200, or 302 for the form), as Markdown in
``<out>/load.md``.

    python benchmarks/load_test.py                       # default model
    python benchmarks/load_test.py --model my.model --workers 4 --clients 16
"""

import argparse
import concurrent.futures
import datetime
import http.cookiejar
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np
from _common import REPO_ROOT, default_data_home, markdown

from imblearn_vae.datasets import fetch_nsl_kdd

PASSWORD = "many rows arrive at once"  # passes the site's password checks


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(args, data_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [sys.executable, "-m", "imblearn_vae", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(args.workers), "--data-dir",
               str(data_dir), "--nsl-kdd", str(args.data_home)]  # fmt: skip
    if args.model:
        command += ["--model", str(args.model)]
    if args.database_url:
        command += ["--database-url", args.database_url]
    server = subprocess.Popen(command, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600  # a first start may train the model
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/", timeout=2):
                return server, url
        except OSError:
            if server.poll() is not None:
                sys.exit(f"the server stopped:\n{server.stdout.read()}")
            time.sleep(0.5)
    server.kill()
    sys.exit("the server did not start in 10 minutes")


def database_app(args, data_dir: Path):
    """The site's database, made by its migrations (as `imblearn-vae db upgrade`)."""
    from imblearn_vae.web import create_app
    from imblearn_vae.web.database import upgrade_database

    app = create_app(
        {"DATA_DIR": str(data_dir), "DATABASE_URL": args.database_url,
         "SECRET_KEY": "load test: no cookie is signed here"},
        with_model=False,
    )  # fmt: skip
    upgrade_database(app)
    return app


def make_account(args, data_dir: Path) -> str:
    from imblearn_vae.web import accounts

    app = database_app(args, data_dir)
    accounts.create_user(app, "load", PASSWORD)
    return accounts.create_token(app, "load", "load test")


def connections(args, n: int) -> list[dict]:
    test = fetch_nsl_kdd(subset="KDDTest+", data_home=args.data_home, as_frame=True)
    rows = test.data.iloc[:n].astype(object).to_dict(orient="records")
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
            for r in rows]  # fmt: skip


class FormClient:
    """A browser-like session: logs in once, then posts the prediction form."""

    def __init__(self, url: str, row: dict):
        self.url, self.row = url, {k: str(v) for k, v in row.items()}
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        token = self._token("/login")
        self._post("/login", {"csrf_token": token, "username": "load",
                              "password": PASSWORD})  # fmt: skip

    def _token(self, path: str) -> str:
        with self.opener.open(self.url + path, timeout=60) as response:
            page = response.read().decode()
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                         page).group(1)  # fmt: skip

    def _post(self, path: str, data: dict) -> int:
        body = urllib.parse.urlencode(data).encode()
        with self.opener.open(self.url + path, data=body, timeout=60) as response:
            return response.status  # redirects followed: the result page

    def predict(self) -> int:
        token = self._token("/predict")
        return self._post("/predict", {"csrf_token": token, **self.row})


def api_request(url: str, secret: str, rows: list[dict]) -> int:
    request = urllib.request.Request(
        url + "/api/v1/predict",
        data=json.dumps({"connections": rows}).encode(),
        headers={"Content-Type": "application/json",
                 "Authorization": f"Bearer {secret}"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def run_scenario(name, call, rows_per_request, args) -> dict:
    """``args.clients`` threads call ``call(client_index)`` until the budget ends."""
    latencies, errors = [], 0
    lock = threading.Lock()
    issued = 0
    deadline = time.monotonic() + args.seconds

    def worker(index):
        nonlocal issued, errors
        while True:
            with lock:
                if issued >= args.requests or time.monotonic() > deadline:
                    return
                issued += 1
            start = time.perf_counter()
            try:
                status = call(index)
            except Exception:  # a refused or reset connection counts as an error
                status = None
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors += 1

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
        list(pool.map(worker, range(args.clients)))
    wall = time.perf_counter() - started
    latencies = np.array(latencies) * 1000
    return {
        "scenario": name,
        "requests": len(latencies),
        "errors": errors,
        "seconds": wall,
        "requests/s": len(latencies) / wall,
        "predictions/s": len(latencies) * rows_per_request / wall,
        "p50 ms": float(np.percentile(latencies, 50)) if len(latencies) else 0.0,
        "p99 ms": float(np.percentile(latencies, 99)) if len(latencies) else 0.0,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="default: the serve default")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400,
                        help="most requests per scenario")  # fmt: skip
    parser.add_argument("--seconds", type=float, default=60,
                        help="most seconds per scenario")  # fmt: skip
    parser.add_argument("--database-url", help="default: SQLite in a temp folder")
    parser.add_argument("--data-home", default=None, help="folder holding nsl-kdd/")
    parser.add_argument(
        "--out", type=Path, default=REPO_ROOT / "benchmarks/results/load"
    )
    args = parser.parse_args(argv)
    args.data_home = args.data_home or default_data_home()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = connections(args, 1000)
    with tempfile.TemporaryDirectory(prefix="imblearn-vae-load-") as folder:
        data_dir = Path(folder)
        if args.model is None:  # train once, keep it for later runs
            cached = args.out / "detector.model"
            if cached.exists():
                args.model = cached
        database_app(args, data_dir)  # before serve, which creates no tables
        server, url = start_server(args, data_dir)
        try:
            if args.model is None:
                (data_dir / "detector.model").replace(args.out / "detector.model")
            secret = make_account(args, data_dir)
            forms = [FormClient(url, rows[i]) for i in range(args.clients)]
            results = [
                run_scenario("api-1",
                             lambda i: api_request(url, secret, rows[i : i + 1]), 1,
                             args),
                run_scenario("api-1000", lambda i: api_request(url, secret, rows),
                             1000, args),
                run_scenario("form", lambda i: forms[i].predict(), 1, args),
            ]  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=30)
    machine = (f"{platform.machine()}, {os.cpu_count()} CPUs, "
               f"{datetime.datetime.now():%Y-%m-%d %H:%M}")  # fmt: skip
    report = (
        f"Load test: `python benchmarks/load_test.py {' '.join(sys.argv[1:])}`; "
        f"{machine}; gunicorn with {args.workers} workers on 127.0.0.1, "
        f"{args.clients} concurrent clients, at most {args.requests} requests or "
        f"{args.seconds:g} s per scenario.\n\n" + markdown(results) + "\n"
    )
    (args.out / "load.md").write_text(report)
    print(report)
    return 0 if all(r["errors"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
