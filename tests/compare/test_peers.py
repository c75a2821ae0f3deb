"""SDV's TVAE and CTGAN as over-samplers (needs the optional ctgan package)."""

import builtins

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


def test_ctgan_counts_the_rows_its_condition_gave_to_other_classes(table):
    pytest.importorskip("ctgan")
    X, y = table
    sampler = CTGANSampler(epochs=1, batch_size=50, random_state=0)
    sampler.fit_resample(X, y)
    assert set(sampler.rejected_) == {"scan", "flood"}
    assert all(n >= 0 for n in sampler.rejected_.values())
    # one epoch hardly learns the condition: most rows come out another class
    assert sum(sampler.rejected_.values()) > 0


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
