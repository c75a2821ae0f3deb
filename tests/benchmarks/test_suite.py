"""The generality suite (benchmarks/suite.py) on its two smallest tables."""

import csv
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow

SUITE = [sys.executable, str(REPO_ROOT / "benchmarks" / "suite.py")]
QUICK_VAE = "dcbn-vae:epochs=2,hidden_layer_sizes=(16,),latent_dim=4"


def test_suite_runs_the_bar_and_reports_every_table(nsl_kdd_home, tmp_path):
    arguments = ["--tables", "ecoli", "bot-iot", "--methods", "none",
                 "class-weight", "smote:k_neighbors=2", QUICK_VAE,
                 "--classifiers", "dt", "hgb", "--seeds", "0", "1",
                 "--data-home", str(nsl_kdd_home), "--out", str(tmp_path)]  # fmt: skip
    result = subprocess.run(
        [*SUITE, *arguments], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for table in ("ecoli", "bot-iot"):
        with open(tmp_path / table / "runs.csv", newline="") as stream:
            runs = list(csv.DictReader(stream))
        assert len(runs) == 4 * 2 * 2 and {r["status"] for r in runs} == {"ok"}
        # validation and test rows are scored apart, and never trained on
        assert all(r["validation:f1_macro"] and r["test:f1_macro"] for r in runs)
        assert {r["train_rows"] for r in runs} == {"199" if table == "ecoli" else "599"}

    report = subprocess.run(
        [*SUITE, *arguments, "--report", "--on", "validation"],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    assert "### decision tree: macro F1 on the validation rows" in report
    assert "| method | ecoli | bot-iot |" in report
    verdict = report[report.index("### histogram gradient boosting: DCBN-VAE's") :]
    rows = [line for line in verdict.splitlines() if line.startswith("| ecoli")]
    # over none, class weights and the best SMOTE-family method (the only one)
    assert len(rows) == 1 and rows[0].count("±") == 3
    assert "(smote:k_neighbors=2)" in rows[0]
    assert rows[0].count(": yes") + rows[0].count(": no") == 3
