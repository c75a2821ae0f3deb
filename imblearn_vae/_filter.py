"""Keep the generated rows that look like their class to a model of the real rows.

A generator can put rows of one class where the real rows are of another:
on a table whose class follows exactly from the features (a chess ending's
depth to mate), or where classes overlap (two GPS coordinates). Rows like
these teach the classifier the wrong class. A decision tree fitted on the
real rows (in the network's matrix) says which class each generated row's
region belongs to; rows of another class's region are dropped and drawn
again (SMOTE-IPF, Saez et al. 2015, filters SMOTE's rows in this spirit).
"""

import numpy as np
from sklearn.tree import DecisionTreeClassifier

#: Rounds of drawing again before the rows still missing are taken unfiltered.
MAX_ROUNDS = 10


class RowFilter:
    """A decision tree of the real rows that accepts or refuses new ones.

    Parameters
    ----------
    X : ndarray of shape (n_rows, n_columns)
        The real rows, in the network's matrix.
    y : ndarray of shape (n_rows,)
        Their class indices.
    random_state : int or RandomState
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, random_state) -> None:
        self.tree = DecisionTreeClassifier(random_state=random_state).fit(X, y)

    def draw(self, draw, n_rows: int, class_index: int) -> tuple[np.ndarray, float]:
        """``n_rows`` rows of ``draw(n)`` that the tree puts in ``class_index``.

        Draws again, as many rows as are missing over the last acceptance
        rate, up to :data:`MAX_ROUNDS` rounds; rows still missing then are
        taken as drawn (so the counts of ``sampling_strategy`` hold). Returns
        the rows and the share of drawn rows accepted.
        """
        kept, n_drawn, missing = [], 0, n_rows
        for _ in range(MAX_ROUNDS):
            if missing == 0:
                break
            accepted = sum(len(k) for k in kept) / n_drawn if n_drawn else 1.0
            rows = draw(min(10 * missing, int(missing / max(accepted, 0.1)) + 1))
            n_drawn += len(rows)
            good = rows[self.tree.predict(rows) == class_index]
            kept.append(good[:missing])
            missing -= len(kept[-1])
        share = sum(len(k) for k in kept) / max(n_drawn, 1)
        if missing:
            kept.append(draw(missing))
        return np.vstack(kept), share
