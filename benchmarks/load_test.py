"""A bounded load test of the web application on gunicorn, on 127.0.0.1.

Starts ``imblearn-vae serve`` (or uses ``--url``), makes a user and an API
token, then runs each scenario with ``--clients`` concurrent clients until
``--requests`` requests are done or ``--seconds`` have passed, whichever
comes first:

- ``api-1``: ``POST /api/v1/predict`` with one KDDTest+ connection;
- ``api-1000``: the same with 1,000 connections;
- ``form``: a logged-in browser session posting the prediction form (CSRF
  token included) and following the redirect to the result page.

Reports requests and predictions per second, p50 / p99 latency, errors
(any answer other than 200, or 302 for the form) and whether every
prediction was stored (the database's rows before and after), as Markdown
in ``<out>/load.md``. Beside them, the figures that do not depend on what
else the machine runs: the CPU time of the server's processes (gunicorn's
master and workers, from /proc) and of the clients, per request, and the
machine's load average before and after each scenario. The site's API rate
limits are lifted for the run (it measures speed, not the limits).

    python benchmarks/load_test.py                       # default model
    python benchmarks/load_test.py --model my.model --workers 4 --clients 16
    python benchmarks/load_test.py --scenarios api-1 api-1000 --requests 2000
    python benchmarks/load_test.py --model wide.model --table wide.csv

With ``--table`` the connections are that table's first 1,000 rows (the
model's columns: a detector of a table other than NSL-KDD), else KDDTest+'s.
"""

import argparse
import concurrent.futures
import datetime
import http.cookiejar
import json
import os
import platform
import re
import signal
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
from _common import REPO_ROOT, default_data_home, markdown, table_rows

from imblearn_vae.datasets import fetch_nsl_kdd
from imblearn_vae.web.pages import FIELD_PREFIX

PASSWORD = "many rows arrive at once"  # passes the site's password checks

#: The scenarios by name, and how the report names them.
SCENARIOS = {
    "api-1": "API, one connection",
    "api-1000": "API, 1,000 connections",
    "form": "form (log-in session, CSRF token, result page)",
}


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


#: The site's rate limits, lifted for the run.
UNLIMITED = {
    f"IMBLEARN_VAE_{name}": "1000000 per minute"
    for name in ("API_RATE_LIMIT", "API_ADDRESS_RATE_LIMIT")
}


def start_server(args, data_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [sys.executable, "-m", "imblearn_vae", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(args.workers), "--data-dir",
               str(data_dir), "--data-home", str(args.data_home)]  # fmt: skip
    if args.model:
        command += ["--model", str(args.model)]
    if args.database_url:
        command += ["--database-url", args.database_url]
    # to a file: a pipe nobody reads would stop the server once it is full
    log = open(args.out / "server.log", "w")  # the server holds it until it ends
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                              env={**os.environ, **UNLIMITED})  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600  # a first start may train the model
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/", timeout=2):
                return server, url
        except OSError:
            if server.poll() is not None:
                sys.exit(
                    f"the server stopped:\n{(args.out / 'server.log').read_text()}"
                )
            time.sleep(0.5)
    server.kill()
    sys.exit("the server did not start in 10 minutes")


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


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


def stored_predictions(app) -> int:
    from imblearn_vae.web.models import Prediction, db

    with app.app_context():
        count = db.session.query(Prediction).count()
        db.session.remove()
        return count


def make_account(args, data_dir: Path) -> str:
    from imblearn_vae.web import accounts

    app = database_app(args, data_dir)
    accounts.create_user(app, "load", PASSWORD)
    return accounts.create_token(app, "load", "load test")


def connections(args, n: int) -> list[dict]:
    if args.table is not None:
        data = table_rows(args.model, args.table, n)
    else:
        data = fetch_nsl_kdd(
            subset="KDDTest+", data_home=args.data_home, as_frame=True
        ).data.iloc[:n]
    rows = data.astype(object).to_dict(orient="records")
    rows = (rows * -(-n // len(rows)))[:n]  # a table shorter than n: repeated
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
            for r in rows]  # fmt: skip


class FormClient:
    """A browser-like session: logs in once, then posts the prediction form."""

    def __init__(self, url: str, row: dict):
        # The form names a feature's field feature:<name> (pages.FIELD_PREFIX),
        # so that no column of a table clashes with the form's own fields.
        self.url = url
        self.row = {FIELD_PREFIX + k: str(v) for k, v in row.items()}
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


def api_body(rows: list[dict]) -> bytes:
    """A request's body, encoded once: the clients share the server's cores,
    and the test measures the server."""
    return json.dumps({"connections": rows}).encode()


def api_request(url: str, secret: str, body: bytes) -> int:
    request = urllib.request.Request(
        url + "/api/v1/predict",
        data=body,
        headers={"Content-Type": "application/json",
                 "Authorization": f"Bearer {secret}"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) of a process and its live children."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for process in [pid, *children(pid)]:
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


class Meter:
    """What a scenario cost: server and client CPU, load, stored rows."""

    def __init__(self, server_pid: int | None, count_stored):
        self.server_pid, self.count_stored = server_pid, count_stored

    def __enter__(self):
        self.load = os.getloadavg()[0]
        self.server = cpu_seconds(self.server_pid) if self.server_pid else None
        self.client = time.process_time()
        self.stored = self.count_stored()
        return self

    def __exit__(self, *exc):
        self.client = time.process_time() - self.client
        if self.server_pid:
            self.server = cpu_seconds(self.server_pid) - self.server
        self.stored = self.count_stored() - self.stored
        self.load = (self.load, os.getloadavg()[0])

    def figures(self, requests: int, rows_per_request: int, ok: int) -> dict:
        figures = {}
        if self.server is not None:
            figures["server CPU ms/request"] = 1000 * self.server / max(requests, 1)
            figures["server CPU µs/prediction"] = (
                1e6 * self.server / max(requests * rows_per_request, 1)
            )
        figures["client CPU ms/request"] = 1000 * self.client / max(requests, 1)
        expected = ok * rows_per_request
        figures["stored"] = (
            "all" if self.stored == expected else f"{self.stored} of {expected}"
        )
        figures["load before, after"] = f"{self.load[0]:.1f}, {self.load[1]:.1f}"
        return figures


def run_scenario(name, call, rows_per_request, args, meter: Meter) -> dict:
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

    with meter:
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(worker, range(args.clients)))
        wall = time.perf_counter() - started
    latencies = np.array(latencies) * 1000
    requests = len(latencies)
    return {
        "scenario": name,
        "requests": requests,
        "errors": errors,
        "seconds": wall,
        "requests/s": requests / wall,
        "predictions/s": requests * rows_per_request / wall,
        "p50 ms": float(np.percentile(latencies, 50)) if requests else 0.0,
        "p99 ms": float(np.percentile(latencies, 99)) if requests else 0.0,
        **meter.figures(requests, rows_per_request, requests - errors),
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
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS),
                        choices=list(SCENARIOS))  # fmt: skip
    parser.add_argument("--database-url", help="default: SQLite in a temp folder")
    parser.add_argument("--data-home", default=None, help="folder holding nsl-kdd/")
    parser.add_argument(
        "--table",
        type=Path,
        help="CSV whose first 1,000 rows are the connections (needs --model: a "
        "detector of that table); default: KDDTest+",
    )
    parser.add_argument(
        "--out", type=Path, default=REPO_ROOT / "benchmarks/results/load"
    )
    args = parser.parse_args(argv)
    if args.table is not None and args.model is None:
        parser.error("--table needs --model, a detector of that table")
    args.data_home = args.data_home or default_data_home()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = connections(args, 1000)
    with tempfile.TemporaryDirectory(prefix="imblearn-vae-load-") as folder:
        results = measure(args, rows, Path(folder))
    write_report(args, results)
    return 0 if all(r["errors"] == 0 and r["stored"] == "all" for r in results) else 1


def measure(args, rows: list[dict], data_dir: Path) -> list[dict]:
    """Start the site on a new database in ``data_dir``, run the scenarios."""
    if args.model is None:  # train once, keep it for later runs
        cached = args.out / "detector.model"
        if cached.exists():
            args.model = cached
    app = database_app(args, data_dir)  # before serve, which creates no tables
    server, url = start_server(args, data_dir)
    try:
        if args.model is None:
            (data_dir / "detector.model").replace(args.out / "detector.model")
        secret = make_account(args, data_dir)
        meter = Meter(server.pid, lambda: stored_predictions(app))
        one = [api_body(rows[i : i + 1]) for i in range(args.clients)]
        many = api_body(rows)
        calls = {
            "api-1": (lambda i: api_request(url, secret, one[i]), 1),
            "api-1000": (lambda i: api_request(url, secret, many), 1000),
        }
        if "form" in args.scenarios:
            forms = [FormClient(url, rows[i]) for i in range(args.clients)]
            calls["form"] = (lambda i: forms[i].predict(), 1)
        return [
            run_scenario(SCENARIOS[name], *calls[name], args, meter)
            for name in args.scenarios
        ]
    finally:
        stop(server)


def write_report(args, results: list[dict]) -> None:
    """The table as Markdown, in ``<out>/load.md`` and on standard output."""
    machine = (f"{platform.machine()}, {os.cpu_count()} CPUs, load average "
               f"{' / '.join(f'{x:.1f}' for x in os.getloadavg())} after the run, "
               f"{datetime.datetime.now():%Y-%m-%d %H:%M}")  # fmt: skip
    report = (
        f"Load test: `python benchmarks/load_test.py {' '.join(sys.argv[1:])}`; "
        f"{machine}; gunicorn with {args.workers} workers on 127.0.0.1, "
        f"{args.clients} concurrent clients, at most {args.requests} requests or "
        f"{args.seconds:g} s per scenario.\n\n" + markdown(results) + "\n"
    )
    (args.out / "load.md").write_text(report)
    print(report)


if __name__ == "__main__":
    sys.exit(main())
