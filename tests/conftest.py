import os
from pathlib import Path

import numpy as np
import pytest
import torch

from imblearn_vae import CGANSampler, CVAESampler, DCBNVAESampler
from imblearn_vae.datasets import DATA_HOME_ENV

# The test networks are tiny: one thread runs them faster than two that
# synchronise on every small operation, and it cannot oversubscribe the cores
# when something else (a benchmark, pytest-xdist) shares the machine.
torch.set_num_threads(1)

VAE_CLASSES = [DCBNVAESampler, CVAESampler]
SAMPLER_CLASSES = [*VAE_CLASSES, CGANSampler]

#: Short, seeded CPU settings: a fit takes a fraction of a second.
FAST = dict(epochs=3, batch_size=32, device="cpu", random_state=0)

#: Narrow networks for each sampler.
NARROW = {
    DCBNVAESampler: dict(hidden_layer_sizes=(16,), latent_dim=4),
    CVAESampler: dict(hidden_layer_sizes=(16,), latent_dim=4),
    CGANSampler: dict(
        generator_hidden_layer_sizes=(16,),
        discriminator_hidden_layer_sizes=(16,),
        noise_dim=4,
    ),
}

#: The narrowest networks, for many fits (hypothesis, estimator checks).
TINY = {
    DCBNVAESampler: dict(hidden_layer_sizes=(4,), latent_dim=2),
    CVAESampler: dict(hidden_layer_sizes=(4,), latent_dim=2),
    CGANSampler: dict(
        generator_hidden_layer_sizes=(4,),
        discriminator_hidden_layer_sizes=(4,),
        noise_dim=2,
    ),
}


def fast(Sampler, **params):
    return Sampler(**{**FAST, **NARROW[Sampler], **params})


def tiny(Sampler, **params):
    return Sampler(**{**FAST, **TINY[Sampler], **params})


@pytest.fixture(params=SAMPLER_CLASSES, ids=lambda cls: cls.__name__)
def Sampler(request):
    return request.param


@pytest.fixture
def imbalanced():
    """Three Gaussian classes of 120, 40 and 15 rows in 6 features."""
    rng = np.random.RandomState(0)
    sizes = (120, 40, 15)
    X = np.vstack([rng.normal(loc=3 * k, size=(n, 6)) for k, n in enumerate(sizes)])
    y = np.repeat(np.arange(3), sizes)
    return X, y


#: The project's data sets live next to the checkout (../shared/data), unless the
#: IMBLEARN_VAE_DATA environment variable points elsewhere.
REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def nsl_kdd_home():
    """The data home holding ``nsl-kdd/``; skipped locally, an error on CI."""
    home = Path(os.environ.get(DATA_HOME_ENV) or REPO_ROOT.parent / "shared" / "data")
    if not (home / "nsl-kdd").is_dir():
        message = (
            f"NSL-KDD not found in {home / 'nsl-kdd'}; set {DATA_HOME_ENV} to the "
            "folder that holds nsl-kdd/"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return home


@pytest.fixture(scope="session")
def bot_iot_file(nsl_kdd_home):
    """The 999-row BoT-IoT fragment next to NSL-KDD in the data home."""
    path = nsl_kdd_home / "bot-iot" / "bot_iot_sample.tsv"
    if not path.is_file():
        message = f"BoT-IoT fragment not found at {path}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def trained_tables(nsl_kdd_home, tmp_path_factory):
    """The five tables of issue 32 (a TON_IoT device, satimage, kr-vs-k,
    ecoli, the BoT-IoT fragment), each trained once by ``imblearn-vae train``
    as a user runs it: {name: (TableCase, model file)}."""
    from imblearn_vae.cli import main
    from tests.tables import table_cases

    folder = tmp_path_factory.mktemp("tables")
    trained = {}
    for name, case in table_cases(nsl_kdd_home, folder).items():
        model = folder / f"{name}.model"
        assert main(case.train_arguments(model)) == 0, name
        trained[name] = (case, model)
    return trained
