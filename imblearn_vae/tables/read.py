"""Reading a labelled table and making it ready for a comparison or a detector.

``compare`` and ``train`` read a table with these functions and no others,
so a table one takes the other takes, and a table one refuses the other
refuses with the same message. Errors name what is wrong (the file, the
column, the class) and how to go on.
"""

import csv
import gzip
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder

from .._columns import inferred_categorical

#: File endings read as Parquet; everything else is read as delimited text.
PARQUET_SUFFIXES = (".parquet", ".pq")


#: What ``prepare_table`` does with a missing or infinite feature value.
MISSING_POLICIES = ("error", "impute")


@dataclass
class Table:
    """Features, labels and the kind of each column.

    ``X`` holds the feature columns only; categorical columns are pandas
    categoricals, numeric ones numbers. ``dropped`` maps each column left
    out to the reason; ``fill`` maps each feature column to the value that
    stands in for its missing values (``missing="impute"``), and
    ``imputed`` counts the values filled in, by column.
    """

    X: pd.DataFrame
    y: np.ndarray
    label: str
    categorical: list[str]
    dropped: dict[str, str] = field(default_factory=dict)
    fill: dict[str, object] = field(default_factory=dict)
    imputed: dict[str, int] = field(default_factory=dict)

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
            self.fill,
            self.imputed,
        )


def read_table(path: str | os.PathLike) -> pd.DataFrame:
    """Read a CSV (comma, tab, semicolon or bar separated), ARFF/KEEL or Parquet file.

    Parameters
    ----------
    path : str or path-like
        The file; ``.parquet`` / ``.pq`` files are read as Parquet (with
        pyarrow), a file whose first line is ``@relation`` as ARFF / KEEL,
        any other as delimited text with a header row (gzip allowed, a
        UTF-8 byte-order mark ignored).

    Returns
    -------
    DataFrame

    Raises
    ------
    ValueError
        For an empty file, one that is not a table, or a header that names
        a column twice.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No such file: {path}.")
    if path.suffix.lower() in PARQUET_SUFFIXES:
        try:
            return pd.read_parquet(path)
        except ImportError as error:
            raise ImportError(
                f"Reading {path.name} needs pyarrow: pip install pyarrow "
                "(or pip install 'imblearn-vae[compare]')."
            ) from error
    if path.stat().st_size == 0:
        raise ValueError(f"{path} is empty.")
    try:
        sample = _text_sample(path)
        if sample.lstrip().lower().startswith("@relation"):
            frame = read_arff(path)
            frame.attrs["separator"] = ","
            return frame
        separator = _sniff_separator(sample)
        header = next(csv.reader(io.StringIO(sample), delimiter=separator), [])
        _check_header(path, [name.strip() for name in header])
        frame = pd.read_csv(
            path, sep=separator, encoding="utf-8-sig", skipinitialspace=True,
            low_memory=False,
        )  # fmt: skip
    except (pd.errors.ParserError, csv.Error, UnicodeDecodeError) as error:
        raise ValueError(
            f"{path} could not be read as a CSV file with a header row ({error})."
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    # A line of this file, pasted into the detector's form, splits on it.
    frame.attrs["separator"] = separator
    return frame


def _text_sample(path: Path, size: int = 65536) -> str:
    """The first ``size`` characters (gzip or plain text, UTF-8, no BOM)."""
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as stream:
        return stream.read(size)


def _sniff_separator(sample: str) -> str:
    """The separator of a delimited text sample; a comma when it cannot tell.

    The sample is sniffed here and the file then read with pandas' C
    parser: sniffing inside pandas (``sep=None``) needs its Python parser,
    which is several times slower on a large table.
    """
    lines = sample.splitlines()
    complete = "\n".join(lines[:-1] if len(lines) > 1 else lines)
    try:
        return csv.Sniffer().sniff(complete, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _check_header(path: Path, names: list[str]) -> None:
    seen, twice = set(), []
    for name in names:
        if name in seen and name not in twice:
            twice.append(name)
        seen.add(name)
    if twice:
        raise ValueError(
            f"{path.name}'s header names the column(s) {twice} more than once; "
            "give each column its own name."
        )


def read_arff(path: str | os.PathLike) -> pd.DataFrame:
    """Read an ARFF or KEEL ``.dat`` file: ``@attribute`` lines, then ``@data``.

    Values are comma separated, ``?`` is a missing value; columns declared
    with a ``{...}`` set of values are read as text, the others as numbers.
    """
    path = Path(path)
    names, nominal = [], []
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig") as stream:
        for line in stream:
            text = line.strip()
            if text.lower().startswith("@attribute"):
                declaration = text[len("@attribute") :].strip()
                name, _, kind = declaration.partition(" ")
                if "{" in name:  # "name{a,b}" without a space
                    name, _, rest = name.partition("{")
                    kind = "{" + rest + kind
                names.append(name.strip("'\""))
                nominal.append(kind.strip().startswith("{"))
            elif text.lower().startswith("@data"):
                break
        else:
            raise ValueError(f"{path} has @relation but no @data line.")
        _check_header(path, names)
        frame = pd.read_csv(
            stream, header=None, names=names, na_values=["?"],
            skipinitialspace=True, comment="%",
            dtype={n: str for n, is_text in zip(names, nominal, strict=True)
                   if is_text},
        )  # fmt: skip
    return frame


def prepare_table(
    frame: pd.DataFrame,
    label: str,
    categorical: str | list[str] = "auto",
    drop: list[str] | tuple = (),
    dropped: dict[str, str] | None = None,
    missing: str = "error",
    fill: dict | None = None,
    min_classes: int = 2,
) -> Table:
    """Split a frame into features and labels, with each column's kind checked.

    Parameters
    ----------
    frame : DataFrame
        The table, one row per example; left as it is.
    label : str
        The column holding the class.
    categorical : "auto" or list of str, default="auto"
        The categorical feature columns; "auto" takes the columns of text,
        category or boolean dtype.
    drop : list of str
        Columns that are not features (identifiers, other label columns).
    dropped : dict, optional
        Columns already left out by a loader, with the reason.
    missing : {"error", "impute"}, default="error"
        What a missing (empty, NaN) or infinite feature value does: stop
        with the column and the count, or be filled in: a numeric column
        with the median of its finite values, a categorical one (text,
        pandas categories, booleans) with the category ``"missing"``. A
        column with no value at all is refused either way, naming it
        (unless ``fill`` has its value).
    fill : dict, optional
        The fill values to use (a training table's ``fill``), so that test
        rows are filled in as the training rows were; default: this table's.
    min_classes : int, default=2
        The fewest classes the label column may hold (a test table may hold
        one).

    Raises
    ------
    ValueError
        For a missing column, a label column with fewer than two classes or
        missing labels, a non-numeric column not declared categorical, a
        feature column with no value at all, or missing or infinite values
        in a feature (with ``missing="error"``).
    """
    if missing not in MISSING_POLICIES:
        raise ValueError(f"missing must be one of {MISSING_POLICIES}; got {missing!r}.")
    columns = list(frame.columns)
    for name, what in [(label, "label column"), *((d, "column to drop") for d in drop)]:
        if name not in columns:
            raise ValueError(f"There is no {what} {name!r}; the columns are {columns}.")
    y = _labels(frame[label], label, min_classes)
    dropped = {**(dropped or {}), **dict.fromkeys(drop, "asked for (--drop)")}
    X = frame.drop(columns=[label, *drop])
    if X.shape[1] == 0:
        raise ValueError("No feature column is left after the label and --drop.")
    categorical = _categorical_columns(X, categorical)
    X = X.copy()
    fill = dict(fill or {})
    imputed = {}
    for name in X.columns:
        absent = _absent(X[name])
        if absent.all() and name not in fill:
            # nothing to learn from, nor to fill in with (a training table's
            # fill may stand in for a test table's empty column)
            raise ValueError(
                f"Column {name!r} has no value in any of its {len(absent):,} rows "
                f"(all missing or infinite); leave it out (--drop {name})."
            )
        if name not in categorical and not pd.api.types.is_numeric_dtype(X[name]):
            example = X[name].dropna().iloc[0]
            raise ValueError(
                f"Column {name!r} is not numeric (it holds e.g. {example!r}); list it "
                "as categorical (--categorical) or leave it out (--drop)."
            )
        if absent.any() and missing == "error":
            raise ValueError(_absent_message(name, X[name], absent))
        column = X[name]
        if name in categorical:
            # a pandas categorical or boolean column takes no new value
            # ("missing") in place: its values as objects do
            column = column.astype(object)
        if absent.any():
            if name not in fill:
                fill[name] = _fill_value(column, absent, name in categorical)
            column = column.where(~absent, fill[name])
            imputed[name] = int(absent.sum())
        if name in categorical:
            column = pd.Categorical(column.astype(str).str.strip())
        X[name] = column
    return Table(X, y, label, categorical, dropped, fill, imputed)


def _labels(y: pd.Series, label: str, min_classes: int) -> np.ndarray:
    """The class column as an array; text labels without surrounding spaces."""
    if y.isna().any():
        raise ValueError(
            f"The label column {label!r} is empty in {int(y.isna().sum())} rows; "
            "drop those rows or fill in their class."
        )
    if not pd.api.types.is_numeric_dtype(y) or pd.api.types.is_bool_dtype(y):
        y = y.astype(str).str.strip()
    classes = pd.unique(y)
    if len(classes) < min_classes:
        raise ValueError(
            f"The label column {label!r} holds a single class ({classes[0]!r}); a "
            "comparison of balancing methods, or a detector, needs at least two."
        )
    return y.to_numpy()


def _categorical_columns(X: pd.DataFrame, categorical) -> list[str]:
    if isinstance(categorical, str):
        if categorical != "auto":
            raise ValueError(
                f"categorical must be 'auto' or a list of column names; got "
                f"{categorical!r}."
            )
        return inferred_categorical(X)
    for name in categorical:
        if name not in X.columns:
            raise ValueError(
                f"The categorical column {name!r} is not a feature column; the "
                f"feature columns are {list(X.columns)}."
            )
    return [c for c in X.columns if c in set(categorical)]


def _absent(column: pd.Series) -> np.ndarray:
    """Missing values, and infinite ones in a numeric column."""
    absent = column.isna().to_numpy()
    if pd.api.types.is_float_dtype(column):
        absent = absent | np.isinf(column.to_numpy())  # pandas 3: read-only views
    return absent


def _absent_message(name: str, column: pd.Series, absent: np.ndarray) -> str:
    n_missing = int(column.isna().sum())
    n_infinite = int(absent.sum()) - n_missing
    counts = " and ".join(
        text for n, text in ((n_missing, "missing"), (n_infinite, "infinite"))
        if n
    )  # fmt: skip
    first = int(np.flatnonzero(absent)[0])
    return (
        f"Column {name!r} has {n_missing + n_infinite:,} {counts} values (the first "
        f"in data row {first + 1}); fill them in, let them be filled in "
        f"(--missing impute: the median, or the category 'missing'), or leave the "
        f"column out (--drop {name})."
    )


def _fill_value(column: pd.Series, absent: np.ndarray, categorical: bool):
    """The category ``"missing"``, or the median of the finite values (a
    column has some: an empty one is refused before)."""
    if categorical:
        return "missing"
    value = column[~absent].median()
    return round(value) if pd.api.types.is_integer_dtype(column) else value


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
    missing = "impute" if train.fill or train.imputed else "error"
    test = prepare_table(
        frame, train.label, train.categorical, missing=missing, fill=train.fill,
        min_classes=1,
    )  # fmt: skip
    # One kind of label in both tables: the test file's 7 and the training
    # file's "7" must be the same class, not two.
    if train.y.dtype.kind in "OUS" and test.y.dtype.kind not in "OUS":
        test.y = test.y.astype(str).astype(object)
    elif train.y.dtype.kind not in "OUS" and test.y.dtype.kind in "OUS":
        raise ValueError(
            f"The training file's labels are numbers, the test file's are text "
            f"(e.g. {test.y[0]!r}); give both files the same kind of label."
        )
    return test


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
