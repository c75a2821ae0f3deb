"""The samplers learn each class's distribution, not just its label.

Rows have four features that carry the class (well-separated means) and two
groups of twelve features that each follow one uniform latent factor of the
row, the same for every class. A generator that learned the classes puts its
rows of class c where a classifier trained on real rows says "c"; one that
learned the within-class structure spreads them like the real class and keeps
each group's features correlated. A generator that collapses onto the class
mean (the failure of a reconstruction loss averaged over features instead of
summed) passes the first check and fails the other two.
"""

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier

from .conftest import VAE_CLASSES, fast

pytestmark = pytest.mark.slow

GROUP = 12
CLASS_FEATURES = 4


@pytest.fixture(params=VAE_CLASSES, ids=lambda cls: cls.__name__)
def Sampler(request):
    """The VAE samplers (the CGAN has its own learning test in test_gan.py)."""
    return request.param


def factor_data(sizes=(400, 100, 40), seed=0):
    rng = np.random.RandomState(seed)
    centers = np.array([[0, 0, 0, 0], [6, 0, 6, 0], [0, 6, 0, 6]], dtype=float)
    blocks = []
    for klass, n in enumerate(sizes):
        factors = rng.uniform(size=(n, 2))
        blocks.append(
            np.hstack(
                [
                    centers[klass] + rng.normal(size=(n, CLASS_FEATURES)),
                    factors[:, [0]] + 0.05 * rng.normal(size=(n, GROUP)),
                    factors[:, [1]] + 0.05 * rng.normal(size=(n, GROUP)),
                ]
            )
        )
    return np.vstack(blocks), np.repeat(np.arange(len(sizes)), sizes)


def synthetic_quality(Sampler, scaling):
    X, y = factor_data()
    sampler = fast(
        Sampler,
        hidden_layer_sizes=(64,),
        latent_dim=4,
        epochs=60,
        batch_size=64,
        learning_rate=2e-3,
        scaling=scaling,
        beta=1.0,  # the loss's own balance, not DCBN-VAE's recommended 0.5
    )
    X_res, y_res = sampler.fit_resample(X, y)
    X_new, y_new = X_res[len(X) :], y_res[len(X) :]
    judge = RandomForestClassifier(n_estimators=100, random_state=0).fit(X, y)
    quality = {}
    for klass in (1, 2):
        real, fake = X[y == klass], X_new[y_new == klass]
        group = slice(CLASS_FEATURES, CLASS_FEATURES + GROUP)
        within_group = np.corrcoef(fake[:, group].T)[np.triu_indices(GROUP, k=1)]
        quality[klass] = {
            "recognised": np.mean(judge.predict(fake) == klass),
            "spread": np.mean(
                fake.std(axis=0)[CLASS_FEATURES:] / real.std(axis=0)[CLASS_FEATURES:]
            ),
            "group_correlation": within_group.mean(),
        }
    return quality


def test_standard_scaling_learns_classes_spread_and_structure(Sampler):
    for klass, q in synthetic_quality(Sampler, "standard").items():
        assert q["recognised"] >= 0.95, (klass, q)
        # A mean-collapsed generator gives about 0.15 here, a working one 0.8-0.9.
        assert q["spread"] >= 0.5, (klass, q)
        assert q["group_correlation"] >= 0.9, (klass, q)


def test_minmax_scaling_keeps_a_sizeable_spread(Sampler):
    for klass, q in synthetic_quality(Sampler, "minmax").items():
        assert q["recognised"] >= 0.95, (klass, q)
        # Min-max scaled features have small variance, so even the summed loss
        # keeps about half the spread here; collapse gives about 0.23.
        assert q["spread"] >= 0.35, (klass, q)


def test_the_collapse_check_catches_a_per_element_mean(Sampler, monkeypatch):
    """Guard the guard: with MSELoss-style averaging the checks above fail."""

    def mean_reduced_loss(x, x_hat, mean, log_var, blocks=None):
        reconstruction = (x_hat - x).square().mean()
        kl = -0.5 * (1.0 + log_var - mean.square() - log_var.exp()).sum(dim=1).mean()
        return reconstruction, kl

    monkeypatch.setattr("imblearn_vae.nn.vae.vae_loss", mean_reduced_loss)
    quality = synthetic_quality(Sampler, "standard")
    assert all(q["spread"] < 0.5 for q in quality.values())
