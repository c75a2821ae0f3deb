"""Every script in examples/ runs, with small settings, and does its job."""

import importlib.util

import numpy as np
import pytest

from .conftest import REPO_ROOT

EXAMPLES = REPO_ROOT / "examples"


def load(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_example_has_a_test():
    tested = {"pipeline_decision_tree", "grid_search", "conditional_sampling",
              "cnn_pipeline", "dask_grid_search", "mixed_types"}  # fmt: skip
    assert {path.stem for path in EXAMPLES.glob("*.py")} == tested


def test_pipeline_decision_tree(capsys):
    assert load("pipeline_decision_tree").main(epochs=3) > 0.7
    assert "precision" in capsys.readouterr().out


def test_grid_search():
    grid = load("grid_search").main(epochs=2)
    assert len(grid.cv_results_["params"]) == 4
    assert np.isfinite(grid.best_score_)


@pytest.mark.slow
def test_conditional_sampling():
    # epochs="auto": 2,000 steps, though 610 rows are 2 batches an epoch
    recognised = load("conditional_sampling").main()
    assert min(recognised.values()) >= 0.9


@pytest.mark.slow
def test_cnn_pipeline(nsl_kdd_home):
    accuracy = load("cnn_pipeline").main(
        rows=3000, sampler_epochs=2, cnn_epochs=2, data_home=nsl_kdd_home
    )
    assert accuracy > 0.5  # 5 classes on KDDTest+; the majority share is 43%


@pytest.mark.slow
def test_mixed_types(nsl_kdd_home):
    new_rows, accuracy = load("mixed_types").main(
        rows=3000, epochs=2, data_home=nsl_kdd_home
    )
    train = load("mixed_types").fetch_nsl_kdd(
        subset="KDDTrain+_20Percent", as_frame=True, data_home=nsl_kdd_home
    )
    for column in ("protocol_type", "service", "flag"):
        assert new_rows[column].isin(train.data[column].iloc[:3000]).all()
    assert accuracy > 0.5


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # tornado/distributed
def test_dask_grid_search_on_a_local_cluster():
    grid = load("dask_grid_search").main(epochs=2)
    assert len(grid.cv_results_["params"]) == 4
    assert np.isfinite(grid.best_score_)
