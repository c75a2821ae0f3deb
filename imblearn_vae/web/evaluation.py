"""How a model did on labelled rows: accuracy, each class's recall and
precision, and the confusion matrix, as the pages show and draw them.

The same object serves the model page (the test scores kept in the model
file) and an upload with a label column (counts from the database).
"""

from dataclasses import dataclass


@dataclass
class Evaluation:
    """A confusion matrix over ``classes``: ``matrix[i][j]`` rows of class
    ``classes[i]`` were predicted as ``classes[j]``."""

    classes: list[str]
    matrix: list[list[int]]

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
        return sum(map(sum, self.matrix))

    @property
    def correct(self) -> int:
        return sum(self.matrix[i][i] for i in range(len(self.classes)))

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None

    def support(self, i: int) -> int:
        return sum(self.matrix[i])

    def recall(self, i: int) -> float | None:
        return self.matrix[i][i] / self.support(i) if self.support(i) else None

    def precision(self, i: int) -> float | None:
        predicted = sum(row[i] for row in self.matrix)
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
    return Evaluation(list(classes), [list(map(int, row)) for row in matrix])
