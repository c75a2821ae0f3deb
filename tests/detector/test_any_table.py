"""A detector for any labelled table (issue 32): trained by ``imblearn-vae
train`` on the project's five tables, its model file says what it learned
from, and its scores are its pipeline's on its test rows."""

import json

import numpy as np
import pytest

from imblearn_vae.detector import Scorer, load_detector, read_header
from imblearn_vae.tables import TableOptions, load_tables

pytestmark = pytest.mark.slow

TABLES = ["ton-iot", "satimage", "kr-vs-k", "ecoli", "bot-iot"]


def tables_of(case):
    """The training and test rows as ``train`` read them."""
    from imblearn_vae.cli import build_parser

    args = build_parser()[0].parse_args(case.train_arguments("x.model"))
    return load_tables(TableOptions.from_arguments(args))


@pytest.mark.parametrize("name", TABLES)
def test_the_model_file_says_what_it_learned_from(trained_tables, name):
    case, path = trained_tables[name]
    detector = load_detector(path)
    tables = tables_of(case)
    train, test = tables.train, tables.test
    # the schema: the table's feature columns, in its order, of its kinds
    assert detector.feature_names == [str(c) for c in train.X.columns]
    kinds = {f.name: f.kind for f in detector.features}
    assert {n for n, k in kinds.items() if k == "categorical"} == set(train.categorical)
    for feature in detector.features:
        column = train.X[feature.name]
        if feature.kind == "categorical":
            assert set(feature.categories) == set(column.astype(str))
        else:
            assert (feature.minimum, feature.maximum) == (column.min(), column.max())
    # the classes, and their rows before and after balancing
    classes = sorted({str(c) for c in train.y} | {str(c) for c in test.y})
    assert sorted(detector.classes) == classes
    before = detector.counts["training"]
    assert sum(before.values()) == len(train.y)
    assert before == {
        c: int(np.sum(train.y.astype(str) == c)) for c in detector.classes
    }
    after = detector.counts["balanced"]
    if case.method == "none":
        assert after == before and not detector.balancing
    else:  # every class up to the largest
        assert set(after.values()) == {max(before.values())}
        generated = detector.balancing["generated"]
        assert generated == {c: after[c] - before[c] for c in detector.classes}
        assert set(detector.balancing["distance"]) == {
            c for c, n in generated.items() if n
        }
    # per-class summaries of each feature
    assert list(detector.profile) == detector.feature_names
    first = detector.features[0]
    for label in detector.classes:
        own = train.X[first.name][train.y.astype(str) == label]
        summary = detector.profile[first.name]["classes"].get(label)
        if not len(own):
            continue
        if first.kind == "categorical":
            assert sum(summary["counts"].values()) + summary["other"] == len(own)
        else:
            assert summary["quartiles"][0] == own.min()
            assert summary["quartiles"][4] == own.max()
    # scores: the pipeline's on the test rows, with the confusion matrix
    predicted = detector.pipeline.predict(test.X).astype(str)
    matrix = np.array(detector.scores["confusion"])
    assert matrix.shape == (len(detector.classes),) * 2
    assert matrix.sum() == detector.scores["test_rows"] == len(test.y)
    assert np.trace(matrix) / matrix.sum() == pytest.approx(
        np.mean(predicted == test.y.astype(str))
    )
    assert detector.scores["test"] == tables.source["test"]
    # provenance without local paths
    assert str(case.path.parent) not in detector.command
    assert str(path.parent) not in detector.command
    assert f".../{case.path.name} " in detector.command
    assert read_header(path)["command"] == detector.command
    assert detector.source["name"] == case.path.name
    assert detector.layout["label"] == case.label
    assert detector.layout["separator"] == case.separator


@pytest.mark.parametrize("name", TABLES)
def test_the_scorer_gives_the_pipelines_scores(trained_tables, name):
    """The arrays where the pipeline allows (any one-hot + min-max table, a
    tree or a forest), the pipeline otherwise (boosting): the same scores,
    bit for bit, on every test row the detector accepts."""
    case, path = trained_tables[name]
    detector = load_detector(path)
    scorer = Scorer(detector)
    assert scorer.fast == (case.classifier != "hgb")
    test = tables_of(case).test
    rows = test.X.astype(object).to_dict(orient="records")
    rows = [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
            for r in rows]  # fmt: skip
    _, errors = scorer.check(rows)
    refused = {e.row for e in errors}
    kept = [row for i, row in enumerate(rows) if i not in refused]
    assert len(kept) > 0.9 * len(rows)
    columns, errors = scorer.check(kept)
    assert not errors
    expected = detector.pipeline.predict_proba(scorer.frame(columns))
    assert np.array_equal(scorer.probabilities(columns), expected)


def test_the_examples_are_test_rows_the_detector_accepts(trained_tables):
    _, path = trained_tables["bot-iot"]
    detector = load_detector(path)
    assert set(detector.examples) == set(detector.classes)
    rows = [row for rows in detector.examples.values() for row in rows]
    assert rows and detector.check_rows(rows)[1] == []
    assert json.dumps(detector.examples)  # plain values: the page's JSON


def test_generated_rows_of_a_vae_are_measured_against_real_ones(trained_tables):
    """The TON_IoT device is balanced by DCBN-VAE (its filter on): the share
    of drawn rows it refused, and how far its rows lie from real ones."""
    _, path = trained_tables["ton-iot"]
    balancing = load_detector(path).balancing
    refused = balancing["filter_refused"]
    # a share of 1: every drawn row was refused, and the rows were taken
    # unfiltered after the filter's last round (the page says so)
    assert refused and all(0 <= share <= 1 for share in refused.values())
    assert min(refused.values()) < 1
    for found in balancing["distance"].values():
        assert found["generated_to_real"] >= 0 and 0 <= found["copies"] <= 1
        assert found["measured"] > 0
