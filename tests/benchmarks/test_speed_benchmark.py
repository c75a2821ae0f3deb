"""The speed benchmark's quick mode runs and reports every figure."""

import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow


def test_quick_speed_benchmark(nsl_kdd_home, tmp_path):
    command = [
        sys.executable, str(REPO_ROOT / "benchmarks" / "speed.py"), "--quick",
        "--batch-size", "128", "512",
        "--out", str(tmp_path), "--data-home", str(nsl_kdd_home),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = (tmp_path / "speed.md").read_text()
    figures = [
        "Matmul ceiling", "train % ceiling", "gen rows/s", "SMOTE",
        "RandomOverSampler", "Peak resident memory", "time ~ rows^",
    ]  # fmt: skip
    for figure in figures:
        assert figure in report
    # one row per batch size asked for, in the sampler table
    assert "| dcbn-vae | 128 |" in report
    assert "| dcbn-vae | 512 |" in report


def test_speed_goals_report_each_goal_with_its_figure(tmp_path):
    command = [
        sys.executable, str(REPO_ROOT / "benchmarks" / "speed.py"), "--goals",
        "--tables", "bot-iot", "ecoli", "--competing-jobs", "0", "1",
        "--out", str(tmp_path),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = (tmp_path / "goals.md").read_text()
    for table in ("bot-iot", "ecoli"):
        for load, bound in ((0, "1.0"), (1, "2.0")):
            line = next(
                line for line in report.splitlines()
                if line.startswith(f"| {load} | {table}: slowest seed <= {bound} s")
            )  # fmt: skip
            assert line.rstrip(" |").endswith(("yes", "NO"))
    assert "slowest seed s" in report and "SMOTE s" in report
