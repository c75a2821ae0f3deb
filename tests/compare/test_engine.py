"""The engine's tasks: how many threads the sampler and the classifier get."""

import os

import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_info

from imblearn_vae import _runtime
from imblearn_vae.compare import Comparison, parse_method, prepare_table, split_table
from imblearn_vae.compare.classifiers import build_classifier


@pytest.fixture
def comparison(traffic_frame, tmp_path):
    train, test = split_table(prepare_table(traffic_frame, "class"), 0.3, 0)
    return Comparison(train, test, [parse_method("none")], ["hgb"], [0], tmp_path)


@pytest.fixture
def openmp_threads(monkeypatch):
    """The OpenMP threads each gradient boosting fit may take, fit by fit."""
    seen = []
    fit = HistGradientBoostingClassifier.fit

    def recording_fit(self, X, y, **kwargs):
        seen.append(
            max(
                i["num_threads"] for i in threadpool_info() if i["user_api"] == "openmp"
            )
        )
        return fit(self, X, y, **kwargs)

    monkeypatch.setattr(HistGradientBoostingClassifier, "fit", recording_fit)
    return seen


def test_the_classifier_takes_the_tasks_threads(comparison, openmp_threads):
    """``--threads`` sets the classifier's threads as it sets the sampler's:
    hgb's OpenMP threads (it has no parameter for them), the forest's and
    the boosting libraries' ``n_jobs``."""
    from imblearn_vae.compare.engine import run_comparison

    (row,) = run_comparison(comparison, threads=1)
    assert row["status"] == "ok", row["error"]
    assert row["threads"] == 1 and openmp_threads == [1]
    assert build_classifier("rf", seed=0, threads=3).n_jobs == 3


def test_by_default_a_task_takes_no_more_threads_than_the_idle_cores(
    comparison, openmp_threads, monkeypatch
):
    """Issue 29, item 9: without ``--threads``, a 4-core machine with three
    cores busy elsewhere gives the one task one thread, not four (hgb took
    13 s on 1,035 rows with two OpenMP threads on two busy cores)."""
    from imblearn_vae.compare.engine import run_comparison

    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    monkeypatch.setattr(_runtime, "busy_cores", lambda: 3.0)
    (row,) = run_comparison(comparison)
    assert row["status"] == "ok", row["error"]
    assert row["threads"] == 1 and openmp_threads == [1]
