"""The bar a balancing method must clear: class weights and strong classifiers."""

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.neighbors import KNeighborsClassifier

from imblearn_vae.cli import main
from imblearn_vae.compare import parse_method
from imblearn_vae.compare.classifiers import (
    LabelEncoded,
    build_classifier,
    weight_classes,
)

from .test_command import read_rows


@pytest.fixture
def blobs():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0, 1, (90, 3)), rng.normal(1.5, 1, (10, 3))])
    return X, np.array(["normal"] * 90 + ["rare attack"] * 10)


@pytest.mark.parametrize("name", ["dt", "rf", "hgb", "xgboost", "lightgbm"])
def test_each_short_name_is_a_seeded_classifier_that_takes_text_labels(name, blobs):
    if name in ("xgboost", "lightgbm"):
        pytest.importorskip(name)
    X, y = blobs
    classifier = build_classifier(name, seed=3)
    predicted = classifier.fit(X, y).predict(X)
    assert set(predicted) <= {"normal", "rare attack"}
    again = build_classifier(name, seed=3).fit(X, y).predict(X)
    np.testing.assert_array_equal(predicted, again)


def test_class_weights_use_the_parameter_or_the_same_sample_weights(blobs):
    _, y = blobs
    tree, fit_params, how = weight_classes(build_classifier("dt", seed=0), y)
    assert how == "class_weight" and tree.class_weight == "balanced"
    assert fit_params == {}
    pytest.importorskip("xgboost")
    boosted, fit_params, how = weight_classes(build_classifier("xgboost", 0), y)
    assert isinstance(boosted, LabelEncoded) and how == "sample_weight"
    weights = fit_params["sample_weight"]
    # each class weighs n / (k * n_class): 100 / (2 * 90) and 100 / (2 * 10)
    assert np.allclose(weights[:90], 100 / 180) and np.allclose(weights[90:], 5.0)
    assert weights[y == "normal"].sum() == pytest.approx(weights[y != "normal"].sum())
    with pytest.raises(ValueError, match="neither class_weight nor sample_weight"):
        weight_classes(KNeighborsClassifier(), y)


def test_class_weights_change_what_the_classifier_learns(blobs):
    X, y = blobs
    plain = HistGradientBoostingClassifier(random_state=0).fit(X, y)
    weighted, params, _ = weight_classes(HistGradientBoostingClassifier(), y)
    weighted.set_params(random_state=0).fit(X, y, **params)
    assert (weighted.predict(X) == "rare attack").sum() > (
        plain.predict(X) == "rare attack"
    ).sum()


def test_the_bar_methods_build():
    assert parse_method("class-weight").build(random_state=0) is None
    assert parse_method("class-weight").info.weights
    assert type(parse_method("smote-enn").build(random_state=0)).__name__ == "SMOTEENN"
    smotenc = parse_method("smotenc").build(random_state=0)
    assert smotenc.categorical_features == "auto" and parse_method("smotenc").info.raw


def test_compare_reports_gains_over_none_and_class_weights(traffic_csv, tmp_path):
    out = tmp_path / "out"
    assert main(["compare", str(traffic_csv), "--label", "class", "--methods",
                 "none", "class-weight", "smote", "smotenc", "--classifiers", "dt",
                 "hgb", "--seeds", "0", "1", "--threads", "1", "--out", str(out),
                 "--quiet"]) == 0  # fmt: skip
    runs = read_rows(out / "runs.csv")
    assert {r["status"] for r in runs} == {"ok"}
    assert {r["weighting"] for r in runs if r["method"] == "class-weight"} == {
        "class_weight"
    }
    report = (out / "results.md").read_text()
    assert "| method | mF1 vs no balancing | mF1 vs class weights |" in report
    # each gain is the mean of the per-seed differences
    by = {(r["method"], r["seed"], r["classifier"]): r for r in runs}
    gains = [
        float(by[("smote", s, "hgb")]["test:f1_macro"])
        - float(by[("class-weight", s, "hgb")]["test:f1_macro"])
        for s in ("0", "1")
    ]
    hgb = report[report.index("### histogram gradient boosting") :]
    gains_part = hgb[hgb.index("Gain over the baselines") :]
    smote_row = next(
        line for line in gains_part.splitlines() if line.startswith("| SMOTE |")
    )
    assert f"{100 * np.mean(gains):+.2f} ± {100 * np.std(gains, ddof=1):.2f}" in (
        smote_row
    )
    for classifier in ("dt", "hgb"):
        assert (out / f"gains_{classifier}.png").stat().st_size > 10_000
