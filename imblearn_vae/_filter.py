"""Keep the generated rows that look like their class to a model of the real rows.

A generator can put rows of one class where the real rows are of another:
on a table whose class follows exactly from the features (a chess ending's
depth to mate), or where classes overlap (two GPS coordinates). Rows like
these teach the classifier the wrong class. A decision tree fitted on the
real rows (in the network's matrix) says which class each generated row's
region belongs to; rows of another class's region are dropped and drawn
again (SMOTE-IPF, Saez et al. 2015, filters SMOTE's rows in this spirit).

Where almost every row of a class is refused (less than
:data:`MIN_ACCEPTANCE`), the tree's regions of that class are too small or
scattered for any generator to hit, and refusing would only cost draws: the
class's rows are taken as drawn. So the draws stay bounded, at most
``1 / MIN_ACCEPTANCE`` times the rows asked for, one draw where the filter
gives up at once.
"""

import math
import time

import numpy as np
from sklearn.tree import DecisionTreeClassifier

#: Below this share of accepted rows in the first draw, a class's rows are
#: taken as drawn; above it, drawn again until the count holds.
MIN_ACCEPTANCE = 0.02


class RowFilter:
    """A decision tree of the real rows that accepts or refuses new ones.

    Parameters
    ----------
    X : ndarray of shape (n_rows, n_columns)
        The real rows, in the network's matrix.
    y : ndarray of shape (n_rows,)
        Their class indices.
    random_state : RandomState
        Seeds the tree.

    Attributes
    ----------
    fitting, judging : float
        Seconds spent fitting the tree, and judging rows (not drawing them).
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, random_state) -> None:
        start = time.perf_counter()
        self.tree = DecisionTreeClassifier(random_state=random_state).fit(X, y)
        self.fitting, self.judging = time.perf_counter() - start, 0.0

    def draw(self, draw, n_rows: int, class_index: int) -> tuple[np.ndarray, float]:
        """``n_rows`` rows of ``draw(n)`` that the tree puts in ``class_index``.

        The first draw is of ``n_rows``; if less than :data:`MIN_ACCEPTANCE`
        of it is accepted, its rows are taken as drawn. Otherwise each further
        draw is of the rows still missing over the acceptance so far, until
        the count holds or ``n_rows / MIN_ACCEPTANCE`` rows were drawn, after
        which refused rows fill in. Returns the rows and the share of the
        drawn rows that the tree accepted.
        """
        kept, refused, n_drawn, n_kept = [], [], 0, 0
        budget = math.ceil(n_rows / MIN_ACCEPTANCE)
        while n_kept < n_rows and n_drawn < budget:
            accepted = n_kept / n_drawn if n_drawn else 1.0
            if n_drawn and accepted < MIN_ACCEPTANCE:
                break
            missing = n_rows - n_kept
            n = min(
                budget - n_drawn, math.ceil(missing / max(accepted, MIN_ACCEPTANCE))
            )
            rows = draw(n)
            n_drawn += n
            good = self._judge(rows, class_index)
            kept.append(rows[good][:missing])
            refused.append(rows[~good])
            n_kept += len(kept[-1])
        if n_kept < n_rows:
            kept.append(np.vstack(refused)[: n_rows - n_kept])
        return np.vstack(kept), n_kept / n_drawn

    def _judge(self, rows: np.ndarray, class_index: int) -> np.ndarray:
        start = time.perf_counter()
        good = self.tree.predict(rows) == class_index
        self.judging += time.perf_counter() - start
        return good
