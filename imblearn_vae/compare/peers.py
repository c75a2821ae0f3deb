"""The peers as imbalanced-learn over-samplers: TVAE, CTGAN and ForestFlow.

The tabular generators a user would pick instead of ours. SDV's ``ctgan``
package (TVAE, CTGAN) and ``ForestDiffusion`` (ForestFlow) come with the
optional extra (``pip install imblearn-vae[peers]``); ``ctgan`` is under the
Business Source License: we call it, we do not copy its code.

- :class:`TVAESampler` fits one TVAE per class that needs new rows (TVAE has
  no conditional sampling) on that class's rows alone.
- :class:`CTGANSampler` fits one CTGAN on the whole table with the label as
  a discrete column and samples each class with CTGAN's condition. The
  condition only raises the class's probability (training-by-sampling), so
  the rows of other classes are rejected and counted in ``rejected_``.
- :class:`ForestFlowSampler` fits one ForestFlow model (gradient boosted
  trees learn the flow) per class that needs new rows.
"""

from numbers import Integral

import numpy as np
import pandas as pd
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_target_type
from imblearn.utils._validation import _check_X
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_consistent_length

from .._checks import check_class_sizes
from .._columns import inferred_categorical, is_dataframe

#: CTGAN draws at most this many batches per class before it gives up.
MAX_CTGAN_ROUNDS = 200


def _import_ctgan():
    try:
        import ctgan
    except ImportError as error:
        raise ImportError(
            "The TVAE and CTGAN peers need the ctgan package: "
            "pip install 'imblearn-vae[peers]' (or pip install ctgan)."
        ) from error
    return ctgan


class _PeerSampler(BaseOverSampler):
    """What the two peers share: a table in (strings welcome), rows appended."""

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 2, None, closed="left")],
        "categorical_features": ["array-like", None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        epochs=50,
        batch_size=500,
        categorical_features=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.epochs = epochs
        self.batch_size = batch_size
        self.categorical_features = categorical_features

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.sparse = False
        return tags

    def _check_X_y(self, X, y, accept_sparse=None):
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        X = _check_X(X)
        check_consistent_length(X, y)
        return X, y, binarize_y

    def _frame(self, X) -> pd.DataFrame:
        frame = X if is_dataframe(X) else pd.DataFrame(np.asarray(X))
        frame = frame.reset_index(drop=True)
        frame.columns = [str(c) for c in frame.columns]
        return frame

    def _discrete_columns(self, frame: pd.DataFrame) -> list[str]:
        if self.categorical_features is None:
            return inferred_categorical(frame)
        names = [str(c) for c in self.categorical_features]
        missing = [c for c in names if c not in frame.columns]
        if missing:
            raise ValueError(
                f"categorical_features names {missing}, which X does not have."
            )
        return names

    def _seed(self) -> int:
        return int(np.random.RandomState(self.random_state).randint(2**31 - 1))

    def _stack(self, X, frame, new_frames, y, new_labels):
        columns = list(frame.columns)
        originals = X.to_numpy(dtype=object) if is_dataframe(X) else np.asarray(X)
        new = [f[columns].to_numpy(dtype=originals.dtype) for f in new_frames]
        return np.vstack([originals, *new]), np.hstack([y, *new_labels])


class TVAESampler(_PeerSampler):
    """Over-sample with one TVAE (SDV's ``ctgan`` package) per minority class.

    Parameters
    ----------
    sampling_strategy : as in imbalanced-learn
    random_state : int, RandomState or None
        Seeds ctgan's global torch and numpy generators for each fit.
    epochs : int, default=50
        Training epochs of each TVAE.
    batch_size : int, default=500
        TVAE's batch size.
    categorical_features : list or None, default=None
        Columns TVAE treats as discrete; None: those of text, category or
        boolean dtype.

    Attributes
    ----------
    models_ : dict
        The fitted TVAE of each class that got new rows.
    """

    def _fit_resample(self, X, y):
        ctgan = _import_ctgan()
        check_class_sizes(self.sampling_strategy_, y, type(self).__name__)
        frame = self._frame(X)
        discrete = self._discrete_columns(frame)
        self.models_, new_frames, new_labels = {}, [], []
        for klass, n_samples in self.sampling_strategy_.items():
            if n_samples == 0:
                continue
            model = ctgan.TVAE(
                epochs=self.epochs, batch_size=self.batch_size, enable_gpu=False
            )
            model.set_random_state(self._seed())
            model.fit(frame[y == klass], discrete_columns=discrete)
            new_frames.append(model.sample(n_samples))
            new_labels.append(np.full(n_samples, klass, dtype=y.dtype))
            self.models_[klass] = model
        return self._stack(X, frame, new_frames, y, new_labels)


class CTGANSampler(_PeerSampler):
    """Over-sample with one conditional CTGAN (SDV's ``ctgan`` package).

    Parameters
    ----------
    sampling_strategy : as in imbalanced-learn
    random_state : int, RandomState or None
        Seeds ctgan's global torch and numpy generators.
    epochs : int, default=20
        Training epochs.
    batch_size : int, default=500
        CTGAN's batch size (a multiple of its ``pac`` of 10).
    categorical_features : list or None, default=None
        Columns CTGAN treats as discrete (the label always is); None: those
        of text, category or boolean dtype.

    Attributes
    ----------
    model_ : ctgan.CTGAN
        The fitted network.
    rejected_ : dict
        For each class, how many rows sampled under its condition belonged
        to another class and were dropped.
    """

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        epochs=20,
        batch_size=500,
        categorical_features=None,
    ):
        super().__init__(
            sampling_strategy=sampling_strategy,
            random_state=random_state,
            epochs=epochs,
            batch_size=batch_size,
            categorical_features=categorical_features,
        )

    def _fit_resample(self, X, y):
        ctgan = _import_ctgan()
        check_class_sizes(self.sampling_strategy_, y, type(self).__name__)
        frame = self._frame(X)
        discrete = self._discrete_columns(frame)
        label = "__label__"
        while label in frame.columns:
            label += "_"
        labels = pd.Series(y).astype(str).to_numpy()
        by_text = {str(k): k for k in np.unique(y)}
        self.model_ = ctgan.CTGAN(
            epochs=self.epochs, batch_size=self.batch_size, enable_gpu=False
        )
        self.model_.set_random_state(self._seed())
        self.model_.fit(frame.assign(**{label: labels}), [*discrete, label])
        self.rejected_, new_frames, new_labels = {}, [], []
        for klass, n_samples in self.sampling_strategy_.items():
            if n_samples == 0:
                continue
            kept, rejected, rounds = [], 0, 0
            while sum(map(len, kept)) < n_samples and rounds < MAX_CTGAN_ROUNDS:
                rounds += 1
                rows = self.model_.sample(
                    max(n_samples, self.batch_size),
                    condition_column=label,
                    condition_value=str(klass),
                )
                match = rows[label].map(by_text) == klass
                kept.append(rows[match])
                rejected += int((~match).sum())
            if sum(map(len, kept)) < n_samples:
                raise RuntimeError(
                    f"CTGAN gave only {sum(map(len, kept))} of {n_samples} rows of "
                    f"class {klass!r} in {MAX_CTGAN_ROUNDS} rounds; train it longer."
                )
            new_frames.append(pd.concat(kept).iloc[:n_samples])
            new_labels.append(np.full(n_samples, klass, dtype=y.dtype))
            self.rejected_[klass] = rejected
        return self._stack(X, frame, new_frames, y, new_labels)


def _import_forest_diffusion():
    try:
        from ForestDiffusion import ForestDiffusionModel
    except ImportError as error:
        raise ImportError(
            "The ForestFlow peer needs the ForestDiffusion package: "
            "pip install 'imblearn-vae[peers]' (or pip install ForestDiffusion)."
        ) from error
    return ForestDiffusionModel


class ForestFlowSampler(_PeerSampler):
    """Over-sample with ForestFlow (Jolicoeur-Martineau et al., AISTATS 2024).

    A flow-matching generator whose vector field is learned by gradient
    boosted trees (the ``ForestDiffusion`` package, MIT licence), one model
    per minority class on that class's rows (its own label conditioning
    samples the classes at random, not in the counts a balance needs).

    Parameters
    ----------
    sampling_strategy : as in imbalanced-learn
    random_state : int, RandomState or None
        Seeds each class's model (ForestDiffusion seeds numpy's global
        generator; its state is restored afterwards).
    n_t : int, default=50
        Noise levels (the package's default).
    duplicate_K : int, default=100
        Noise draws per real row (the package's default).
    n_estimators : int, default=100
        Trees of each XGBoost model (the package's default).
    max_rows : int, default=1000
        Each class's model learns from at most this many of its rows, a
        random subset: ForestFlow fits ``n_t`` models on ``duplicate_K``
        copies of the rows, which on a class of 40,000 rows takes hours on
        a laptop. Not part of the method; say so when you report it.
    n_jobs : int, default=1
        Cores for ForestDiffusion's models.
    categorical_features : list or None, default=None
        Columns treated as categorical; None: those of text, category or
        boolean dtype.

    Attributes
    ----------
    models_ : dict
        The fitted ``ForestDiffusionModel`` of each class that got new rows.
    """

    _parameter_constraints: dict = {
        **{
            k: v
            for k, v in _PeerSampler._parameter_constraints.items()
            if k not in ("epochs", "batch_size")
        },
        "n_t": [Interval(Integral, 2, None, closed="left")],
        "duplicate_K": [Interval(Integral, 1, None, closed="left")],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "max_rows": [Interval(Integral, 2, None, closed="left")],
        "n_jobs": [Integral],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        n_t=50,
        duplicate_K=100,
        n_estimators=100,
        max_rows=1000,
        n_jobs=1,
        categorical_features=None,
    ):
        super(_PeerSampler, self).__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.n_t = n_t
        self.duplicate_K = duplicate_K
        self.n_estimators = n_estimators
        self.max_rows = max_rows
        self.n_jobs = n_jobs
        self.categorical_features = categorical_features

    def _fit_resample(self, X, y):
        ForestDiffusionModel = _import_forest_diffusion()
        check_class_sizes(self.sampling_strategy_, y, type(self).__name__)
        frame = self._frame(X)
        codes, categories = _category_codes(frame, self._discrete_columns(frame))
        rng = np.random.RandomState(self.random_state)
        global_state = np.random.get_state()  # noqa: NPY002 (the package seeds it)
        self.models_, new_frames, new_labels = {}, [], []
        try:
            for klass, n_samples in self.sampling_strategy_.items():
                if n_samples == 0:
                    continue
                rows = np.flatnonzero(y == klass)
                if len(rows) > self.max_rows:
                    rows = rng.choice(rows, self.max_rows, replace=False)
                model, new = self._fit_class(
                    ForestDiffusionModel, codes.iloc[rows], set(categories),
                    n_samples, rng,
                )  # fmt: skip
                new_frames.append(_from_codes(new, frame, categories))
                new_labels.append(np.full(n_samples, klass, dtype=y.dtype))
                self.models_[klass] = model
        finally:
            np.random.set_state(global_state)  # noqa: NPY002
        return self._stack(X, frame, new_frames, y, new_labels)

    def _fit_class(self, ForestDiffusionModel, rows, discrete, n_samples, rng):
        """One class's model and its ``n_samples`` new rows (as codes)."""
        # A column with one value in the class stays that value: the model
        # cannot scale it, and there is nothing to learn.
        varying = [c for c in rows.columns if rows[c].nunique() > 1]
        new = pd.DataFrame({c: np.repeat(rows[c].iloc[0], n_samples) for c in rows})
        if not varying:
            return None, new
        data = rows[varying]
        kinds = {c: _column_kind(data[c], c in discrete) for c in varying}
        model = ForestDiffusionModel(
            data.to_numpy(dtype=float),
            n_t=self.n_t,
            duplicate_K=self.duplicate_K,
            n_estimators=self.n_estimators,
            diffusion_type="flow",
            bin_indexes=[i for i, c in enumerate(varying) if kinds[c] == "binary"],
            cat_indexes=[i for i, c in enumerate(varying) if kinds[c] == "category"],
            int_indexes=[i for i, c in enumerate(varying) if kinds[c] == "integer"],
            n_jobs=self.n_jobs,
            seed=int(rng.randint(2**31 - 1)),
        )
        new[varying] = model.generate(batch_size=n_samples)
        return model, new


def _category_codes(frame: pd.DataFrame, discrete: list[str]):
    """The frame with each discrete column as integer codes, and the categories."""
    codes, categories = frame.copy(), {}
    for column in discrete:
        values = pd.Categorical(frame[column])
        codes[column] = values.codes
        categories[column] = values.categories
    return codes, categories


def _column_kind(column: pd.Series, discrete: bool) -> str:
    """How ForestDiffusion must treat a column of codes or numbers."""
    if column.nunique() == 2 and (discrete or set(column.unique()) <= {0, 1}):
        return "binary"
    if discrete:
        return "category"
    values = column.to_numpy(dtype=float)
    return "integer" if np.all(values == np.round(values)) else "number"


def _from_codes(new: pd.DataFrame, frame: pd.DataFrame, categories: dict):
    """Generated codes back to the frame's categories and dtypes."""
    out = new.copy()
    for column, values in categories.items():
        index = np.clip(np.round(new[column].to_numpy(dtype=float)), 0, len(values) - 1)
        out[column] = values[index.astype(int)]
    for column in frame.columns:
        if column not in categories and pd.api.types.is_integer_dtype(frame[column]):
            out[column] = np.round(out[column].to_numpy(dtype=float)).astype(
                frame[column].dtype
            )
    return out
