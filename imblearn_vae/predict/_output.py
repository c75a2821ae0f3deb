"""Scores out: the label and the class probabilities of each row, as CSV,
and the rejects. Every text cell is written by the detector's CSV rule
(:mod:`imblearn_vae.detector.csv_cells`: quoted where it needs it, and safe
to open in a spreadsheet), as the site's downloads are."""

import csv
from typing import TextIO

import numpy as np
import pandas as pd

from ..detector import Detector, RowError, Scorer
from ..detector.csv_cells import csv_line, text_cell
from ..detector.rows import Columns


class ScoreWriter:
    """The detector's scores of checked batches, written as CSV lines.

    Columns: ``line`` (of the input), ``label`` (the most probable class, as
    :meth:`~imblearn_vae.detector.Detector.predict` picks it) and ``p_<class>``
    for each class, in the detector's order of classes.
    """

    def __init__(self, detector: Detector):
        self.scorer = Scorer(detector)
        model = self.scorer.classes
        shown = detector.classes if set(detector.classes) == set(model) else model
        self.order = [model.index(c) for c in shown]
        # a class is text from the training table: its cell is made once
        self.labels = [csv_line([c]).rstrip("\n") for c in model]
        self.header = csv_line(["line", "label", *(f"p_{c}" for c in shown)])

    def score(self, columns: Columns, lines: np.ndarray) -> bytes:
        """The CSV lines of a batch of checked rows (no header)."""
        if not len(lines):
            return b""
        return self.format(lines, self.scorer.probabilities(columns))

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
    (standard error stays quiet). The field, the reason and the line's text
    come from the input: each is a safe text cell.
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
            (e.row, text_cell(e.field), text_cell(e.message),
             text_cell(text(e.row)[:1000]))
            for e in errors
        )  # fmt: skip
        self.rows += len({e.row for e in errors})
        self.problems += len(errors)
