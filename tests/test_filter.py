"""The filter of generated rows: what it keeps, what it costs, what it fills."""

import numpy as np
import pytest
from sklearn.tree import DecisionTreeClassifier

from imblearn_vae import DCBNVAESampler
from imblearn_vae._filter import MIN_ACCEPTANCE, RowFilter


@pytest.fixture
def halves():
    """Class 0 left of x = 0, class 1 right of it: the tree learns the line."""
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, (400, 2))
    return X, (X[:, 0] > 0).astype(int)


class Drawer:
    """Draws uniform rows, a share ``right`` of them right of the line."""

    def __init__(self, right, seed=0):
        self.right, self.rng, self.drawn = right, np.random.RandomState(seed), 0

    def __call__(self, n):
        self.drawn += n
        rows = self.rng.uniform(-1, 1, (n, 2))
        rows[:, 0] = np.where(self.rng.rand(n) < self.right, np.abs(rows[:, 0]),
                              -np.abs(rows[:, 0]))  # fmt: skip
        return rows


@pytest.mark.parametrize("right", [0.9, 0.5, 0.2, 0.05])
def test_classes_the_tree_accepts_get_only_accepted_rows(halves, right):
    X, y = halves
    row_filter = RowFilter(X, y, np.random.RandomState(0))
    drawer = Drawer(right)
    rows, share = row_filter.draw(drawer, 1000, class_index=1)
    assert rows.shape == (1000, 2)
    assert (row_filter.tree.predict(rows) == 1).all()
    assert share == pytest.approx(right, rel=0.2)
    # about the rows needed, and never more than the budget
    assert drawer.drawn < 1.5 * 1000 / right
    assert drawer.drawn <= 1000 / MIN_ACCEPTANCE


def test_a_class_almost_nothing_is_accepted_for_is_taken_as_drawn(halves):
    X, y = halves
    row_filter = RowFilter(X, y, np.random.RandomState(0))
    drawer = Drawer(MIN_ACCEPTANCE / 4)
    rows, share = row_filter.draw(drawer, 1000, class_index=1)
    assert share < MIN_ACCEPTANCE and rows.shape == (1000, 2)
    assert drawer.drawn == 1000  # one draw, kept whole: no rows wasted
    assert (row_filter.tree.predict(rows) == 0).mean() > 0.9


def test_the_filter_time_is_its_own_stage():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0, 1, (300, 2)), rng.normal(1, 1, (60, 2))])
    y = np.repeat([0, 1], [300, 60])
    sampler = DCBNVAESampler(random_state=0, device="cpu", epochs=2)
    sampler.fit_resample(X, y)
    assert set(sampler.fit_seconds_) == {"encode", "train", "filter", "generate",
                                         "decode"}  # fmt: skip
    assert all(seconds >= 0 for seconds in sampler.fit_seconds_.values())


def test_filtered_rows_lie_in_their_class_region_and_counts_hold():

    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0, 1, (300, 2)), rng.normal(1, 1, (60, 2))])
    y = np.repeat([0, 1], [300, 60])
    plain = DCBNVAESampler(random_state=0, device="cpu", epochs=20,
                           filter_generated=False)  # fmt: skip
    filtered = DCBNVAESampler(random_state=0, device="cpu", epochs=20)  # default
    tree = DecisionTreeClassifier(random_state=0).fit(X, y)
    shares = {}
    for name, sampler in (("plain", plain), ("filtered", filtered)):
        X_res, y_res = sampler.fit_resample(X, y)
        assert np.bincount(y_res).tolist() == [300, 300]
        shares[name] = (tree.predict(X_res[len(X) :]) == 1).mean()
    assert shares["filtered"] > shares["plain"] + 0.1, shares
    assert 0 < filtered.filter_acceptance_[1] < 1
    assert plain.filter_acceptance_ == {}
    assert DCBNVAESampler().filter_generated  # the default since the suite chose it
