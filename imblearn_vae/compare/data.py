"""Reading a labelled table and making it ready for a comparison.

Errors name what is wrong (the file, the column, the class) and how to go on.
"""

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder

#: File endings read as Parquet; everything else is read as delimited text.
PARQUET_SUFFIXES = (".parquet", ".pq")


@dataclass
class Table:
    """Features, labels and the kind of each column.

    ``X`` holds the feature columns only; categorical columns are pandas
    categoricals, numeric ones numbers. ``dropped`` maps each column left
    out to the reason.
    """

    X: pd.DataFrame
    y: np.ndarray
    label: str
    categorical: list[str]
    dropped: dict[str, str] = field(default_factory=dict)

    @property
    def numeric(self) -> list[str]:
        return [c for c in self.X.columns if c not in self.categorical]

    def subset(self, rows) -> "Table":
        return Table(
            self.X.iloc[rows].reset_index(drop=True),
            self.y[rows],
            self.label,
            self.categorical,
            self.dropped,
        )


def read_table(path: str | os.PathLike) -> pd.DataFrame:
    """Read a CSV (comma, tab or semicolon separated, gzip allowed) or Parquet file.

    Parameters
    ----------
    path : str or path-like
        The file; ``.parquet`` / ``.pq`` files are read as Parquet (with
        pyarrow), any other as delimited text with a header row.

    Returns
    -------
    DataFrame
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No such file: {path}.")
    if path.suffix.lower() in PARQUET_SUFFIXES:
        try:
            return pd.read_parquet(path)
        except ImportError as error:
            raise ImportError(
                f"Reading {path.name} needs pyarrow: pip install pyarrow."
            ) from error
    if path.stat().st_size == 0:
        raise ValueError(f"{path} is empty.")
    try:
        # sep=None: the separator (comma, tab, semicolon) is sniffed.
        return pd.read_csv(path, sep=None, engine="python")
    except (pd.errors.ParserError, csv.Error, UnicodeDecodeError, ValueError) as error:
        raise ValueError(
            f"{path} could not be read as a CSV file with a header row ({error})."
        ) from None


def prepare_table(
    frame: pd.DataFrame,
    label: str,
    categorical: str | list[str] = "auto",
    drop: list[str] | tuple = (),
    dropped: dict[str, str] | None = None,
) -> Table:
    """Split a frame into features and labels, with each column's kind checked.

    Parameters
    ----------
    frame : DataFrame
        The table, one row per example.
    label : str
        The column holding the class.
    categorical : "auto" or list of str, default="auto"
        The categorical feature columns; "auto" takes the columns of text,
        category or boolean dtype.
    drop : list of str
        Columns that are not features (identifiers, other label columns).
    dropped : dict, optional
        Columns already left out by a loader, with the reason.

    Raises
    ------
    ValueError
        For a missing column, a label column with fewer than two classes or
        missing labels, a non-numeric column not declared categorical, or
        missing values in a feature.
    """
    columns = list(frame.columns)
    for name, what in [(label, "label column"), *((d, "column to drop") for d in drop)]:
        if name not in columns:
            raise ValueError(f"There is no {what} {name!r}; the columns are {columns}.")
    y = frame[label]
    if y.isna().any():
        raise ValueError(
            f"The label column {label!r} is empty in {int(y.isna().sum())} rows; "
            "drop those rows or fill in their class."
        )
    classes = pd.unique(y)
    if len(classes) < 2:
        raise ValueError(
            f"The label column {label!r} holds a single class ({classes[0]!r}); a "
            "comparison of balancing methods needs at least two."
        )
    dropped = {**(dropped or {}), **dict.fromkeys(drop, "asked for (--drop)")}
    X = frame.drop(columns=[label, *drop])
    if X.shape[1] == 0:
        raise ValueError("No feature column is left after the label and --drop.")
    if isinstance(categorical, str):
        if categorical != "auto":
            raise ValueError(
                f"categorical must be 'auto' or a list of column names; got "
                f"{categorical!r}."
            )
        categorical = [
            c for c in X.columns
            if not pd.api.types.is_numeric_dtype(X[c])
            or pd.api.types.is_bool_dtype(X[c])
        ]  # fmt: skip
    else:
        for name in categorical:
            if name not in X.columns:
                raise ValueError(
                    f"The categorical column {name!r} is not a feature column; the "
                    f"feature columns are {list(X.columns)}."
                )
        categorical = [c for c in X.columns if c in set(categorical)]
    X = X.copy()
    for name in X.columns:
        missing = int(X[name].isna().sum())
        if missing:
            raise ValueError(
                f"Column {name!r} has {missing} missing values; fill them in, or "
                f"leave the column out (--drop {name})."
            )
        if name in categorical:
            X[name] = pd.Categorical(X[name].astype(str))
        elif not pd.api.types.is_numeric_dtype(X[name]):
            example = X[name].iloc[0]
            raise ValueError(
                f"Column {name!r} is not numeric (it holds e.g. {example!r}); list it "
                "as categorical (--categorical) or leave it out (--drop)."
            )
    return Table(X, np.asarray(y.astype(str) if y.dtype == object else y), label,
                 categorical, dropped)  # fmt: skip


def align_test(test_frame: pd.DataFrame, train: Table) -> Table:
    """Prepare a test frame with the training table's columns and kinds.

    Extra columns of the test file are ignored; missing ones are an error.
    """
    missing = [
        c for c in [*train.X.columns, train.label] if c not in test_frame.columns
    ]
    if missing:
        raise ValueError(
            f"The test file lacks the column(s) {missing} that the training file has."
        )
    frame = test_frame[[*train.X.columns, train.label]]
    return prepare_table(frame, train.label, train.categorical)


def split_table(table: Table, test_size: float, seed: int) -> tuple[Table, Table]:
    """A stratified split into a training and a test table.

    Parameters
    ----------
    table : Table
        The rows to split.
    test_size : float
        Share of the rows that go to the test table.
    seed : int
        Seed of the split.

    Returns
    -------
    train, test : Table
    """
    try:
        train_rows, test_rows = train_test_split(
            np.arange(len(table.y)),
            test_size=test_size,
            stratify=table.y,
            random_state=seed,
        )
    except ValueError as error:
        raise ValueError(
            f"Cannot split the table into training and test rows by class "
            f"({error}); give a test file instead, or drop classes with a single row."
        ) from None
    return table.subset(np.sort(train_rows)), table.subset(np.sort(test_rows))


def make_table_preprocessor(table: Table) -> ColumnTransformer:
    """One-hot categories (unseen ones give zeros) and min-max scaled numbers.

    The classifier's input, and the space the imbalanced-learn samplers
    balance in.
    """
    return ColumnTransformer(
        [
            (
                "categories",
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                table.categorical,
            ),
            ("numbers", MinMaxScaler(), table.numeric),
        ]
    )
