"""What each of the recipe's levers does, shown on data the tests make.

- ``scaling="log"`` / ``"quantile"``: a heavy-tailed column (byte counts)
  keeps its tail, where min-max scaling squeezes it into a sliver near 0.
- ``latent_sampling="posterior"`` / ``"interpolate"``: new rows stay near
  the real rows of their class; the prior spreads them over the whole
  latent space.
- ``temperature``: scales the spread of the latent draws.
- ``class_balance``: how often training batches hold each class.
"""

import itertools

import numpy as np
import pytest
import torch

from imblearn_vae import DCBNVAESampler
from imblearn_vae._training import (
    class_balance_weights,
    fitted_batch_size,
    planned_epochs,
)
from imblearn_vae._training import shuffled_batches as _shuffled_batches

from .conftest import fast


def heavy_tailed(seed=0, sizes=(600, 150)):
    """Class 0 and 1 differ in a lognormal 'bytes' column spanning 1 to ~10^6."""
    rng = np.random.RandomState(seed)
    blocks = []
    for klass, n in enumerate(sizes):
        blocks.append(
            np.column_stack(
                [
                    rng.lognormal(mean=4 + 3 * klass, sigma=2.0, size=n),
                    rng.normal(loc=2 * klass, size=(n, 3)),
                ]
            )
        )
    return np.vstack(blocks), np.repeat(np.arange(len(sizes)), sizes)


def generated_minority(scaling, **params):
    X, y = heavy_tailed()
    sampler = fast(DCBNVAESampler, hidden_layer_sizes=(64,), latent_dim=4,
                   epochs=40, batch_size=64, learning_rate=2e-3, scaling=scaling,
                   **params)  # fmt: skip
    X_res, _ = sampler.fit_resample(X, y)
    return X[y == 1], X_res[len(X) :]


def tail_error(real, new) -> float:
    """Distance of the 10th..90th percentiles of log(bytes), real vs generated."""
    q = [10, 25, 50, 75, 90]
    return float(np.abs(np.percentile(np.log(real[:, 0]), q)
                        - np.percentile(np.log(new[:, 0]), q)).mean())  # fmt: skip


@pytest.mark.slow
def test_log_and_quantile_scaling_keep_a_heavy_tail():
    errors = {
        s: tail_error(*generated_minority(s)) for s in ("minmax", "log", "quantile")
    }
    # min-max: almost every byte count sits near 0 of [0, 1]; the decoder's
    # squared error cannot see their differences and the percentiles collapse
    assert errors["log"] < 0.8 * errors["minmax"], errors
    assert errors["quantile"] < 0.8 * errors["minmax"], errors


def two_clusters(seed=0):
    """A majority blob and a minority class of two tight, far-apart clusters."""
    rng = np.random.RandomState(seed)
    centres = np.where(rng.rand(120) < 0.5, 3.0, -3.0)[:, None]
    minority = centres + 0.3 * rng.normal(size=(120, 6))
    return np.vstack([rng.normal(size=(600, 6)), minority]), np.repeat(
        [0, 1], [600, 120]
    )


def share_in_clusters(latent_sampling) -> float:
    X, y = two_clusters()
    sampler = fast(DCBNVAESampler, hidden_layer_sizes=(64,), latent_dim=4,
                   epochs=30, batch_size=64, learning_rate=2e-3,
                   scaling="standard", latent_sampling=latent_sampling,
                   # the codes themselves, not the filter that would refuse
                   # rows between the clusters (it is on by default)
                   filter_generated=False)  # fmt: skip
    new = sampler.fit_resample(X, y)[0][len(X) :]
    distance = np.minimum(
        np.linalg.norm(new - 3, axis=1), np.linalg.norm(new + 3, axis=1)
    )
    return float(np.mean(distance < 1.5))


@pytest.mark.slow
def test_posterior_and_interpolated_codes_stay_in_the_real_clusters():
    # Decoded from the prior, most new rows of a two-cluster class fall
    # between the clusters (measured: 17-25% inside, seeds 0-2); decoded
    # around encoded real rows they stay in them (73-76% posterior, 100%
    # interpolated between neighbours).
    prior = share_in_clusters("prior")
    assert prior < 0.4
    assert share_in_clusters("posterior") > prior + 0.3
    assert share_in_clusters("interpolate") > 0.95


@pytest.mark.slow
def test_temperature_scales_the_spread_of_new_rows():
    spreads = {}
    for temperature in (0.3, 1.0, 3.0):
        _, new = generated_minority("standard", temperature=temperature)
        spreads[temperature] = new[:, 1:].std(axis=0).mean()
    assert spreads[0.3] < spreads[1.0] < spreads[3.0], spreads


@pytest.mark.parametrize("latent_sampling", ["posterior", "interpolate"])
def test_codes_of_every_class_are_kept_for_sample(latent_sampling, imbalanced):
    X, y = imbalanced
    sampler = fast(DCBNVAESampler, latent_sampling=latent_sampling).fit(X, y)
    sampler.fit_resample(X, y)
    for klass in (0, 1, 2):  # the majority class too, though it got no new rows
        assert sampler.sample(7, klass).shape == (7, X.shape[1])
    first = fast(DCBNVAESampler, latent_sampling=latent_sampling).fit_resample(X, y)
    again = fast(DCBNVAESampler, latent_sampling=latent_sampling).fit_resample(X, y)
    np.testing.assert_array_equal(first[0], again[0])  # same seed, same rows


def test_interpolation_works_for_classes_smaller_than_its_neighbours():
    # SMOTE's k is 5: classes of 2 and 3 rows have 1 and 2 neighbours each
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0, 1, (60, 4)), rng.normal(3, 1, (3, 4)),
                   rng.normal(-3, 1, (2, 4)), rng.normal(6, 1, (1, 4))])  # fmt: skip
    y = np.repeat([0, 1, 2, 3], [60, 3, 2, 1])
    sampler = fast(DCBNVAESampler, latent_sampling="interpolate",
                   filter_generated=False,
                   sampling_strategy={1: 60, 2: 60})  # fmt: skip
    X_res, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [60, 60, 60, 1]
    assert np.isfinite(X_res).all()
    # a class of one row (no new rows in fit) decodes its own code
    assert sampler.sample(4, 3).shape == (4, 4)


def test_interpolated_codes_of_a_two_row_class_lie_between_them():
    from imblearn_vae.vae import _between_neighbours

    mean = torch.tensor([[0.0, 0.0], [2.0, 4.0]])

    def pick(n_rows, generator, high=None):
        return torch.randint(high or len(mean), (n_rows,), generator=generator)

    codes = _between_neighbours(mean, pick, torch.float32)(
        500, torch.Generator().manual_seed(0)
    )
    # every code on the segment: y = 2 x, 0 <= x <= 2
    torch.testing.assert_close(codes[:, 1], 2 * codes[:, 0])
    assert codes[:, 0].min() >= 0 and codes[:, 0].max() <= 2


@pytest.mark.parametrize(("balance", "expected"), [(0.0, None), (0.5, "sqrt"),
                                                   (1.0, "even")])  # fmt: skip
def test_class_balance_sets_how_often_batches_hold_each_class(balance, expected):
    y = torch.from_numpy(np.repeat([0, 1, 2], [900, 90, 9]))
    weights = class_balance_weights(y, 3, balance)
    generator = torch.Generator().manual_seed(0)
    drawn = torch.cat(
        [torch.cat(_shuffled_batches(len(y), 64, generator, "cpu", weights))
         for _ in range(50)]
    )  # fmt: skip
    shares = np.bincount(y[drawn].numpy(), minlength=3) / len(drawn)
    if expected is None:
        assert weights is None
        np.testing.assert_allclose(shares, [900 / 999, 90 / 999, 9 / 999])
    elif expected == "sqrt":
        target = np.sqrt([900, 90, 9]) / np.sqrt([900, 90, 9]).sum()
        np.testing.assert_allclose(shares, target, atol=0.01)
    else:
        np.testing.assert_allclose(shares, [1 / 3] * 3, atol=0.01)


def test_class_balance_trains_the_rare_class(imbalanced):
    """With every class drawn as often, the rare class's rows are learnt: its
    generated rows lie nearer its real ones after the same few epochs."""
    rng = np.random.RandomState(1)
    X = np.vstack([rng.normal(0, 1, (2000, 6)), rng.normal(4, 0.5, (20, 6))])
    y = np.repeat([0, 1], [2000, 20])
    distances = {}
    for balance in (0.0, 1.0):
        sampler = fast(DCBNVAESampler, hidden_layer_sizes=(32,), latent_dim=2,
                       epochs=3, batch_size=64, learning_rate=2e-3,
                       class_balance=balance, scaling="standard")  # fmt: skip
        X_res, _ = sampler.fit_resample(X, y)
        new = X_res[len(X) :]
        distances[balance] = float(
            np.linalg.norm(new.mean(axis=0) - X[y == 1].mean(axis=0))
        )
    assert distances[1.0] < 0.7 * distances[0.0], distances


@pytest.mark.slow
def test_auto_epochs_give_small_tables_enough_steps(imbalanced):
    X, y = imbalanced  # 175 rows: 3 steps an epoch at batch 64
    sampler = fast(DCBNVAESampler, epochs="auto", batch_size=64).fit(X, y)
    sampler.fit_resample(X, y)
    assert sampler.n_epochs_ == 134  # ceil(400 steps / 3 steps per epoch)
    assert planned_epochs("auto", 126_000, 512) == 10  # a large table: 10 epochs
    with pytest.raises(ValueError, match="'epochs' parameter"):
        fast(DCBNVAESampler, epochs="many").fit_resample(X, y)


@pytest.mark.slow
def test_a_kl_weight_below_one_keeps_more_of_the_spread():
    """beta < 1 pulls the codes less towards the prior: new rows keep more of
    their class's spread (the columns that are not heavy-tailed)."""
    spreads = {}
    for beta in (0.5, 1.0, 4.0):
        real, new = generated_minority("standard", beta=beta)
        spreads[beta] = float(np.mean(new[:, 1:].std(axis=0) / real[:, 1:].std(axis=0)))
    assert spreads[0.5] > spreads[1.0] > spreads[4.0], spreads


def test_one_cycle_schedule_rises_to_the_rate_then_falls(imbalanced, monkeypatch):
    from imblearn_vae.callbacks import OneCycle

    X, y = imbalanced
    rates = []
    original = OneCycle.on_batch_end

    def spy(self, sampler, *, step, **kwargs):
        original(self, sampler, step=step)
        rates.append(self.groups[0][0]["lr"])

    monkeypatch.setattr(OneCycle, "on_batch_end", spy)
    sampler = fast(DCBNVAESampler, epochs=10, learning_rate=1e-2,
                   learning_rate_schedule="one-cycle")  # fmt: skip
    sampler.fit_resample(X, y)
    peak = int(np.argmax(rates))
    assert len(rates) == 10 * 6  # 175 rows in batches of 32: 6 steps an epoch
    assert max(rates) == pytest.approx(1e-2, rel=0.05)
    assert 0.2 * len(rates) < peak < 0.4 * len(rates)  # 30% of the steps rising
    assert rates[0] < 0.2e-2 and rates[-1] < 0.02e-2  # a tenth, a hundredth
    assert all(a <= b for a, b in itertools.pairwise(rates[: peak + 1]))
    constant = fast(DCBNVAESampler, epochs=10, learning_rate=1e-2)
    rates.clear()
    constant.fit_resample(X, y)
    assert rates == []  # no schedule unless asked for


@pytest.mark.parametrize(
    ("n_rows", "expected"),
    [(175, 32), (599, 32), (4_435, 64), (16_833, 256), (35_966, 512), (125_973, 512)],
)
def test_auto_batch_size_is_a_power_of_two_near_a_64th_of_the_rows(n_rows, expected):
    assert fitted_batch_size("auto", n_rows) == expected


def test_auto_batch_size_is_the_one_training_uses(imbalanced):
    X, y = imbalanced  # 175 rows: batches of 32, 6 an epoch (the last 15 rows)
    sampler = fast(DCBNVAESampler, batch_size="auto", epochs="auto")
    sampler.fit_resample(X, y)
    assert sampler.batch_size_ == 32 and sampler.n_epochs_ == 67  # 400 / 6


def test_an_epoch_draws_at_most_class_rows_of_each_class():
    y = torch.from_numpy(np.repeat([0, 1, 2], [500, 40, 3]))
    generator = torch.Generator().manual_seed(0)
    seen = []
    for _ in range(3):
        batches = _shuffled_batches(len(y), 32, generator, "cpu", y=y, class_rows=50)
        order = torch.cat(batches)
        assert np.bincount(y[order].numpy()).tolist() == [50, 40, 3]
        assert len(set(order.tolist())) == len(order)  # each row once an epoch
        seen.append(set(order[y[order] == 0].tolist()))
    assert seen[0] != seen[1]  # a new subset of the large class each epoch


def test_auto_epochs_plan_steps_on_the_capped_draws(imbalanced, monkeypatch):
    from imblearn_vae import _training

    X, y = imbalanced  # 120, 40 and 15 rows
    monkeypatch.setattr(_training, "AUTO_CLASS_ROWS", 20)
    draws = []
    original = _training.shuffled_batches

    def spy(*args, **kwargs):
        batches = original(*args, **kwargs)
        draws.append(sum(len(batch) for batch in batches))
        return batches

    monkeypatch.setattr(_training, "shuffled_batches", spy)
    sampler = fast(DCBNVAESampler, epochs="auto", batch_size=16)
    sampler.fit_resample(X, y)
    # 20 + 20 + 15 = 55 draws an epoch: 4 steps; 400 steps take 100 epochs
    assert sampler.n_epochs_ == 100 and set(draws) == {55}
    draws.clear()
    fast(DCBNVAESampler, epochs=2, batch_size=16).fit_resample(X, y)
    assert draws == [175, 175]  # an explicit number of epochs: full passes
