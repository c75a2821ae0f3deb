"""scikit-learn's and imbalanced-learn's own estimator checks on our samplers."""

from functools import partial

import pytest
from imblearn.utils.estimator_checks import (
    check_dataframe_column_names_consistency,
    check_param_validation,
    estimator_checks_generator,
)
from sklearn.utils.estimator_checks import parametrize_with_checks

from imblearn_vae import CGANSampler, CVAESampler, DCBNVAESampler

from .conftest import tiny


def _small(Sampler, **params):
    """Seeded CPU instances with narrow layers and few epochs: fast checks."""
    return tiny(Sampler, **{"epochs": 2, "batch_size": 64, **params})


SAMPLERS = [
    _small(DCBNVAESampler),
    _small(DCBNVAESampler, cbn_layers="decoder", scaling="standard"),
    _small(CVAESampler, scaling=None),
    _small(CGANSampler, discriminator_steps=2),
    # Mixed tables: column 0 is categorical, which turns on the string checks.
    _small(DCBNVAESampler, categorical_features=[0]),
    _small(CGANSampler, categorical_features=[0]),
]


def _check_id(value):
    if isinstance(value, partial):
        return value.func.__name__
    return repr(value) if hasattr(value, "get_params") else None


@parametrize_with_checks(SAMPLERS)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


# imblearn's own parametrize_with_checks hands pytest a generator, which pytest 9
# deprecates; the same checks, collected into a list.
@pytest.mark.parametrize(
    "estimator, check",
    [
        item
        for sampler in SAMPLERS
        for item in estimator_checks_generator(sampler, mark="xfail")
    ],
    ids=_check_id,
)
def test_imblearn_estimator_checks(estimator, check):
    check(estimator)


@pytest.mark.parametrize("sampler", SAMPLERS, ids=lambda s: type(s).__name__)
def test_param_validation(sampler):
    check_param_validation(type(sampler).__name__, sampler)


@pytest.mark.parametrize("sampler", SAMPLERS, ids=lambda s: type(s).__name__)
def test_dataframe_column_names_consistency(sampler):
    check_dataframe_column_names_consistency(type(sampler).__name__, sampler)
