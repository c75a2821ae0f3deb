"""The quick NSL-KDD benchmark, end to end (about two minutes on 2 cores)."""

import csv
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow

METHODS = [
    "none", "random", "smote", "borderline-smote", "kmeans-smote:k_neighbors=5",
    "svm-smote", "adasyn", "cvae-paper", "dcbn-vae-paper", "cgan-paper",
    "cvae-paper-4x60", "dcbn-vae-paper-4x60",
]  # fmt: skip


def test_quick_benchmark_runs_every_method_and_writes_its_report(
    nsl_kdd_home, tmp_path
):
    command = [
        sys.executable, str(REPO_ROOT / "benchmarks" / "nsl_kdd.py"), "--quick",
        "--out", str(tmp_path), "--data-home", str(nsl_kdd_home), "--threads", "1",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    with open(tmp_path / "runs.csv", newline="") as stream:
        runs = {row["method"]: row for row in csv.DictReader(stream)}
    assert sorted(runs) == sorted(METHODS)
    for method, run in runs.items():
        assert run["status"] == "ok", run["error"]
        # a tree on KDDTest+ is far above chance (the majority share is 43%)
        for on in ("full", "validation", "held-out"):
            assert 0.6 < float(run[f"{on}:accuracy"]) <= 1, method
        file_name = method.replace(":", "_")  # the engine's file name of a spec
        predictions = np.load(
            tmp_path / "predictions" / f"{file_name}__0__dt.npy", allow_pickle=False
        )
        assert len(predictions) == 22_544
    assert int(runs["dcbn-vae-paper"]["parameters"]) > int(
        runs["cvae-paper"]["parameters"]
    )
    assert float(runs["dcbn-vae-paper-4x60"]["flops_per_row"]) > 0

    report = (tmp_path / "results.md").read_text()
    assert "DCBN-VAE" in report and "[78.19]" in report
    assert (tmp_path / "metrics.png").stat().st_size > 10_000

    # a second invocation finds every run done and only rebuilds the report
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0
    assert "already there, skipped" in rerun.stdout
    with open(tmp_path / "runs.csv", newline="") as stream:
        assert len(list(csv.DictReader(stream))) == len(METHODS)


def test_several_classifiers_share_one_resampling_on_the_binary_task(
    nsl_kdd_home, tmp_path
):
    command = [
        sys.executable, str(REPO_ROOT / "benchmarks" / "nsl_kdd.py"), "--quick",
        "--methods", "none", "dcbn-vae-paper", "--raw", "--epochs", "1",
        "--target", "binary",
        "--classifier", "dt", "cnn", "--classifier-epochs", "1",
        "--out", str(tmp_path), "--data-home", str(nsl_kdd_home), "--threads", "1",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    runs = {}
    for classifier in ("dt", "cnn"):
        with open(tmp_path / classifier / "runs.csv", newline="") as stream:
            runs[classifier] = {row["method"]: row for row in csv.DictReader(stream)}
        expected = ["dcbn-vae-paper", "dcbn-vae-paper-raw", "none"]
        assert sorted(runs[classifier]) == expected
        report = (tmp_path / classifier / "results.md").read_text()
        assert f"{classifier} on KDDTest+ (binary, full set)" in report
        for run in runs[classifier].values():
            assert {run["full:recall_normal"], run["full:recall_attack"]} != {""}
            assert "full:recall_DoS" not in run  # normal / attack only
            assert 0.6 < float(run["full:accuracy"]) <= 1
    # one resampling, timed once, serves both classifiers
    assert (
        runs["dt"]["dcbn-vae-paper"]["sampler_seconds"]
        == runs["cnn"]["dcbn-vae-paper"]["sampler_seconds"]
    )
    # on the raw frame every generated protocol, service and flag is valid;
    # on the one-hot data the generated blocks hold fractions
    assert float(runs["dt"]["dcbn-vae-paper-raw"]["valid_categorical_share"]) == 1.0
    assert float(runs["dt"]["dcbn-vae-paper"]["valid_categorical_share"]) < 0.5
    assert int(runs["dt"]["dcbn-vae-paper-raw"]["epochs_run"]) == 1
