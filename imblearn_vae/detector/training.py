"""Training a detector on any labelled table: ``imblearn-vae train``'s work.

:func:`train_on_tables` fits a detection pipeline (:func:`build_pipeline`:
a balancing method and a classifier named as ``compare`` names them) on a
table's training rows, scores it on its test rows, and keeps what it
learned from (:mod:`.summary`). NSL-KDD is one case of it
(:mod:`.nsl_kdd`).
"""

import datetime
from collections.abc import Callable

import numpy as np
import pandas as pd
from imblearn.pipeline import Pipeline
from sklearn.metrics import confusion_matrix

from .._version import __version__
from ..datasets import make_nsl_kdd_preprocessor
from ..metrics import scores
from ..registry.classifiers import build_classifier, weight_classes
from ..registry.methods import parse_method
from ..tables.options import Tables
from ..tables.read import make_table_preprocessor
from .fitting import fit_with_progress
from .model import Detector
from .rows import check_records
from .schema import feature_schema
from .summary import balancing_report, class_counts, feature_profile

#: Test rows of each class kept in the model file as examples.
EXAMPLES = 5


def build_pipeline(
    method: str,
    classifier: str,
    seed: int,
    device: str = "cpu",
    *,
    preprocess=None,
    classifier_epochs: int = 10,
) -> Pipeline:
    """The detection pipeline: the preprocessing, the balancing, the
    classifier, with the balancing where the method needs it
    (:meth:`~imblearn_vae.registry.Method.steps`, as in a comparison).

    ``preprocess`` is the classifier's input (unfitted); default: NSL-KDD's
    (:func:`~imblearn_vae.datasets.make_nsl_kdd_preprocessor`, the site's
    default detector's). :func:`train_on_tables` gives the table's own.
    """
    if preprocess is None:
        preprocess = make_nsl_kdd_preprocessor()
    chosen = parse_method(method)
    balance = chosen.build(random_state=seed, device=device)
    steps = chosen.steps(balance, preprocess)
    model = build_classifier(classifier, seed, device, classifier_epochs)
    return Pipeline([*steps, ("classify", model)])


def train_on_tables(
    tables: Tables,
    *,
    method: str = "dcbn-vae",
    classifier: str = "dt",
    seed: int = 0,
    device: str = "cpu",
    classifier_epochs: int = 10,
    command: str = "",
    preprocess=None,
    say: Callable[[str], None] | None = None,
    entry: dict | None = None,
    scoring: Callable[[np.ndarray, np.ndarray, list], dict] | None = None,
) -> Detector:
    """Fit a detector on the training rows and score it on the test rows.

    Parameters
    ----------
    tables : Tables
        What :func:`~imblearn_vae.tables.load_tables` read.
    method, classifier : str
        Named as ``compare`` names them (``smote``, ``dcbn-vae:epochs=20``;
        ``dt``, ``hgb``, an import path).
    seed : int
        Seeds the sampler and the classifier.
    device : str
        Torch device of generative samplers and CNNs.
    classifier_epochs : int
        Epochs of the CNN classifiers.
    command : str
        The command that made it, without local paths.
    preprocess : transformer, optional
        The classifier's input; default: the table's one-hot categories and
        min-max scaled numbers (:func:`~imblearn_vae.tables.make_table_preprocessor`).
    say : callable, optional
        Told each step and its time (a command's progress).
    entry : dict, optional
        The comparison entry this trains (``train --from-compare``).
    scoring : callable, optional
        ``scoring(y_test, predicted, labels)``: the scores the model file
        keeps, from the one prediction of the test rows; default
        :func:`score_rows` (NSL-KDD adds its held-out half's).

    Returns
    -------
    Detector
    """
    train, test = tables.train, tables.test
    pipeline, fit_params = _pipeline(tables, method, classifier, seed, device,
                                     preprocess, classifier_epochs)  # fmt: skip
    fitted = fit_with_progress(pipeline, train.X, train.y, say, fit_params)
    labels = tables.classes or _labels(train.y, test.y)
    # NSL-KDD's rates are fractions; another table's numbers are not known
    fractions = tables.source.get("loader") == "nsl-kdd"
    features = feature_schema(train.X, train.categorical, fractions=fractions)
    y_test = np.asarray(test.y).astype(str)
    predicted = np.asarray(pipeline.predict(test.X)).astype(str)
    test_scores = (scoring or score_rows)(y_test, predicted, labels)
    test_scores["test"] = tables.source.get("test", "")
    return Detector(
        pipeline=pipeline,
        features=features,
        classes=labels,
        target=train.label,
        version=__version__,
        command=command,
        scores=test_scores,
        examples=examples(test.X, y_test, features, labels),
        created=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        settings={"method": method, "classifier": classifier, "seed": seed},
        source=tables.source,
        layout=tables.layout,
        entry=entry or {},
        **_learned(train, fitted, features, labels, seed),
    )


def _pipeline(tables, method, classifier, seed, device, preprocess, epochs):
    """The pipeline to fit, and its classifier's fit parameters (class
    weights as ``sample_weight`` where it takes no ``class_weight``)."""
    if preprocess is None:
        preprocess = make_table_preprocessor(tables.train)
    pipeline = build_pipeline(
        method, classifier, seed, device, preprocess=preprocess,
        classifier_epochs=epochs,
    )  # fmt: skip
    fit_params = {}
    if parse_method(method).info.weights:
        weighted, fit_params, _ = weight_classes(pipeline.steps[-1][1], tables.train.y)
        pipeline.steps[-1] = ("classify", weighted)
    return pipeline, fit_params


def _learned(train, fitted, features, labels: list[str], seed: int) -> dict:
    """What the detector learned from (:mod:`.summary`): the classes before
    and after balancing, each feature per class, what the balancing did."""
    return {
        "counts": {"training": class_counts(fitted.y_before, labels),
                   "balanced": class_counts(fitted.y_fitted, labels)},
        "profile": feature_profile(train.X, train.y, features, labels),
        "balancing": balancing_report(
            fitted.sampler, fitted.X_fitted, fitted.y_fitted, fitted.y_before,
            labels, seed,
        ),
    }  # fmt: skip


def _labels(y_train, y_test) -> list[str]:
    """The classes as text: the training rows' in their sorted order (the
    classifier's), then any only the test rows have."""
    seen = [str(c) for c in np.unique(y_train)]
    extra = sorted(set(np.asarray(y_test).astype(str).tolist()) - set(seen))
    return seen + extra


def score_rows(y: np.ndarray, predicted: np.ndarray, labels: list[str]) -> dict:
    """The scores a model file keeps for a set of rows: accuracy, weighted and
    macro F1 and recall per class (:func:`imblearn_vae.metrics.scores`: the
    macro F1 is over the classes present in ``y``), the confusion matrix (a
    row per actual class, in ``labels`` order) and the rows' count."""
    found = scores(y, predicted, labels)
    return {
        "accuracy": float(found["accuracy"]),
        "f1_weighted": float(found["f1_weighted"]),
        "f1_macro": float(found["f1_macro"]),
        "recall": {c: float(found[f"recall_{c}"]) for c in labels},
        "confusion": confusion_matrix(y, predicted, labels=labels).tolist(),
        "test_rows": len(y),
    }


def examples(X: pd.DataFrame, y: np.ndarray, features, labels) -> dict[str, list]:
    """Up to :data:`EXAMPLES` test rows of each class, as plain values, among
    those the detector accepts (a row of a category training never saw is
    no example)."""
    found = {}
    for label in labels:
        rows = [_plain_row(X.iloc[i]) for i in np.flatnonzero(y == label)[:50]]
        checked = [r for r in rows if not check_records(features, [r])[1]]
        found[label] = checked[:EXAMPLES]
    return found


def _plain_row(row: pd.Series) -> dict:
    return {
        str(name): (value.item() if isinstance(value, np.generic) else value)
        for name, value in row.items()
    }
