"""The speed goals of DCBN-VAE's defaults against SMOTE (``speed.py --goals``).

Every goal is timed in one run, against SMOTE in the same run and under the
same load (0, 1 or 2 CPU-bound jobs beside it, ``speed.competing_jobs``):

- KDDTrain+ given as the raw table (categorical columns as categories) and
  as the one-hot, min-max matrix a ``ColumnTransformer`` makes, and every
  table of the generality suite of more than 20,000 training rows (as
  ``compare`` gives it): ``fit_resample`` <= SMOTE's time quiet, <= 1.5x
  with one competing job;
- every suite table of up to 5,000 training rows, over seeds 0-4: the
  slowest seed <= 1 s quiet, <= 2 s with one competing job;
- the time split by stage and the filter's acceptance, for KDDTrain+.

SMOTE balances the one-hot matrix, as in the comparison; both use the
machine's threads as they come (DCBN-VAE's ``n_threads=None``).
"""

import time
from pathlib import Path

import numpy as np
from imblearn.over_sampling import SMOTE
from suite import TABLES

from imblearn_vae import DCBNVAESampler
from imblearn_vae.compare import make_table_preprocessor

LARGE_ROWS = 20_000
SMALL_ROWS = 5_000
SMALL_SEEDS = (0, 1, 2, 3, 4)

#: (quiet, one competing job) bounds of each goal.
RATIO_GOAL = {0: 1.0, 1: 1.5}
SMALL_SECONDS_GOAL = {0: 1.0, 1: 2.0}


def _seconds(sampler, X, y) -> float:
    """Wall seconds of ``sampler.fit_resample(X, y)``."""
    start = time.perf_counter()
    sampler.fit_resample(X, y)
    return time.perf_counter() - start


def _inputs(table) -> tuple:
    """The raw table (compare's input to DCBN-VAE) and the one-hot matrix."""
    preprocess = make_table_preprocessor(table).fit(table.X)
    return table.X, preprocess.transform(table.X).astype(np.float32)


def race(name, X_sampler, X_matrix, y, categorical, seed=0) -> dict:
    """DCBN-VAE's defaults on ``X_sampler`` against SMOTE on the matrix."""
    smote_seconds = _seconds(SMOTE(random_state=seed), X_matrix, y)
    sampler = DCBNVAESampler(random_state=seed, categorical_features=categorical)
    seconds = _seconds(sampler, X_sampler, y)
    return {
        "table": name,
        "rows": len(y),
        "SMOTE s": smote_seconds,
        "DCBN-VAE s": seconds,
        "ratio": seconds / smote_seconds,
        **{f"{stage} s": t for stage, t in sampler.fit_seconds_.items()},
        "epochs": sampler.n_epochs_,
        "batch": sampler.batch_size_,
        "accepted %": 100 * np.mean(list(sampler.filter_acceptance_.values()) or [1]),
    }


def large_tables(data_home, tables=tuple(TABLES)) -> list[dict]:
    """KDDTrain+ both ways, and every suite table of more than 20,000 rows."""
    rows = []
    for name in tables:
        train = TABLES[name](Path(data_home)).train
        if len(train.y) <= LARGE_ROWS:
            continue
        raw, matrix = _inputs(train)
        if name == "nsl-kdd":
            rows.append(race("KDDTrain+, one-hot", matrix, matrix, train.y, None))
            name = "KDDTrain+, raw"
        rows.append(race(name, raw, matrix, train.y, "auto"))
    return rows


def small_tables(data_home, tables=tuple(TABLES)) -> list[dict]:
    """Every suite table of up to 5,000 rows: the slowest of five seeds."""
    rows = []
    for name in tables:
        if name == "nsl-kdd":  # (large; no need to load it)
            continue
        train = TABLES[name](Path(data_home)).train
        if len(train.y) > SMALL_ROWS:
            continue
        raw, matrix = _inputs(train)
        seconds = [
            _seconds(DCBNVAESampler(random_state=seed, categorical_features="auto"),
                     raw, train.y)
            for seed in SMALL_SEEDS
        ]  # fmt: skip
        # SMOTE's default 5 neighbours, or as many as the smallest class has
        k = min(5, int(np.unique(train.y, return_counts=True)[1].min()) - 1)
        rows.append({
            "table": name, "rows": len(train.y), "slowest seed s": max(seconds),
            "median s": float(np.median(seconds)),
            "SMOTE s": _seconds(SMOTE(k_neighbors=k), matrix, train.y),
        })  # fmt: skip
    return rows


def verdicts(n_jobs: int, large: list[dict], small: list[dict]) -> list[dict]:
    """Each goal of this load level with its figure and whether it is met."""
    goals = []
    if n_jobs in RATIO_GOAL:
        bound = RATIO_GOAL[n_jobs]
        for row in large:
            goals.append({"goal": f"{row['table']}: <= {bound}x SMOTE",
                          "figure": f"{row['ratio']:.2f}x",
                          "met": "yes" if row["ratio"] <= bound else "NO"})  # fmt: skip
    if n_jobs in SMALL_SECONDS_GOAL:
        bound = SMALL_SECONDS_GOAL[n_jobs]
        for row in small:
            seconds = row["slowest seed s"]
            goals.append({"goal": f"{row['table']}: slowest seed <= {bound} s",
                          "figure": f"{seconds:.2f} s",
                          "met": "yes" if seconds <= bound else "NO"})  # fmt: skip
    return [{"competing jobs": n_jobs, **goal} for goal in goals]
