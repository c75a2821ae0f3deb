"""Behaviour of the generative samplers: output contract, randomness, bad input."""

import pickle
from collections import Counter

import numpy as np
import pytest
import torch
from imblearn.pipeline import Pipeline
from scipy import sparse
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.tree import DecisionTreeClassifier

from imblearn_vae import CVAESampler, DCBNVAESampler
from imblearn_vae._training import shuffled_batches as _shuffled_batches
from imblearn_vae.nn import ConditionalBatchNorm1d

from .conftest import VAE_CLASSES, fast


def test_minority_classes_raised_to_the_majority_count(Sampler, imbalanced):
    X, y = imbalanced
    X_res, y_res = fast(Sampler).fit_resample(X, y)
    assert Counter(y_res) == {0: 120, 1: 120, 2: 120}
    assert X_res.shape == (360, 6)


def test_originals_first_and_bit_exact_new_rows_after(Sampler, imbalanced):
    X, y = imbalanced
    X_res, y_res = fast(Sampler).fit_resample(X, y)
    assert np.array_equal(X_res[: len(X)], X)
    assert np.array_equal(y_res[: len(y)], y)
    assert list(y_res[len(y) :]) == [1] * 80 + [2] * 105


def test_callers_data_is_not_modified(Sampler, imbalanced):
    X, y = imbalanced
    for X_in in (X.copy(), X.astype(np.float32)):
        X_before, y_before = X_in.copy(), y.copy()
        fast(Sampler, scaling="standard").fit_resample(X_in, y)
        assert np.array_equal(X_in, X_before)
        assert np.array_equal(y, y_before)


def test_same_random_state_same_output_other_state_other_output(Sampler, imbalanced):
    X, y = imbalanced
    first = fast(Sampler, random_state=7).fit_resample(X, y)[0]
    again = fast(Sampler, random_state=7).fit_resample(X, y)[0]
    other = fast(Sampler, random_state=8).fit_resample(X, y)[0]
    assert np.array_equal(first, again)
    assert not np.array_equal(first[len(X) :], other[len(X) :])


def test_random_state_instance_is_used_as_a_stream(Sampler, imbalanced):
    X, y = imbalanced
    rng = np.random.RandomState(0)
    a = fast(Sampler, random_state=rng).fit_resample(X, y)[0]
    b = fast(Sampler, random_state=rng).fit_resample(X, y)[0]
    assert not np.array_equal(a, b)


def test_generated_rows_stay_inside_the_training_range(Sampler, imbalanced):
    X, y = imbalanced
    X_res, _ = fast(Sampler, scaling=None, learning_rate=1e-2).fit_resample(X, y)
    new = X_res[len(X) :]
    assert np.all(new >= X.min(axis=0)) and np.all(new <= X.max(axis=0))


def test_dtypes_preserved_and_integer_features_rounded(Sampler, imbalanced):
    X, y = imbalanced
    X_int = np.rint(X * 10).astype(np.int32)
    y_str = np.array(["normal", "dos", "u2r"])[y]
    X_res, y_res = fast(Sampler).fit_resample(X_int, y_str)
    assert X_res.dtype == np.int32
    assert y_res.dtype == y_str.dtype
    assert Counter(y_res) == {"normal": 120, "dos": 120, "u2r": 120}


def int64_extremes(y):
    """Two int64 columns that reach int64's largest and smallest values."""
    info, rng = np.iinfo(np.int64), np.random.RandomState(0)
    high = np.r_[info.max, info.max - rng.randint(0, 5000, len(y) - 1)]
    low = np.r_[info.min, info.min + rng.randint(0, 5000, len(y) - 1)]
    return np.column_stack([high, low, rng.randint(0, 3, len(y))])


@pytest.mark.parametrize("container", ["array", "frame", "object"])
def test_integer_values_at_int64s_ends_stay_in_their_range(container, imbalanced):
    pd = pytest.importorskip("pandas")
    _, y = imbalanced
    X = int64_extremes(y)
    params = dict(filter_generated=False, categorical_features=[2])
    if container == "array":  # all numeric: float64 held int64's max as 2**63
        data, params = X, dict(filter_generated=False)
    elif container == "frame":
        data = pd.DataFrame({"high": X[:, 0], "low": X[:, 1], "kind": X[:, 2]})
    else:
        data = X.astype(object)
    X_res, _ = fast(DCBNVAESampler, **params).fit_resample(data, y)
    new = np.asarray(X_res, dtype=object)[len(y) :, :2].astype(np.int64)
    assert len(new) == 2 * 120 - 40 - 15
    assert (new >= X[:, :2].min(axis=0)).all() and (new <= X[:, :2].max(axis=0)).all()
    if container == "frame":
        assert (X_res.dtypes == data.dtypes).all()  # the caller's dtypes kept
    elif container == "array":
        assert X_res.dtype == np.int64


def test_sparse_input_gives_sparse_output_in_the_same_format(Sampler, imbalanced):
    X, y = imbalanced
    X_csc = sparse.csc_matrix(np.where(X > 2, X, 0.0))
    X_res, _ = fast(Sampler).fit_resample(X_csc, y)
    assert sparse.issparse(X_res) and X_res.format == "csc"
    assert (X_res[: len(y)] != X_csc).nnz == 0


def test_history_records_each_epoch(Sampler, imbalanced):
    X, y = imbalanced
    sampler = fast(Sampler, epochs=4).fit(X, y)
    assert not hasattr(sampler, "history_")  # fit only validates, as in imblearn
    sampler.fit_resample(X, y)
    assert [r["epoch"] for r in sampler.history_] == [1, 2, 3, 4]
    assert all(record["duration"] > 0 for record in sampler.history_)


@pytest.mark.parametrize("Sampler", VAE_CLASSES)
def test_vae_history_keeps_both_loss_terms(Sampler, imbalanced):
    X, y = imbalanced
    sampler = fast(Sampler, epochs=4, beta=0.5)
    sampler.fit_resample(X, y)
    for record in sampler.history_:
        assert record["loss"] == pytest.approx(
            record["reconstruction"] + 0.5 * record["kl"], rel=1e-5
        )


@pytest.mark.parametrize("Sampler", VAE_CLASSES)
def test_training_reduces_the_loss(Sampler, imbalanced):
    X, y = imbalanced
    sampler = fast(Sampler, epochs=30, learning_rate=1e-3).fit(X, y)
    sampler.fit_resample(X, y)
    assert sampler.history_[-1]["loss"] < 0.5 * sampler.history_[0]["loss"]


def test_verbose_shows_a_progress_bar_and_lines_per_epoch(Sampler, imbalanced, capsys):
    X, y = imbalanced
    fast(Sampler, verbose=0).fit_resample(X, y)
    assert capsys.readouterr() == ("", "")

    sampler = fast(Sampler, verbose=1, epochs=2)
    sampler.fit_resample(X, y)
    out, err = capsys.readouterr()
    losses = set(sampler.history_[-1]) - {"epoch", "duration"}
    assert out == ""
    # tqdm's bar on stderr: epochs done of all, the losses, the time left
    assert "2/2" in err and "<00:00" in err
    assert losses and all(f"{name}=" in err for name in losses)

    sampler = fast(Sampler, verbose=2, epochs=2)
    sampler.fit_resample(X, y)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert "epoch 2/2" in lines[1]
    assert all(f"{name}=" in lines[1] for name in losses)


def test_last_batch_of_one_row_is_merged():
    batches = _shuffled_batches(65, 32, torch.Generator().manual_seed(0), "cpu")
    assert [len(b) for b in batches] == [32, 33]
    assert sorted(torch.cat(batches).tolist()) == list(range(65))
    assert [len(b) for b in _shuffled_batches(64, 32, torch.Generator(), "cpu")] == [
        32,
        32,
    ]


def test_fit_with_a_remainder_of_one_row(Sampler):
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(33, 3)), np.array([0] * 23 + [1] * 10)
    X_res, _ = fast(Sampler, batch_size=16).fit_resample(X, y)
    assert X_res.shape == (46, 3)


def test_sample_more_rows_of_one_class(Sampler, imbalanced):
    X, y = imbalanced
    sampler = fast(Sampler, random_state=3)
    sampler.fit_resample(X.astype(np.float32), y)
    rows = sampler.sample(50, klass=2)
    assert rows.shape == (50, 6) and rows.dtype == np.float32
    assert not np.array_equal(rows, sampler.sample(50, klass=2))
    assert sampler.sample(0, klass=1).shape == (0, 6)

    replay = fast(Sampler, random_state=3)
    replay.fit_resample(X.astype(np.float32), y)
    assert np.array_equal(replay.sample(50, klass=2), rows)


def test_sample_rejects_unknown_class_and_bad_counts(Sampler, imbalanced):
    X, y = imbalanced
    sampler = fast(Sampler)
    with pytest.raises(Exception, match="not fitted"):
        sampler.sample(3, klass=1)
    sampler.fit_resample(X, y)
    for klass in (9, None, "1", 1.5):  # None and a string could not be ordered
        with pytest.raises(
            ValueError,
            match=rf"klass={klass!r} was not seen in fit.*one of .*\[0, 1, 2\]",
        ):
            sampler.sample(3, klass=klass)
    with pytest.raises(ValueError, match="n_samples"):
        sampler.sample(-1, klass=1)


def test_generation_is_chunked(Sampler, imbalanced, monkeypatch):
    X, y = imbalanced
    sampler = fast(Sampler)
    sampler.fit_resample(X, y)
    monkeypatch.setattr("imblearn_vae.base.GENERATION_CHUNK_ROWS", {"cpu": 7})
    built, calls = [], []
    original = sampler._class_sampler

    def spy(class_index):
        built.append(class_index)
        draw = original(class_index)
        return lambda n, g: calls.append(n) or draw(n, g)

    monkeypatch.setattr(sampler, "_class_sampler", spy)
    rows = sampler.sample(100, klass=1)
    assert built == [1]  # the class is folded in once, not once per chunk
    assert calls == [7] * 14 + [2]
    assert rows.shape == (100, 6) and np.isfinite(rows).all()


def test_generation_uses_eval_mode(Sampler, imbalanced, monkeypatch):
    X, y = imbalanced
    sampler = fast(Sampler)
    seen = []
    original = Sampler._class_sampler

    def spy(self, class_index):
        draw = original(self, class_index)

        def spied(n_rows, generator):
            seen.append((self.module_.training, torch.is_grad_enabled()))
            return draw(n_rows, generator)

        return spied

    monkeypatch.setattr(Sampler, "_class_sampler", spy)
    sampler.fit_resample(X, y)
    assert seen and all(mode == (False, False) for mode in seen)


def test_generation_fast_path_draws_the_general_paths_rows(Sampler, imbalanced):
    # Generation folds the class into the network (one class per chunk); it
    # must give the rows the network's general, per-row-class path gives from
    # the same random stream.
    X, y = imbalanced
    sampler = fast(Sampler)
    sampler.fit_resample(X, y)
    for class_index in range(len(sampler.classes_)):
        labels = torch.full((50,), class_index, dtype=torch.long)
        with torch.no_grad():
            general = sampler.module_.sample(labels, torch.Generator().manual_seed(3))
            draw = sampler._class_sampler(class_index)
            folded = draw(50, torch.Generator().manual_seed(3))
        torch.testing.assert_close(folded, general, rtol=1e-4, atol=1e-5)


def test_cbn_layers_places_conditional_norm(imbalanced):
    X, y = imbalanced

    def kinds(sampler):
        sampler.fit_resample(X, y)
        vae = sampler.module_
        return tuple(
            type(net.blocks[0].norm).__name__ for net in (vae.encoder, vae.decoder)
        )

    cbn, bn = ConditionalBatchNorm1d.__name__, "BatchNorm1d"
    assert kinds(fast(DCBNVAESampler)) == (cbn, cbn)
    assert kinds(fast(DCBNVAESampler, cbn_layers="decoder")) == (bn, cbn)
    assert kinds(fast(DCBNVAESampler, cbn_layers="encoder")) == (cbn, bn)
    assert kinds(fast(CVAESampler)) == (bn, bn)


def test_n_threads_is_restored(Sampler, imbalanced):
    X, y = imbalanced
    before = torch.get_num_threads()
    fast(Sampler, n_threads=1).fit_resample(X, y)
    assert torch.get_num_threads() == before


# ----------------------------------------------------------------------
# Bad input: a clear error naming the problem
# ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "bad, message",
    [(np.nan, "NaN"), (np.inf, "infinity")],
)
def test_non_finite_values_are_rejected(Sampler, imbalanced, bad, message):
    X, y = imbalanced
    X = X.copy()
    X[3, 2] = bad
    with pytest.raises(ValueError, match=message):
        fast(Sampler).fit_resample(X, y)


def test_non_numeric_features_are_rejected(Sampler):
    X = np.array(
        [["tcp", 1.0], ["udp", 2.0], ["tcp", 3.0], ["icmp", 4.0]], dtype=object
    )
    with pytest.raises(ValueError, match=r"column 0 holds text \(e\.g\. 'tcp'\)"):
        fast(Sampler).fit_resample(X, [0, 0, 1, 1])
    # numbers written as text convert, as scikit-learn converts them
    numbers = np.array([["1", 1.0], ["2", 2.0], ["1", 3.0], ["2", 4.0]], dtype=object)
    fast(Sampler, epochs=1, batch_size=4).fit_resample(numbers, [0, 0, 1, 1])


def test_single_class_is_rejected(Sampler):
    with pytest.raises(ValueError, match="1 class"):
        fast(Sampler).fit_resample(np.ones((10, 2)), np.zeros(10))


def test_class_with_one_row_is_rejected(Sampler, imbalanced):
    X, y = imbalanced
    X, y = np.vstack([X, X[:1]]), np.append(y, 7)
    with pytest.raises(ValueError, match=r"at least 2 samples.*class 7 has 1"):
        fast(Sampler).fit_resample(X, y)
    # ... and says how to go on: the strategy it names runs
    with pytest.raises(ValueError, match=r"sampling_strategy=\{1: 120, 2: 120\}"):
        fast(Sampler).fit_resample(X, y)
    _, y_res = fast(Sampler, sampling_strategy={1: 120, 2: 120}).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [120, 120, 120, 0, 0, 0, 0, 1]


def test_a_text_column_without_categorical_features_is_named(Sampler, imbalanced):
    pd = pytest.importorskip("pandas")
    X, y = imbalanced
    frame = pd.DataFrame(X, columns=list("abcdef")).assign(
        proto=np.where(y == 0, "tcp", "udp")
    )
    for table in (frame, frame.astype({"proto": "category"})):
        with pytest.raises(
            ValueError, match=r"column 'proto' holds text \(e\.g\. 'tcp'"
        ):
            fast(Sampler).fit_resample(table, y)
    with pytest.raises(ValueError, match=r"column 6 holds text.*categorical_features"):
        fast(Sampler).fit_resample(frame.to_numpy(dtype=object), y)


def test_wrong_shapes_are_rejected(Sampler, imbalanced):
    X, y = imbalanced
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        fast(Sampler).fit_resample(X, y[:-1])
    with pytest.raises(ValueError, match="2D array"):
        fast(Sampler).fit_resample(X[:, 0], y)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"epochs": 0}, "'epochs' parameter"),
        ({"batch_size": 1}, "'batch_size' parameter"),
        ({"learning_rate": -1.0}, "'learning_rate' parameter"),
        ({"scaling": "robust"}, "'scaling' parameter"),
        ({"sampling_strategy": "everything"}, "'sampling_strategy' parameter"),
        ({"device": "gpu"}, "device='gpu' is not a torch device"),
    ],
)
def test_bad_parameters_are_rejected(Sampler, imbalanced, params, message):
    X, y = imbalanced
    with pytest.raises(ValueError, match=message):
        fast(Sampler, **params).fit_resample(X, y)


@pytest.mark.parametrize("Sampler", VAE_CLASSES)
@pytest.mark.parametrize(
    "params, message",
    [
        ({"hidden_layer_sizes": (8, 0)}, "hidden_layer_sizes must hold positive"),
        ({"hidden_layer_sizes": "wide"}, "hidden_layer_sizes"),
        ({"latent_dim": 0}, "'latent_dim' parameter"),
        ({"beta": -1.0}, "'beta' parameter"),
    ],
)
def test_bad_vae_parameters_are_rejected(Sampler, imbalanced, params, message):
    X, y = imbalanced
    with pytest.raises(ValueError, match=message):
        fast(Sampler, **params).fit_resample(X, y)


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_cuda_without_cuda_is_a_clear_error(Sampler, imbalanced):
    X, y = imbalanced
    with pytest.raises(ValueError, match="CUDA is not available"):
        fast(Sampler, device="cuda").fit_resample(X, y)


def test_auto_device_resolves_at_fit_time(Sampler, imbalanced):
    X, y = imbalanced
    sampler = fast(Sampler, device="auto")
    assert sampler.device == "auto"
    sampler.fit_resample(X, y)
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert sampler.device_.type == expected
    assert sampler.get_params()["device"] == "auto"


def test_diverging_loss_is_an_error(Sampler):
    # Unscaled values near float32's limit overflow inside the networks.
    rng = np.random.RandomState(0)
    X = rng.uniform(1e38, 3e38, size=(40, 3)) * rng.choice([-1, 1], size=(40, 3))
    y = np.array([0] * 30 + [1] * 10)
    with pytest.raises(FloatingPointError, match=r"loss .* became .* in epoch 1"):
        fast(Sampler, scaling=None).fit_resample(X, y)


# ----------------------------------------------------------------------
# scikit-learn / imbalanced-learn integration
# ----------------------------------------------------------------------
def test_clone_keeps_parameters_and_drops_fitted_state(Sampler, imbalanced):
    X, y = imbalanced
    sampler = fast(Sampler, learning_rate=5e-3, epochs=2)
    sampler.fit_resample(X, y)
    copy = clone(sampler)
    assert copy.get_params() == sampler.get_params()
    assert not hasattr(copy, "module_")


def test_fitted_sampler_pickles_and_samples_after_unpickling(Sampler, imbalanced):
    X, y = imbalanced
    sampler = fast(Sampler)
    sampler.fit_resample(X, y)
    restored = pickle.loads(pickle.dumps(sampler))
    assert np.array_equal(restored.sample(20, klass=2), sampler.sample(20, klass=2))
    assert restored.history_ == sampler.history_


def test_pickle_from_a_gpu_loads_on_the_cpu(Sampler, imbalanced):
    X, y = imbalanced
    sampler = fast(Sampler)
    sampler.fit_resample(X, y)
    sampler.device_ = torch.device("cuda", 0)  # as if fitted on a GPU machine
    if torch.cuda.is_available():
        pytest.skip("needs a machine without CUDA")
    state = pickle.dumps(sampler)
    with pytest.warns(UserWarning, match="loaded on the CPU"):
        restored = pickle.loads(state)
    assert restored.device_.type == "cpu"
    assert restored.sample(5, klass=1).shape == (5, 6)


def test_pipeline_with_a_decision_tree(Sampler, imbalanced):
    X, y = imbalanced
    pipe = Pipeline(
        [("balance", fast(Sampler)), ("clf", DecisionTreeClassifier(random_state=0))]
    )
    pipe.fit(X, y)
    assert pipe.score(X, y) > 0.9
    # Samplers act in fit only: predict sees the data untouched.
    assert pipe.predict(X).shape == y.shape


def test_grid_search_over_sampler_hyperparameters(Sampler, imbalanced):
    X, y = imbalanced
    pipe = Pipeline(
        [("balance", fast(Sampler)), ("clf", DecisionTreeClassifier(random_state=0))]
    )
    grid = GridSearchCV(
        pipe,
        {"balance__epochs": [1, 3], "balance__learning_rate": [1e-3, 1e-2]},
        cv=3,
        scoring="f1_macro",
    )
    grid.fit(X, y)
    assert len(grid.cv_results_["params"]) == 4
    assert grid.best_params_["balance__epochs"] in (1, 3)
    assert np.all(np.isfinite(grid.cv_results_["mean_test_score"]))


# ----------------------------------------------------------------------
# Early stopping
# ----------------------------------------------------------------------
def test_without_early_stopping_every_epoch_runs(Sampler, imbalanced):
    X, y = imbalanced
    sampler = fast(Sampler, epochs=4)
    sampler.fit_resample(X, y)
    assert sampler.n_epochs_ == 4 and sampler.best_epoch_ is None
    assert all("validation_loss" not in record for record in sampler.history_)


def test_early_stopping_stops_after_patience_and_keeps_the_best(Sampler, imbalanced):
    X, y = imbalanced
    # with a huge tolerance no epoch after the first counts as an improvement
    sampler = fast(Sampler, epochs=50, early_stopping=True, n_iter_no_change=3, tol=1e9)
    X_res, y_res = sampler.fit_resample(X, y)
    assert sampler.n_epochs_ == 4 == len(sampler.history_)
    assert sampler.best_epoch_ == 1
    assert all(np.isfinite(r["validation_loss"]) for r in sampler.history_)
    assert Counter(y_res) == {0: 120, 1: 120, 2: 120}  # output as without it
    np.testing.assert_array_equal(X_res[: len(X)], X)


def test_early_stopping_is_deterministic(Sampler, imbalanced):
    X, y = imbalanced
    params = dict(epochs=6, early_stopping=True, n_iter_no_change=2)
    first = fast(Sampler, **params).fit_resample(X, y)[0]
    second = fast(Sampler, **params).fit_resample(X, y)[0]
    np.testing.assert_array_equal(first, second)


def test_validation_rows_are_not_trained_on(Sampler, imbalanced, monkeypatch):
    X, y = imbalanced
    trained = []
    original = Sampler._train_step

    def recording(self, X_batch, y_batch, optimizers, generator):
        trained.append(len(y_batch))
        return original(self, X_batch, y_batch, optimizers, generator)

    monkeypatch.setattr(Sampler, "_train_step", recording)
    fast(Sampler, epochs=1, early_stopping=True, validation_fraction=0.2).fit_resample(
        X, y
    )
    # 20% of 120, 40 and 15 rows, rounded: 24 + 8 + 3 held out
    assert sum(trained) == len(y) - 35


def test_vae_validation_loss_improves_on_learnable_data(imbalanced):
    X, y = imbalanced
    sampler = fast(
        DCBNVAESampler, epochs=30, learning_rate=1e-2, early_stopping=True,
        n_iter_no_change=30,
    )  # fmt: skip
    sampler.fit_resample(X, y)
    losses = [r["validation_loss"] for r in sampler.history_]
    assert sampler.best_epoch_ > 1 and min(losses) < 0.5 * losses[0]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"validation_fraction": 1.0}, "'validation_fraction' parameter"),
        ({"n_iter_no_change": 0}, "'n_iter_no_change' parameter"),
        ({"tol": -1.0}, "'tol' parameter"),
        ({"early_stopping": "yes"}, "'early_stopping' parameter"),
    ],
)
def test_bad_early_stopping_parameters(Sampler, imbalanced, params, message):
    X, y = imbalanced
    with pytest.raises(ValueError, match=message):
        fast(Sampler, **params).fit_resample(X, y)


def test_validation_fraction_that_holds_out_nothing_is_an_error(Sampler):
    X, y = np.arange(12.0).reshape(6, 2), np.array([0, 0, 0, 0, 1, 1])
    with pytest.raises(ValueError, match="holds out no row"):
        fast(Sampler, early_stopping=True, validation_fraction=0.05).fit_resample(X, y)


@pytest.mark.parametrize(
    ("load", "n_threads", "expected"),
    [(0.0, None, 2), (1.2, None, 1), (7.5, None, 1), (7.5, 2, 2)],
)
def test_threads_default_to_the_idle_cores(imbalanced, monkeypatch, load, n_threads,
                                           expected):  # fmt: skip
    # Two torch threads on two busy cores stall each other at every operation.
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    monkeypatch.setattr("imblearn_vae._runtime.busy_cores", lambda: load)
    X, y = imbalanced
    seen = []
    sampler = fast(DCBNVAESampler, epochs=1, n_threads=n_threads)
    original = sampler._train_step

    def spy(*args):
        seen.append(torch.get_num_threads())
        return original(*args)

    monkeypatch.setattr(sampler, "_train_step", spy)
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        sampler.fit_resample(X, y)
        assert set(seen) == {expected}
        assert torch.get_num_threads() == 2  # put back afterwards
    finally:
        torch.set_num_threads(before)


def test_fit_seconds_split_the_fit_by_stage(Sampler, imbalanced):
    import time

    X, y = imbalanced
    sampler = fast(Sampler)
    start = time.perf_counter()
    sampler.fit_resample(X, y)
    total = time.perf_counter() - start
    stages = sampler.fit_seconds_
    filtered = ["filter"] if sampler.filter_generated else []
    assert list(stages) == ["encode", "train", *filtered, "generate", "decode"]
    assert all(seconds > 0 for seconds in stages.values())
    assert sum(stages.values()) <= total
