"""The skorch CNN and CNN+LSTM classifiers as scikit-learn estimators."""

import pickle

import numpy as np
import pytest
import torch
from imblearn.over_sampling import RandomOverSampler
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import MinMaxScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from imblearn_vae import CGANSampler, CVAESampler, DCBNVAESampler
from imblearn_vae.classifiers import CNNClassifier, CNNLSTMClassifier

from .conftest import fast

CLASSIFIERS = [CNNClassifier, CNNLSTMClassifier]
SMALL = dict(filters=4, dense_width=16, epochs=30, learning_rate=1e-2,
             batch_size=32, device="cpu", random_state=0)  # fmt: skip


def small(Classifier, **params):
    return Classifier(**{**SMALL, **params})


@pytest.fixture(params=CLASSIFIERS, ids=lambda cls: cls.__name__)
def Classifier(request):
    return request.param


def separable(n_per_class=60, n_features=12, n_classes=3, seed=0):
    """Classes that differ in a block of features: a local pattern to find."""
    rng = np.random.RandomState(seed)
    X = rng.normal(scale=0.3, size=(n_per_class * n_classes, n_features))
    y = np.repeat(np.array(["normal", "dos", "probe"][:n_classes]), n_per_class)
    for k in range(n_classes):
        X[k * n_per_class : (k + 1) * n_per_class, 4 * k : 4 * k + 4] += 2.0
    return X, y  # float64, string labels


@pytest.mark.slow
@parametrize_with_checks(
    [small(CNNClassifier, epochs=20), small(CNNLSTMClassifier, epochs=20)]
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def test_learns_a_separable_problem_from_float64_and_string_labels(Classifier):
    X, y = separable()
    X_test, y_test = separable(seed=1)
    clf = small(Classifier).fit(X, y)
    assert list(clf.classes_) == ["dos", "normal", "probe"]
    assert clf.score(X_test, y_test) >= 0.95
    proba = clf.predict_proba(X_test)
    assert proba.shape == (len(y_test), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)


def test_integer_labels_and_binary_task(Classifier):
    X, y = separable(n_classes=2)
    y = np.where(y == "normal", 0, 7)
    clf = small(Classifier).fit(X, y)
    assert set(clf.predict(X)) <= {0, 7}
    assert clf.score(X, y) >= 0.95


def test_same_random_state_same_model_and_global_rng_untouched(Classifier):
    X, y = separable()
    torch.manual_seed(123)
    expected_next = torch.rand(1)
    torch.manual_seed(123)
    first = small(Classifier, epochs=3).fit(X, y).predict_proba(X)
    assert torch.rand(1) == expected_next  # the caller's stream went on as before
    second = small(Classifier, epochs=3).fit(X, y).predict_proba(X)
    other = small(Classifier, epochs=3, random_state=1).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, other)


def test_clone_and_pickle(Classifier):
    X, y = separable()
    clf = small(Classifier, epochs=3).fit(X, y)
    copy = clone(clf)
    assert copy.get_params() == clf.get_params() and not hasattr(copy, "net_")
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))


def test_grid_search_over_network_hyperparameters(Classifier):
    X, y = separable()
    grid = GridSearchCV(
        small(Classifier, epochs=3), {"filters": [2, 4], "dropout": [0.0, 0.5]}, cv=2
    ).fit(X, y)
    assert len(grid.cv_results_["params"]) == 4
    assert np.isfinite(grid.cv_results_["mean_test_score"]).all()


@pytest.mark.parametrize(
    "params, message",
    [
        ({"filters": 0}, "'filters' parameter"),
        ({"dropout": 1.0}, "'dropout' parameter"),
        ({"epochs": 0}, "'epochs' parameter"),
    ],
)
def test_bad_parameters_are_rejected(Classifier, params, message):
    X, y = separable()
    with pytest.raises(ValueError, match=message):
        small(Classifier, **params).fit(X, y)


@pytest.mark.slow
@pytest.mark.parametrize(
    "make_sampler",
    [
        lambda: RandomOverSampler(random_state=0),
        lambda: fast(DCBNVAESampler),
        lambda: fast(CVAESampler),
        lambda: fast(CGANSampler),
    ],
    ids=["ros", "dcbn", "cvae", "cgan"],
)
@pytest.mark.parametrize("n_classes", [2, 3])
def test_after_a_sampler_in_a_pipeline(Classifier, make_sampler, n_classes):
    X, y = separable(n_classes=n_classes)
    keep = np.r_[0:60, 60:80, 120:130][: 60 + 20 + (10 if n_classes == 3 else 0)]
    X, y = X[keep], y[keep]
    pipe = Pipeline(
        [
            ("scale", MinMaxScaler()),
            ("balance", make_sampler()),
            ("classify", small(Classifier)),
        ]
    ).fit(X, y)
    # Three-epoch samplers give rough synthetic rows; the point is that the
    # pipeline trains and predicts the real classes far above chance.
    assert set(pipe.predict(X)) <= set(y)
    assert pipe.score(X, y) >= 0.7
