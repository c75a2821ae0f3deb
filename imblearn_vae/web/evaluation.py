"""How a model did on labelled rows: accuracy, each class's recall and
precision, and the confusion matrix, as the pages show and draw them.

The same object serves the model page (the test scores kept in the model
file) and an upload with a label column (counts from the database).
"""

import functools
import heapq
from dataclasses import dataclass, field

#: The most classes whose confusion matrix a page draws (a grid of this
#: many squared cells); beyond it, a page lists the largest confusions. A
#: model's classes are its training table's: a page's cost must not grow
#: with their square (300 classes made a 25 MB model page, 4 s to draw, for
#: any visitor).
MATRIX_CLASSES = 30


@dataclass
class Evaluation:
    """A confusion matrix over ``classes``: ``matrix[i][j]`` rows of class
    ``classes[i]`` were predicted as ``classes[j]``."""

    classes: list[str]
    matrix: list[list[int]]
    _rows: list[int] = field(init=False, repr=False)
    _columns: list[int] = field(init=False, repr=False)

    def __post_init__(self):
        # each row's and column's sum once: a class's support and its
        # predictions (summed per call, the matrix's cells cost n^3)
        self._rows = [sum(row) for row in self.matrix]
        self._columns = [sum(c) for c in zip(*self.matrix, strict=True)]

    @classmethod
    def from_pairs(cls, classes: list[str], pairs) -> "Evaluation":
        """From ``(actual, predicted, count)`` triples; pairs outside
        ``classes`` are left out."""
        index = {c: i for i, c in enumerate(classes)}
        matrix = [[0] * len(classes) for _ in classes]
        for actual, predicted, count in pairs:
            if actual in index and predicted in index:
                matrix[index[actual]][index[predicted]] += count
        return cls(list(classes), matrix)

    @property
    def total(self) -> int:
        return sum(self._rows)

    @property
    def correct(self) -> int:
        return sum(self.matrix[i][i] for i in range(len(self.classes)))

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None

    def support(self, i: int) -> int:
        return self._rows[i]

    def recall(self, i: int) -> float | None:
        return self.matrix[i][i] / self.support(i) if self.support(i) else None

    def precision(self, i: int) -> float | None:
        predicted = self._columns[i]
        return self.matrix[i][i] / predicted if predicted else None

    def f1(self, i: int) -> float | None:
        recall, precision = self.recall(i), self.precision(i)
        if recall is None or precision is None:
            return None
        return 2 * recall * precision / (recall + precision) if recall else 0.0

    def per_class(self) -> list[dict]:
        """One dict per class: name, support, recall, precision and F1 (None
        where no row is of the class, or predicted as it)."""
        return [
            {"name": name, "support": self.support(i), "recall": self.recall(i),
             "precision": self.precision(i), "f1": self.f1(i)}
            for i, name in enumerate(self.classes)
        ]  # fmt: skip

    def recall_bars(self) -> list[dict]:
        """The bars of a recall chart: name, value and text per class."""
        return [
            {"name": row["name"], "value": row["recall"],
             "text": "no rows" if row["recall"] is None
             else f"{100 * row['recall']:.1f}% of {row['support']:,}"}
            for row in self.per_class()
        ]  # fmt: skip

    @property
    def drawn(self) -> bool:
        """Whether a page draws the matrix (:data:`MATRIX_CLASSES`)."""
        return len(self.classes) <= MATRIX_CLASSES

    @functools.cached_property
    def largest_confusions(self) -> list[dict]:
        """The :data:`MATRIX_CLASSES` largest cells off the diagonal (an
        actual class predicted as another), largest first: what a page shows
        of a matrix too large to draw."""
        found = heapq.nsmallest(MATRIX_CLASSES, (
            (-n, i, j) for i, row in enumerate(self.matrix)
            for j, n in enumerate(row) if n and i != j
        ))  # fmt: skip
        return [
            {"actual": self.classes[i], "predicted": self.classes[j], "count": -n,
             "share": -n / self.support(i)}
            for n, i, j in found
        ]  # fmt: skip

    def cells(self) -> list[dict]:
        """The matrix's cells for the chart: position, count, and the count's
        share of its row (the actual class), which shades the cell."""
        return [
            {"row": i, "column": j, "count": count,
             "share": count / self.support(i) if self.support(i) else 0.0}
            for i, row in enumerate(self.matrix)
            for j, count in enumerate(row)
        ]  # fmt: skip


def from_scores(scores: dict, classes: list[str]) -> Evaluation | None:
    """The confusion matrix a model file keeps, or None (older files)."""
    matrix = scores.get("confusion")
    if not matrix or len(matrix) != len(classes):
        return None
    if any(len(row) != len(classes) for row in matrix):
        return None
    return Evaluation(list(classes), [list(map(int, row)) for row in matrix])
