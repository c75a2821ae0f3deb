"""Samplers pickled by an earlier version of the package load, or say why not.

``tests/data/samplers-0.1.0.dev0.pkl.gz`` holds three small fitted samplers
pickled by version 0.1.0.dev0 (commit 03b9574, before the sampler core was
redesigned): a DCBN-VAE on a numeric array (posterior sampling), one on a
mixed DataFrame and a CGAN on it, with the rows each gave for ``sample(5,
"rare")`` right after unpickling there.
"""

import gzip
import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from .conftest import REPO_ROOT

OLD_PICKLES = REPO_ROOT / "tests" / "data" / "samplers-0.1.0.dev0.pkl.gz"


@pytest.fixture(scope="module")
def old_bundle():
    with gzip.open(OLD_PICKLES) as stream:
        return pickle.load(stream)


@pytest.mark.parametrize("name", ["numeric", "frame", "gan_frame"])
def test_a_pickle_of_the_previous_version_samples_what_it_sampled_there(
    old_bundle, name
):
    sampler = pickle.loads(old_bundle["samplers"])[name]
    expected = pickle.loads(old_bundle["expected"])[name]
    rows = sampler.sample(5, "rare")
    if isinstance(expected, pd.DataFrame):
        pd.testing.assert_frame_equal(rows, expected)
    else:
        np.testing.assert_array_equal(rows, expected)
    # and it pickles again in this version's layout
    again = pickle.loads(pickle.dumps(sampler))
    assert again.table_encoder_.specs_ == sampler.table_encoder_.specs_


def test_a_pickle_whose_data_path_cannot_be_read_names_the_way_out(old_bundle):
    sampler = pickle.loads(old_bundle["samplers"])["frame"]
    state = sampler.__getstate__()
    encoder = state["table_encoder_"]
    del encoder.specs_  # as an old pickle, with a piece missing
    vars(encoder).pop("_frame_dtypes")
    with pytest.raises(TypeError, match="fit it again with this version"):
        type(sampler).__new__(type(sampler)).__setstate__(state)


@pytest.mark.parametrize("name", ["numeric", "frame", "gan_frame"])
def test_a_pickle_of_the_previous_version_has_every_parameter_of_this_one(
    old_bundle, name
):
    sampler = pickle.loads(old_bundle["samplers"])[name]
    # overlap_class, entropy_weight and callbacks came after it: defaults
    params = sampler.get_params()
    assert params["overlap_class"] is False
    assert params["entropy_weight"] == 0.0
    assert params["callbacks"] is None
    assert type(sampler).__name__ in repr(sampler)
    copy = clone(sampler)
    assert copy.get_params().keys() == params.keys()
    assert len(sampler.sample(3, "rare")) == 3  # and it still samples
