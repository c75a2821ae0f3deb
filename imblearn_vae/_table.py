"""The data path of the generative samplers: a table in, the network's matrix out.

:class:`TableEncoder` fits on the caller's table (an array, a sparse matrix or
a DataFrame, with or without categorical columns) and turns it into the
float32 matrix a network trains on, ``[transformed numeric | one-hot
blocks]``, described by one list of column specs (:class:`ColumnSpec`); its
:meth:`~TableEncoder.inverse_transform` walks the same specs back, from
generated rows to the caller's units, dtypes and categories, clipped to the
range each numeric column had in training, and :meth:`~TableEncoder.stack`
puts them after the caller's rows in the caller's container (array, sparse
matrix or DataFrame). The samplers only train and draw; the network is told
where the categorical blocks sit (:attr:`~TableEncoder.blocks_`).
"""

from typing import Any, NamedTuple

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, clone
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    MinMaxScaler,
    QuantileTransformer,
    StandardScaler,
)

from ._columns import (
    categorical_columns,
    column_names,
    fit_categorical_encoder,
    integer_columns,
    is_dataframe,
    numeric_columns,
    resolve_categorical_features,
)
from .nn import CategoricalBlocks


def signed_log1p(X):
    """``sign(x) * log(1 + |x|)``: spreads heavy tails, keeps 0 and the sign."""
    return np.sign(X) * np.log1p(np.abs(X))


def signed_expm1(X):
    """The inverse of :func:`signed_log1p`."""
    return np.sign(X) * np.expm1(np.abs(X))


def _log_minmax():
    return Pipeline(
        [
            (
                "log",
                FunctionTransformer(signed_log1p, signed_expm1, check_inverse=False),
            ),
            ("minmax", MinMaxScaler()),
        ]
    )


#: The named numeric transforms of ``scaling``: factories given the number
#: of training rows.
SCALINGS = {
    "minmax": lambda n_rows: MinMaxScaler(),
    "standard": lambda n_rows: StandardScaler(),
    # Heavy-tailed counts (bytes, durations) squeezed into a sliver near 0 by
    # min-max scaling get the [0, 1] range back on a log scale.
    "log": lambda n_rows: _log_minmax(),
    # Each column mapped through its empirical distribution to uniform [0, 1]:
    # any tail spread evenly. No subsampling, so no randomness.
    "quantile": lambda n_rows: QuantileTransformer(
        n_quantiles=max(1, min(1000, n_rows)),
        output_distribution="uniform",
        subsample=None,
    ),
}


class CheckedTable(NamedTuple):
    """A table with categorical columns, checked and split by kind."""

    names: list
    categorical: np.ndarray  # column indices
    numeric: np.ndarray
    numeric_values: np.ndarray  # float64, finite
    categorical_values: np.ndarray  # no missing values


def check_table(X, categorical_features, owner: str) -> CheckedTable:
    """Check the columns of a mixed table and split them by kind.

    Raises an error that names the bad column (``owner`` names the estimator).
    """
    if sparse.issparse(X):
        raise TypeError(
            f"{owner} with categorical_features needs dense X (an array or a "
            "DataFrame); got a sparse matrix."
        )
    names = column_names(X)
    categorical = resolve_categorical_features(X, categorical_features)
    numeric = np.setdiff1d(np.arange(X.shape[1]), categorical)
    return CheckedTable(
        names=names,
        categorical=categorical,
        numeric=numeric,
        numeric_values=numeric_columns(X, numeric, names),
        categorical_values=categorical_columns(X, categorical, names),
    )


def to_integers(values: np.ndarray, low: int, high: int, dtype) -> np.ndarray:
    """Rounded float ``values`` as ``dtype`` integers in ``[low, high]``.

    The bounds are compared in float but written in integer space: near
    int64's ends float64 rounds a bound out of the dtype's range, and a value
    clipped to it in float would wrap when cast. Bounds past the dtype's
    range are narrowed to it.
    """
    info = np.iinfo(dtype)
    low, high = max(low, int(info.min)), min(high, int(info.max))
    at_low, at_high = values <= float(low), values >= float(high)
    inside = ~(at_low | at_high)
    out = np.empty(values.shape, dtype)
    out[inside] = values[inside]
    out[at_low], out[at_high] = low, high
    return out


class ColumnSpec(NamedTuple):
    """One column of the caller's table and its span in the network's matrix.

    A numeric column is one matrix column; a categorical one is a one-hot
    block of one column per category seen in training.
    """

    index: int  # position in the caller's table
    name: Any  # its label (the index, for an array)
    kind: str  # "numeric" or "categorical"
    start: int
    stop: int
    integer: bool = False  # numeric values come back rounded


class TableEncoder(BaseEstimator):
    """Turn a table into a network's float32 matrix, and generated rows back.

    Parameters
    ----------
    categorical_features : "auto", array-like or None, default=None
        The categorical columns (see the samplers); None: all numeric.
    categorical_encoder : estimator or None, default=None
        One-hot encoder of the categorical columns; None uses
        ``OneHotEncoder(handle_unknown="ignore")``. Cloned before fitting.
    scaling : {"minmax", "standard", "log", "quantile"}, transformer or None, \
            default="minmax"
        The numeric transform: a name from :data:`SCALINGS`, any transformer
        with ``fit_transform`` and ``inverse_transform`` (cloned), or None.

    Attributes
    ----------
    specs_ : list of ColumnSpec
        Every column of the table in its order, with its kind and its span
        in the matrix: numeric columns first, then the one-hot blocks.
    blocks_ : CategoricalBlocks or None
        The matrix's layout for a network (None without categorical columns).
    scaler_ : transformer or None
        The fitted numeric transform.
    data_min_, data_max_ : ndarray of shape (n_numeric,)
        Range of each numeric column in training; decoded values are clipped
        to it.
    categorical_features_, numeric_features_ : ndarray of int
        Column indices of each kind.
    categorical_encoder_ : estimator or None
        The fitted encoder (None without categorical columns).
    n_columns_ : int
        Width of the matrix.
    """

    def __init__(
        self, categorical_features=None, categorical_encoder=None, scaling="minmax"
    ):
        self.categorical_features = categorical_features
        self.categorical_encoder = categorical_encoder
        self.scaling = scaling

    # ------------------------------------------------------------------
    # The table to the matrix
    # ------------------------------------------------------------------
    def fit_transform(self, X) -> np.ndarray:
        """Fit on ``X`` and return its float32 matrix (a new array).

        ``X`` is what the samplers' ``_check_X_y`` gives: a numeric array or
        sparse matrix, or with ``categorical_features`` an array or DataFrame
        of mixed columns, whose columns are checked here (errors name them).
        """
        self._fit_container(X)
        numeric, categories = self._split(X)
        names = column_names(X) if self.categorical_features is not None else None
        self.categorical_encoder_, one_hot, sizes = fit_categorical_encoder(
            self.categorical_encoder,
            categories,
            [names[i] for i in self.categorical_features_] if names else [],
        )
        integer = self._integer_columns(X)
        self.specs_ = [
            ColumnSpec(int(column), names[column] if names else int(column),
                       "numeric", j, j + 1, bool(integer[j]))
            for j, column in enumerate(self.numeric_features_)
        ]  # fmt: skip
        start = len(self.numeric_features_)
        for column, size in zip(self.categorical_features_, sizes, strict=True):
            self.specs_.append(ColumnSpec(int(column), names[column], "categorical",
                                          start, start + size))  # fmt: skip
            start += size
        self.n_columns_ = start
        self.blocks_ = (
            None
            if self.categorical_features is None
            else CategoricalBlocks(len(self.numeric_features_), sizes)
        )
        self._fit_integer_bounds(X, numeric)
        return self._stack_matrix(self._fit_scaling(numeric), one_hot)

    def transform(self, X) -> np.ndarray:
        """The float32 matrix of new rows of the same kind as the fitted ones."""
        numeric, categories = self._split(X, fitted=True)
        one_hot = None
        if self.categorical_encoder_ is not None:
            one_hot = self.categorical_encoder_.transform(categories)
            one_hot = one_hot.toarray() if sparse.issparse(one_hot) else one_hot
        rows = np.array(numeric, dtype=np.float32, order="C", copy=True)
        if self.scaler_ is not None:
            rows = self.scaler_.transform(rows)
        return self._stack_matrix(rows, one_hot)

    def _fit_container(self, X) -> None:
        """Remember what the output must look like: the input's kind and dtypes."""
        self._sparse_format = X.format if sparse.issparse(X) else None
        self._frame_dtypes = (
            X.dtypes
            if self.categorical_features is not None and is_dataframe(X)
            else None
        )
        mixed = self.categorical_features is not None
        self._output_dtype = (
            np.dtype(object)
            if mixed and (self._frame_dtypes is not None or X.dtype == object)
            else X.dtype
        )

    def _split(self, X, fitted: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The numeric values (an array or sparse matrix) and the categories."""
        if self.categorical_features is None:
            if not fitted:
                self.numeric_features_ = np.arange(X.shape[1])
                self.categorical_features_ = np.empty(0, dtype=np.intp)
            numeric = X.toarray() if sparse.issparse(X) else X
            return numeric, np.empty((X.shape[0], 0))
        categorical = (
            self.categorical_features_ if fitted else self.categorical_features
        )
        checked = check_table(X, categorical, type(self).__name__)
        if not fitted:
            self.categorical_features_ = checked.categorical
            self.numeric_features_ = checked.numeric
        return checked.numeric_values, checked.categorical_values

    def _integer_columns(self, X) -> np.ndarray:
        if self.categorical_features is None:
            return np.full(X.shape[1], X.dtype.kind in "iub")
        return integer_columns(X, self.numeric_features_)

    def _fit_integer_bounds(self, X, numeric) -> None:
        """Each integer column's range in training, exact, by matrix column.

        ``data_min_`` and ``data_max_`` are float64, exact only up to 2**53:
        int64's largest value is 2**63 there, past the end of int64, and a
        value clipped to it wrapped to int64's smallest when cast. The raw
        column is read (the float64 values of a mixed table are lossy).
        """
        self._integer_bounds = {}
        for spec in self.specs_:
            if spec.kind != "numeric" or not spec.integer:
                continue
            if self.categorical_features is None:
                column = numeric[:, spec.start]
            elif is_dataframe(X):
                column = X.iloc[:, spec.index].to_numpy()
            else:
                column = X[:, spec.index]
            self._integer_bounds[spec.start] = (int(column.min()), int(column.max()))

    def _integer_column(self, values: np.ndarray, start: int, dtype) -> np.ndarray:
        """Matrix column ``start``'s decoded values as ``dtype`` integers,
        within the column's training range."""
        bounds = getattr(self, "_integer_bounds", None)  # None: an older pickle
        if bounds is not None and start in bounds:
            low, high = bounds[start]
        else:
            low, high = int(self.data_min_[start]), int(self.data_max_[start])
        return to_integers(values, low, high, dtype)

    @staticmethod
    def _stack_matrix(numeric: np.ndarray, one_hot) -> np.ndarray:
        if one_hot is not None and one_hot.shape[1]:
            numeric = np.hstack([numeric, one_hot])
        return np.ascontiguousarray(numeric, dtype=np.float32)

    def _fit_scaling(self, X: np.ndarray) -> np.ndarray:
        """Fit the numeric transform and the clipping range; return float32 rows."""
        if X.shape[1]:
            self.data_min_ = np.min(X, axis=0).astype(np.float64)
            self.data_max_ = np.max(X, axis=0).astype(np.float64)
        else:  # a table of categorical columns only
            self.data_min_ = self.data_max_ = np.empty(0)
        # One float32 copy: the only copy of the data that training keeps.
        rows = np.array(X, dtype=np.float32, order="C", copy=True)
        if self.scaling is None or X.shape[1] == 0:
            self.scaler_ = None
            return rows
        if isinstance(self.scaling, str):
            self.scaler_ = SCALINGS[self.scaling](len(rows))
        else:
            self.scaler_ = clone(self.scaling)
        if isinstance(self.scaler_, MinMaxScaler | StandardScaler):
            self.scaler_.set_params(copy=False)  # scale the copy in place
        transformed = self.scaler_.fit_transform(rows)
        return np.ascontiguousarray(transformed, dtype=np.float32)

    # ------------------------------------------------------------------
    # The matrix back to the table
    # ------------------------------------------------------------------
    def inverse_transform(self, rows: np.ndarray):
        """Generated float32 rows back in the caller's units, dtypes and categories.

        Numeric values are clipped to the training range (integer columns
        rounded); each one-hot block becomes its category. Returns a
        DataFrame with the fitted columns and dtypes for a mixed DataFrame,
        else a dense array of the input's dtype (object for mixed arrays).
        """
        numeric, categories = self._decode(rows)
        if self._frame_dtypes is not None:
            return self._frame(numeric, categories)
        if self.categorical_features is None:
            if self._output_dtype.kind not in "iu":
                return numeric.astype(self._output_dtype, copy=False)
            out = np.empty(numeric.shape, dtype=self._output_dtype)
            for j in range(numeric.shape[1]):
                out[:, j] = self._integer_column(numeric[:, j], j, out.dtype)
            return out
        out = np.empty((len(rows), len(self.specs_)), dtype=self._output_dtype)
        for spec in self.specs_:
            if spec.kind == "numeric":
                values = numeric[:, spec.start]
                if spec.integer:
                    values = self._integer_column(values, spec.start, np.int64)
                out[:, spec.index] = values
        if categories is not None:
            out[:, self.categorical_features_] = categories
        return out

    def stack(self, X, rows: np.ndarray):
        """``X``'s rows, then the decoded ``rows``, in ``X``'s container.

        A DataFrame, a sparse matrix of ``X``'s format, or an array: the
        output imbalanced-learn's samplers give (originals first, unchanged).
        """
        new = self.inverse_transform(rows)
        if self._frame_dtypes is not None:
            import pandas as pd  # fitted on a DataFrame: pandas is there

            return pd.concat([X, new], ignore_index=True)
        if self._sparse_format is not None:
            return sparse.vstack([X, sparse.csr_matrix(new)], format=X.format)
        return np.vstack([X, new])

    def _frame(self, numeric: np.ndarray, categories):
        """A DataFrame of the fitted columns and dtypes, built column by column.

        The object array of a row-wise build holds a Python object per cell,
        which for the 270,000 new rows of KDDTrain+'s 41 columns took seconds
        to build and as long again to turn back into a frame.
        """
        import pandas as pd  # fitted on a DataFrame: pandas is there

        columns = {}
        for spec in self.specs_:
            if spec.kind != "numeric":
                continue
            columns[spec.name] = numeric[:, spec.start]
            dtype = self._frame_dtypes[spec.name]
            if spec.integer and dtype.kind in "iu":  # pandas' Int64 too
                dtype = np.dtype(getattr(dtype, "numpy_dtype", dtype))
                columns[spec.name] = self._integer_column(
                    columns[spec.name], spec.start, dtype
                )
        for j, column in enumerate(self.categorical_features_):
            columns[self._frame_dtypes.index[column]] = (
                categories[:, j] if categories is not None else np.empty(0, object)
            )
        names = self._frame_dtypes.index
        frame = pd.DataFrame({name: columns[name] for name in names})
        return frame.astype(self._frame_dtypes.to_dict(), copy=False)

    def _decode(self, rows: np.ndarray):
        """The numeric columns (clipped, integers rounded) and the categories."""
        n_numeric = len(self.numeric_features_)
        numeric = rows if self.blocks_ is None else rows[:, :n_numeric]
        if self.scaler_ is not None and len(rows):  # sklearn refuses 0 rows
            numeric = self.scaler_.inverse_transform(numeric)
        # Clip in place in the output's float precision (float64 for integer
        # and mixed output), with the bounds in that dtype: they are training
        # values, exact there, so no row leaves the range. np.clip with the
        # float64 bounds widened float32 rows to float64 and back (4x slower).
        output_float = (
            self._output_dtype
            if np.issubdtype(self._output_dtype, np.floating)
            else np.float64
        )
        numeric = numeric.astype(
            np.promote_types(numeric.dtype, output_float), copy=False
        )
        np.maximum(numeric, self.data_min_.astype(numeric.dtype), out=numeric)
        np.minimum(numeric, self.data_max_.astype(numeric.dtype), out=numeric)
        integer = np.array([s.integer for s in self.specs_ if s.kind == "numeric"],
                           dtype=bool)  # fmt: skip
        if integer.any():
            numeric[:, integer] = np.rint(numeric[:, integer])
        categories = None
        if self.categorical_encoder_ is not None and len(rows):
            categories = self.categorical_encoder_.inverse_transform(
                rows[:, n_numeric:]
            )
        return numeric, categories
