"""The data path of the generative samplers: a table in, the network's matrix out.

:class:`TableEncoder` fits on the caller's table (an array, a sparse matrix or
a DataFrame, with or without categorical columns) and turns it into the
float32 matrix a network trains on, ``[transformed numeric | one-hot
blocks]``; its :meth:`~TableEncoder.inverse_transform` turns generated rows
back into the caller's units, dtypes and categories, clipped to the range
each numeric column had in training. The samplers only train and draw.
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

    table: Any  # the input as given (DataFrame or array): the output's originals
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
        table=X,
        names=names,
        categorical=categorical,
        numeric=numeric,
        numeric_values=numeric_columns(X, numeric, names),
        categorical_values=categorical_columns(X, categorical, names),
    )


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
    scaler_ : transformer or None
        The fitted numeric transform.
    data_min_, data_max_ : ndarray of shape (n_numeric,)
        Range of each numeric column in training; decoded values are clipped
        to it.
    categorical_features_, numeric_features_ : ndarray of int
        Column indices of each kind.
    categorical_encoder_ : estimator or None
        The fitted encoder (None without categorical columns).
    blocks_ : CategoricalBlocks or None
        Where the one-hot blocks sit in the matrix (None without categorical
        columns).
    n_columns_ : int
        Width of the matrix.
    """

    def __init__(
        self, categorical_features=None, categorical_encoder=None, scaling="minmax"
    ):
        self.categorical_features = categorical_features
        self.categorical_encoder = categorical_encoder
        self.scaling = scaling

    def fit_transform(self, X) -> np.ndarray:
        """Fit on ``X`` and return its float32 matrix (a new array).

        ``X`` is a :class:`CheckedTable` when ``categorical_features`` is set,
        else a numeric array or sparse matrix as imbalanced-learn validated it.
        """
        if self.categorical_features is None:
            return self._fit_numeric(X)
        return self._fit_mixed(X)

    def transform(self, X) -> np.ndarray:
        """The float32 matrix of new rows of the same kind as the fitted ones."""
        if self.blocks_ is None:
            numeric, one_hot = X.toarray() if sparse.issparse(X) else X, None
        else:
            numeric = X.numeric_values
            if self.categorical_encoder_ is not None:
                one_hot = self.categorical_encoder_.transform(X.categorical_values)
                one_hot = one_hot.toarray() if sparse.issparse(one_hot) else one_hot
            else:
                one_hot = np.empty((len(numeric), 0))
        rows = np.array(numeric, dtype=np.float32, order="C", copy=True)
        if self.scaler_ is not None:
            rows = self.scaler_.transform(rows)
        if one_hot is not None:
            rows = np.hstack([rows, one_hot])
        return np.ascontiguousarray(rows, dtype=np.float32)

    def _fit_numeric(self, X) -> np.ndarray:
        self.blocks_ = self.categorical_encoder_ = self._frame_dtypes = None
        self.numeric_features_ = np.arange(X.shape[1])
        self.categorical_features_ = np.empty(0, dtype=np.intp)
        self._output_dtype = X.dtype
        self._integer = np.full(X.shape[1], X.dtype.kind in "iub")
        matrix = self._fit_scaling(X.toarray() if sparse.issparse(X) else X)
        self.n_columns_ = matrix.shape[1]
        return matrix

    def _fit_mixed(self, checked: CheckedTable) -> np.ndarray:
        table = checked.table
        self.categorical_features_ = checked.categorical
        self.numeric_features_ = checked.numeric
        self.categorical_encoder_, one_hot, sizes = fit_categorical_encoder(
            self.categorical_encoder,
            checked.categorical_values,
            [checked.names[i] for i in checked.categorical],
        )
        self._integer = integer_columns(table, checked.numeric)
        self._frame_dtypes = table.dtypes if is_dataframe(table) else None
        self._output_dtype = (
            np.dtype(object)
            if is_dataframe(table) or table.dtype == object
            else table.dtype
        )
        self.blocks_ = CategoricalBlocks(len(checked.numeric), sizes)
        matrix = np.hstack([self._fit_scaling(checked.numeric_values), one_hot])
        self.n_columns_ = matrix.shape[1]
        return matrix

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

    def inverse_transform(self, rows: np.ndarray) -> np.ndarray:
        """Generated float32 rows back in the caller's units, dtypes and categories.

        Numeric values are clipped to the training range (integer columns
        rounded); each one-hot block becomes its category. Returns an array of
        the input's dtype (object for mixed DataFrames or strings).
        """
        numeric, categories = self._decode(rows)
        if self.blocks_ is None:
            return numeric.astype(self._output_dtype, copy=False)
        n_columns = len(self.numeric_features_) + len(self.categorical_features_)
        out = np.empty((len(rows), n_columns), dtype=self._output_dtype)
        for j, column in enumerate(self.numeric_features_):
            values = numeric[:, j]
            out[:, column] = values.astype(np.int64) if self._integer[j] else values
        if categories is not None:
            out[:, self.categorical_features_] = categories
        return out

    def inverse_transform_frame(self, rows: np.ndarray):
        """:meth:`inverse_transform` as a DataFrame of the fitted columns and dtypes.

        For an encoder fitted on a mixed DataFrame. Built column by column:
        the object array of :meth:`inverse_transform` holds a Python object
        per cell, which for the 270,000 new rows of KDDTrain+'s 41 columns
        took seconds to build and as long again to turn back into a frame.
        """
        import pandas as pd  # fitted on a DataFrame: pandas is there

        numeric, categories = self._decode(rows)
        names = self._frame_dtypes.index
        columns = {}
        for j, column in enumerate(self.numeric_features_):
            columns[names[column]] = numeric[:, j]
        for j, column in enumerate(self.categorical_features_):
            columns[names[column]] = (
                categories[:, j] if categories is not None else np.empty(0, object)
            )
        frame = pd.DataFrame({name: columns[name] for name in names})
        return frame.astype(self._frame_dtypes.to_dict(), copy=False)

    def _decode(self, rows: np.ndarray):
        """The numeric columns (clipped, integers rounded) and the categories."""
        blocks = self.blocks_
        numeric = rows if blocks is None else rows[:, : blocks.n_numeric]
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
        if self._integer.any():
            numeric[:, self._integer] = np.rint(numeric[:, self._integer])
        categories = None
        if blocks is not None and len(self.categorical_features_) and len(rows):
            categories = self.categorical_encoder_.inverse_transform(
                rows[:, blocks.n_numeric :]
            )
        return numeric, categories

    @property
    def fitted_on_frame(self) -> bool:
        """Whether the encoder was fitted on a mixed DataFrame."""
        return self._frame_dtypes is not None

    def as_frame(self, rows: np.ndarray):
        """Decoded rows as a DataFrame with the fitted columns and dtypes, if
        the encoder was fitted on a mixed DataFrame; else ``rows`` unchanged."""
        if self._frame_dtypes is None:
            return rows
        import pandas as pd  # fitted on a DataFrame: pandas is there

        dtypes = self._frame_dtypes  # indexed by the fitted frame's columns
        return pd.DataFrame(rows, columns=dtypes.index).astype(dtypes.to_dict())
