"""Fitting a detector's pipeline step by step: what ``pipeline.fit`` does,
with what each step did kept for the model file, and optionally said as it
goes (the first ``serve``, ``train``).
"""

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier
from tqdm.auto import tqdm

#: Forests grow this many trees between two updates of the progress bar.
TREES_PER_STEP = 2


@dataclass
class Fitted:
    """What fitting did: the balancing step (None without one), the training
    rows' classes, and the rows the classifier was fitted on."""

    sampler: object
    y_before: np.ndarray
    X_fitted: object
    y_fitted: np.ndarray


def fit_with_progress(
    pipeline,
    X,
    y,
    say: Callable[[str], None] | None = print,
    fit_params: dict | None = None,
) -> Fitted:
    """Fit an imblearn pipeline as ``pipeline.fit`` does, step by step.

    Each step is fitted in place: a sampler's ``fit_resample``, a
    transformer's ``fit_transform``, then the classifier's ``fit`` (with
    ``fit_params``: class weights as ``sample_weight``). With ``say``, each
    step says what it does and how long it took, a sampler shows its own
    progress bar where it has one (``verbose=1``), and a forest grows its
    trees a few at a time (``warm_start``, the same trees as one fit) under
    a bar with the time left, on every core.
    """
    say_ = say or (lambda text: None)
    steps = [(n, s) for n, s in pipeline.steps if s not in (None, "passthrough")]
    sampler, y_before = None, np.asarray(y)
    for number, (name, step) in enumerate(steps, start=1):
        label = f"step {number} of {len(steps)}, {name} ({type(step).__name__})"
        started = time.monotonic()
        if number == len(steps):
            say_(f"{label}: {len(y):,} rows ...")
            forest = isinstance(step, RandomForestClassifier | ExtraTreesClassifier)
            if forest and say is not None and not fit_params:
                _grow_forest(step, X, y, label)
            else:
                step.fit(X, y, **(fit_params or {}))
        elif hasattr(step, "fit_resample"):
            say_(f"{label}: balancing {len(y):,} rows ...")
            with _settings(step, **({"verbose": 1} if say is not None else {})):
                X, y = step.fit_resample(X, y)
            sampler = step
        else:
            X = step.fit_transform(X, y)
        say_(f"{label}: done in {duration(time.monotonic() - started)}")
    return Fitted(sampler, y_before, X, np.asarray(y))


def _grow_forest(forest, X, y, label: str) -> None:
    total = forest.n_estimators
    with (
        _settings(forest, warm_start=True, n_jobs=os.cpu_count() or 1),
        tqdm(total=total, desc=label, unit="tree", file=sys.stdout) as bar,
    ):
        for grown in range(TREES_PER_STEP, total + TREES_PER_STEP, TREES_PER_STEP):
            forest.set_params(n_estimators=min(grown, total))
            forest.fit(X, y)
            bar.update(len(forest.estimators_) - bar.n)


class _settings:
    """Set an estimator's parameters for a while, then put them back."""

    def __init__(self, estimator, **params):
        self.estimator = estimator
        self.params = {k: v for k, v in params.items() if k in estimator.get_params()}

    def __enter__(self):
        self.before = {k: self.estimator.get_params()[k] for k in self.params}
        self.estimator.set_params(**self.params)
        return self.estimator

    def __exit__(self, *exc) -> None:
        self.estimator.set_params(**self.before)


def duration(seconds: float) -> str:
    """Seconds as people read them: ``"35 s"``, ``"6 min 30 s"``."""
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
