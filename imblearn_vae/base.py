"""The shared base of the generative over-samplers.

Everything that does not depend on the kind of network lives here: parameter
validation, device and thread handling, internal scaling, the training-loop
driver, per-class generation in chunks, and assembling the output the
imbalanced-learn way (originals first and unchanged, new rows after). A
concrete sampler only says how to build its network, how to take one training
step, and how to draw scaled rows of one class.
"""

import copy
import time
import warnings
from abc import abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from numbers import Integral, Real

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_target_type
from imblearn.utils._validation import _check_X
from scipy import sparse
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_consistent_length, check_is_fitted
from sklearn_compat.utils.validation import validate_data
from torch import nn

from ._checks import check_class_sizes, plain_label
from ._columns import refuse_text_columns
from ._filter import RowFilter
from ._runtime import resolve_device, torch_threads
from ._table import SCALINGS, TableEncoder, check_table
from ._training import (
    Callback,
    EarlyStopping,
    OneCycle,
    ProgressBar,
    class_balance_weights,
    fitted_batch_size,
    planned_epochs,
    shuffled_batches,
    split_validation,
    steps_per_epoch,
)

#: Rows decoded per forward pass in generation, by device type: bounds memory
#: whatever the number of rows asked for. On a CPU, chunks whose activations
#: (1,024 x 604 floats at the paper's width) stay in cache generated twice as
#: fast as chunks of 8,192 rows on one busy thread, and as fast on two idle
#: ones. On an H100, 8,192 and 65,536 rows generated at the same rate.
GENERATION_CHUNK_ROWS = {"cpu": 1024}
DEFAULT_GENERATION_CHUNK_ROWS = 8192

#: Held-out rows compared with generated ones by the default validation loss.
MMD_MAX_ROWS = 1024


class BaseGenerativeSampler(BaseOverSampler):
    """Base class of the deep generative over-samplers.

    Warning: This class should not be used directly. Use the derived classes
    instead.

    Subclasses implement :meth:`_build_module`, :meth:`_make_optimizers`,
    :meth:`_train_step` and :meth:`_sample_scaled`; they may override
    :meth:`_class_row_sampler` with a faster path for one class at a time.
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "epochs": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "batch_size": [
            Interval(Integral, 2, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "learning_rate_schedule": [StrOptions({"constant", "one-cycle"})],
        "scaling": [
            StrOptions(set(SCALINGS)),
            HasMethods(["fit_transform", "inverse_transform"]),
            None,
        ],
        "device": [str, torch.device],
        "n_threads": [Interval(Integral, 1, None, closed="left"), None],
        "class_balance": [Interval(Real, 0, 1, closed="both")],
        "filter_generated": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "categorical_features": ["array-like", StrOptions({"auto"}), None],
        "categorical_encoder": [
            HasMethods(["fit_transform", "inverse_transform"]),
            None,
        ],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        epochs=120,
        batch_size=128,
        learning_rate=1e-4,
        learning_rate_schedule="constant",
        scaling="minmax",
        device="auto",
        n_threads=None,
        class_balance=0.0,
        filter_generated=False,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        categorical_features=None,
        categorical_encoder=None,
        verbose=0,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_schedule = learning_rate_schedule
        self.scaling = scaling
        self.device = device
        self.n_threads = n_threads
        self.class_balance = class_balance
        self.filter_generated = filter_generated
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.categorical_features = categorical_features
        self.categorical_encoder = categorical_encoder
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        if self.categorical_features is not None:
            # SMOTENC's contract: strings welcome, sparse input not.
            tags.input_tags.string = True
            tags.input_tags.sparse = False
        return tags

    # ------------------------------------------------------------------
    # What a concrete sampler provides
    # ------------------------------------------------------------------
    @abstractmethod
    def _build_module(
        self, n_features: int, n_classes: int, generator: torch.Generator
    ) -> nn.Module:
        """Return the initialised network (on the CPU)."""

    @abstractmethod
    def _make_optimizers(self) -> dict[str, torch.optim.Optimizer]:
        """Return the optimisers of ``self.module_``, by name."""

    @abstractmethod
    def _train_step(
        self,
        X: torch.Tensor,
        y: torch.Tensor,
        optimizers: dict[str, torch.optim.Optimizer],
        generator: torch.Generator,
    ) -> dict[str, torch.Tensor]:
        """Take one optimisation step on a batch; return its losses by name."""

    @abstractmethod
    def _sample_scaled(
        self, y: torch.Tensor, generator: torch.Generator
    ) -> torch.Tensor:
        """Return one new row, in the scaled space, for each class index in ``y``.

        Called with the network in eval mode and gradients off.
        """

    def _class_row_sampler(
        self, class_index: int
    ) -> Callable[[int, torch.Generator], torch.Tensor]:
        """Return a function ``(n_rows, generator) -> scaled rows`` of one class.

        Generation's path: built once per call of :meth:`sample`, called once
        per chunk, with the network in eval mode and gradients off. Samplers
        whose network has a faster path for rows of one class override this;
        it must draw the same rows as :meth:`_sample_scaled` up to rounding.
        """

        def draw(n_rows: int, generator: torch.Generator) -> torch.Tensor:
            y = torch.full(
                (n_rows,), class_index, dtype=torch.long, device=self.device_
            )
            return self._sample_scaled(y, generator)

        return draw

    def _prepare_generation(self, X: torch.Tensor, y: torch.Tensor) -> None:
        """Called once after training with all the rows, before any generation.

        For samplers that draw new rows from what the trained network makes of
        the real ones (a VAE decoding the latent codes of real rows); the
        default does nothing.
        """

    def _validation_loss(
        self, X: torch.Tensor, y: torch.Tensor, generator: torch.Generator
    ) -> float:
        """Lower-is-better score of the model on held-out rows, for early stopping.

        Called with the network in eval mode and gradients off. This default
        suits any generator: the squared maximum mean discrepancy (Gaussian
        kernel, median-distance bandwidth) between up to 1,024 held-out rows
        and as many generated rows of the same classes, each row with its
        one-hot label appended so that the classes count. Samplers with a
        likelihood-based loss (the VAEs) use that instead.
        """
        n_rows = min(len(X), MMD_MAX_ROWS)
        chosen = torch.randperm(len(X), generator=generator, device=X.device)[:n_rows]
        labels = torch.nn.functional.one_hot(y[chosen], len(self.classes_)).to(X.dtype)
        real = torch.cat([X[chosen], labels], dim=1)
        fake = torch.cat([self._draw_rows(y[chosen], generator), labels], dim=1)
        real_distances = torch.cdist(real, real).square()
        bandwidth = real_distances.median().clamp_min(1e-12)

        def mean_kernel(distances: torch.Tensor) -> torch.Tensor:
            return torch.exp(-distances / bandwidth).mean()

        mmd = (
            mean_kernel(real_distances)
            + mean_kernel(torch.cdist(fake, fake).square())
            - 2 * mean_kernel(torch.cdist(real, fake).square())
        )
        return float(mmd)

    def _draw_rows(self, y: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        """New scaled rows, each categorical block one-hot."""
        return self._one_hot_blocks(self._sample_scaled(y, generator))

    def _one_hot_blocks(self, rows: torch.Tensor) -> torch.Tensor:
        blocks = self.table_encoder_.blocks_
        return rows if blocks is None else blocks.one_hot(rows)

    # ------------------------------------------------------------------
    # Fitting
    # ------------------------------------------------------------------
    def _check_X_y(self, X, y, accept_sparse=None):
        if self.categorical_features is None:
            refuse_text_columns(X, type(self).__name__)
            return super()._check_X_y(X, y, accept_sparse=accept_sparse)
        # As SMOTENC: strings and DataFrames pass; columns are checked one by
        # one in fit, with errors that name them.
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        X = _check_X(X)
        check_consistent_length(X, y)
        validate_data(self, X=X, y=y, reset=True, skip_check_array=True)
        # Checked here, so that fit() too refuses bad columns, and handed on
        # split so that _fit_resample does not convert the columns again.
        checked = check_table(X, self.categorical_features, type(self).__name__)
        return checked, y, binarize_y

    def _fit_resample(self, X, y):
        check_class_sizes(self.sampling_strategy_, y, type(self).__name__)
        self.classes_, y_encoded = np.unique(y, return_inverse=True)
        self.device_ = resolve_device(self.device)
        self._random_state = check_random_state(self.random_state)
        self.fit_seconds_ = {}
        with self._timed("encode"):
            self.table_encoder_ = TableEncoder(
                categorical_features=self.categorical_features,
                categorical_encoder=self.categorical_encoder,
                scaling=self.scaling,
            )
            X_network = self.table_encoder_.fit_transform(X)
        with torch_threads(self.n_threads):
            with self._timed("train"):
                self._fit_network(X_network, y_encoded)
                row_filter = (
                    RowFilter(X_network, y_encoded, self._random_state)
                    if self.filter_generated
                    else None
                )
            del X_network
            with self._timed("generate"):
                new_rows = self._generate_all(row_filter)
        with self._timed("decode"):
            X_resampled = self._append_rows(X, new_rows)
        y_new = [
            np.full(n_samples, klass, dtype=y.dtype)
            for klass, n_samples in self.sampling_strategy_.items()
            if n_samples > 0
        ]
        return X_resampled, np.hstack([y, *y_new])

    def _generate_all(self, row_filter: RowFilter | None) -> list[np.ndarray]:
        """The new rows of every class (network matrix), filtered if asked."""
        generator = self._torch_generator(self.device_)
        self.filter_acceptance_ = {}
        new_rows = []
        for klass, n_samples in self.sampling_strategy_.items():
            if n_samples == 0:
                continue
            index = self._class_index(klass)

            def draw(n, index=index):
                return self._generate(n, index, generator)

            if row_filter is None:
                new_rows.append(draw(n_samples))
                continue
            rows, self.filter_acceptance_[klass] = row_filter.draw(
                draw, n_samples, index
            )
            new_rows.append(rows)
        return new_rows

    @contextmanager
    def _timed(self, stage: str) -> Iterator[None]:
        """Add the block's seconds to ``fit_seconds_[stage]``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            self.fit_seconds_[stage] = self.fit_seconds_.get(stage, 0.0) + elapsed

    def _fit_network(self, X_network: np.ndarray, y_encoded: np.ndarray) -> None:
        """Build the network, train it, and ready it to generate."""
        self.module_ = self._build_module(
            X_network.shape[1], len(self.classes_), self._torch_generator("cpu")
        ).to(self.device_)
        train_rows, validation_rows = self._split_validation(y_encoded)
        X_tensor = torch.from_numpy(X_network).to(self.device_)
        y_tensor = torch.from_numpy(y_encoded.astype(np.int64)).to(self.device_)
        self._train(X_tensor, y_tensor, train_rows, validation_rows)
        self._prepare_generation(X_tensor, y_tensor)

    def _append_rows(self, X, new_rows: list[np.ndarray]):
        """The original rows, then the new ones decoded into the caller's form."""
        encoder = self.table_encoder_
        rows = np.vstack(new_rows) if new_rows else np.empty((0, encoder.n_columns_))
        if self.categorical_features is not None and encoder.fitted_on_frame:
            import pandas as pd  # the caller's table is a DataFrame

            new = encoder.inverse_transform_frame(rows)
            return pd.concat([X.table, new], ignore_index=True)
        if self.categorical_features is not None:
            return np.vstack([X.table, encoder.inverse_transform(rows)])
        if sparse.issparse(X):
            new = sparse.csr_matrix(encoder.inverse_transform(rows))
            return sparse.vstack([X, new], format=X.format)
        return np.vstack([X, encoder.inverse_transform(rows)])

    def _split_validation(self, y_encoded: np.ndarray):
        """Rows to train on and to validate on (None, None: no early stopping)."""
        if not self.early_stopping:
            return None, None
        train, validation = split_validation(
            y_encoded, len(self.classes_), self.validation_fraction, self._random_state
        )
        return train.to(self.device_), validation.to(self.device_)

    def _train(
        self,
        X: torch.Tensor,
        y: torch.Tensor,
        train_rows: torch.Tensor | None = None,
        validation_rows: torch.Tensor | None = None,
    ) -> None:
        """Run up to ``epochs`` passes of shuffled mini-batches into ``history_``.

        With validation rows, each epoch also records ``"validation_loss"``
        and :class:`~imblearn_vae._training.EarlyStopping` may end training
        (keeping the network of the best epoch); the other callbacks of
        :meth:`_callbacks` see every step and epoch.
        """
        n_rows = X.shape[0] if train_rows is None else len(train_rows)
        self.batch_size_ = self._fitted_batch_size(n_rows)
        generator = self._torch_generator(self.device_)
        optimizers = self._make_optimizers()
        callbacks = self._callbacks(optimizers, validation_rows is not None)
        n_epochs = self._planned_epochs(n_rows)
        for callback in callbacks:
            callback.on_train_begin(
                self, n_epochs, n_epochs * steps_per_epoch(n_rows, self.batch_size_)
            )
        self.history_ = []
        self.best_epoch_ = None  # EarlyStopping sets it
        self.module_.train()
        epoch_data = (X, y, train_rows, optimizers, generator, callbacks)
        for epoch in range(1, n_epochs + 1):
            record = self._run_epoch(epoch, *epoch_data)
            if validation_rows is not None:
                record["validation_loss"] = self._validate(
                    X[validation_rows], y[validation_rows], generator
                )
            self._check_finite(record)
            self.history_.append(record)
            if any([c.on_epoch_end(self, record) for c in callbacks]):
                break
        for callback in callbacks:
            callback.on_train_end(self)
        self.n_epochs_ = len(self.history_)
        self.module_.eval()

    def _callbacks(self, optimizers, validating: bool) -> list[Callback]:
        """What the training loop calls besides the steps."""
        callbacks: list[Callback] = [ProgressBar(self.verbose)]
        if self.learning_rate_schedule == "one-cycle":
            callbacks.append(OneCycle(optimizers))
        if validating:
            callbacks.append(EarlyStopping(self.n_iter_no_change, self.tol))
        return callbacks

    def _run_epoch(self, epoch, X, y, train_rows, optimizers, generator, callbacks):
        """One pass over the training rows; the record of its mean losses."""
        start = time.perf_counter()
        n_rows = X.shape[0] if train_rows is None else len(train_rows)
        row_weights = self._class_balance_weights(
            y if train_rows is None else y[train_rows]
        )
        batches = shuffled_batches(
            n_rows, self.batch_size_, generator, X.device, row_weights
        )
        totals: dict[str, torch.Tensor] = {}
        for step, batch in enumerate(batches, start=(epoch - 1) * len(batches) + 1):
            if train_rows is not None:
                batch = train_rows[batch]
            losses = self._train_step(X[batch], y[batch], optimizers, generator)
            for name, value in losses.items():
                weighted = value.detach() * len(batch)
                totals[name] = totals[name] + weighted if name in totals else weighted
            for callback in callbacks:
                callback.on_batch_end(self, step)
        record = {"epoch": epoch}
        record.update({name: float(total) / n_rows for name, total in totals.items()})
        record["duration"] = time.perf_counter() - start
        return record

    def _validate(self, X, y, generator) -> float:
        self.module_.eval()
        with torch.no_grad():
            loss = self._validation_loss(X, y, generator)
        self.module_.train()
        return loss

    def _planned_epochs(self, n_rows: int) -> int:
        return planned_epochs(self.epochs, n_rows, self.batch_size_)

    def _fitted_batch_size(self, n_rows: int) -> int:
        return fitted_batch_size(self.batch_size, n_rows)

    def _class_balance_weights(self, y: torch.Tensor) -> torch.Tensor | None:
        return class_balance_weights(y, len(self.classes_), self.class_balance)

    def _check_finite(self, record: dict) -> None:
        for name, value in record.items():
            if not np.isfinite(value):
                raise FloatingPointError(
                    f"{type(self).__name__}: the training loss {name!r} became "
                    f"{value} in epoch {record['epoch']}. Lower learning_rate, "
                    "or scale the features (scaling='minmax' or 'standard')."
                )

    # ------------------------------------------------------------------
    # Generation
    # ------------------------------------------------------------------
    def sample(self, n_samples: int, klass) -> np.ndarray:
        """Generate new rows of one class with the fitted network.

        Successive calls continue the sampler's random stream, so they give
        different rows; the sequence is the same for the same ``random_state``.

        Parameters
        ----------
        n_samples : int
            Number of rows to generate.
        klass : label
            A class label seen in fit.

        Returns
        -------
        X_new : ndarray or DataFrame of shape (n_samples, ``n_features_in_``)
            Dense rows in the original units and dtype of the training data;
            with ``categorical_features``, a DataFrame with the fitted columns
            and dtypes when fitted on one, else an array of the input's dtype
            (object for strings).
        """
        check_is_fitted(self, "module_")
        if not isinstance(n_samples, Integral) or n_samples < 0:
            raise ValueError(
                f"n_samples must be a non-negative integer; got {n_samples!r}."
            )
        class_index = self._class_index(klass)
        with torch_threads(self.n_threads):
            rows = self._generate(
                n_samples, class_index, self._torch_generator(self.device_)
            )
        if self.table_encoder_.fitted_on_frame:
            return self.table_encoder_.inverse_transform_frame(rows)
        return self.table_encoder_.inverse_transform(rows)

    def _generate(self, n_samples: int, class_index: int, generator) -> np.ndarray:
        """``n_samples`` new rows of one class, as the network's float32 matrix."""
        self.module_.eval()
        rows = np.empty((n_samples, self.table_encoder_.n_columns_), dtype=np.float32)
        with torch.no_grad():
            chunk_rows = GENERATION_CHUNK_ROWS.get(
                self.device_.type, DEFAULT_GENERATION_CHUNK_ROWS
            )
            draw = self._class_row_sampler(class_index)
            for start in range(0, n_samples, chunk_rows):
                stop = min(start + chunk_rows, n_samples)
                chunk = draw(stop - start, generator)
                rows[start:stop] = self._one_hot_blocks(chunk).cpu().numpy()
        return rows

    def _class_index(self, klass) -> int:
        index = np.searchsorted(self.classes_, klass)
        if index >= len(self.classes_) or self.classes_[index] != klass:
            raise ValueError(
                f"Class {plain_label(klass)!r} was not seen in fit; the classes are "
                f"{self.classes_.tolist()}."
            )
        return int(index)

    # ------------------------------------------------------------------
    # Randomness, devices, pickling
    # ------------------------------------------------------------------
    def _torch_generator(self, device) -> torch.Generator:
        """A fresh torch generator seeded from the sampler's random stream."""
        seed = int(self._random_state.randint(np.iinfo(np.int32).max))
        return torch.Generator(device=device).manual_seed(seed)

    def __getstate__(self):
        state = super().__getstate__()
        module = state.get("module_")
        if module is not None and state["device_"].type != "cpu":
            # A pickle must load on a machine without the GPU it was fitted on.
            state["module_"] = copy.deepcopy(module).cpu()
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        device = getattr(self, "device_", None)
        if device is not None and device.type != "cpu":
            if device.type == "cuda" and torch.cuda.is_available():
                self.module_.to(device)
            else:
                warnings.warn(
                    f"{type(self).__name__} was fitted on {device}, which is not "
                    "available here; its network was loaded on the CPU.",
                    UserWarning,
                    stacklevel=2,
                )
                self.device_ = torch.device("cpu")
