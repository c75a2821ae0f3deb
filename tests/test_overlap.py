"""Generation that knows where the classes overlap: ORD's overlap class and
LEO-CVAE's local-entropy guidance."""

import numpy as np
import pytest

from imblearn_vae import DCBNVAESampler
from imblearn_vae._overlap import MIN_LEAF_ROWS, ClassMix

from .conftest import fast


@pytest.fixture
def blobs():
    """A majority blob at 0 and a minority blob at 1.5 that overlap, in 2-d."""
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0, 1, (600, 2)), rng.normal(1.5, 1, (100, 2))])
    return X, np.repeat([0, 1], [600, 100])


def test_class_mix_gives_zero_entropy_where_one_class_lives_and_one_where_two_mix():
    X = np.arange(40, dtype=float)[:, None]
    y = np.r_[np.zeros(20, int), np.tile([0, 1], 10)]  # pure, then mixed
    mix = ClassMix(X, y, 2, np.random.RandomState(0))
    entropy = mix.entropy()
    assert entropy[:MIN_LEAF_ROWS].max() == pytest.approx(0)
    assert entropy[-MIN_LEAF_ROWS:].min() > 0.9
    overlap = mix.overlap(y, minority=np.array([False, True]))
    assert not overlap[:MIN_LEAF_ROWS].any()  # class 0 rows far from class 1
    assert overlap[-MIN_LEAF_ROWS:][y[-MIN_LEAF_ROWS:] == 0].all()
    assert not overlap[y == 1].any()  # minority rows are never overlap rows


def test_overlap_class_leaves_the_overlapping_majority_rows_out(blobs):
    X, y = blobs
    sampler = fast(DCBNVAESampler, overlap_class=True, filter_generated=False)
    X_res, y_res = sampler.fit_resample(X, y)
    dropped = sampler.overlap_rows_
    assert len(dropped) > 0 and (y[dropped] == 0).all()
    # the dropped majority rows lie towards the minority: nearer its centre
    kept = np.setdiff1d(np.flatnonzero(y == 0), dropped)
    centre = X[y == 1].mean(axis=0)
    assert (np.linalg.norm(X[dropped] - centre, axis=1).mean()
            < np.linalg.norm(X[kept] - centre, axis=1).mean())  # fmt: skip
    # the kept originals first and unchanged, then the new minority rows
    n_kept = len(y) - len(dropped)
    np.testing.assert_array_equal(X_res[:n_kept], np.delete(X, dropped, axis=0))
    assert np.bincount(y_res).tolist() == [600 - len(dropped), 600]
    # the network learnt the overlap rows as a condition of their own
    assert sampler.module_.encoder.num_classes == 3


def test_without_overlap_class_nothing_is_left_out(blobs):
    X, y = blobs
    sampler = fast(DCBNVAESampler, filter_generated=False)
    X_res, _ = sampler.fit_resample(X, y)
    assert len(sampler.overlap_rows_) == 0
    np.testing.assert_array_equal(X_res[: len(X)], X)


@pytest.mark.parametrize("latent_sampling", ["posterior", "interpolate"])
def test_entropy_weight_draws_new_rows_towards_the_border(blobs, latent_sampling):
    X, y = blobs
    distance = {}
    for weight in (0.0, 5.0):
        sampler = fast(DCBNVAESampler, latent_sampling=latent_sampling, epochs=20,
                       entropy_weight=weight, filter_generated=False)  # fmt: skip
        sampler.fit_resample(X, y)
        new = sampler.sample(2000, 1)
        # how far the new minority rows lie from the majority's centre
        distance[weight] = float(
            np.linalg.norm(new - X[y == 0].mean(axis=0), axis=1).mean()
        )
    assert distance[5.0] < 0.9 * distance[0.0], distance


def test_entropy_weight_draws_border_rows_for_training_more_often(blobs, monkeypatch):
    from imblearn_vae import _training

    X, y = blobs
    drawn = []
    original = _training.shuffled_batches

    def spy(*args, **kwargs):
        batches = original(*args, **kwargs)
        drawn.extend(int(i) for batch in batches for i in batch)
        return batches

    monkeypatch.setattr(_training, "shuffled_batches", spy)
    entropy = ClassMix(X, y, 2, np.random.RandomState(0)).entropy()
    means = {}
    for weight in (0.0, 5.0):
        drawn.clear()
        fast(DCBNVAESampler, entropy_weight=weight, filter_generated=False,
             epochs=5).fit_resample(X, y)  # fmt: skip
        means[weight] = float(entropy[drawn].mean())
    assert means[5.0] > 1.3 * means[0.0], means


def test_overlap_needs_the_minority_share_of_the_table_not_one_stray_row():
    X = np.arange(40, dtype=float)[:, None]
    y = np.r_[np.zeros(20, int), np.tile([0, 1], 10)]
    y[5] = 1  # a stray minority row among the first ten
    mix = ClassMix(X, y, 2, np.random.RandomState(0))
    # its leaf is 10% minority, under the minority's 27.5% of the table
    assert mix.shares[:MIN_LEAF_ROWS, 1] == pytest.approx(0.1)
    overlap = mix.overlap(y, minority=np.array([False, True]))
    assert not overlap[:20].any()
    assert overlap[-MIN_LEAF_ROWS:][y[-MIN_LEAF_ROWS:] == 0].all()


def test_a_class_wholly_inside_the_minority_region_keeps_its_rows():
    rng = np.random.RandomState(0)
    # class 2 shares the minority's blob and gets no new rows: every one of
    # its rows overlaps; ORD must not take the class out of the output
    X = np.vstack([rng.normal(0, 1, (300, 2)), rng.normal(6, 1, (40, 2)),
                   rng.normal(6, 1, (60, 2))])  # fmt: skip
    y = np.repeat([0, 1, 2], [300, 40, 60])
    sampler = fast(DCBNVAESampler, overlap_class=True, filter_generated=False,
                   sampling_strategy={1: 100})  # fmt: skip
    X_res, y_res = sampler.fit_resample(X, y)
    assert set(np.unique(y_res)) == {0, 1, 2}
    assert np.bincount(y_res).tolist() == [300, 100, 60]
    assert not np.isin(np.flatnonzero(y == 2), sampler.overlap_rows_).any()
    np.testing.assert_array_equal(X_res[y_res == 2], X[y == 2])
