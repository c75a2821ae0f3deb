"""The default detector, trained by the first ``imblearn-vae serve`` that
finds no model file, with each step's progress and time left.

The default was chosen on the validation half of KDDTest+ among classifiers
whose scores mean something (``benchmarks/default_detector.py``; the docs'
web page gives the figures).
"""

import os
import sys
import time
from pathlib import Path

from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier
from tqdm.auto import tqdm

from ..detector import Detector, save_detector, train_detector

#: The model made on first start when there is none: DCBN-VAE with the
#: settings tuned on NSL-KDD (``dcbn-vae-nsl-kdd``: ``NSL_KDD_TUNED``, which
#: pins every setting it was chosen with), then 10 extremely randomised
#: trees, whose score of a class is the share of trees that vote for it.
#: Forests of 10, 20, 30 and 50 trees scored alike on the validation half
#: (macro F1 61.9, 60.5, 60.8 and 60.6, 3 seeds; the decision tree served
#: before: 56.8, seed 0); 10 had the best mean and scores 1,000 rows five
#: times faster than 50 (docs/web.rst). `imblearn-vae train` makes others.
DEFAULT_MODEL = {
    "sampler": "dcbn-vae-nsl-kdd",
    "classifier": "sklearn.ensemble.ExtraTreesClassifier:n_estimators=10",
    "target": "category",
}

#: Forests grow this many trees between two updates of the progress bar.
TREES_PER_STEP = 2


def train_default(path: Path, data_home, stream=None) -> Detector:
    """Train :data:`DEFAULT_MODEL` on NSL-KDD, save it at ``path``, say how it went."""
    stream = stream or sys.stdout
    say = lambda text: print(text, file=stream, flush=True)  # noqa: E731
    say(
        f"No model at {path}: training the default detector (DCBN-VAE balancing, "
        "then 10 extra trees) on NSL-KDD's KDDTrain+: about a minute on two "
        "free cores, several on busy ones; each step shows its "
        "progress and time left."
    )
    started = time.monotonic()
    detector = train_detector(
        **DEFAULT_MODEL,
        data_home=data_home,
        command="imblearn-vae serve",
        fit=lambda pipeline, X, y: fit_with_progress(pipeline, X, y, say),
    )
    save_detector(detector, path)
    held_out = detector.scores["held_out"]
    say(
        f"saved {path} after {_duration(time.monotonic() - started)}: on KDDTest+ "
        f"accuracy {100 * detector.scores['accuracy']:.1f}%, weighted F1 "
        f"{100 * detector.scores['f1_weighted']:.1f}%; on its held-out half macro F1 "
        f"{100 * held_out['f1_macro']:.1f}%"
    )
    return detector


def fit_with_progress(pipeline, X, y, say=print) -> None:
    """Fit an imblearn pipeline as ``pipeline.fit`` does, step by step,
    saying what each step does and how long it took.

    Each step is fitted in place: a sampler's ``fit_resample`` (with its own
    progress bar where it has one: ``verbose=1``), a transformer's
    ``fit_transform``, then the classifier's ``fit``; a forest grows its trees
    a few at a time (``warm_start``, the same trees as one fit) under a bar
    with the time left, on every core.
    """
    steps = [(n, s) for n, s in pipeline.steps if s not in (None, "passthrough")]
    for number, (name, step) in enumerate(steps, start=1):
        label = f"step {number} of {len(steps)}, {name} ({type(step).__name__})"
        started = time.monotonic()
        if number == len(steps):
            say(f"{label}: {len(y):,} rows ...")
            if isinstance(step, RandomForestClassifier | ExtraTreesClassifier):
                _grow_forest(step, X, y, label)
            else:
                step.fit(X, y)
        elif hasattr(step, "fit_resample"):
            say(f"{label}: balancing {len(y):,} rows ...")
            with _settings(step, verbose=1):
                X, y = step.fit_resample(X, y)
        else:
            X = step.fit_transform(X, y)
        say(f"{label}: done in {_duration(time.monotonic() - started)}")


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


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
