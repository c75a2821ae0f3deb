"""SDV's TVAE and CTGAN as over-samplers (needs the optional ctgan package)."""

import builtins
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from imblearn_vae.compare.peers import CTGANSampler, TVAESampler


@pytest.fixture
def table(traffic_frame):
    return traffic_frame.drop(columns="class"), traffic_frame["class"].to_numpy()


@pytest.mark.parametrize("Sampler", [TVAESampler, CTGANSampler])
def test_peers_bring_each_class_up_with_valid_rows(Sampler, table):
    pytest.importorskip("ctgan")
    X, y = table
    X_before = X.copy()
    sampler = Sampler(epochs=2, batch_size=50, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    counts = pd.Series(y_res).value_counts()
    assert counts.to_dict() == {"normal": 160, "scan": 160, "flood": 160}
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == list(X.columns)
    pd.testing.assert_frame_equal(X_res.iloc[: len(X)], X)  # originals first
    pd.testing.assert_frame_equal(X, X_before)  # the caller's table untouched
    assert set(X_res["proto"]) <= {"tcp", "udp"}
    assert X_res.dtypes.to_dict() == X.dtypes.to_dict()


class ConditionHalfKept:
    """A stand-in for ``ctgan.CTGAN`` whose condition holds for two rows in
    three: the others come out "normal". ``bytes`` tells the rows apart
    (1: the class asked for, -1: another); ``given`` counts what it gave."""

    def __init__(self, epochs, batch_size, enable_gpu):
        self.given = {}

    def set_random_state(self, seed):
        pass

    def fit(self, frame, discrete_columns):
        self.label = discrete_columns[-1]

    def sample(self, n, condition_column, condition_value):
        assert condition_column == self.label
        asked = np.arange(n) % 3 != 0
        self.given.setdefault(condition_value, []).append((n, int((~asked).sum())))
        return pd.DataFrame({
            "bytes": np.where(asked, 1.0, -1.0), "rate": 0.5, "proto": "tcp",
            self.label: np.where(asked, condition_value, "normal"),
        })  # fmt: skip


def test_ctgan_keeps_the_rows_of_the_class_and_counts_the_others(table, monkeypatch):
    """``rejected_`` is the number of rows sampled under a class's condition
    that came out another class; only the class's own rows are kept."""
    from imblearn_vae.compare import peers

    monkeypatch.setattr(
        peers, "_import_ctgan", lambda: SimpleNamespace(CTGAN=ConditionHalfKept)
    )
    X, y = table
    sampler = CTGANSampler(epochs=1, batch_size=50, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    given = sampler.model_.given
    assert set(given) == {"scan", "flood"}
    # 110 scan rows to make: two draws of 110 rows, 37 of each another class
    assert given["scan"] == [(110, 37), (110, 37)]
    assert sampler.rejected_ == {
        klass: sum(other for _, other in draws) for klass, draws in given.items()
    }
    assert sampler.rejected_ == {"scan": 74, "flood": 88}
    new_X, new_y = X_res.iloc[len(X) :], y_res[len(X) :]
    assert pd.Series(new_y).value_counts().to_dict() == {"scan": 110, "flood": 130}
    assert set(new_X["bytes"]) == {1.0}  # no row of another class kept


def test_a_class_of_one_row_is_refused_with_a_way_on(table):
    X, y = table
    y = y.copy()
    y[0] = "rare"
    with pytest.raises(ValueError, match=r"class 'rare' has 1.*sampling_strategy"):
        TVAESampler(epochs=1).fit_resample(X, y)


def test_without_ctgan_the_error_says_how_to_install_it(table, monkeypatch):
    real_import = builtins.__import__

    def no_ctgan(name, *args, **kwargs):
        if name == "ctgan":
            raise ImportError("No module named 'ctgan'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ctgan)
    with pytest.raises(ImportError, match=r"pip install 'imblearn-vae\[peers\]'"):
        TVAESampler(epochs=1).fit_resample(*table)


def test_same_seed_same_rows(table):
    pytest.importorskip("ctgan")
    X, y = table
    first = TVAESampler(epochs=2, batch_size=50, random_state=3).fit_resample(X, y)[0]
    again = TVAESampler(epochs=2, batch_size=50, random_state=3).fit_resample(X, y)[0]
    np.testing.assert_array_equal(first.to_numpy(), again.to_numpy())


def test_forestflow_brings_each_class_up_with_valid_rows(table):
    pytest.importorskip("ForestDiffusion")
    from imblearn_vae.compare.peers import ForestFlowSampler

    X, y = table
    X_before = X.copy()
    state = np.random.get_state()  # noqa: NPY002 (what the package changes)
    sampler = ForestFlowSampler(
        n_t=3, duplicate_K=2, n_estimators=5, max_rows=20, random_state=0
    )
    X_res, y_res = sampler.fit_resample(X, y)
    assert pd.Series(y_res).value_counts().to_dict() == {
        "normal": 160, "scan": 160, "flood": 160
    }  # fmt: skip
    pd.testing.assert_frame_equal(X_res.iloc[: len(X)], X)
    pd.testing.assert_frame_equal(X, X_before)
    assert set(X_res["proto"]) <= {"tcp", "udp"}
    assert X_res.dtypes.to_dict() == X.dtypes.to_dict()
    # "flood" is all udp... or tcp: a class's constant column stays constant
    for klass in ("scan", "flood"):
        seen = set(X.loc[y == klass, "proto"])
        if len(seen) == 1:
            assert set(X_res.loc[y_res == klass, "proto"]) == seen
    # ForestDiffusion seeds numpy's global generator; we put it back
    after = np.random.get_state()  # noqa: NPY002
    assert np.array_equal(state[1], after[1]) and state[2] == after[2]
    # the same seed gives the same rows
    again, _ = ForestFlowSampler(
        n_t=3, duplicate_K=2, n_estimators=5, max_rows=20, random_state=0
    ).fit_resample(X, y)
    pd.testing.assert_frame_equal(X_res, again)
