"""Where the classes overlap: each row's mix of classes in its region of the table.

Two recent ways to generate for imbalanced tables start from where the
classes overlap. ORD (D'souza, M and Sarawagi, 2024, "Synthetic tabular data
generation for imbalanced classification: the surprising effectiveness of an
overlap class") labels the majority rows that overlap the minority as a class
of their own for the generator and leaves them out of what the classifier
trains on. LEO-CVAE (2025, "local entropy-guided oversampling") weights the
CVAE's training and its generation by the entropy of the class mix around
each row, towards the uncertain, borderline regions.

Both papers take a row's neighbourhood from its k nearest neighbours. Here
the neighbourhood is the row's leaf in a decision tree of the real rows whose
leaves hold at least :data:`MIN_LEAF_ROWS` rows: the same idea (the rows
around it, with their classes) at the cost of one tree, where a k-nearest
neighbour search over KDDTrain+'s 126,000 rows in 122 columns takes longer
than the sampler's whole training.
"""

from typing import NamedTuple

import numpy as np
import torch
from sklearn.tree import DecisionTreeClassifier

#: The least number of real rows in a neighbourhood (the k of k-NN).
MIN_LEAF_ROWS = 10


class ClassMix:
    """The share of each class in each row's neighbourhood.

    Parameters
    ----------
    X : ndarray of shape (n_rows, n_columns)
        The real rows, in the network's matrix.
    y : ndarray of shape (n_rows,)
        Their class indices, 0 to ``n_classes - 1``.
    n_classes : int
    random_state : RandomState
        Seeds the tree.

    Attributes
    ----------
    shares : ndarray of shape (n_rows, n_classes)
        Row ``i``'s neighbourhood's rows by class, as shares summing to 1.
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, n_classes: int,
                 random_state) -> None:  # fmt: skip
        tree = DecisionTreeClassifier(
            min_samples_leaf=MIN_LEAF_ROWS, random_state=random_state
        ).fit(X, y)
        leaves = np.unique(tree.apply(X), return_inverse=True)[1]
        counts = np.zeros((leaves.max() + 1, n_classes))
        np.add.at(counts, (leaves, y), 1)
        self.shares = (counts / counts.sum(axis=1, keepdims=True))[leaves]

    def entropy(self) -> np.ndarray:
        """Each row's neighbourhood's class entropy, from 0 (one class) to 1
        (every class alike)."""
        n_classes = self.shares.shape[1]
        if n_classes < 2:
            return np.zeros(len(self.shares))
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(self.shares > 0, self.shares * np.log(self.shares), 0)
        return -terms.sum(axis=1) / np.log(n_classes)

    def overlap(self, y: np.ndarray, minority: np.ndarray) -> np.ndarray:
        """The rows of classes not in ``minority`` whose neighbourhood is at
        least as rich in those classes as the table (ORD's overlap rows), as a
        boolean mask.

        ``minority`` is a boolean mask over the classes. A row overlaps when
        the share of ``minority`` classes in its neighbourhood reaches their
        share of the whole table: one stray minority row in a leaf of a large
        class does not make the leaf an overlap region. A class whose every
        row would overlap keeps them all: ORD sets part of a class aside, it
        never takes a class out of the output.
        """
        is_minority = minority[y]
        local = self.shares[:, minority].sum(axis=1)
        overlap = ~is_minority & (local > 0) & (local >= is_minority.mean())
        for klass in np.unique(y[overlap]):
            rows = y == klass
            if overlap[rows].all():
                overlap[rows] = False
        return overlap


class OverlapPlan(NamedTuple):
    """What the overlap levers change in a fit."""

    labels: np.ndarray  # the training labels (ORD: one more for overlap rows)
    row_weights: torch.Tensor | None  # how often each row is drawn
    generation_weights: torch.Tensor | None  # where new rows are drawn around
    overlap_rows: np.ndarray  # rows left out of the output


def plan_overlap(X, y, classes, sampling_strategy, overlap_class: bool,
                 entropy_weight: float, random_state) -> OverlapPlan:  # fmt: skip
    """The samplers' ``overlap_class`` and ``entropy_weight`` on one table.

    ``overlap_class``: rows of the classes not oversampled whose
    neighbourhood holds the oversampled classes at least in their share of
    the table (:meth:`ClassMix.overlap`) train as a class of their own
    (index ``len(classes)``) and are left out of the output; a class none of
    whose rows would remain keeps them all.
    ``entropy_weight``: rows are drawn for training in proportion to ``1 +
    entropy_weight * H`` (``H`` their neighbourhood's class entropy), and
    generation draws around real rows in proportion to ``H``.
    """
    nothing = np.empty(0, dtype=np.intp)
    if not (overlap_class or entropy_weight):
        return OverlapPlan(y, None, None, nothing)
    mix = ClassMix(X, y, len(classes), random_state)
    row_weights = generation_weights = None
    if entropy_weight:
        entropy = mix.entropy()
        row_weights = torch.from_numpy(1 + entropy_weight * entropy)
        generation_weights = torch.from_numpy(entropy + 1e-3)  # none left out
    if not overlap_class:
        return OverlapPlan(y, row_weights, generation_weights, nothing)
    minority = np.array([sampling_strategy.get(c, 0) > 0 for c in classes])
    overlap = mix.overlap(y, minority)
    labels = np.where(overlap, len(classes), y)
    return OverlapPlan(labels, row_weights, generation_weights,
                       np.flatnonzero(overlap))  # fmt: skip
