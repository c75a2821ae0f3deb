"""How fast ``imblearn-vae predict`` scores: rows per second from a file, and
how soon a row appended to a followed file comes out scored.

Throughput: the command scores a CSV of ``--rows`` KDDTrain+ connections
(the training file repeated) into a file. The command's start (Python, torch,
reading the model) is timed on a one-row file and taken off, so that the rate
is the scoring's own; the whole command's rate is printed beside it.

The CPU time of the command (all its threads) is measured too: the
microseconds of CPU per row do not depend much on what else the machine
runs, the wall-clock rate does.

Latency: the command follows a file while this script appends ``--burst``
rows every ``--interval`` seconds, as a flow exporter would; each row's
latency is from the moment its write returned to the moment its scored line
came out of the command's standard output.

    python benchmarks/predict_speed.py                  # the default detector
    python benchmarks/predict_speed.py --model my.model --rows 2000000
    python benchmarks/predict_speed.py --model wide.model --table wide.csv

With ``--table`` the rows are that table's (the model's columns: a detector
of a table other than NSL-KDD), else KDDTrain+'s.

The default detector (``imblearn-vae train`` with its defaults) is trained
once and kept in ``--out``. Machine load matters: the load averages before
and after each measurement are printed with it.
"""

import argparse
import datetime
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
from _common import REPO_ROOT, default_data_home, markdown, table_rows

from imblearn_vae.datasets import fetch_nsl_kdd

COMMAND = [sys.executable, "-m", "imblearn_vae", "predict"]


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def default_model(out: Path) -> Path:
    """The default detector, trained once (about a minute) and kept."""
    path = out / "detector.model"
    if not path.exists():
        print(f"training the default detector into {path} ...", flush=True)
        data = default_data_home()
        extra = ["--data-home", str(data)] if data else []
        subprocess.run(
            [sys.executable, "-m", "imblearn_vae", "train", "--out", str(path), *extra],
            check=True,
        )
    return path


def input_lines(model: Path, table: Path | None) -> list[str]:
    """The rows to score as CSV lines, the header first: the table's (the
    model's columns), or KDDTrain+'s."""
    if table is not None:
        data = table_rows(model, table)
    else:
        data = fetch_nsl_kdd(data_home=default_data_home(), as_frame=True).data
    return data.to_csv(index=False, lineterminator="\n").splitlines()


def write_input(path: Path, rows: int, lines: list[str]) -> Path:
    """A CSV of `rows` connections: the lines after the header, repeated."""
    body = lines[1:]
    full, rest = divmod(rows, len(body))
    chunk = "\n".join(body) + "\n"
    with open(path, "w") as stream:
        stream.write(lines[0] + "\n")
        for _ in range(full):
            stream.write(chunk)
        if rest:
            stream.write("\n".join(body[:rest]) + "\n")
    return path


def timed(model: Path, source: Path, out: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all threads) of the command on `source`."""
    start, used = time.perf_counter(), _children_cpu()
    subprocess.run(
        [*COMMAND, str(model), str(source), "--out", str(out)],
        check=True,
        stderr=subprocess.DEVNULL,
        cwd=REPO_ROOT,
    )
    return time.perf_counter() - start, _children_cpu() - used


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def throughput(args, model: Path, folder: Path, lines: list[str]) -> list[dict]:
    big = write_input(folder / "connections.csv", args.rows, lines)
    small = write_input(folder / "one.csv", 1, lines)
    out = folder / "scores.csv"
    results = []
    for run in range(args.repeat):
        before = load()
        start_up, start_up_cpu = min(timed(model, small, out) for _ in range(2))
        whole, whole_cpu = timed(model, big, out)
        scored = sum(1 for _ in open(out)) - 1
        assert scored == args.rows, f"{scored} rows scored of {args.rows}"
        scoring, scoring_cpu = whole - start_up, whole_cpu - start_up_cpu
        results.append({
            "run": run + 1,
            "rows": f"{args.rows:,}",
            "command s": whole,
            "start-up s": start_up,
            "rows/s (scoring)": args.rows / scoring,
            "rows/s (whole command)": args.rows / whole,
            # Load-independent: what the scoring costs, and how much of the
            # machine it got (the load takes the rest).
            "µs CPU/row": 1e6 * scoring_cpu / args.rows,
            "cores used": scoring_cpu / scoring,
            "load before/after": f"{before} / {load()}",
        })  # fmt: skip
        print(markdown(results[-1:]), flush=True)
    return results


def latency(args, model: Path, folder: Path, lines: list[str], burst: int) -> dict:
    """Append `burst` rows every interval to a followed file; time each row."""
    body = lines[1:]
    path = folder / f"follow-{burst}.csv"
    path.write_text(lines[0] + "\n")
    process = subprocess.Popen(
        [*COMMAND, str(model), str(path), "--follow", "--poll", str(args.poll)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=REPO_ROOT,
    )  # fmt: skip
    arrived: dict[int, float] = {}
    process.stdout.readline()  # the header: the command is running

    def read():
        for raw in process.stdout:
            arrived[int(raw.split(b",", 1)[0])] = time.monotonic()

    reader = threading.Thread(target=read)
    reader.start()
    before = load()
    appended: dict[int, float] = {}
    line = 2
    with open(path, "a") as stream:
        for start in range(0, args.latency_rows, burst):
            rows = [body[(start + i) % len(body)] for i in range(burst)]
            stream.write("\n".join(rows) + "\n")
            stream.flush()
            now = time.monotonic()
            appended.update((line + i, now) for i in range(len(rows)))
            line += len(rows)
            time.sleep(args.interval)
    deadline = time.monotonic() + 30
    while len(arrived) < len(appended) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    reader.join(timeout=30)
    waits = np.array([arrived[n] - t for n, t in appended.items() if n in arrived])
    p50, p90, p99 = np.percentile(waits * 1000, [50, 90, 99])
    return {
        "rows per append": burst,
        "appends/s": 1 / args.interval,
        "rows": f"{len(appended):,}",
        "lost": len(appended) - len(waits),
        "p50 ms": p50,
        "p90 ms": p90,
        "p99 ms": p99,
        "max ms": waits.max() * 1000,
        "load before/after": f"{before} / {load()}",
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="default: the default detector")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--latency-rows", type=int, default=2_000)
    parser.add_argument("--burst", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--interval", type=float, default=0.01)
    parser.add_argument("--poll", type=float, default=0.01, help="predict --poll")
    parser.add_argument(
        "--table",
        type=Path,
        help="CSV whose rows are scored (needs --model: a detector of that "
        "table); default: KDDTrain+",
    )
    parser.add_argument(
        "--out", type=Path, default=REPO_ROOT / "benchmarks/results/predict"
    )
    args = parser.parse_args(argv)
    if args.table is not None and args.model is None:
        parser.error("--table needs --model, a detector of that table")
    args.out.mkdir(parents=True, exist_ok=True)
    model = (args.model or default_model(args.out)).resolve()
    args.table = args.table.resolve() if args.table else None
    machine = (f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
               f"{platform.python_version()}")  # fmt: skip
    print(f"{datetime.date.today()}, {machine}, model {model}", flush=True)
    lines = input_lines(model, args.table)
    with tempfile.TemporaryDirectory(prefix="imblearn-vae-predict-") as folder:
        rates = throughput(args, model, Path(folder), lines)
        waits = [latency(args, model, Path(folder), lines, b) for b in args.burst]
    best = max(r["rows/s (scoring)"] for r in rates)
    report = "\n\n".join([
        f"`python benchmarks/predict_speed.py {' '.join(sys.argv[1:])}`, "
        f"{datetime.date.today()}, {machine}; model {model.name}"
        f"{f', rows of {args.table.name}' if args.table else ''}.",
        "Throughput (file in, scores to a file):\n\n" + markdown(rates),
        f"Best scoring rate: {best:,.0f} rows/s.",
        "Latency (a row appended to a followed file, to its scored line on "
        "standard output):\n\n" + markdown(waits),
    ])  # fmt: skip
    print("\n" + report)
    (args.out / "predict.md").write_text(report + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
