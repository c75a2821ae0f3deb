"""Hypothesis properties of fit_resample on random small data sets."""

from collections import Counter

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from imblearn_vae._table import to_integers

from .conftest import SAMPLER_CLASSES, tiny

ONE_EPOCH = dict(epochs=1, batch_size=8)
PROPERTY_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def imbalanced_data(draw):
    sizes = draw(st.lists(st.integers(2, 25), min_size=2, max_size=4))
    n_features = draw(st.integers(1, 5))
    dtype = draw(st.sampled_from([np.float32, np.float64, np.int32]))
    elements = (
        st.integers(-1000, 1000)
        if dtype is np.int32
        else st.floats(-1e3, 1e3, allow_nan=False, width=32)
    )
    X = draw(arrays(dtype, (sum(sizes), n_features), elements=elements))
    labels = draw(
        st.sampled_from([np.arange(len(sizes)), np.array(list("abcd")[: len(sizes)])])
    )
    y = np.repeat(labels, sizes)
    return X, y


def _targets(y, strategy):
    counts = Counter(y)
    if strategy == "auto":
        majority = max(counts.values())
        return {k: majority for k in counts}
    return {**counts, **strategy}


@st.composite
def data_and_strategy(draw):
    X, y = draw(imbalanced_data())
    counts = Counter(y)
    if draw(st.booleans()):
        return X, y, "auto"
    chosen = draw(st.sets(st.sampled_from(sorted(counts)), min_size=1))
    strategy = {k: counts[k] + draw(st.integers(0, 30)) for k in chosen}
    return X, y, strategy


@PROPERTY_SETTINGS
@given(data=data_and_strategy(), Sampler=st.sampled_from(SAMPLER_CLASSES))
def test_counts_shapes_dtypes_and_originals(data, Sampler):
    X, y, strategy = data
    X_before = X.copy()
    X_res, y_res = tiny(Sampler, sampling_strategy=strategy, **ONE_EPOCH).fit_resample(
        X, y
    )

    assert Counter(y_res) == _targets(y, strategy)
    assert X_res.shape == (len(y_res), X.shape[1])
    assert X_res.dtype == X.dtype and y_res.dtype == y.dtype
    assert np.array_equal(X_res[: len(X)], X)  # bit-exact, and first
    assert np.array_equal(y_res[: len(y)], y)
    assert np.array_equal(X, X_before)  # the caller's data untouched
    new = X_res[len(X) :]
    assert np.all(new >= X.min(axis=0)) and np.all(new <= X.max(axis=0))


@PROPERTY_SETTINGS
@given(
    data=imbalanced_data(),
    seed=st.integers(0, 2**31 - 1),
    Sampler=st.sampled_from(SAMPLER_CLASSES),
)
def test_same_seed_same_output(data, seed, Sampler):
    X, y = data
    first = tiny(Sampler, random_state=seed, **ONE_EPOCH).fit_resample(X, y)
    second = tiny(Sampler, random_state=seed, **ONE_EPOCH).fit_resample(X, y)
    assert np.array_equal(first[0], second[0])
    assert np.array_equal(first[1], second[1])


#: Rounded floats, and float64's values at and past int64's and uint64's ends.
INTEGRAL_FLOATS = st.one_of(
    st.floats(-1e20, 1e20).map(np.rint),
    st.sampled_from([2.0**63, -(2.0**63), 2.0**64, 2.0**63 - 1024]),
)


@settings(max_examples=200, deadline=None)
@given(
    values=arrays(np.float64, st.integers(0, 20), elements=INTEGRAL_FLOATS),
    bounds=st.lists(st.integers(-(2**63), 2**64 - 1), min_size=2, max_size=2),
    dtype=st.sampled_from([np.int8, np.int32, np.int64, np.uint64]),
)
def test_integer_casts_stay_in_the_bounds_in_integer_space(values, bounds, dtype):
    low, high = sorted(bounds)
    info = np.iinfo(dtype)
    if max(low, int(info.min)) > min(high, int(info.max)):
        return  # bounds outside the dtype: no column of it has them
    out = to_integers(values, low, high, dtype)
    assert out.dtype == dtype
    as_ints = [int(v) for v in out]
    assert all(max(low, info.min) <= v <= min(high, info.max) for v in as_ints)
