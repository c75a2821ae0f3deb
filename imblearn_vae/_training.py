"""The pieces of the generative samplers' training loop.

The loop itself (:meth:`BaseGenerativeSampler._train`) runs epochs of
mini-batches; what happens around it is a :class:`Callback` the loop calls,
as skorch's ``fit_loop`` calls its ``EarlyStopping`` and ``ProgressBar``:
stopping early and keeping the best network, the progress bar, a learning
rate that changes with the steps. Adding one is writing a callback, not
editing the loop.
"""

import copy
import math
import sys

import numpy as np
import torch
from tqdm.auto import tqdm

#: ``epochs="auto"``: at least this many epochs, and at least AUTO_STEPS
#: optimisation steps (a small table's epochs are a few steps each).
AUTO_MIN_EPOCHS = 10
AUTO_STEPS = 400

#: ``batch_size="auto"``: about this many batches an epoch, each a power of
#: two of AUTO_BATCH_RANGE rows (512 for any table of 24,000 rows or more).
AUTO_BATCHES = 64
AUTO_BATCH_RANGE = (32, 512)


class Callback:
    """Something the training loop calls at its milestones.

    Each hook gets the sampler being fitted; :meth:`on_epoch_end` also gets
    the epoch's record (losses, ``validation_loss`` when there is one) and
    returns True to stop training.
    """

    def on_train_begin(self, sampler, n_epochs: int, n_steps: int) -> None:
        """Before the first epoch: the epochs and optimisation steps planned."""

    def on_batch_end(self, sampler, step: int) -> None:
        """After each optimisation step (``step`` counts from 1)."""

    def on_epoch_end(self, sampler, record: dict) -> bool:
        """After each epoch; True stops training."""
        return False

    def on_train_end(self, sampler) -> None:
        """After the last epoch, stopped early or not."""


class EarlyStopping(Callback):
    """Stop once the validation loss has not improved for a while; keep the best.

    Parameters
    ----------
    patience : int
        Epochs without an improvement of more than ``tol`` before stopping.
    tol : float
        The least decrease that counts as an improvement.

    The network of the best epoch is put back at the end and its epoch is
    ``sampler.best_epoch_``.
    """

    def __init__(self, patience: int, tol: float) -> None:
        self.patience = patience
        self.tol = tol

    def on_train_begin(self, sampler, n_epochs, n_steps):
        self.best_loss = float("inf")
        self.best_state = None
        self.stale_epochs = 0

    def on_epoch_end(self, sampler, record):
        if record["validation_loss"] < self.best_loss - self.tol:
            self.best_loss, self.stale_epochs = record["validation_loss"], 0
            self.best_state = copy.deepcopy(sampler.module_.state_dict())
            sampler.best_epoch_ = record["epoch"]
            return False
        self.stale_epochs += 1
        return self.stale_epochs >= self.patience

    def on_train_end(self, sampler):
        if self.best_state is not None:
            sampler.module_.load_state_dict(self.best_state)


class OneCycle(Callback):
    """The learning rate of every optimiser over the steps: a one-cycle schedule.

    Up from a tenth of the peak over the first ``warmup`` share of the steps,
    then down to a hundredth of it, each along a cosine (Smith & Topin, 2019,
    "Super-convergence"; the schedule of torch's ``OneCycleLR``): with it a
    network reaches in fewer epochs what a constant rate reaches in more.

    Parameters
    ----------
    optimizers : dict
        Optimisers whose ``param_groups`` hold an ``lr``; the one at the
        start is the peak.
    warmup : float
        Share of the steps spent rising.
    """

    def __init__(self, optimizers: dict, warmup: float = 0.3) -> None:
        self.optimizers = optimizers
        self.warmup = warmup

    def on_train_begin(self, sampler, n_epochs, n_steps):
        self.peaks = [
            [group["lr"] for group in optimizer.param_groups]
            for optimizer in self.optimizers.values()
        ]
        self.n_steps = max(2, n_steps)
        self._set(0)

    def on_batch_end(self, sampler, step):
        if step < self.n_steps:
            self._set(step)

    def _set(self, step: int) -> None:
        rising_until = self.warmup * self.n_steps - 1
        for optimizer, peaks in zip(self.optimizers.values(), self.peaks, strict=True):
            for group, peak in zip(optimizer.param_groups, peaks, strict=True):
                start, end = peak / 10, peak / 100
                if step <= rising_until:
                    group["lr"] = _cosine(start, peak, step / rising_until)
                else:
                    share = (step - rising_until) / (self.n_steps - 1 - rising_until)
                    group["lr"] = _cosine(peak, end, share)


def _cosine(start: float, end: float, share: float) -> float:
    """From ``start`` (share 0) to ``end`` (share 1) along half a cosine."""
    return end + (start - end) / 2 * (math.cos(math.pi * share) + 1)


class ProgressBar(Callback):
    """verbose=1: a bar (losses, time left); verbose>=2: a line per epoch too."""

    def __init__(self, verbose: int) -> None:
        self.verbose = verbose

    def on_train_begin(self, sampler, n_epochs, n_steps):
        self.name = type(sampler).__name__
        self.n_epochs = n_epochs
        self.bar = tqdm(total=n_epochs, desc=self.name, unit="epoch",
                        disable=self.verbose < 1, leave=True)  # fmt: skip

    def on_epoch_end(self, sampler, record):
        if self.verbose < 1:
            return False
        losses = {
            name: f"{value:.4g}"
            for name, value in record.items()
            if name not in ("epoch", "duration")
        }
        self.bar.set_postfix(losses, refresh=False)
        self.bar.update()
        if self.verbose >= 2:
            width = len(str(self.n_epochs))
            self.bar.write(
                f"[{self.name}] epoch {record['epoch']:>{width}}/{self.n_epochs}  "
                + "  ".join(f"{name}={value}" for name, value in losses.items())
                + f"  ({record['duration']:.2f}s)",
                file=sys.stdout,
            )
        return False

    def on_train_end(self, sampler):
        self.bar.close()


def shuffled_batches(
    n_rows: int,
    batch_size: int,
    generator: torch.Generator,
    device,
    row_weights: torch.Tensor | None = None,
) -> list[torch.Tensor]:
    """Index tensors of one epoch of ``n_rows`` draws, no batch of a single row.

    Without ``row_weights`` a shuffle of the rows; with them, ``n_rows`` rows
    drawn with replacement in proportion to their weights.
    """
    if row_weights is None:
        order = torch.randperm(n_rows, generator=generator, device=device)
    else:
        order = torch.multinomial(
            row_weights, n_rows, replacement=True, generator=generator
        )
    batches = list(order.split(batch_size))
    if len(batches) > 1 and len(batches[-1]) == 1:
        # BatchNorm cannot normalise a single row in training mode.
        batches[-2:] = [torch.cat(batches[-2:])]
    return batches


def steps_per_epoch(n_rows: int, batch_size: int) -> int:
    """The number of batches :func:`shuffled_batches` cuts ``n_rows`` into."""
    n_batches = max(1, -(-n_rows // batch_size))
    last = n_rows - (n_batches - 1) * batch_size
    return n_batches - 1 if n_batches > 1 and last == 1 else n_batches


def planned_epochs(epochs: int | str, n_rows: int, batch_size: int) -> int:
    """``epochs``, or for "auto" enough of them for AUTO_STEPS updates.

    At least AUTO_MIN_EPOCHS: on a large table that is the budget (10 epochs
    of KDDTrain+ at batch 512 are 2,470 steps); a small table, whose epoch is
    a few steps, gets as many epochs as AUTO_STEPS take.
    """
    if epochs != "auto":
        return epochs
    steps = steps_per_epoch(n_rows, batch_size)
    return max(AUTO_MIN_EPOCHS, -(-AUTO_STEPS // steps))


def fitted_batch_size(batch_size: int | str, n_rows: int) -> int:
    """``batch_size``, or for "auto" a power of two near n_rows / AUTO_BATCHES."""
    if batch_size != "auto":
        return batch_size
    low, high = AUTO_BATCH_RANGE
    size = 2 ** round(np.log2(max(n_rows, 1) / AUTO_BATCHES))
    return int(min(high, max(low, size)))


def class_balance_weights(
    y: torch.Tensor, n_classes: int, class_balance: float
) -> torch.Tensor | None:
    """Each row's chance to be drawn for training, or None to shuffle.

    Class ``c`` of ``n_c`` rows is drawn in proportion to
    ``n_c ** (1 - class_balance)``: as it comes at 0, every class equally
    often at 1.
    """
    if class_balance == 0:
        return None
    counts = torch.bincount(y, minlength=n_classes).to(torch.float64)
    return counts[y].pow(-class_balance)


def split_validation(y_encoded: np.ndarray, n_classes: int, fraction: float,
                     random_state) -> tuple[torch.Tensor, torch.Tensor]:  # fmt: skip
    """Row indices to train on and to validate on, stratified by class.

    Each class gives ``fraction`` of its rows (rounded, keeping at least one
    for training), drawn with ``random_state``. Indices rather than copies:
    the scaled data stays one array.
    """
    validation = []
    for class_index in range(n_classes):
        rows = np.flatnonzero(y_encoded == class_index)
        n_validation = min(len(rows) - 1, round(fraction * len(rows)))
        validation.append(random_state.permutation(rows)[:n_validation])
    validation = np.sort(np.concatenate(validation))
    if len(validation) == 0:
        raise ValueError(
            f"validation_fraction={fraction} holds out no row of these "
            f"{len(y_encoded)} rows; raise it or set early_stopping=False."
        )
    train = np.setdiff1d(np.arange(len(y_encoded)), validation)
    return torch.from_numpy(train), torch.from_numpy(validation)
