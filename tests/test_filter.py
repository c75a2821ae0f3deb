"""The filter of generated rows: what it keeps, what it costs, what it fills."""

import tracemalloc

import numpy as np
import pytest
from sklearn.tree import DecisionTreeClassifier

from imblearn_vae import DCBNVAESampler, _filter
from imblearn_vae._filter import (
    DRAW_BUDGET,
    MIN_ACCEPTANCE,
    PIECE_ROWS,
    RowFilter,
    piece_rows,
)


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
        self.largest = 0  # the most rows asked for in one call

    def __call__(self, n):
        self.drawn += n
        self.largest = max(self.largest, n)
        rows = self.rng.uniform(-1, 1, (n, 2))
        rows[:, 0] = np.where(self.rng.rand(n) < self.right, np.abs(rows[:, 0]),
                              -np.abs(rows[:, 0]))  # fmt: skip
        return rows


@pytest.mark.parametrize("right", [0.9, 0.5, 0.2])
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
    assert drawer.drawn <= 1000 * DRAW_BUDGET


def test_the_budget_ends_the_draws_and_refused_rows_fill_in(halves):
    """Accepted at 5%: the count would need 20x the rows; the budget's 10x
    gives about half of them accepted, and the first refused rows the rest."""
    X, y = halves
    row_filter = RowFilter(X, y, np.random.RandomState(0))
    drawer = Drawer(0.05)
    rows, share = row_filter.draw(drawer, 1000, class_index=1)
    assert rows.shape == (1000, 2)
    assert drawer.drawn == 1000 * DRAW_BUDGET
    n_accepted = int((row_filter.tree.predict(rows) == 1).sum())
    assert share == n_accepted / drawer.drawn == pytest.approx(0.05, rel=0.2)
    # accepted rows first, then refused ones
    assert (row_filter.tree.predict(rows[:n_accepted]) == 1).all()
    assert (row_filter.tree.predict(rows[n_accepted:]) == 0).all()


def test_a_class_almost_nothing_is_accepted_for_is_taken_as_drawn(halves):
    X, y = halves
    row_filter = RowFilter(X, y, np.random.RandomState(0))
    drawer = Drawer(MIN_ACCEPTANCE / 4)
    rows, share = row_filter.draw(drawer, 1000, class_index=1)
    assert share < MIN_ACCEPTANCE and rows.shape == (1000, 2)
    assert drawer.drawn == 1000  # one draw, kept whole: no rows wasted
    assert (row_filter.tree.predict(rows) == 0).mean() > 0.9


@pytest.mark.parametrize("n_rows", [7, 1000, 20000])
def test_a_rarely_accepted_class_gets_its_count_and_its_acceptance(halves, n_rows):
    X, y = halves
    row_filter = RowFilter(X, y, np.random.RandomState(0))
    drawer = Drawer(1.3 * MIN_ACCEPTANCE)  # just over: drawn again, to the budget
    rows, share = row_filter.draw(drawer, n_rows, class_index=1)
    assert rows.shape == (n_rows, 2)
    assert drawer.drawn <= n_rows * DRAW_BUDGET
    # the share of the drawn rows kept as accepted, refused ones filling in
    n_accepted = int((row_filter.tree.predict(rows) == 1).sum())
    assert share == n_accepted / drawer.drawn
    assert share > MIN_ACCEPTANCE


@pytest.mark.parametrize("right", [0.9, 0.2, 1.3 * MIN_ACCEPTANCE])
def test_the_filter_asks_the_generator_for_bounded_pieces(halves, right):
    X, y = halves
    row_filter = RowFilter(X, y, np.random.RandomState(0))
    drawer = Drawer(right)
    row_filter.draw(drawer, 1000, class_index=1)
    # a redraw at 2.6% acceptance is ~38,000 rows; asked 8,192 at a time
    assert drawer.largest <= piece_rows(1000) == PIECE_ROWS
    assert piece_rows(20000) < 20000 + PIECE_ROWS


def test_the_filter_holds_rows_of_the_order_of_those_asked_for(halves, monkeypatch):
    monkeypatch.setattr(_filter, "DRAW_BUDGET", 50)  # the budget before issue 31
    X, y = halves
    row_filter = RowFilter(X, y, np.random.RandomState(0))
    drawer = Drawer(1.5 * MIN_ACCEPTANCE)  # ~650,000 rows drawn for 20,000
    tracemalloc.start()
    try:
        rows, _ = row_filter.draw(drawer, 20000, class_index=1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert drawer.drawn > 20 * len(rows)
    # all refused rows held until the end were ~100x the output's bytes
    assert peak < 20 * rows.nbytes, peak / rows.nbytes


class Stream:
    """Rows handed out in order: drawing n rows in pieces or at once is alike."""

    def __init__(self, right, n_rows=1_000_000):
        self.rows = Drawer(right, seed=1)(n_rows)
        self.position = 0

    def __call__(self, n):
        self.position += n
        return self.rows[self.position - n : self.position].copy()


@pytest.mark.parametrize("right", [0.9, 0.2, 1.3 * MIN_ACCEPTANCE])
def test_drawing_in_pieces_gives_the_rows_of_drawing_at_once(halves, right,
                                                             monkeypatch):  # fmt: skip
    X, y = halves
    row_filter = RowFilter(X, y, np.random.RandomState(0))
    pieces = Stream(right)
    in_pieces = row_filter.draw(pieces, 10000, class_index=1)
    monkeypatch.setattr(_filter, "PIECE_ROWS", 10**9)
    whole = Stream(right)
    at_once = row_filter.draw(whole, 10000, class_index=1)
    np.testing.assert_array_equal(in_pieces[0], at_once[0])
    assert in_pieces[1] == at_once[1]
    # the stream moves on alike: the next class's rows are the same
    assert pieces.position == whole.position


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
