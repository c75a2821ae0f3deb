"""The first start's training: step by step with progress, the same fitted
pipeline as one ``fit``."""

import io

import numpy as np
import pytest
from imblearn.over_sampling import RandomOverSampler
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier

from imblearn_vae.detector.fitting import fit_with_progress

from .conftest import small_detector, small_table


@pytest.mark.parametrize(
    "model",
    [
        RandomForestClassifier(n_estimators=12, random_state=0),
        ExtraTreesClassifier(n_estimators=7, random_state=1),
        DecisionTreeClassifier(random_state=0),
    ],
    ids=["forest", "extra trees", "tree"],
)
def test_step_by_step_fits_what_one_fit_does(model, capsys):
    preprocess = small_detector().pipeline.steps[0][1]
    X, y = small_table()
    keep = np.r_[0:160, 160:170]  # U2R made rare (10 rows): the sampler has work
    X, y = X.iloc[keep].reset_index(drop=True), y[keep]
    steps = [("balance", RandomOverSampler(random_state=0)),
             ("preprocess", preprocess), ("classify", model)]  # fmt: skip
    once = clone(Pipeline(steps)).fit(X, y)
    stepwise = clone(Pipeline(steps))
    said = []
    fit_with_progress(stepwise, X, y, said.append)
    assert np.array_equal(stepwise.predict_proba(X), once.predict_proba(X))
    assert said[0] == "step 1 of 3, balance (RandomOverSampler): balancing 170 rows ..."
    assert said[-1].startswith("step 3 of 3, classify (")
    assert f"{40 * 5:,} rows" in said[-2]  # the classifier sees the balanced rows
    fitted = stepwise.steps[-1][1]
    assert fitted.get_params() == model.get_params()  # settings put back


def test_a_forest_shows_its_trees_and_the_time_left(capsys, monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stdout", stream)
    X, y = small_table()
    forest = RandomForestClassifier(n_estimators=12, random_state=0)
    pipeline = Pipeline([("preprocess", small_detector().pipeline.steps[0][1]),
                         ("classify", forest)])  # fmt: skip
    fit_with_progress(pipeline, X, y, lambda text: None)
    bar = stream.getvalue()
    assert "12/12" in bar and "tree" in bar
    assert len(forest.estimators_) == 12 and not forest.warm_start


def test_the_default_is_the_model_chosen_on_validation_data():
    """DCBN-VAE with every setting the NSL-KDD tune was measured with
    (filtering off, whatever the sampler's defaults become), then 10 extra
    trees: the candidate docs/web.rst reports."""
    from imblearn_vae import NSL_KDD_TUNED
    from imblearn_vae.detector import build_pipeline
    from imblearn_vae.web.training import DEFAULT_MODEL

    pipeline = build_pipeline(DEFAULT_MODEL["sampler"], DEFAULT_MODEL["classifier"],
                              0, "cpu")  # fmt: skip
    sampler, forest = pipeline.named_steps["balance"], pipeline.named_steps["classify"]
    params = sampler.get_params()
    assert {name: params[name] for name in NSL_KDD_TUNED} == NSL_KDD_TUNED
    assert params["filter_generated"] is False
    assert isinstance(forest, ExtraTreesClassifier) and forest.n_estimators == 10
    # grown until each leaf holds one class: a score is a share of tree votes
    assert forest.min_samples_leaf == 1 and forest.max_depth is None
