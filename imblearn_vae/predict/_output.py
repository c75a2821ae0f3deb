"""Scores out: the label and the class probabilities of each row, as CSV."""

import csv
from typing import TextIO

import numpy as np
import pandas as pd

from ..detector import Detector, RowError


class Scorer:
    """The detector's pipeline on checked batches, written as CSV lines.

    Columns: ``line`` (of the input), ``label`` (the most probable class, as
    :meth:`~imblearn_vae.detector.Detector.predict` picks it) and ``p_<class>``
    for each class, in the detector's order of classes.
    """

    def __init__(self, detector: Detector):
        self.pipeline = detector.pipeline
        model = [str(c) for c in detector.pipeline.classes_]
        self.labels = model
        shown = detector.classes if set(detector.classes) == set(model) else model
        self.order = [model.index(c) for c in shown]
        self.header = ",".join(["line", "label", *(f"p_{c}" for c in shown)]) + "\n"

    def score(self, frame: pd.DataFrame, lines: np.ndarray) -> bytes:
        """The CSV lines of a batch of checked rows (no header)."""
        if not len(frame):
            return b""
        probabilities = self.pipeline.predict_proba(frame)
        return self.format(lines, probabilities)

    def format(self, lines: np.ndarray, probabilities: np.ndarray) -> bytes:
        """CSV lines ``line,label,p...`` of rows of class probabilities."""
        # A row's text depends only on its probabilities, and a tree has few
        # distinct leaves: each distinct row is formatted once.
        first, inverse = _distinct_rows(probabilities)
        texts = [self._text(probabilities[i]) for i in first.tolist()]
        return "".join(
            f"{line},{texts[i]}"
            for line, i in zip(lines.tolist(), inverse.tolist(), strict=True)
        ).encode()

    def _text(self, row: np.ndarray) -> str:
        scores = ",".join(f"{p:.6g}" for p in row[self.order].tolist())
        return f"{self.labels[row.argmax()]},{scores}\n"


def _distinct_rows(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first row of each distinct row of `values`, and which each row is.

    Rows are hashed (their float bits mixed into one integer) and grouped in
    linear time; ``np.unique(axis=0)`` sorts rows as records, many times slower.
    Should two different rows share a hash, every row stands for itself.
    """
    bits = np.ascontiguousarray(values, dtype=np.float64).view(np.uint64)
    key = np.zeros(len(values), dtype=np.uint64)
    for column in bits.T:
        key = key * np.uint64(0x100000001B3) ^ column
    inverse, uniques = pd.factorize(key)
    first = np.empty(len(uniques), dtype=np.int64)
    first[inverse[::-1]] = np.arange(len(values) - 1, -1, -1)
    if not np.array_equal(values[first][inverse], values, equal_nan=True):
        return np.arange(len(values)), np.arange(len(values))
    return first, inverse


class Rejects:
    """The rejects file: one CSV row per problem (line, field, reason, text).

    The header comes with the first problem: without any, nothing is written
    (standard error stays quiet).
    """

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.writer = csv.writer(stream, lineterminator="\n")
        self.rows = 0  # rejected input lines
        self.problems = 0

    def write(self, errors: list[RowError], text) -> None:
        """Write `errors` (rows are line numbers); `text(line)` is the input."""
        if not errors:
            return
        if not self.problems:
            self.writer.writerow(["line", "field", "reason", "text"])
        self.writer.writerows(
            (e.row, e.field, e.message, text(e.row)[:1000]) for e in errors
        )
        self.rows += len({e.row for e in errors})
        self.problems += len(errors)
