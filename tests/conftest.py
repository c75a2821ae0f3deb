import numpy as np
import pytest

from imblearn_vae import CVAESampler, DCBNVAESampler

SAMPLER_CLASSES = [DCBNVAESampler, CVAESampler]

#: Narrow, short, seeded CPU settings: a fit takes a fraction of a second.
FAST = dict(
    hidden_layer_sizes=(16,),
    latent_dim=4,
    epochs=3,
    batch_size=32,
    device="cpu",
    random_state=0,
)


def fast(Sampler, **params):
    return Sampler(**{**FAST, **params})


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
