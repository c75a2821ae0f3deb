"""Mixed tables: which columns are categorical, and their encoding for a network.

The scikit-learn side of ``categorical_features`` / ``categorical_encoder``
(the meaning is SMOTENC's): resolving the columns, checking their values with
errors that name the column, one-hot encoding with one column per category,
and decoding generated one-hot blocks back to categories. The torch side is
:class:`imblearn_vae.nn.CategoricalBlocks`.
"""

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.preprocessing import OneHotEncoder


def is_dataframe(X) -> bool:
    return hasattr(X, "iloc") and hasattr(X, "dtypes") and hasattr(X, "columns")


def inferred_categorical(frame) -> list:
    """The columns of a DataFrame that hold categories when nobody says which.

    Every column whose values are not numbers: text, booleans, pandas
    categories. The one rule of the package for a user's table
    (``imblearn-vae compare`` and the peers); the samplers' own
    ``categorical_features="auto"`` takes only the pandas categorical columns,
    as imbalanced-learn's SMOTENC does, and ``compare`` gives them those.
    """
    return [name for name, dtype in frame.dtypes.items() if dtype.kind not in "iufc"]


def column_names(X) -> list:
    """Column labels of a DataFrame, else the column indices."""
    return list(X.columns) if is_dataframe(X) else list(range(X.shape[1]))


def resolve_categorical_features(X, categorical_features) -> np.ndarray:
    """Sorted indices of the categorical columns, or a ValueError naming the problem.

    ``categorical_features`` is ``"auto"`` (the pandas categorical columns of
    a DataFrame), column indices, column names (DataFrame only) or a boolean
    mask with one entry per column.
    """
    n_features = X.shape[1]
    if isinstance(categorical_features, str) and categorical_features == "auto":
        if not is_dataframe(X):
            raise ValueError(
                "categorical_features='auto' finds the pandas categorical columns "
                f"of a DataFrame; X is a {type(X).__name__}. Pass the indices of "
                "the categorical columns instead."
            )
        return np.flatnonzero([dtype.name == "category" for dtype in X.dtypes])

    values = np.asarray(categorical_features)
    if values.ndim != 1:
        raise ValueError(
            "categorical_features must be 'auto' or a 1-d list of column indices, "
            f"names or booleans; got {categorical_features!r}."
        )
    if values.size == 0:
        return np.array([], dtype=np.intp)
    if values.dtype.kind == "b":
        if len(values) != n_features:
            raise ValueError(
                f"categorical_features as a boolean mask needs one entry per "
                f"column of X ({n_features}); got {len(values)}."
            )
        return np.flatnonzero(values)
    if values.dtype.kind in "iu":
        outside = [int(i) for i in values if not -n_features <= i < n_features]
        if outside:
            raise ValueError(
                f"categorical_features names column {outside[0]}, but X has "
                f"{n_features} columns (indices 0 to {n_features - 1})."
            )
        return np.unique(values % n_features).astype(np.intp)
    if values.dtype.kind in "UO":
        if not is_dataframe(X):
            raise ValueError(
                "categorical_features holds column names "
                f"({list(values)!r}); X must then be a pandas DataFrame, but it is "
                f"a {type(X).__name__}."
            )
        columns = list(X.columns)
        missing = [name for name in values.tolist() if name not in columns]
        if missing:
            raise ValueError(
                f"categorical_features names column {missing[0]!r}, which X does "
                f"not have; its columns are {columns!r}."
            )
        return np.unique([columns.index(n) for n in values.tolist()]).astype(np.intp)
    raise ValueError(
        "categorical_features must hold column indices, names or booleans; got "
        f"{categorical_features!r}."
    )


def _columns(X, indices) -> np.ndarray:
    if is_dataframe(X):
        return X.iloc[:, indices].to_numpy(dtype=object)
    return np.asarray(X)[:, indices]


def numeric_columns(X, indices, names) -> np.ndarray:
    """The numeric columns as float64, or a ValueError naming a bad column."""
    out = np.empty((X.shape[0], len(indices)), dtype=np.float64)
    for j, index in enumerate(indices):
        column = X.iloc[:, index].to_numpy() if is_dataframe(X) else X[:, index]
        try:
            out[:, j] = np.asarray(column, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"Column {names[index]!r} is not numeric ({error}); list it in "
                "categorical_features if it holds categories."
            ) from None
        if not np.isfinite(out[:, j]).all():
            raise ValueError(
                f"Column {names[index]!r} holds NaN or infinite values; the "
                "generative samplers need finite numbers (impute them first)."
            )
    return out


def integer_columns(X, indices) -> np.ndarray:
    """Which numeric columns hold integers (their generated values are rounded)."""
    if is_dataframe(X):
        return np.array([X.dtypes.iloc[i].kind in "iub" for i in indices], dtype=bool)
    X = np.asarray(X)
    if X.dtype != object:
        return np.full(len(indices), X.dtype.kind in "iub")
    return np.array(
        [all(isinstance(v, int | np.integer) for v in X[:, i]) for i in indices],
        dtype=bool,
    )


def _is_missing_or_infinite(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float | np.floating) and np.isinf(value):
        return True
    try:
        return bool(value != value)  # NaN, and pandas' NA (whose bool() raises)
    except TypeError:
        return True


def categorical_columns(X, indices, names) -> np.ndarray:
    """The categorical columns, checked for missing values."""
    block = _columns(X, indices)
    for j, index in enumerate(indices):
        column = block[:, j]
        missing = (
            ~np.isfinite(column) if column.dtype.kind == "f"
            else np.frompyfunc(_is_missing_or_infinite, 1, 1)(column).astype(bool)
        )  # fmt: skip
        if missing.any():
            raise ValueError(
                f"Categorical column {names[index]!r} holds missing or infinite "
                f"values (NaN, None or inf) in {int(missing.sum())} rows; impute "
                "them or make 'missing' a category of its own."
            )
    return block


def fit_categorical_encoder(encoder, X_categorical, names) -> tuple:
    """Fit the encoder; return it, the float32 one-hot blocks and the block sizes.

    The encoder must give one column per category, each row one-hot within
    each column's block: generated blocks are decoded by ``inverse_transform``.
    """
    if X_categorical.shape[1] == 0:
        return None, np.empty((len(X_categorical), 0), dtype=np.float32), []
    if encoder is None:
        encoder = OneHotEncoder(
            handle_unknown="ignore", sparse_output=False, dtype=np.float32
        )
    encoder = clone(encoder)
    encoded = encoder.fit_transform(X_categorical)
    encoded = encoded.toarray() if sparse.issparse(encoded) else np.asarray(encoded)
    categories = getattr(encoder, "categories_", None)
    if categories is None or len(categories) != len(names):
        raise ValueError(
            "categorical_encoder must set categories_ with one entry per "
            f"categorical column ({len(names)}: {names!r}), as OneHotEncoder does."
        )
    sizes = [len(c) for c in categories]
    if encoded.shape != (len(X_categorical), sum(sizes)):
        raise ValueError(
            f"categorical_encoder gave {encoded.shape[1]} columns for the "
            f"{sum(sizes)} categories of columns {names!r}; it must give one column "
            "per category (a one-hot encoding without drop= or merged infrequent "
            "categories)."
        )
    start = 0
    for name, size in zip(names, sizes, strict=True):
        block = encoded[:, start : start + size]
        if not (np.isin(block, (0, 1)).all() and (block.sum(axis=1) == 1).all()):
            raise ValueError(
                f"categorical_encoder's columns for {name!r} are not one-hot (a "
                "single 1 per row); the samplers need a one-hot encoding."
            )
        start += size
    return encoder, encoded.astype(np.float32, copy=False), sizes


def refuse_text_columns(X, owner: str) -> None:
    """Name the first text or categorical column of a table meant to be numeric.

    Without this, scikit-learn's check says "could not convert string to
    float: 'tcp'" and leaves the user to find the column.
    """
    if is_dataframe(X):
        columns = [(name, X[name]) for name in X.columns]
        text = [n for n, c in columns if c.dtype == object or c.dtype.name in
                ("category", "string", "str")]  # fmt: skip
        if not text:
            return
        name, example = text[0], X[text[0]].iloc[0]
    elif isinstance(X, np.ndarray) and X.dtype.kind in "OUS" and X.ndim == 2:
        # Only text is named here; other objects (a dict in a cell) get
        # scikit-learn's own error, as its estimator checks expect.
        for index in range(X.shape[1]):
            text = [v for v in X[:, index] if isinstance(v, str | np.str_)]
            if text and not _all_numbers(text):
                name, example = index, next(v for v in text if not _all_numbers([v]))
                break
        else:
            return
    else:
        return
    raise ValueError(
        f"{owner}: column {name!r} holds text (e.g. {example!r}), not numbers. "
        "Pass categorical_features (its name or index, or 'auto' "
        "for a DataFrame's categorical columns) to model it as a category, or "
        "encode it first."
    )


def _all_numbers(texts) -> bool:
    try:
        np.asarray(texts, dtype=np.float64)
    except ValueError:
        return False
    return True
