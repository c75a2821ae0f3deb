"""Mixed tables: categorical_features and categorical_encoder on every sampler."""

import pickle
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.base import clone
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

from imblearn_vae.datasets import fetch_nsl_kdd

from .conftest import SAMPLER_CLASSES, fast, tiny

CATEGORICAL = ["protocol_type", "service", "flag"]


def _shop_frame(n_per_class=(60, 15), seed=0):
    """Numbers of several dtypes, a pandas categorical and a string column."""
    rng = np.random.RandomState(seed)
    n = sum(n_per_class)
    return pd.DataFrame(
        {
            "price": rng.gamma(2.0, 10.0, n),
            "count": rng.randint(0, 50, n).astype(np.int64),
            "weight": rng.rand(n).astype(np.float32),
            "colour": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
            "shop": rng.choice(["north", "south"], n).astype(object),
        }
    ), np.repeat(["common", "rare"], n_per_class)


# --- raw NSL-KDD -------------------------------------------------------------------


@pytest.fixture(scope="module")
def raw_nsl_kdd(nsl_kdd_home):
    bunch = fetch_nsl_kdd(
        subset="KDDTrain+_20Percent", data_home=nsl_kdd_home, as_frame=True
    )
    return bunch.data, np.asarray(bunch.target)


@pytest.mark.slow
@pytest.mark.parametrize("Sampler", SAMPLER_CLASSES, ids=lambda c: c.__name__)
def test_raw_nsl_kdd_frame_goes_straight_in(raw_nsl_kdd, Sampler):
    X, y = raw_nsl_kdd
    X_before = X.copy()
    sampler = fast(Sampler, categorical_features="auto", epochs=1, batch_size=256)
    X_res, y_res = sampler.fit_resample(X, y)

    pd.testing.assert_frame_equal(X, X_before)  # the caller's frame untouched
    assert isinstance(X_res, pd.DataFrame)
    assert list(X_res.columns) == list(X.columns)
    assert (X_res.dtypes == X.dtypes).all()
    pd.testing.assert_frame_equal(
        X_res.iloc[: len(X)].reset_index(drop=True), X.reset_index(drop=True)
    )
    assert set(Counter(y_res).values()) == {max(Counter(y).values())}
    new = X_res.iloc[len(X) :]
    for column in CATEGORICAL:  # every generated value was seen in training
        assert new[column].isin(X[column].unique()).all(), column
    assert new["service"].nunique() > 1
    assert list(sampler.table_encoder_.categorical_features_) == [1, 2, 3]
    numeric = new.drop(columns=CATEGORICAL)
    assert (
        ((numeric >= X[numeric.columns].min()) & (numeric <= X[numeric.columns].max()))
        .all()
        .all()
    )


# --- string arrays, integer codes, encoders ----------------------------------------


@pytest.mark.parametrize("Sampler", SAMPLER_CLASSES, ids=lambda c: c.__name__)
def test_object_array_with_strings_and_numbers(Sampler):
    frame, y = _shop_frame()
    X = frame.to_numpy(dtype=object)
    X_res, _ = tiny(Sampler, categorical_features=[3, 4]).fit_resample(X, y)
    assert X_res.dtype == object
    assert X_res[: len(X)].tolist() == X.tolist()
    new = X_res[len(X) :]
    assert set(new[:, 3]) <= {"red", "green", "blue"}
    assert set(new[:, 4]) <= {"north", "south"}
    assert all(isinstance(v, int) for v in new[:, 1])  # an all-int column stays int
    assert all(isinstance(v, float) for v in new[:, 0])


def test_integer_coded_categories_in_a_numeric_array():
    rng = np.random.RandomState(0)
    X = np.column_stack([rng.rand(80), rng.choice([3.0, 7.0, 11.0], 80)])
    y = np.repeat([0, 1], [60, 20])
    X_res, _ = tiny(SAMPLER_CLASSES[0], categorical_features=[1]).fit_resample(X, y)
    assert X_res.dtype == np.float64
    assert set(np.unique(X_res[80:, 1])) <= {3.0, 7.0, 11.0}


@pytest.mark.parametrize(
    "categorical_features",
    [["colour", "shop"], [3, 4], [-2, -1], [False, False, False, True, True]],
)
def test_column_names_indices_and_masks_agree(categorical_features):
    frame, y = _shop_frame()
    sampler = tiny(SAMPLER_CLASSES[0], categorical_features=categorical_features)
    X_res, _ = sampler.fit_resample(frame, y)
    assert list(sampler.table_encoder_.categorical_features_) == [3, 4]
    assert list(sampler.table_encoder_.numeric_features_) == [0, 1, 2]
    reference = tiny(SAMPLER_CLASSES[0], categorical_features=[3, 4])
    pd.testing.assert_frame_equal(X_res, reference.fit_resample(frame, y)[0])


def test_a_sparse_output_encoder_is_accepted():
    frame, y = _shop_frame()
    encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=True)
    sampler = tiny(SAMPLER_CLASSES[0], categorical_features=[3, 4],
                   categorical_encoder=encoder)  # fmt: skip
    X_res, _ = sampler.fit_resample(frame, y)
    assert set(X_res["shop"]) == {"north", "south"}
    assert sampler.table_encoder_.categorical_encoder_ is not encoder  # a fitted clone


def test_sample_gives_a_frame_with_the_fitted_dtypes():
    frame, y = _shop_frame()
    sampler = tiny(SAMPLER_CLASSES[0], categorical_features="auto")
    with pytest.raises(ValueError, match="'shop' is not numeric"):
        sampler.fit_resample(frame, y)  # "auto" finds only the pandas categorical
    sampler.set_params(categorical_features=["colour", "shop"]).fit_resample(frame, y)
    rows = sampler.sample(5, "rare")
    assert isinstance(rows, pd.DataFrame) and rows.shape == (5, 5)
    assert (rows.dtypes == frame.dtypes).all()


def test_clone_and_pickle_keep_the_mixed_behaviour():
    frame, y = _shop_frame()
    sampler = tiny(SAMPLER_CLASSES[0], categorical_features=["colour", "shop"])
    sampler.fit_resample(frame, y)
    restored = pickle.loads(pickle.dumps(sampler))
    assert restored.sample(3, "rare")["colour"].isin(["red", "green", "blue"]).all()
    assert clone(sampler).get_params()["categorical_features"] == ["colour", "shop"]


def test_without_categorical_features_behaviour_is_unchanged(imbalanced):
    X, y = imbalanced
    plain = tiny(SAMPLER_CLASSES[0]).fit_resample(X, y)[0]
    empty = tiny(SAMPLER_CLASSES[0], categorical_features=[]).fit_resample(X, y)[0]
    np.testing.assert_array_equal(plain, empty)


# --- bad input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "categorical_features, message",
    [
        (["colour", "size"], "names column 'size', which X does not have"),
        ([3, 9], "names column 9, but X has 5 columns"),
        ([True, False], "boolean mask needs one entry per column of X \\(5\\)"),
        ([[3, 4]], "1-d list"),
    ],
)
def test_bad_categorical_features_name_the_problem(categorical_features, message):
    frame, y = _shop_frame()
    sampler = tiny(SAMPLER_CLASSES[0], categorical_features=categorical_features)
    with pytest.raises(ValueError, match=message):
        sampler.fit_resample(frame, y)


def test_auto_and_names_need_a_dataframe():
    frame, y = _shop_frame()
    X = frame.to_numpy(dtype=object)
    cases = [("auto", "finds the pandas categorical"),
             (["colour"], "X must then be a pandas DataFrame")]  # fmt: skip
    for features, message in cases:
        with pytest.raises(ValueError, match=message):
            tiny(SAMPLER_CLASSES[0], categorical_features=features).fit_resample(X, y)


@pytest.mark.parametrize(
    "encoder, message",
    [
        (OneHotEncoder(drop="first"), "one column per category"),
        (OrdinalEncoder(), "one column per category"),
    ],
)
def test_an_encoder_without_one_column_per_category_is_refused(encoder, message):
    frame, y = _shop_frame()
    sampler = tiny(SAMPLER_CLASSES[0], categorical_features=[3, 4],
                   categorical_encoder=encoder)  # fmt: skip
    with pytest.raises(ValueError, match=message):
        sampler.fit_resample(frame, y)


@pytest.mark.parametrize("missing", [None, np.nan, float("inf")])
def test_a_category_column_with_missing_values_names_the_column(missing):
    frame, y = _shop_frame()
    frame["shop"] = frame["shop"].astype(object)
    frame.loc[5, "shop"] = missing
    sampler = tiny(SAMPLER_CLASSES[0], categorical_features=["colour", "shop"])
    with pytest.raises(ValueError, match="'shop' holds missing or infinite"):
        sampler.fit_resample(frame, y)
    with pytest.raises(ValueError, match="'shop' holds missing"):
        sampler.fit(frame, y)  # fit checks too


def test_nan_in_a_numeric_column_names_the_column():
    frame, y = _shop_frame()
    frame.loc[3, "price"] = np.nan
    sampler = tiny(SAMPLER_CLASSES[0], categorical_features=["colour", "shop"])
    with pytest.raises(ValueError, match="'price' holds NaN or infinite"):
        sampler.fit_resample(frame, y)


def test_sparse_input_with_categorical_features_is_refused(imbalanced):
    X, y = imbalanced
    sampler = tiny(SAMPLER_CLASSES[0], categorical_features=[0])
    with pytest.raises(TypeError, match="needs dense X"):
        sampler.fit_resample(sparse.csr_matrix(X), y)


# --- properties ---------------------------------------------------------------------


@st.composite
def mixed_frames(draw):
    sizes = draw(st.lists(st.integers(2, 20), min_size=2, max_size=3))
    n = sum(sizes)
    rng = np.random.RandomState(draw(st.integers(0, 2**16)))
    n_categories = draw(st.integers(1, 4))
    columns = {
        "x": rng.normal(size=n) * draw(st.sampled_from([1e-3, 1.0, 1e4])),
        "k": rng.randint(-5, 5, n),
        "cat": pd.Categorical(rng.choice(list("pqrs")[:n_categories], n)),
        "word": rng.choice(["ab", "cd", "ef"][: draw(st.integers(1, 3))], n),
    }
    order = draw(st.permutations(list(columns)))
    frame = pd.DataFrame({name: columns[name] for name in order})
    frame["word"] = frame["word"].astype(object)
    y = np.repeat(np.arange(len(sizes)), sizes)
    return frame, y


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mixed_frames(), Sampler=st.sampled_from(SAMPLER_CLASSES))
def test_mixed_frames_keep_dtypes_categories_and_originals(data, Sampler):
    frame, y = data
    before = frame.copy()
    sampler = tiny(Sampler, categorical_features=["cat", "word"], epochs=1,
                   batch_size=8)  # fmt: skip
    X_res, y_res = sampler.fit_resample(frame, y)
    pd.testing.assert_frame_equal(frame, before)
    assert (X_res.dtypes == frame.dtypes).all()
    pd.testing.assert_frame_equal(X_res.iloc[: len(frame)], frame)
    new = X_res.iloc[len(frame) :]
    assert set(new["cat"]) <= set(frame["cat"])
    assert set(new["word"]) <= set(frame["word"])
    assert new["k"].between(frame["k"].min(), frame["k"].max()).all()
    majority = max(Counter(y).values())
    assert Counter(y_res) == {k: majority for k in Counter(y)}


# --- learning -----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("Sampler", SAMPLER_CLASSES, ids=lambda c: c.__name__)
def test_generated_rows_keep_the_category_to_range_relation(Sampler):
    """'low' rows have a value near 0, 'high' rows near 10, in both classes."""
    rng = np.random.RandomState(0)
    n = 600
    level = rng.choice(["low", "high"], n, p=[0.7, 0.3])
    value = np.where(level == "low", 0.0, 10.0) + rng.normal(scale=0.5, size=n)
    noise = rng.normal(size=n)
    frame = pd.DataFrame({"level": level.astype(object), "value": value,
                          "noise": noise})  # fmt: skip
    y = np.where(rng.rand(n) < 0.8, "big", "small")
    # Standard scaling gives the VAE's squared error enough weight against the
    # KL term to keep the level in the latent code; the GAN needs more steps.
    params = {"epochs": 60, "batch_size": 64, "scaling": "standard"}
    if Sampler is SAMPLER_CLASSES[2]:
        params = {"epochs": 200, "batch_size": 64}
    sampler = fast(Sampler, categorical_features=["level"], **params)
    sampler.fit_resample(frame, y)
    rows = sampler.sample(1000, "small")

    near_own_level = np.where(rows["level"] == "low", rows["value"] < 5,
                              rows["value"] >= 5)  # fmt: skip
    # Level and value drawn independently would agree in about 58% of rows.
    assert near_own_level.mean() > 0.8
    # both levels are generated (the training share of "low" is 70%)
    assert 0.4 < (rows["level"] == "low").mean() < 0.95


def test_table_encoder_transform_matches_fit_transform(imbalanced):
    from imblearn_vae._table import TableEncoder

    pd = pytest.importorskip("pandas")
    X, _ = imbalanced
    frame = pd.DataFrame(X[:, :3], columns=["a", "b", "c"]).assign(
        kind=pd.Categorical(np.where(X[:, 3] > 3, "high", "low"))
    )
    for table, categorical in ((X, None), (frame, "auto")):
        encoder = TableEncoder(categorical_features=categorical, scaling="log")
        fitted = encoder.fit_transform(table)
        np.testing.assert_allclose(encoder.transform(table), fitted, atol=1e-6)
