"""What is particular to the CGAN sampler: its networks, losses and training."""

import numpy as np
import pytest
import torch
from sklearn.ensemble import RandomForestClassifier

from imblearn_vae import CGANSampler
from imblearn_vae.nn import (
    ConditionalGAN,
    count_parameters,
    discriminator_loss,
    generator_loss,
)

from .conftest import fast
from .test_learning import CLASS_FEATURES, factor_data


def test_default_networks_have_the_paper_layer_widths():
    gan = CGANSampler()._build_module(123, 5, None, torch.Generator().manual_seed(0))
    linear = [m for m in gan.modules() if isinstance(m, torch.nn.Linear)]
    shapes = [(m.in_features, m.out_features) for m in linear]
    # generator [128 noise (+5 label bits), 1005, 123]
    assert shapes[:2] == [(133, 1005), (1005, 123)]
    # discriminator [123 (+5) = 128, 100, 50, 50, 1]
    assert shapes[2:] == [(128, 100), (100, 50), (50, 50), (50, 1)]
    generator = (133 * 1005 + 1005) + 2 * 1005 + (1005 * 123 + 123)  # with BN
    discriminator = (128 * 100 + 100) + (100 * 50 + 50) + (50 * 50 + 50) + 51
    assert count_parameters(gan) == generator + discriminator == 280_969


def test_discriminator_has_no_batch_norm_and_generator_has():
    gan = ConditionalGAN(6, 2, 3, (8,), (8, 4))
    assert any(isinstance(m, torch.nn.BatchNorm1d) for m in gan.generator.modules())
    assert not any(
        isinstance(m, torch.nn.BatchNorm1d) for m in gan.discriminator.modules()
    )


def test_losses_are_the_usual_cross_entropies():
    confident = torch.tensor([20.0, 20.0])
    assert discriminator_loss(confident, -confident) < 1e-6
    assert discriminator_loss(-confident, confident) > 20
    # non-saturating: strong gradient where the discriminator rejects the fakes
    fake_logits = torch.tensor([-10.0], requires_grad=True)
    generator_loss(fake_logits).backward()
    assert fake_logits.grad.abs().item() > 0.99


def test_history_has_both_losses_and_the_scores(imbalanced):
    X, y = imbalanced
    sampler = fast(CGANSampler, epochs=3)
    sampler.fit_resample(X, y)
    for record in sampler.history_:
        assert record["discriminator"] > 0 and record["generator"] > 0
        assert 0 <= record["fake_score"] <= 1 and 0 <= record["real_score"] <= 1


def test_discriminator_steps_update_the_discriminator_more_often(
    imbalanced, monkeypatch
):
    X, y = imbalanced
    steps = {"generator": 0, "discriminator": 0}
    original = CGANSampler._make_optimizers

    def counting(self):
        optimizers = original(self)
        for name, optimizer in optimizers.items():
            step = optimizer.step

            def counted(*args, _name=name, _step=step, **kwargs):
                steps[_name] += 1
                return _step(*args, **kwargs)

            optimizer.step = counted
        return optimizers

    monkeypatch.setattr(CGANSampler, "_make_optimizers", counting)
    fast(CGANSampler, epochs=2, discriminator_steps=3).fit_resample(X, y)
    assert steps["discriminator"] == 3 * steps["generator"] > 0


@pytest.mark.parametrize(
    "params, message",
    [
        ({"generator_hidden_layer_sizes": (8, 0)}, "generator_hidden_layer_sizes"),
        ({"discriminator_hidden_layer_sizes": "x"}, "discriminator_hidden_layer_"),
        ({"noise_dim": 0}, "'noise_dim' parameter"),
        ({"discriminator_steps": 0}, "'discriminator_steps' parameter"),
    ],
)
def test_bad_gan_parameters_are_rejected(imbalanced, params, message):
    X, y = imbalanced
    with pytest.raises(ValueError, match=message):
        fast(CGANSampler, **params).fit_resample(X, y)


@pytest.mark.slow
def test_cgan_learns_the_classes_and_does_not_collapse():
    X, y = factor_data()
    sampler = fast(
        CGANSampler,
        generator_hidden_layer_sizes=(64,),
        discriminator_hidden_layer_sizes=(64, 32),
        noise_dim=8,
        epochs=150,
        batch_size=64,
        learning_rate=1e-3,
        scaling="standard",
    )
    X_res, y_res = sampler.fit_resample(X, y)
    X_new, y_new = X_res[len(X) :], y_res[len(X) :]
    judge = RandomForestClassifier(n_estimators=100, random_state=0).fit(X, y)
    for klass in (1, 2):
        real, fake = X[y == klass], X_new[y_new == klass]
        assert np.mean(judge.predict(fake) == klass) >= 0.9, klass
        # not all alike: the factor features keep a sizeable share of their spread
        spread = fake.std(axis=0)[CLASS_FEATURES:] / real.std(axis=0)[CLASS_FEATURES:]
        assert spread.mean() >= 0.3, (klass, spread.mean())
