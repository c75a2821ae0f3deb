"""``compare`` on every kind of labelled table: results, or a named error first.

The project's real tables (UCI, TON_IoT, kr-vs-k) and the shapes a user's
table can take: no categorical column, no numeric column, one feature,
integer / float / text labels, tiny classes, missing and infinite values,
test files that disagree with the training file, 50 classes.
"""

import numpy as np
import pandas as pd
import pytest

from imblearn_vae.cli import main

from .test_command import QUICK_VAE, read_rows

QUICK_RUN = ["--seeds", "0", "--threads", "1", "--quiet"]


def compare(table, out, *arguments):
    """Run ``compare`` on ``table``; return (exit status, runs, results.md)."""
    status = main(["compare", str(table), "--out", str(out), *arguments, *QUICK_RUN])
    runs = read_rows(out / "runs.csv") if (out / "runs.csv").exists() else []
    report = (out / "results.md").read_text() if (out / "results.md").exists() else ""
    return status, runs, report


def statuses(runs):
    return {r["method"]: r["status"] for r in runs}


def refused(capsys, *arguments) -> str:
    """The command's error message for arguments it must refuse up front."""
    with pytest.raises(SystemExit) as stop:
        main(["compare", *arguments, "--quiet"])
    assert stop.value.code == 2
    return capsys.readouterr().err


@pytest.fixture(scope="module")
def data_home(nsl_kdd_home):
    return nsl_kdd_home


# -- the project's tables that the rest of the suite does not load ---------


def test_satimage_all_numeric_columns(data_home, tmp_path):
    # The bug of issue 20: every matrix-space sampler failed after running
    # on a table without a categorical column.
    frame = pd.read_csv(data_home / "uci" / "sat.tst.txt", sep=r"\s+", header=None)
    frame.columns = [*(f"pixel{i}" for i in range(36)), "class"]
    path = tmp_path / "satimage.csv"
    frame.to_csv(path, index=False)
    status, runs, report = compare(
        path, tmp_path / "out", "--label", "class",
        "--methods", "none", "smote", "adasyn", QUICK_VAE,
    )  # fmt: skip
    assert status == 0
    assert set(statuses(runs).values()) == {"ok"}, [r["error"] for r in runs]
    assert "| SMOTE | 1 |" in report and "did not run" not in report


def test_kr_vs_k_all_categorical_18_classes_from_keel(data_home, tmp_path):
    status, runs, report = compare(
        data_home / "uci" / "kr-vs-k.dat", tmp_path / "out", "--label", "Game",
        "--test-size", "0.5", "--methods", "none", "smote", QUICK_VAE,
    )  # fmt: skip
    assert status == 0 and set(statuses(runs).values()) == {"ok"}
    assert "sixteen recall" in report and "draw recall" in report
    vae = next(r for r in runs if r["method"] == QUICK_VAE)
    # every generated row is a real board position's value in every column
    assert float(vae["valid_categorical_share"]) == 1.0


def test_ecoli_class_of_two_rows(data_home, tmp_path):
    frame = pd.read_csv(data_home / "uci" / "ecoli.data.txt", sep=r"\s+", header=None)
    frame.columns = ["name", *(f"f{i}" for i in range(7)), "site"]
    path = tmp_path / "ecoli.csv"
    frame.to_csv(path, index=False)
    status, runs, report = compare(
        path, tmp_path / "out", "--label", "site", "--drop", "name",
        "--methods", "none", "random", "smote",
    )  # fmt: skip
    assert status == 0
    assert statuses(runs) == {"none": "ok", "random": "ok", "smote": "failed"}
    # two-row classes leave one row in training: SMOTE cannot use it, and
    # the hint says what to do instead of a k_neighbors that cannot work
    assert "has 1 training row:" in report and "leave the class out" in report


def test_ton_iot_telemetry_text_and_numbers(data_home, tmp_path):
    frame = pd.read_csv(
        data_home / "ton-iot" / "Train_Test_IoT_Garage_Door.csv.gz",
        encoding="utf-8-sig",
    )
    path = tmp_path / "garage.csv"
    # a stratified tenth keeps every class, ransomware to scanning
    frame.groupby("type").sample(frac=0.1, random_state=0).to_csv(path, index=False)
    status, runs, report = compare(
        path, tmp_path / "out", "--label", "type",
        "--drop", "ts", "date", "time", "label",
        "--methods", "none", "smote", QUICK_VAE,
    )  # fmt: skip
    assert status == 0 and set(statuses(runs).values()) == {"ok"}
    assert "scanning recall" in report
    assert "Columns left out: ts (asked for (--drop))" in report


# -- the shapes of a user's table -------------------------------------------


def _blobs(n_classes=3, sizes=None, n_features=2, seed=0):
    rng = np.random.RandomState(seed)
    sizes = sizes or [60] * n_classes
    parts = [
        pd.DataFrame(
            rng.normal(loc=2 * k, size=(n, n_features)),
            columns=[f"x{i}" for i in range(n_features)],
        ).assign(label=k)
        for k, n in enumerate(sizes)
    ]
    return pd.concat(parts, ignore_index=True)


def test_one_feature(tmp_path):
    path = tmp_path / "one.csv"
    _blobs(n_features=1).to_csv(path, index=False)
    status, runs, _ = compare(
        path, tmp_path / "out", "--label", "label",
        "--methods", "none", "smote", QUICK_VAE,
    )  # fmt: skip
    assert status == 0 and set(statuses(runs).values()) == {"ok"}


@pytest.mark.parametrize(
    ("labels", "shown"),
    [
        ([0, 1, 2], "1 recall"),
        ([0.0, 1.0, 2.0], "1.0 recall"),
        (["normal", "port scan", " dos flood "], "dos flood recall"),
    ],
    ids=["integer", "float-coded", "text-with-spaces"],
)
def test_labels_of_every_kind_with_a_bom_on_the_header(tmp_path, labels, shown):
    frame = _blobs()
    frame["label"] = frame["label"].map(dict(enumerate(labels)))
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xef\xbb\xbf" + frame.to_csv(index=False).encode())
    status, runs, report = compare(
        path, tmp_path / "out", "--label", "label", "--methods", "none", "smote"
    )
    assert status == 0 and set(statuses(runs).values()) == {"ok"}
    assert shown in report


def test_a_class_of_three_rows_fails_smote_with_a_hint_the_others_run(tmp_path):
    path = tmp_path / "t.csv"
    _blobs(sizes=[80, 40, 4]).to_csv(path, index=False)
    status, runs, report = compare(
        path, tmp_path / "out", "--label", "label", "--test-size", "0.25",
        "--methods", "none", "random", "smote", QUICK_VAE,
    )  # fmt: skip
    assert status == 0
    assert statuses(runs) == {
        "none": "ok", "random": "ok", "smote": "failed", QUICK_VAE: "ok"
    }  # fmt: skip
    assert "the smallest class, 2, has 3 training rows" in report
    assert "'smote:k_neighbors=2'" in report
    # the hint works
    status, runs, _ = compare(
        path, tmp_path / "out2", "--label", "label", "--test-size", "0.25",
        "--methods", "smote:k_neighbors=2",
    )  # fmt: skip
    assert statuses(runs) == {"smote:k_neighbors=2": "ok"}


@pytest.mark.parametrize(
    ("value", "message"),
    [(np.nan, "'x1' has 3 missing values"), (np.inf, "'x1' has 3 infinite values")],
)
def test_missing_or_infinite_values_are_named_or_imputed(
    tmp_path, capsys, value, message
):
    frame = _blobs()
    frame.loc[[5, 70, 130], "x1"] = value
    path = tmp_path / "t.csv"
    frame.to_csv(path, index=False)
    error = refused(capsys, str(path), "--label", "label", "--out", str(tmp_path))
    assert message in error and "--missing impute" in error
    assert not (tmp_path / "runs.csv").exists()
    status, runs, report = compare(
        path, tmp_path / "out", "--label", "label", "--missing", "impute",
        "--methods", "none", "smote",
    )  # fmt: skip
    assert status == 0 and set(statuses(runs).values()) == {"ok"}
    assert "Missing or infinite values filled in" in report and "x1: " in report


def test_test_file_classes_and_column_order_need_not_match(tmp_path):
    train = _blobs(n_classes=3)
    test = _blobs(n_classes=4, sizes=[20, 0, 20, 20], seed=1)  # no class 1; a 3
    train_path, test_path = tmp_path / "train.csv", tmp_path / "test.csv"
    train.to_csv(train_path, index=False)
    test[["label", "x1", "x0"]].to_csv(test_path, index=False)  # another order
    status, runs, report = compare(
        train_path, tmp_path / "out", "--test", str(test_path), "--label", "label",
        "--methods", "none", "smote",
    )  # fmt: skip
    assert status == 0 and set(statuses(runs).values()) == {"ok"}
    assert "Classes only in the test rows: [3]" in report
    assert "Classes without test rows: [1]" in report
    none = next(r for r in runs if r["method"] == "none")
    assert float(none["test:recall_3"]) == 0.0


def test_test_file_with_text_labels_for_numeric_ones_is_named(tmp_path, capsys):
    train_path, test_path = tmp_path / "train.csv", tmp_path / "test.csv"
    _blobs().to_csv(train_path, index=False)
    _blobs().assign(label="attack").to_csv(test_path, index=False)
    error = refused(capsys, str(train_path), "--test", str(test_path),
                    "--label", "label")  # fmt: skip
    assert "labels are numbers, the test file's are text" in error


def test_a_column_named_twice_is_refused(tmp_path, capsys):
    path = tmp_path / "t.csv"
    path.write_text("rate,rate,label\n1,2,a\n3,4,b\n5,6,a\n")
    error = refused(capsys, str(path), "--label", "label")
    assert "names the column(s) ['rate'] more than once" in error


def test_fifty_classes(tmp_path):
    path = tmp_path / "t.csv"
    _blobs(n_classes=50, sizes=[40] * 25 + [12] * 25).to_csv(path, index=False)
    status, runs, report = compare(
        path, tmp_path / "out", "--label", "label", "--methods", "none", "smote"
    )
    assert status == 0 and set(statuses(runs).values()) == {"ok"}
    assert "49 recall" in report


def test_nsl_kdd_files_through_their_loader(data_home, tmp_path):
    folder = data_home / "nsl-kdd"
    status, runs, report = compare(
        folder / "KDDTrain+_20Percent.txt.gz", tmp_path / "out",
        "--test", str(folder / "KDDTest-21.txt.gz"), "--loader", "nsl-kdd",
        "--label", "category", "--methods", "none", "class-weight",
    )  # fmt: skip
    assert status == 0 and set(statuses(runs).values()) == {"ok"}
    assert "U2R recall" in report and "R2L recall" in report
    assert "Columns left out: difficulty (how many of 21 learners" in report
    assert {r["train_rows"] for r in runs} == {"25192"}


def test_nsl_kdd_loader_refuses_an_unknown_label(data_home, capsys):
    error = refused(capsys, str(data_home / "nsl-kdd" / "KDDTest-21.txt.gz"),
                    "--loader", "nsl-kdd", "--label", "class")  # fmt: skip
    assert "target must be one of ['category', 'binary', 'attack']" in error
