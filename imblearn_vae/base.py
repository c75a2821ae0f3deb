"""The shared base of the generative over-samplers: the estimator contract.

:class:`BaseGenerativeSampler` is what imbalanced-learn's samplers are:
validated parameters, ``fit_resample`` as one loop over
``sampling_strategy_`` with the originals first and the new rows after, in
the caller's container, and ``sample`` for more rows. The rest has a home of
its own: the table to the network's matrix and back (:mod:`._table`), the
training loop (:mod:`._training`, with :mod:`.callbacks`), the filter of
generated rows (:mod:`._filter`). A concrete sampler says how to build its
network, take one training step and draw the rows of one class.
"""

from abc import abstractmethod
from collections.abc import Callable
from numbers import Integral

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_target_type
from imblearn.utils._validation import _check_X
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_consistent_length, check_is_fitted
from sklearn_compat.utils._indexing import _safe_indexing
from sklearn_compat.utils.validation import validate_data
from torch import nn

from ._checks import check_class_sizes, class_index
from ._columns import refuse_text_columns
from ._filter import RowFilter
from ._overlap import plan_overlap
from ._parameters import SHARED_CONSTRAINTS
from ._persistence import PicklingMixin
from ._runtime import resolve_device, timed, torch_threads
from ._table import TableEncoder
from ._training import fit_loop, split_validation
from .callbacks import check_callbacks

#: Rows decoded per forward pass in generation, by device type: bounds memory
#: whatever the number of rows asked for. On a CPU, chunks whose activations
#: (1,024 x 604 floats at the paper's width) stay in cache generated twice as
#: fast as chunks of 8,192 rows on one busy thread, and as fast on two idle
#: ones. On an H100, 8,192 and 65,536 rows generated at the same rate.
GENERATION_CHUNK_ROWS = {"cpu": 1024}
DEFAULT_GENERATION_CHUNK_ROWS = 8192


class BaseGenerativeSampler(PicklingMixin, BaseOverSampler):
    """Base class of the deep generative over-samplers.

    Warning: This class should not be used directly. Use the derived classes
    instead.

    Subclasses define ``__init__`` (their signature, stored with
    ``store_parameters``), :meth:`_build_module`, :meth:`_make_optimizers`,
    :meth:`_train_step` and :meth:`_class_sampler`.
    """

    _parameter_constraints: dict = SHARED_CONSTRAINTS

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
    def _build_module(self, n_features: int, n_classes: int, blocks,
                      generator: torch.Generator) -> nn.Module:  # fmt: skip
        """The initialised network (on the CPU); ``blocks`` says where the
        categorical columns' one-hot blocks sit in a row (None: none)."""

    @abstractmethod
    def _make_optimizers(self) -> dict[str, torch.optim.Optimizer]:
        """The optimisers of ``self.module_``, by name."""

    @abstractmethod
    def _train_step(self, X, y, optimizers, generator) -> dict[str, torch.Tensor]:
        """Take one optimisation step on a batch; return its losses by name."""

    @abstractmethod
    def _class_sampler(
        self, class_index: int
    ) -> Callable[[int, torch.Generator], torch.Tensor]:
        """A function ``(n_rows, generator) -> rows`` of one class.

        Rows in the network's matrix, each categorical block one-hot. Built
        once per generation, called once per chunk, with the network in eval
        mode and gradients off.
        """

    def _prepare_generation(self, X: torch.Tensor, y: torch.Tensor) -> None:
        """Called once after training with all the rows, before generation
        (for a VAE that draws around the latent codes of real rows)."""

    def _validation_loss(self, X, y, generator) -> float:
        """Lower-is-better score on held-out rows, for early stopping."""
        raise NotImplementedError

    # ------------------------------------------------------------------
    # Fitting
    # ------------------------------------------------------------------
    def _check_X_y(self, X, y, accept_sparse=None):
        if self.categorical_features is None:
            refuse_text_columns(X, type(self).__name__)
            return super()._check_X_y(X, y, accept_sparse=accept_sparse)
        # As SMOTENC: strings and DataFrames pass as they are; the encoder
        # checks their columns one by one, with errors that name them.
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        X = _check_X(X)
        check_consistent_length(X, y)
        validate_data(self, X=X, y=y, reset=True, skip_check_array=True)
        return X, y, binarize_y

    def fit(self, X, y):
        """Check the data and the sampling strategy (as imbalanced-learn's
        samplers do) and the columns of a mixed table; use ``fit_resample``."""
        super().fit(X, y)
        check_callbacks(self.callbacks, type(self).__name__)
        if self.categorical_features is not None:
            self._table_encoder().fit_transform(X)
        return self

    def _fit_resample(self, X, y):
        check_callbacks(self.callbacks, type(self).__name__)
        check_class_sizes(self.sampling_strategy_, y, type(self).__name__)
        self.classes_, y_encoded = np.unique(y, return_inverse=True)
        self.device_ = resolve_device(self.device)
        self._random_state = check_random_state(self.random_state)
        self.fit_seconds_ = {}
        with timed(self.fit_seconds_, "encode"):
            self.table_encoder_ = self._table_encoder()
            X_network = self.table_encoder_.fit_transform(X)
        with torch_threads(self.n_threads):
            with timed(self.fit_seconds_, "train"):
                plan = plan_overlap(
                    X_network, y_encoded, self.classes_, self.sampling_strategy_,
                    self.overlap_class, self.entropy_weight, self._random_state,
                )  # fmt: skip
                self.overlap_rows_ = plan.overlap_rows
                self._fit_network(X_network, plan)
            row_filter = (
                RowFilter(X_network, y_encoded, self._random_state)
                if self.filter_generated
                else None
            )
            del X_network
            with timed(self.fit_seconds_, "generate"):
                new_rows = self._generate(row_filter)
            if row_filter is not None:  # its tree and its judging, on their own
                generate = self.fit_seconds_.pop("generate") - row_filter.judging
                self.fit_seconds_["filter"] = row_filter.fitting + row_filter.judging
                self.fit_seconds_["generate"] = generate
        keep = np.setdiff1d(np.arange(len(y)), self.overlap_rows_)
        if len(keep) < len(y):  # ORD: the overlap rows are left out
            X, y = _safe_indexing(X, keep), y[keep]
        with timed(self.fit_seconds_, "decode"):
            X_resampled = self.table_encoder_.stack(X, new_rows)
        y_new = [np.full(n, klass, dtype=y.dtype)
                 for klass, n in self.sampling_strategy_.items() if n > 0]  # fmt: skip
        return X_resampled, np.hstack([y, *y_new])

    def _generate(self, row_filter: RowFilter | None) -> np.ndarray:
        """The new rows of every class in turn, as the network's matrix.

        With a filter, each class's rows are those it accepts
        (``filter_acceptance_`` records the share).
        """
        generator = self._torch_generator(self.device_)
        self.filter_acceptance_ = {}
        new_rows = [np.empty((0, self.table_encoder_.n_columns_), np.float32)]
        for klass, n_samples in self.sampling_strategy_.items():
            if n_samples == 0:
                continue
            index = class_index(self.classes_, klass)
            draw = self._class_draw(index, generator)
            if row_filter is None:
                new_rows.append(draw(n_samples))
                continue
            rows, self.filter_acceptance_[klass] = row_filter.draw(
                draw, n_samples, index
            )
            new_rows.append(rows)
        return np.vstack(new_rows)

    def _table_encoder(self) -> TableEncoder:
        return TableEncoder(
            categorical_features=self.categorical_features,
            categorical_encoder=self.categorical_encoder,
            scaling=self.scaling,
        )

    def _fit_network(self, X_network, plan) -> None:
        """Build the network, train it, and ready it to generate.

        ``plan`` (:class:`~imblearn_vae._overlap.OverlapPlan`) gives the
        labels, which may hold one more condition than there are classes
        (ORD's overlap rows), and how often rows are drawn.
        """
        encoder, y_encoded, row_weights = (
            self.table_encoder_,
            plan.labels,
            plan.row_weights,
        )
        n_conditions = max(len(self.classes_), int(y_encoded.max()) + 1)
        self.module_ = self._build_module(
            encoder.n_columns_, n_conditions, encoder.blocks_,
            self._torch_generator("cpu"),
        ).to(self.device_)  # fmt: skip
        train_rows = validation_rows = None
        if self.early_stopping:
            train_rows, validation_rows = split_validation(
                y_encoded, len(self.classes_), self.validation_fraction,
                self._random_state, self.device_,
            )  # fmt: skip
        X = torch.from_numpy(X_network).to(self.device_)
        y = torch.from_numpy(y_encoded.astype(np.int64)).to(self.device_)
        if row_weights is not None:
            row_weights = row_weights.to(self.device_)
        fit_loop(self, X, y, train_rows, validation_rows, row_weights)
        self._generation_weights = plan.generation_weights
        self._prepare_generation(X, y)
        self._generation_weights = None  # kept by _prepare_generation if needed

    # ------------------------------------------------------------------
    # Generation
    # ------------------------------------------------------------------
    def sample(self, n_samples: int, klass):
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
        index = class_index(self.classes_, klass)
        with torch_threads(self.n_threads):
            generator = self._torch_generator(self.device_)
            rows = self._class_draw(index, generator)(n_samples)
        return self.table_encoder_.inverse_transform(rows)

    def _class_draw(self, class_index: int, generator) -> Callable[[int], np.ndarray]:
        """A function ``n -> n`` new rows of one class, as the network's matrix.

        Drawn in chunks (bounded memory whatever ``n``), in eval mode, with
        the class's sampler built once.
        """
        self.module_.eval()
        with torch.no_grad():
            draw_chunk = self._class_sampler(class_index)
        chunk_rows = GENERATION_CHUNK_ROWS.get(
            self.device_.type, DEFAULT_GENERATION_CHUNK_ROWS
        )

        def draw(n_rows: int) -> np.ndarray:
            rows = np.empty((n_rows, self.table_encoder_.n_columns_), np.float32)
            with torch.no_grad():
                for start in range(0, n_rows, chunk_rows):
                    stop = min(start + chunk_rows, n_rows)
                    rows[start:stop] = draw_chunk(stop - start, generator).cpu()
            return rows

        return draw

    def _torch_generator(self, device) -> torch.Generator:
        """A fresh torch generator seeded from the sampler's random stream."""
        seed = int(self._random_state.randint(np.iinfo(np.int32).max))
        return torch.Generator(device=device).manual_seed(seed)
