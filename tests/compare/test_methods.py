import pandas as pd
import pytest
from imblearn.over_sampling import SMOTE

from imblearn_vae import DCBNVAESampler
from imblearn_vae.compare import METHODS, parse_method
from imblearn_vae.compare.classifiers import build_classifier


def test_a_method_with_arguments_builds_its_sampler():
    method = parse_method("dcbn-vae:epochs=3,hidden_layer_sizes=(8, 4),beta=0.5")
    assert method.params == {"epochs": 3, "hidden_layer_sizes": (8, 4), "beta": 0.5}
    assert method.label == "DCBN-VAE (epochs=3,hidden_layer_sizes=(8, 4),beta=0.5)"
    sampler = method.build(random_state=7, n_threads=1)
    assert isinstance(sampler, DCBNVAESampler)
    assert sampler.epochs == 3 and sampler.random_state == 7
    assert sampler.categorical_features == "auto"  # ours take the table itself
    smote = parse_method("smote:k_neighbors=3").build(random_state=1)
    assert isinstance(smote, SMOTE) and smote.k_neighbors == 3
    assert parse_method("none").build(random_state=0) is None


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("smoth", "Unknown method 'smoth'"),
        ("smote:k_neighbors", "key=value pairs"),
        ("smote:k_neighbors=five", "key=value pairs"),
        ("smote:3", "key=value pairs"),
    ],
)
def test_bad_method_specs_are_refused(spec, message):
    with pytest.raises(ValueError, match=message):
        parse_method(spec)


def test_every_method_has_a_label_and_builds():
    for name, info in METHODS.items():
        assert info.label
        if info.needs is None:
            parse_method(name).build(random_state=0)


def test_classifiers_by_name_and_import_path():
    tree = build_classifier("dt", seed=3)
    assert tree.random_state == 3
    forest = build_classifier(
        "sklearn.ensemble.RandomForestClassifier:n_estimators=5", seed=4
    )
    assert (forest.n_estimators, forest.random_state) == (5, 4)
    with pytest.raises(ValueError, match="Unknown classifier 'tree'"):
        build_classifier("tree", seed=0)
    with pytest.raises(ValueError, match="Cannot import"):
        build_classifier("sklearn.ensemble.NoSuchForest", seed=0)
    with pytest.raises(ValueError, match="not a scikit-learn classifier"):
        build_classifier("sklearn.preprocessing.StandardScaler", seed=0)


@pytest.mark.parametrize(
    ("spec", "first"),
    [
        ("dcbn-vae", "balance"),
        ("dcbn-vae-onehot", "preprocess"),
        ("smote", "preprocess"),
    ],
)
def test_the_engine_and_the_detector_balance_at_the_same_step(
    spec, first, traffic_frame, tmp_path, monkeypatch
):
    """A raw method balances the table, any other the classifier's matrix: in
    a comparison and in a detector's pipeline alike (issue 25)."""
    from imblearn.over_sampling import RandomOverSampler

    from imblearn_vae.compare import Comparison, Method, prepare_table
    from imblearn_vae.compare.engine import run_task
    from imblearn_vae.detector import build_pipeline

    seen = []

    class Recorder(RandomOverSampler):
        """Stands in for the method's sampler (a DCBN-VAE would train)."""

        def fit_resample(self, X, y):
            seen.append(X)
            return super().fit_resample(X, y)

    def build(self, random_state, **settings):
        return Recorder(random_state=random_state)

    monkeypatch.setattr(Method, "build", build)
    detector_steps = [name for name, _ in build_pipeline(spec, "dt", seed=0).steps]
    table = prepare_table(traffic_frame, "class")
    method = parse_method(spec)
    comparison = Comparison(table, table, [method], ["dt"], [0], tmp_path)
    result = run_task(comparison, method, 0, ["dt"], threads=1)
    assert result.rows[0]["status"] == "ok", result.rows[0]["error"]
    assert len(seen) == 1
    engine_first = "balance" if isinstance(seen[0], pd.DataFrame) else "preprocess"
    assert detector_steps[0] == engine_first == first
    assert detector_steps == [name for name, _ in method.steps(Recorder(), None)] + [
        "classify"
    ]
