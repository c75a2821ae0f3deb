"""A detector trained on NSL-KDD and scored on KDDTest+.

:func:`train_detector` fits a detection pipeline (:func:`build_pipeline`: a
balancing method from :mod:`imblearn_vae.compare`'s list, then a decision
tree, CNN or CNN+LSTM) on KDDTrain+ and scores it on KDDTest+ and on its
held-out half (:func:`kddtest_scores`).
"""

import datetime
from collections.abc import Callable

import numpy as np
import pandas as pd
from imblearn.pipeline import Pipeline
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import train_test_split

from .._version import __version__
from ..datasets import fetch_nsl_kdd
from ..datasets._nsl_kdd import make_nsl_kdd_preprocessor
from ..metrics import scores
from ..registry.classifiers import build_classifier
from ..registry.methods import parse_method
from .model import Detector
from .schema import feature_schema


def build_pipeline(
    sampler: str, classifier: str, seed: int, device: str = "cpu"
) -> Pipeline:
    """The detection pipeline: NSL-KDD's preprocessing, the balancing, the
    classifier, with the balancing where the method needs it
    (:meth:`~imblearn_vae.compare.Method.steps`, as in a comparison)."""
    method = parse_method(sampler)
    balance = method.build(random_state=seed, device=device)
    steps = method.steps(balance, make_nsl_kdd_preprocessor())
    return Pipeline([*steps, ("classify", build_classifier(classifier, seed, device))])


def train_detector(
    *,
    sampler: str = "dcbn-vae",
    classifier: str = "dt",
    target: str = "category",
    seed: int = 0,
    data_home=None,
    device: str = "cpu",
    command: str = "",
    subset: str = "KDDTrain+",
    fit: Callable[[Pipeline, pd.DataFrame, np.ndarray], object] | None = None,
) -> Detector:
    """Fit a detection pipeline on KDDTrain+ and score it on KDDTest+.

    Parameters
    ----------
    sampler : str
        A method of ``imblearn-vae compare`` (``none``, ``smote``,
        ``dcbn-vae``, ``dcbn-vae:epochs=20``, ...).
    classifier : str
        ``dt``, ``cnn``, ``cnn-lstm`` or an import path.
    target : {"category", "binary"}
        Five classes (normal or the attack category) or normal / attack.
    seed : int
        Seeds the sampler and the classifier.
    data_home : str or path-like, optional
        Folder holding ``nsl-kdd/`` (see
        :func:`~imblearn_vae.datasets.fetch_nsl_kdd`).
    device : str
        Torch device of generative samplers and CNNs.
    command : str
        The command that made the detector, kept in the file.
    subset : str
        The training file (``KDDTrain+_20Percent`` for a quick model).
    fit : callable, optional
        ``fit(pipeline, X, y)`` fits the pipeline in place (default:
        ``pipeline.fit``); ``imblearn-vae serve`` gives one that shows progress.

    Returns
    -------
    Detector
        Its ``scores`` are on all of KDDTest+ and on its held-out half
        (:func:`kddtest_halves`), each with the confusion matrix.
    """
    train = fetch_nsl_kdd(
        subset=subset, target=target, data_home=data_home, as_frame=True
    )
    test = fetch_nsl_kdd(
        subset="KDDTest+", target=target, data_home=data_home, as_frame=True
    )
    pipeline = build_pipeline(sampler, classifier, seed, device)
    (fit or Pipeline.fit)(pipeline, train.data, np.asarray(train.target))
    y_test = np.asarray(test.target)
    labels = list(train.target_names)
    scores = kddtest_scores(y_test, pipeline.predict(test.data), labels)
    examples = {}
    for label in labels:
        rows = np.flatnonzero(y_test == label)[:5]
        examples[label] = [_plain_row(test.data.iloc[i]) for i in rows]
    return Detector(
        pipeline=pipeline,
        features=feature_schema(train.data),
        classes=labels,
        target=target,
        version=__version__,
        command=command,
        scores=scores,
        examples=examples,
        created=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        settings={
            "sampler": sampler,
            "classifier": classifier,
            "seed": seed,
            "training file": subset,
        },
    )


def kddtest_scores(
    y_test: np.ndarray, predicted: np.ndarray, labels: list[str]
) -> dict:
    """The scores a model file keeps: on all of KDDTest+ and, under
    ``held_out``, on its held-out half (:func:`kddtest_halves`)."""
    _, held_out = kddtest_halves(y_test)
    return {
        **_file_scores(y_test, predicted, labels),
        "test_rows": len(y_test),
        "held_out": {
            **_file_scores(y_test[held_out], predicted[held_out], labels),
            "rows": len(held_out),
        },
    }


#: Seed of the one stratified split of KDDTest+ into halves.
KDDTEST_SPLIT_SEED = 0


def kddtest_halves(y_test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of KDDTest+'s validation half and held-out half.

    The split of ``benchmarks/nsl_kdd.py`` (``test_halves``): stratified, a
    fixed seed. The validation half chooses settings (the web application's
    default detector, DCBN-VAE's recommended settings); the held-out half
    only reports.
    """
    validation, held_out = train_test_split(
        np.arange(len(y_test)),
        test_size=0.5,
        stratify=y_test,
        random_state=KDDTEST_SPLIT_SEED,
    )
    return np.sort(validation), np.sort(held_out)


def _file_scores(y: np.ndarray, predicted: np.ndarray, labels: list[str]) -> dict:
    """The scores a model file keeps for a set of rows: accuracy, weighted and
    macro F1 and recall per class (:func:`imblearn_vae.metrics.scores`: the
    macro F1 is over the classes present in ``y``), and the confusion matrix
    (a row per actual class, in ``labels`` order)."""
    found = scores(y, predicted, labels)
    return {
        "accuracy": float(found["accuracy"]),
        "f1_weighted": float(found["f1_weighted"]),
        "f1_macro": found["f1_macro"],
        "recall": {c: float(found[f"recall_{c}"]) for c in labels},
        "confusion": confusion_matrix(y, predicted, labels=labels).tolist(),
    }


def _plain_row(row: pd.Series) -> dict:
    return {
        name: (value.item() if isinstance(value, np.generic) else value)
        for name, value in row.items()
    }
