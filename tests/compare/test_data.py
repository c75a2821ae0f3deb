import numpy as np
import pandas as pd
import pytest

from imblearn_vae.compare import align_test, prepare_table, read_table, split_table


def test_prepare_table_splits_features_labels_and_kinds(traffic_frame):
    table = prepare_table(traffic_frame, "class")
    assert list(table.X.columns) == ["bytes", "rate", "proto"]
    assert table.categorical == ["proto"] and table.numeric == ["bytes", "rate"]
    assert table.X["proto"].dtype.name == "category"
    assert sorted(set(table.y)) == ["flood", "normal", "scan"]
    assert "class" in traffic_frame  # the caller's frame is left as it was


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"label": "kind"}, "no label column 'kind'"),
        ({"label": "class", "drop": ["ip"]}, "no column to drop 'ip'"),
        ({"label": "class", "categorical": ["port"]}, "categorical column 'port'"),
    ],
)
def test_missing_columns_are_named(traffic_frame, kwargs, message):
    with pytest.raises(ValueError, match=message):
        prepare_table(traffic_frame, **kwargs)


def test_a_label_column_with_one_class_is_refused(traffic_frame):
    with pytest.raises(ValueError, match="single class \\('x'\\)"):
        prepare_table(traffic_frame.assign(kind="x"), "kind", drop=["class"])


def test_text_in_a_numeric_column_is_named(traffic_frame):
    frame = traffic_frame.astype({"bytes": object})
    frame.loc[3, "bytes"] = "lots"
    with pytest.raises(ValueError, match="'bytes' is not numeric"):
        prepare_table(frame, "class", categorical=["proto"])


def test_missing_values_are_named(traffic_frame):
    frame = traffic_frame.copy()
    frame.loc[[1, 2], "rate"] = np.nan
    with pytest.raises(ValueError, match="'rate' has 2 missing values"):
        prepare_table(frame, "class")


@pytest.mark.parametrize("dtype", [object, "category", "string", "boolean"])
def test_missing_categories_of_any_dtype_are_imputed(traffic_frame, dtype):
    """A pandas categorical or boolean column took no "missing" in place (a
    TypeError); each kind of categorical column gets the category."""
    frame = traffic_frame.copy()
    if dtype == "boolean":
        frame["proto"] = frame["proto"] == "tcp"
    frame["proto"] = frame["proto"].astype(dtype)
    frame.loc[[1, 2, 40], "proto"] = None
    given = frame.copy()
    table = prepare_table(frame, "class", missing="impute")
    assert table.categorical == ["proto"] and table.X["proto"].dtype == "category"
    assert table.fill == {"proto": "missing"} and table.imputed == {"proto": 3}
    assert (table.X["proto"] == "missing").sum() == 3
    assert (table.X.loc[[1, 2, 40], "proto"] == "missing").all()
    known = {"True", "False"} if dtype == "boolean" else {"tcp", "udp"}
    assert set(table.X["proto"].cat.categories) == known | {"missing"}
    pd.testing.assert_frame_equal(frame, given)  # the caller's frame as it was


@pytest.mark.parametrize("missing", ["error", "impute"])
@pytest.mark.parametrize(
    ("values", "categorical"),
    [((None, object), "auto"), ((None, object), ["proto", "empty"]),
     ((None, object), ["proto"]), ((np.nan, float), "auto"),
     ((np.inf, float), "auto"), ((None, "category"), "auto")],
)  # fmt: skip
def test_a_column_with_no_value_is_named(traffic_frame, values, categorical, missing):
    """A column of no value at all (an object column of None crashed with an
    IndexError when not categorical): the same named error, whatever its
    kind and --missing."""
    value, dtype = values
    frame = traffic_frame.assign(empty=pd.Series(value, traffic_frame.index, dtype))
    with pytest.raises(ValueError) as error:
        prepare_table(frame, "class", categorical=categorical, missing=missing)
    assert str(error.value) == (
        "Column 'empty' has no value in any of its 240 rows (all missing or "
        "infinite); leave it out (--drop empty)."
    )


def test_a_test_tables_empty_column_is_filled_as_in_training(traffic_frame):
    frame = traffic_frame.copy()
    frame.loc[3, "proto"] = None
    train = prepare_table(frame, "class", missing="impute")
    test = align_test(traffic_frame.assign(proto=None).head(20), train)
    assert (test.X["proto"] == "missing").all() and test.imputed == {"proto": 20}


@pytest.mark.parametrize("separator", [",", "\t", ";"])
def test_read_table_finds_the_separator(tmp_path, traffic_frame, separator):
    path = tmp_path / "t.txt"
    traffic_frame.to_csv(path, sep=separator, index=False)
    pd.testing.assert_frame_equal(read_table(path), traffic_frame)


def test_read_table_reads_parquet(tmp_path, traffic_frame):
    pytest.importorskip("pyarrow")
    path = tmp_path / "t.parquet"
    traffic_frame.to_parquet(path)
    pd.testing.assert_frame_equal(read_table(path), traffic_frame)


def test_read_table_refuses_a_missing_or_empty_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="No such file"):
        read_table(tmp_path / "absent.csv")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(ValueError, match="empty"):
        read_table(tmp_path / "empty.csv")


def test_split_is_stratified_and_a_test_file_must_have_the_columns(traffic_frame):
    table = prepare_table(traffic_frame, "class")
    train, test = split_table(table, 0.25, seed=0)
    assert len(train.y) + len(test.y) == len(table.y)
    assert (test.y == "flood").sum() in (7, 8)  # a quarter of 30
    with pytest.raises(ValueError, match="lacks the column\\(s\\) \\['rate'\\]"):
        align_test(traffic_frame.drop(columns="rate"), train)
    aligned = align_test(traffic_frame.assign(extra=1), train)
    assert list(aligned.X.columns) == list(train.X.columns)


def test_a_class_of_one_row_cannot_be_split(traffic_frame):
    frame = pd.concat([traffic_frame, traffic_frame.iloc[[0]].assign(**{"class": "x"})])
    table = prepare_table(frame, "class")
    with pytest.raises(ValueError, match="give a test file instead"):
        split_table(table, 0.3, seed=0)
