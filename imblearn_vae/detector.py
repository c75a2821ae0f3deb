"""A trained intrusion detector in one file: the pipeline and what checks its input.

:func:`train_detector` fits a detection pipeline on NSL-KDD (a balancing
method from :mod:`imblearn_vae.compare`'s list, then a decision tree, CNN or
CNN+LSTM) and scores it on KDDTest+; :func:`save_detector` writes it, with
the feature schema an application needs to build its form and check input
(names, kinds, the categories seen in training, numeric ranges), the class
names, the package version, the command that made it and its scores.
:func:`load_detector` reads it back and refuses a file from another version,
a damaged file or a missing one with a message that says so.

The file format is :mod:`imblearn_vae.model_file`'s: no pickle, nothing in
the file runs when it is read.
"""

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from imblearn.pipeline import Pipeline
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import train_test_split

from ._version import __version__
from .compare.classifiers import build_classifier
from .compare.methods import parse_method
from .datasets import fetch_nsl_kdd
from .datasets._nsl_kdd import make_nsl_kdd_preprocessor
from .model_file import (
    MAGIC,
    DetectorFileError,
    load_detector,
    read_header,
    save_detector,
)

#: Columns of an NSL-KDD file that are labels, not features.
LABEL_COLUMNS = ("label", "attack", "class", "target", "difficulty", "category")


@dataclass
class Feature:
    """One input field: its kind and the values training saw."""

    name: str
    kind: str  # "categorical", "integer" or "number"
    categories: list[str] = field(default_factory=list)
    minimum: float | None = None  # seen in training
    maximum: float | None = None
    lower_bound: float | None = None  # what any valid value respects
    upper_bound: float | None = None

    def describe(self) -> str:
        if self.kind == "categorical":
            return f"one of {len(self.categories)} categories"
        low = "" if self.lower_bound is None else f"≥ {self.lower_bound:g}"
        high = "" if self.upper_bound is None else f"≤ {self.upper_bound:g}"
        bounds = " and ".join(b for b in (low, high) if b)
        kind = "a whole number" if self.kind == "integer" else "a number"
        number = "{:,.0f}" if self.kind == "integer" else "{:g}"
        seen = (
            f"training saw {number.format(self.minimum)} to "
            f"{number.format(self.maximum)}"
        )
        return f"{kind}{' ' + bounds if bounds else ''}; {seen}"


@dataclass
class RowError:
    """What is wrong with one field of one input row."""

    row: int
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass
class Detector:
    """A fitted pipeline with its input schema, classes and provenance."""

    pipeline: Pipeline
    features: list[Feature]
    classes: list[str]
    target: str
    version: str
    command: str
    scores: dict
    examples: dict[str, dict]
    created: str
    settings: dict = field(default_factory=dict)

    @property
    def feature_names(self) -> list[str]:
        return [f.name for f in self.features]

    def check_rows(
        self, records: list[dict]
    ) -> tuple[pd.DataFrame | None, list[RowError]]:
        """Turn input rows (field -> text or number) into a frame, or errors.

        Every row is checked in full, so that all problems come back at once.
        Label columns (:data:`LABEL_COLUMNS`) are ignored; any other unknown
        field is an error, as is a missing one.
        """
        errors: list[RowError] = []
        columns: dict[str, list] = {f.name: [] for f in self.features}
        known = set(columns)
        for index, record in enumerate(records):
            if not isinstance(record, dict):
                errors.append(
                    RowError(
                        index,
                        "",
                        "a connection must be an object of field names and values",
                    )
                )
                continue
            for name in record:
                if name not in known and str(name).lower() not in LABEL_COLUMNS:
                    errors.append(
                        RowError(index, str(name)[:ECHO_LIMIT], "unknown field")
                    )
            for feature in self.features:
                value, problem = _check_value(feature, record.get(feature.name))
                if problem:
                    errors.append(RowError(index, feature.name, problem))
                columns[feature.name].append(value)
        if errors:
            return None, errors
        frame = pd.DataFrame(columns)
        for feature in self.features:
            if feature.kind == "categorical":
                frame[feature.name] = pd.Categorical(
                    frame[feature.name], categories=feature.categories
                )
            elif feature.kind == "integer":
                frame[feature.name] = frame[feature.name].astype(np.int64)
            else:
                frame[feature.name] = frame[feature.name].astype(np.float64)
        return frame, []

    def predict(self, frame: pd.DataFrame) -> tuple[list[str], list[dict]]:
        """The predicted class and the probability of each class, per row."""
        probabilities = self.pipeline.predict_proba(frame)
        model_classes = [str(c) for c in self.pipeline.classes_]
        labels = [model_classes[i] for i in probabilities.argmax(axis=1)]
        return labels, [
            {c: float(p) for c, p in zip(model_classes, row, strict=True)}
            for row in probabilities
        ]


#: The range of an integer field: numpy's int64, in which the model reads it.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
#: Characters of a refused value that an error message repeats.
ECHO_LIMIT = 40


def _echo(value) -> str:
    """A refused value as an error message shows it: quoted, and bounded."""
    if not isinstance(value, str | int | float):
        return f"a JSON {type(value).__name__}"
    text = str(value)
    return repr(text if len(text) <= ECHO_LIMIT else text[:ECHO_LIMIT] + "…")


def _check_value(feature: Feature, value) -> tuple[object, str | None]:
    """The value in the feature's type, or the problem with it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "missing"
    if feature.kind == "categorical":
        text = str(value).strip() if isinstance(value, str | int | float) else None
        if text not in feature.categories:
            return None, (
                f"unknown category {_echo(text if text is not None else value)}; "
                "the model knows "
                + ", ".join(feature.categories[:12])
                + (", ..." if len(feature.categories) > 12 else "")
            )
        return text, None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None, f"not a number ({_echo(value)})"
    number = _parse_number(value)
    if number is None:
        return None, f"not a number ({_echo(value)})"
    if feature.kind != "integer":
        try:
            number = float(number)
        except OverflowError:  # an int too large for a float
            return None, "not a finite number"
    if isinstance(number, float) and not math.isfinite(number):
        return None, "not a finite number"
    if feature.kind == "integer":
        if isinstance(number, float) and not number.is_integer():
            return None, f"must be a whole number (got {number:g})"
        low = INT64_MIN if feature.lower_bound is None else feature.lower_bound
        # Python compares ints and floats exactly: 1e19 and 2**63 are out.
        if not INT64_MIN <= number <= INT64_MAX:
            return None, f"must be a whole number from {low:,.0f} to {INT64_MAX:,}"
        number = int(number)  # exact in the int64 column, not via a float
    if feature.lower_bound is not None and number < feature.lower_bound:
        return None, (
            "must not be negative"
            if feature.lower_bound == 0
            else f"must be at least {feature.lower_bound:g}"
        )
    if feature.upper_bound is not None and number > feature.upper_bound:
        return None, f"must be at most {feature.upper_bound:g}"
    return number, None


def _parse_number(value: str | int | float) -> int | float | None:
    """An int when the value is one (kept exact), else a float; None if neither.

    Huge numbers become infinities rather than errors, so that the range
    checks name them.
    """
    if isinstance(value, int | float):
        return value
    text = value.strip()
    if len(text) > 400:  # longer than any float: no time spent on parsing
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return None


def feature_schema(X: pd.DataFrame) -> list[Feature]:
    """Each column's kind and range in training, and the bounds valid input keeps.

    Counts and sizes (never negative in training) may not be negative; rates
    (fractions in [0, 1] in training) stay in [0, 1].
    """
    features = []
    for name in X.columns:
        column = X[name]
        if column.dtype.name == "category" or column.dtype == object:
            categories = sorted(str(c) for c in pd.unique(column.astype(str)))
            features.append(Feature(name, "categorical", categories))
            continue
        low, high = float(column.min()), float(column.max())
        integer = column.dtype.kind in "iub"
        rate = not integer and low >= 0 and high <= 1
        features.append(
            Feature(
                name,
                "integer" if integer else "number",
                minimum=low,
                maximum=high,
                lower_bound=0.0 if low >= 0 else None,
                upper_bound=1.0 if rate else None,
            )
        )
    return features


def build_pipeline(sampler: str, classifier: str, seed: int, device: str = "cpu"):
    """preprocess -> sampler -> classifier, or the sampler first for the ones
    that model the categorical columns themselves (ours, the peers)."""
    method = parse_method(sampler)
    balance = method.build(random_state=seed, device=device)
    model = build_classifier(classifier, seed, device)
    preprocess = make_nsl_kdd_preprocessor()
    if balance is None:
        steps = [("preprocess", preprocess), ("classify", model)]
    elif method.info.raw:
        steps = [("balance", balance), ("preprocess", preprocess), ("classify", model)]
    else:
        steps = [("preprocess", preprocess), ("balance", balance), ("classify", model)]
    return Pipeline(steps)


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
        **classification_scores(y_test, predicted, labels),
        "test_rows": len(y_test),
        "held_out": {
            **classification_scores(y_test[held_out], predicted[held_out], labels),
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


def classification_scores(
    y: np.ndarray, predicted: np.ndarray, labels: list[str]
) -> dict:
    """Accuracy, weighted and macro F1, recall per class and the confusion
    matrix (a row per actual class, in ``labels`` order)."""
    _, recall, _, _ = precision_recall_fscore_support(
        y, predicted, labels=labels, zero_division=0
    )
    matrix = confusion_matrix(y, predicted, labels=labels)
    return {
        "accuracy": float(np.mean(predicted == y)),
        "f1_weighted": float(f1_score(y, predicted, average="weighted")),
        "f1_macro": float(f1_score(y, predicted, labels=labels, average="macro")),
        "recall": {c: float(r) for c, r in zip(labels, recall, strict=True)},
        "confusion": matrix.tolist(),
    }


def _plain_row(row: pd.Series) -> dict:
    return {
        name: (value.item() if isinstance(value, np.generic) else value)
        for name, value in row.items()
    }


__all__ = [
    "INT64_MAX",
    "MAGIC",
    "Detector",
    "DetectorFileError",
    "Feature",
    "RowError",
    "build_pipeline",
    "kddtest_halves",
    "load_detector",
    "read_header",
    "save_detector",
    "train_detector",
]
