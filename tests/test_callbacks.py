"""Callbacks passed by the user run in the samplers' training loop."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.tree import DecisionTreeClassifier

from imblearn_vae.callbacks import Callback, OneCycle

from .conftest import fast


class Recorder(Callback):
    """Everything the loop tells a callback, in order."""

    def on_train_begin(self, sampler, *, n_epochs, n_steps, optimizers, **kwargs):
        self.events = [("begin", n_epochs, n_steps, sorted(optimizers))]

    def on_batch_end(self, sampler, *, step, **kwargs):
        self.events.append(("step", step))

    def on_epoch_end(self, sampler, *, record, **kwargs):
        self.events.append(("epoch", record["epoch"], sorted(record)))

    def on_train_end(self, sampler, **kwargs):
        self.events.append(("end", sampler.n_epochs_ if hasattr(sampler, "n_epochs_")
                            else None, len(sampler.history_)))  # fmt: skip


class StopAfter(Callback):
    def __init__(self, epochs):
        self.epochs = epochs

    def on_epoch_end(self, sampler, *, record, **kwargs):
        return record["epoch"] >= self.epochs


def test_a_user_callback_sees_every_milestone_through_fit_resample(Sampler, imbalanced):
    X, y = imbalanced  # 175 rows in batches of 32: 6 steps an epoch
    recorder = Recorder()
    sampler = fast(Sampler, epochs=3, callbacks=[recorder])
    sampler.fit_resample(X, y)
    events = recorder.events
    begin, *middle, end = events
    assert begin[:3] == ("begin", 3, 18)
    assert begin[3] == (["vae"] if "VAE" in Sampler.__name__
                        else ["discriminator", "generator"])  # fmt: skip
    assert [e[1] for e in middle if e[0] == "step"] == list(range(1, 19))
    epochs = [e for e in middle if e[0] == "epoch"]
    assert [e[1] for e in epochs] == [1, 2, 3]
    assert "duration" in epochs[0][2]  # the epoch's record, as history_ keeps it
    assert end == ("end", None, 3)  # before the sampler counts the epochs
    # each epoch ends after its six steps
    assert [e[0] for e in middle[:7]] == ["step"] * 6 + ["epoch"]


def test_a_user_callback_can_stop_training(Sampler, imbalanced):
    X, y = imbalanced
    sampler = fast(Sampler, epochs=20, callbacks=[StopAfter(2)])
    _, y_res = sampler.fit_resample(X, y)
    assert sampler.n_epochs_ == 2 and len(sampler.history_) == 2
    assert np.bincount(y_res).tolist() == [120, 120, 120]  # generation still ran


def test_callbacks_are_parameters_clone_copies_them(imbalanced):
    from imblearn_vae import DCBNVAESampler

    X, y = imbalanced
    recorder = Recorder()
    sampler = fast(DCBNVAESampler, callbacks=[recorder])
    assert sampler.get_params()["callbacks"] == [recorder]
    copy = clone(sampler)
    assert copy.callbacks[0] is not recorder
    copy.fit_resample(X, y)
    assert not hasattr(recorder, "events")  # the clone trained with its own copy
    assert copy.callbacks[0].events[-1][0] == "end"


def test_callbacks_work_in_a_grid_search(imbalanced):
    from imblearn_vae import DCBNVAESampler

    X, y = imbalanced
    pipe = Pipeline([
        ("balance", fast(DCBNVAESampler, callbacks=[StopAfter(1)])),
        ("tree", DecisionTreeClassifier(random_state=0)),
    ])  # fmt: skip
    grid = GridSearchCV(pipe, {"balance__latent_dim": [2, 4]}, cv=2).fit(X, y)
    assert grid.best_estimator_.named_steps["balance"].n_epochs_ == 1


def test_bad_callbacks_are_refused(imbalanced):
    from imblearn_vae import DCBNVAESampler

    X, y = imbalanced
    with pytest.raises(ValueError, match="'callbacks' parameter"):
        fast(DCBNVAESampler, callbacks=Recorder()).fit_resample(X, y)


@pytest.mark.parametrize(
    ("callbacks", "position", "kind"),
    [([None], 0, "NoneType"), ([Recorder(), "stop"], 1, "str"),
     ([Recorder, Recorder()], 0, "type")],  # the class, not an instance
)  # fmt: skip
def test_callbacks_that_are_not_callbacks_are_refused_by_position(
    Sampler, imbalanced, callbacks, position, kind
):
    X, y = imbalanced
    message = (
        rf"'callbacks' parameter of {Sampler.__name__} must be a list of "
        rf".*Callback instances; the item at position {position} .*\({kind}\)"
    )
    for fit in ("fit", "fit_resample"):
        sampler = fast(Sampler, callbacks=callbacks)
        with pytest.raises(ValueError, match=message):
            getattr(sampler, fit)(X, y)
        assert not hasattr(sampler, "module_")  # refused before training


def one_cycle_rates(n_steps, warmup, peak=1e-3):
    """The learning rate OneCycle sets at the start and after each step."""
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=peak)
    schedule = OneCycle(warmup)
    schedule.on_train_begin(None, n_epochs=1, n_steps=n_steps,
                            optimizers={"vae": optimizer})  # fmt: skip
    rates = [optimizer.param_groups[0]["lr"]]
    for step in range(1, n_steps + 1):
        schedule.on_batch_end(None, step=step)
        rates.append(optimizer.param_groups[0]["lr"])
    return rates


# warmup * n_steps of 1 (0.5 of 2 steps, 1/3 of 3) divided by zero
@pytest.mark.parametrize("n_steps", [1, 2, 3])
@pytest.mark.parametrize("warmup", [0, 0.01, 0.3, 1 / 3, 0.5, 1.0])
def test_one_cycle_rates_are_finite_and_positive_on_a_few_steps(n_steps, warmup):
    rates = one_cycle_rates(n_steps, warmup)
    assert all(0 < rate <= 1e-3 * (1 + 1e-9) for rate in rates), rates
    assert all(math.isfinite(rate) for rate in rates)


@settings(max_examples=200, deadline=None)
@given(
    n_steps=st.integers(1, 40),
    # fractions too: warmup * n_steps landing on 1 is what divided by zero
    warmup=st.one_of(
        st.floats(0, 1), st.fractions(0, 1, max_denominator=40).map(float)
    ),
)
def test_one_cycle_rates_are_finite_and_positive(n_steps, warmup):
    rates = one_cycle_rates(n_steps, warmup)
    assert all(math.isfinite(rate) and 0 < rate <= 1e-3 * (1 + 1e-9)
               for rate in rates), rates  # fmt: skip


def test_one_cycle_trains_a_table_of_one_batch(imbalanced):
    from imblearn_vae import DCBNVAESampler

    X, y = imbalanced
    X, y = X[100:], y[100:]  # 75 rows: one batch of 128, one step
    sampler = fast(DCBNVAESampler, epochs=1, batch_size=128,
                   callbacks=[OneCycle(warmup=0.5)])  # fmt: skip
    _, y_res = sampler.fit_resample(X, y)
    assert sampler.n_epochs_ == 1 and len(y_res) == 120
