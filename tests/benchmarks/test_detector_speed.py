"""The speed benchmarks with a detector of a table other than NSL-KDD
(issue 32, item 6), bounded to a few requests and rows: the figures of
docs/benchmark_speed.rst come from these commands."""

import subprocess
import sys

import pandas as pd
import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow

BENCHMARKS = REPO_ROOT / "benchmarks"


def test_the_load_test_with_the_rows_of_a_table(trained_tables, tmp_path):
    case, model = trained_tables["bot-iot"]
    command = [sys.executable, str(BENCHMARKS / "load_test.py"), "--model",
               str(model), "--table", str(case.path), "--requests", "8",
               "--seconds", "10", "--clients", "2", "--out", str(tmp_path)]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    table = (tmp_path / "load.md").read_text()
    assert f"--table {case.path}" in table and "load average" in table
    for scenario in ("API, one connection", "API, 1,000 connections", "form ("):
        (row,) = [line for line in table.splitlines() if scenario in line]
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert cells[1] == "8" and cells[2] == "0" and cells[-2] == "all", row


def test_predict_speed_with_the_rows_of_a_wide_table(tmp_path):
    """The synthetic 48-column table, a detector of it, and predict's speed."""
    table = tmp_path / "wide.csv"
    subprocess.run([sys.executable, str(BENCHMARKS / "wide_table.py"), "--out",
                    str(table), "--rows", "3000"], check=True)  # fmt: skip
    frame = pd.read_csv(table)
    assert frame.shape == (3000, 49) and frame["class"].nunique() == 5
    assert frame.select_dtypes("object").shape[1] == 5  # 4 categories, the class
    model = tmp_path / "wide.model"
    subprocess.run([sys.executable, "-m", "imblearn_vae", "train", str(table),
                    "--label", "class", "--method", "random", "--out", str(model),
                    "--quiet"], check=True, cwd=tmp_path)  # fmt: skip
    command = [sys.executable, str(BENCHMARKS / "predict_speed.py"), "--model",
               str(model), "--table", str(table), "--rows", "20000", "--repeat",
               "1", "--latency-rows", "40", "--burst", "1", "--out",
               str(tmp_path)]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = (tmp_path / "predict.md").read_text()
    assert "rows of wide.csv" in report and "Best scoring rate" in report
    assert "| 20,000 |" in report and "load before/after" in report
