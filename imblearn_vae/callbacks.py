"""What the samplers' training loop calls besides the optimisation steps.

A :class:`Callback` sees the sampler at each milestone of training, as
skorch's callbacks see the net: the start (the epochs and steps planned, the
optimisers), the end of every step and of every epoch (whose record holds
the losses), and the end. The samplers run their own (the progress bar,
early stopping, a learning-rate schedule) and then those passed as
``callbacks=[...]``; adding one is writing a callback, not editing the loop.

Examples
--------
A callback that records the reconstruction loss of each epoch:

>>> from sklearn.datasets import make_classification
>>> from imblearn_vae import DCBNVAESampler
>>> from imblearn_vae.callbacks import Callback
>>> class Recorder(Callback):
...     def on_train_begin(self, sampler, **kwargs):
...         self.losses = []
...     def on_epoch_end(self, sampler, record, **kwargs):
...         self.losses.append(record["reconstruction"])
>>> recorder = Recorder()
>>> X, y = make_classification(n_samples=200, weights=[0.8, 0.2], random_state=0)
>>> sampler = DCBNVAESampler(hidden_layer_sizes=(16,), epochs=3,
...                          callbacks=[recorder], random_state=0)
>>> X_res, y_res = sampler.fit_resample(X, y)
>>> len(recorder.losses)
3

The sampler calls the very callbacks it was given, so ``recorder`` holds the
losses after fitting; ``clone`` (a grid search) gives each clone copies.
"""

import copy
import math
import sys

from sklearn.utils._param_validation import InvalidParameterError
from tqdm.auto import tqdm


class Callback:
    """Something the training loop calls at its milestones.

    Each hook gets the sampler being fitted and keyword arguments; a hook
    should accept ``**kwargs``, so that arguments added later do not break it.
    """

    def on_train_begin(self, sampler, *, n_epochs, n_steps, optimizers, **kwargs):
        """Before the first epoch.

        Parameters
        ----------
        sampler : BaseGenerativeSampler
            The sampler being fitted (its ``module_`` built, untrained).
        n_epochs, n_steps : int
            The epochs and optimisation steps planned.
        optimizers : dict of torch.optim.Optimizer
            The optimisers by name ("vae"; "generator" and "discriminator").
        **kwargs
            Arguments a later version may add.
        """

    def on_batch_end(self, sampler, *, step, **kwargs):
        """After each optimisation step.

        Parameters
        ----------
        sampler : BaseGenerativeSampler
        step : int
            The step's number, counted from 1.
        **kwargs
            Arguments a later version may add.
        """

    def on_epoch_end(self, sampler, *, record, **kwargs) -> bool:
        """After each epoch.

        Parameters
        ----------
        sampler : BaseGenerativeSampler
        record : dict
            The epoch's record, as ``history_`` keeps it: ``"epoch"``, the
            mean of each loss, ``"validation_loss"`` when rows are held out,
            ``"duration"``.
        **kwargs
            Arguments a later version may add.

        Returns
        -------
        bool
            True stops training.
        """
        return False

    def on_train_end(self, sampler, **kwargs):
        """After the last epoch, stopped early or not.

        Parameters
        ----------
        sampler : BaseGenerativeSampler
        **kwargs
            Arguments a later version may add.
        """


def check_callbacks(callbacks, owner: str) -> None:
    """Refuse an item of a sampler's ``callbacks`` that is not a Callback.

    Checked when fitting starts: otherwise the loop failed on its first hook
    with an AttributeError that named neither the parameter nor the item.
    """
    for position, callback in enumerate(callbacks or []):
        if not isinstance(callback, Callback):
            raise InvalidParameterError(
                f"The 'callbacks' parameter of {owner} must be a list of "
                "imblearn_vae.callbacks.Callback instances; the item at "
                f"position {position} is {callback!r} "
                f"({type(callback).__name__}). Subclass Callback."
            )


def notify(callbacks, hook: str, sampler, **kwargs) -> bool:
    """Call ``hook`` of every callback in order; True if any asked to stop."""
    answers = [getattr(callback, hook)(sampler, **kwargs) for callback in callbacks]
    return any(answers)


class EarlyStopping(Callback):
    """Stop once the validation loss has not improved for a while; keep the best.

    The network of the best epoch is put back at the end and its epoch is
    ``sampler.best_epoch_``.

    Parameters
    ----------
    patience : int
        Epochs without an improvement of more than ``tol`` before stopping.
    tol : float
        The least decrease that counts as an improvement.
    """

    def __init__(self, patience: int, tol: float) -> None:
        self.patience = patience
        self.tol = tol

    def on_train_begin(self, sampler, *, n_epochs, n_steps, optimizers, **kwargs):
        self.best_loss = float("inf")
        self.best_state = None
        self.stale_epochs = 0

    def on_epoch_end(self, sampler, *, record, **kwargs):
        if record["validation_loss"] < self.best_loss - self.tol:
            self.best_loss, self.stale_epochs = record["validation_loss"], 0
            self.best_state = copy.deepcopy(sampler.module_.state_dict())
            sampler.best_epoch_ = record["epoch"]
            return False
        self.stale_epochs += 1
        return self.stale_epochs >= self.patience

    def on_train_end(self, sampler, **kwargs):
        if self.best_state is not None:
            sampler.module_.load_state_dict(self.best_state)
        self.best_state = None  # a network's worth of memory


class OneCycle(Callback):
    """The learning rate of every optimiser over the steps: a one-cycle schedule.

    Up from a tenth of the peak over the first ``warmup`` share of the steps,
    then down to a hundredth of it, each along a cosine (Smith & Topin, 2019,
    "Super-convergence"; the schedule of torch's ``OneCycleLR``): with it a
    network reaches in fewer epochs what a constant rate reaches in more.

    Parameters
    ----------
    warmup : float, default=0.3
        Share of the steps spent rising. The peak is each optimiser's rate
        at the start of training.
    """

    def __init__(self, warmup: float = 0.3) -> None:
        self.warmup = warmup

    def on_train_begin(self, sampler, *, n_epochs, n_steps, optimizers, **kwargs):
        self.groups = [
            (group, group["lr"])
            for optimizer in optimizers.values()
            for group in optimizer.param_groups
        ]
        self.n_steps = max(2, n_steps)
        self._set(0)

    def on_batch_end(self, sampler, *, step, **kwargs):
        if step < self.n_steps:
            self._set(step)

    def _set(self, step: int) -> None:
        # torch's OneCycleLR: the peak at step warmup * n_steps - 1. Where
        # that is step 0 or before (a table of a batch or two) there is no
        # rise to take (its share would divide by zero): start at the peak.
        rising_until = self.warmup * self.n_steps - 1
        for group, peak in self.groups:
            start, end = peak / 10, peak / 100
            if 0 < rising_until and step <= rising_until:
                group["lr"] = _cosine(start, peak, step / rising_until)
            else:
                share = (step - rising_until) / (self.n_steps - 1 - rising_until)
                group["lr"] = _cosine(peak, end, share)


def _cosine(start: float, end: float, share: float) -> float:
    """From ``start`` (share 0) to ``end`` (share 1) along half a cosine."""
    return end + (start - end) / 2 * (math.cos(math.pi * share) + 1)


class ProgressBar(Callback):
    """verbose=1: a bar (losses, time left); verbose>=2: a line per epoch too.

    Parameters
    ----------
    verbose : int, default=1
    """

    def __init__(self, verbose: int = 1) -> None:
        self.verbose = verbose

    def on_train_begin(self, sampler, *, n_epochs, n_steps, optimizers, **kwargs):
        self.name = type(sampler).__name__
        self.n_epochs = n_epochs
        self.bar = tqdm(total=n_epochs, desc=self.name, unit="epoch",
                        disable=self.verbose < 1, leave=True)  # fmt: skip

    def on_epoch_end(self, sampler, *, record, **kwargs):
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

    def on_train_end(self, sampler, **kwargs):
        self.bar.close()
