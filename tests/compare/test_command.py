"""``imblearn-vae compare`` end to end on small tables."""

import argparse
import csv
import json
import re
import subprocess
import sys
import time

import numpy as np
import pytest

from imblearn_vae.cli import build_parser, main
from imblearn_vae.compare import prepare_table, read_table, split_table
from imblearn_vae.compare.classifiers import CLASSIFIERS
from imblearn_vae.compare.engine import _file_name
from imblearn_vae.compare.methods import METHODS
from tests.conftest import REPO_ROOT

QUICK_VAE = "dcbn-vae:epochs=2,hidden_layer_sizes=(16,),latent_dim=4,batch_size=64"


def read_rows(path):
    with open(path, newline="") as stream:
        return list(csv.DictReader(stream))


def test_compare_writes_tables_chart_and_resumes(traffic_csv, tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["compare", str(traffic_csv), "--label", "class", "--methods", "none",
            "smote", QUICK_VAE, "--seeds", "0", "1", "--threads", "1", "--out",
            str(out), "--quiet"]  # fmt: skip
    assert main(argv) == 0
    printed = capsys.readouterr().out
    runs = read_rows(out / "runs.csv")
    assert len(runs) == 6 and {r["status"] for r in runs} == {"ok"}
    # Each run's scores are those of its saved predictions on the held-out
    # 30% (the split the command makes with --split-seed 0).
    _, test = split_table(prepare_table(read_table(traffic_csv), "class"), 0.3, 0)
    flood = test.y == "flood"
    for run in runs:
        name = f"{_file_name(run['method'])}__{run['seed']}__dt.npy"
        predicted = np.load(out / "predictions" / name)
        accuracy = float(run["test:accuracy"])
        assert accuracy == pytest.approx(np.mean(predicted == test.y))
        assert 0.5 < accuracy <= 1
        recall = float(run["test:recall_flood"])
        assert recall == pytest.approx(np.mean(predicted[flood] == "flood"))
    vae = [r for r in runs if r["method"] == QUICK_VAE]
    assert {r["valid_categorical_share"] for r in vae} == {"1.0"}
    assert all(int(r["parameters"]) > 0 for r in vae)

    report = (out / "results.md").read_text()
    assert report in printed
    assert "| SMOTE | 2 |" in report and "flood recall" in report
    assert "DCBN-VAE (epochs=2," in report
    summary = read_rows(out / "summary.csv")
    assert {r["method"] for r in summary} == {"none", "smote", QUICK_VAE}
    # mean and sample standard deviation over the two seeds, method by method
    spread = []
    for row in summary:
        values = [float(r["test:f1_weighted"]) for r in runs
                  if r["method"] == row["method"]]  # fmt: skip
        assert float(row["f1_weighted_mean"]) == pytest.approx(np.mean(values))
        assert float(row["f1_weighted_std"]) == pytest.approx(np.std(values, ddof=1))
        spread.append(np.ptp(values))
    assert max(spread) > 0  # the seeds differ somewhere: the std is tested
    assert (out / "chart_dt.png").stat().st_size > 10_000

    # Rerun: nothing left to do. A third seed: only its runs are added.
    assert main(argv) == 0
    assert len(read_rows(out / "runs.csv")) == 6
    seeds = argv.index("--seeds")
    assert main([*argv[: seeds + 3], "2", *argv[seeds + 3 :]]) == 0
    runs = read_rows(out / "runs.csv")
    assert len(runs) == 9 and sorted({r["seed"] for r in runs}) == ["0", "1", "2"]


def test_a_method_that_fails_says_why_and_the_others_go_on(
    traffic_csv, tmp_path, capsys
):
    out = tmp_path / "out"
    # 30 flood rows, 70% of them train: SMOTE with 40 neighbours cannot run
    assert main(["compare", str(traffic_csv), "--label", "class", "--methods",
                 "smote:k_neighbors=40", "random", "--seeds", "0", "--threads",
                 "1", "--out", str(out), "--quiet"]) == 0  # fmt: skip
    captured = capsys.readouterr()
    assert "SMOTE (k_neighbors=40), seed 0: ValueError" in captured.err
    assert "smallest class, 'flood', has 21 training rows" in captured.err
    runs = {r["method"]: r for r in read_rows(out / "runs.csv")}
    assert runs["random"]["status"] == "ok"
    assert runs["smote:k_neighbors=40"]["status"] == "failed"
    report = (out / "results.md").read_text()
    assert "Methods that did not run:" in report
    assert "- SMOTE (k_neighbors=40): ValueError" in report
    assert "| random oversampling | 1 |" in report


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--label", "kind"], "no label column 'kind'"),
        (["--label", "class", "--methods", "smoth"], "Unknown method 'smoth'"),
        (["--label", "class", "--classifiers", "forest"], "Unknown classifier"),
        (["--label", "class", "--drop", "proto", "rate", "bytes"], "No feature"),
    ],
)
def test_bad_input_is_refused_with_its_name(
    traffic_csv, tmp_path, capsys, extra, message
):
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", str(traffic_csv), "--out", str(tmp_path), *extra])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_help_names_every_classifier_and_method():
    """Issue 29, item 1: ``--help`` lists every short name the registries
    know (``hgb``, ``rf``, ... were named only in the docs)."""
    parser = build_parser()[0]
    (commands,) = [
        a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)
    ]
    for command, flag, names in (
        ("compare", "--classifiers", CLASSIFIERS),
        ("compare", "--methods", METHODS),
        ("train", "--classifier", CLASSIFIERS),
    ):
        (action,) = [a for a in commands[command]._actions if flag in a.option_strings]
        words = set(re.findall(r"[\w-]+", action.help))
        missing = [name for name in names if name not in words]
        assert not missing, f"{command} {flag}'s help leaves out {missing}"


@pytest.mark.slow
def test_parallel_jobs_and_the_module_entry_point(traffic_csv, tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "imblearn_vae", "compare", str(traffic_csv),
               "--label", "class", "--methods", "none", "random", "smote",
               "--seeds", "0", "1", "--jobs", "2", "--threads", "1",
               "--out", str(out)]  # fmt: skip
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=300, cwd=REPO_ROOT
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "runs: 100%" in result.stderr  # the progress bar
    assert len(read_rows(out / "runs.csv")) == 6


@pytest.fixture
def dask_cluster(tmp_path):
    """A scheduler and two workers started as on other machines: their own
    processes, in a working directory that is not the client's."""
    pytest.importorskip("distributed")
    elsewhere = tmp_path / "worker-machine"
    elsewhere.mkdir()
    address_file = tmp_path / "scheduler.json"
    dask = [sys.executable, "-m", "dask"]
    scheduler = subprocess.Popen(
        [*dask, "scheduler", "--host", "127.0.0.1", "--port", "0",
         "--no-dashboard", "--scheduler-file", str(address_file)],
        cwd=elsewhere, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker = None
    try:
        for _ in range(300):
            if address_file.exists() and address_file.stat().st_size:
                break
            time.sleep(0.1)
        address = json.loads(address_file.read_text())["address"]
        worker = subprocess.Popen(
            [*dask, "worker", address, "--nworkers", "2", "--nthreads", "1",
             "--host", "127.0.0.1", "--no-dashboard",
             "--local-directory", str(elsewhere)],
            cwd=elsewhere, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address, elsewhere
    finally:
        for process in (worker, scheduler):
            if process is not None:
                process.terminate()
                process.wait(timeout=60)


@pytest.mark.slow
def test_tasks_run_on_a_dask_cluster_that_does_not_share_our_folder(
    traffic_csv, tmp_path, monkeypatch, dask_cluster
):
    address, elsewhere = dask_cluster
    arguments = ["compare", str(traffic_csv), "--label", "class", "--methods",
                 "none", "smote", QUICK_VAE, "--seeds", "0", "1", "--threads", "1",
                 "--quiet"]  # fmt: skip
    client_folder = tmp_path / "client"
    client_folder.mkdir()
    monkeypatch.chdir(client_folder)  # the default --out is a relative folder
    assert main([*arguments, "--jobs", "2", "--scheduler", address]) == 0
    out = client_folder / "compare-results" / "traffic"
    on_cluster = read_rows(out / "runs.csv")
    assert len(on_cluster) == 6 and {r["status"] for r in on_cluster} == {"ok"}
    assert len(list((out / "predictions").glob("*.npy"))) == 6
    # nothing on a worker touched a results folder of its own
    assert not (elsewhere / "compare-results").exists()

    assert main([*arguments, "--out", str(tmp_path / "local")]) == 0
    local = read_rows(tmp_path / "local" / "runs.csv")
    key = lambda r: (r["method"], r["seed"])  # noqa: E731
    for here, there in zip(sorted(local, key=key), sorted(on_cluster, key=key),
                           strict=True):  # fmt: skip
        assert here["test:f1_weighted"] == there["test:f1_weighted"]


def test_compare_on_the_bot_iot_fragment(bot_iot_file, tmp_path):
    out = tmp_path / "out"
    assert main(["compare", str(bot_iot_file), "--loader", "bot-iot", "--label",
                 "category", "--methods", "none", "smote", QUICK_VAE, "--seeds",
                 "0", "--threads", "1", "--out", str(out), "--quiet"]) == 0  # fmt: skip
    runs = read_rows(out / "runs.csv")
    assert {r["status"] for r in runs} == {"ok"}
    report = (out / "results.md").read_text()
    assert "Reconnaissance recall" in report
    assert "Columns left out: pkSeqID (row identifier" in report
    assert "saddr (source IP address" in report
