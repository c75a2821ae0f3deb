"""What a detector learned from, in numbers a page can draw: the classes
before and after balancing, each feature per class, and what the balancing
did to the rows.

The data page of the site (the paper's data exploration) shows these; they
are computed once, when the detector is trained, and kept in its model
file, so the site never needs the training table.
"""

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors

from .schema import Feature

#: Categories of a feature shown one by one; the rest are counted together.
TOP_CATEGORIES = 12

#: Rows of each class whose distances are measured (a seeded sample).
DISTANCE_ROWS = 2_000


def class_counts(y, labels: list[str]) -> dict[str, int]:
    """Rows per class, in ``labels`` order."""
    found = pd.Series(np.asarray(y).astype(str)).value_counts()
    return {c: int(found.get(c, 0)) for c in labels}


def feature_profile(
    X: pd.DataFrame, y, features: list[Feature], labels: list[str]
) -> dict[str, dict]:
    """Each feature's range, and a summary of it per class.

    A number: its range, and per class the minimum, quartiles, maximum and
    mean (a box plot's five numbers), with ``log`` where the values are
    never negative and span more than three orders of magnitude (counts of
    bytes), so that a chart draws them on a log scale. A category: the
    :data:`TOP_CATEGORIES` most frequent, and per class each one's rows,
    the rest counted as ``other``.
    """
    classes = np.asarray(y).astype(str)
    profile = {}
    for feature in features:
        column = X[feature.name]
        if feature.kind == "categorical":
            profile[feature.name] = _categories(column.astype(str), classes, labels)
        else:
            profile[feature.name] = _numbers(column.to_numpy(float), classes, labels)
    return profile


def _numbers(values: np.ndarray, classes: np.ndarray, labels: list[str]) -> dict:
    low, high = float(values.min()), float(values.max())
    positive = values[values > 0]
    spread = positive.max() / positive.min() if len(positive) else 1.0
    summary = {}
    for label in labels:
        own = values[classes == label]
        if not len(own):
            continue
        q = np.quantile(own, [0, 0.25, 0.5, 0.75, 1]).tolist()
        summary[label] = {"quartiles": q, "mean": float(own.mean()), "rows": len(own)}
    return {"low": low, "high": high, "log": bool(low >= 0 and spread > 1000),
            "classes": summary}  # fmt: skip


def _categories(values: pd.Series, classes: np.ndarray, labels: list[str]) -> dict:
    top = values.value_counts().index[:TOP_CATEGORIES].tolist()
    summary = {}
    for label in labels:
        own = values[classes == label]
        if not len(own):
            continue
        counts = own.value_counts()
        shown = {c: int(counts.get(c, 0)) for c in top}
        summary[label] = {"counts": shown, "other": int(len(own) - sum(shown.values())),
                          "rows": len(own)}  # fmt: skip
    return {"categories": top, "classes": summary}


def balancing_report(
    sampler, X_fitted, y_fitted, y_before, labels: list[str], seed: int
) -> dict:
    """What the balancing did: rows generated per class, the share of drawn
    rows the sampler's filter refused, how far generated rows lie from real
    ones.

    Parameters
    ----------
    sampler : object or None
        The fitted balancing step (None: no balancing).
    X_fitted, y_fitted : array-like
        The rows the classifier was fitted on, in its input matrix: the
        training rows first, then the generated ones (imbalanced-learn's
        over-samplers' order).
    y_before : array-like
        The training rows' classes.
    labels : list of str
    seed : int
        Seeds the sample of rows whose distances are measured.

    Returns
    -------
    dict
        ``generated`` (class -> rows), ``filter_refused`` (class -> share of
        the rows drawn, where the sampler filters them), ``distance``
        (class -> the median distance of generated rows to the nearest real
        row of their class, the same for real rows to their nearest other
        real row, and the share of generated rows that copy a real one), or
        ``removed`` where the method also took rows away (then no distance
        is measured: generated rows are not told from the others).
    """
    if sampler is None:
        return {}
    before = class_counts(y_before, labels)
    after = class_counts(y_fitted, labels)
    report = {
        "generated": {c: max(after[c] - before[c], 0) for c in labels},
        "filter_refused": {
            str(c): 1.0 - float(share)
            for c, share in getattr(sampler, "filter_acceptance_", {}).items()
        },
    }
    if any(after[c] < before[c] for c in labels) or len(y_fitted) < len(y_before):
        report["removed"] = {c: max(before[c] - after[c], 0) for c in labels}
        return report
    report["distance"] = _distances(X_fitted, y_fitted, len(y_before), labels, seed)
    return report


def _distances(X, y, n_real: int, labels: list[str], seed: int) -> dict:
    """Nearest-neighbour distances, generated to real and real to real, per
    class, in the classifier's input matrix (scaled columns, one-hot
    categories), on a seeded sample of each."""
    X = np.asarray(X, dtype=np.float64)
    classes = np.asarray(y).astype(str)
    rng = np.random.default_rng(seed)
    found = {}
    for label in labels:
        real = np.flatnonzero(classes[:n_real] == label)
        new = n_real + np.flatnonzero(classes[n_real:] == label)
        if not len(new) or not len(real):
            continue
        real, new = _sample(real, rng), _sample(new, rng)
        index = NearestNeighbors(n_neighbors=min(2, len(real))).fit(X[real])
        to_real = index.kneighbors(X[new], n_neighbors=1)[0][:, 0]
        entry = {
            "generated_to_real": float(np.median(to_real)),
            "copies": float(np.mean(to_real == 0)),
            "measured": len(new),
        }
        if len(real) > 1:  # the nearest other real row: the second neighbour
            entry["real_to_real"] = float(np.median(index.kneighbors(X[real])[0][:, 1]))
        found[label] = entry
    return found


def _sample(rows: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    if len(rows) <= DISTANCE_ROWS:
        return rows
    return np.sort(rng.choice(rows, DISTANCE_ROWS, replace=False))
