import math

import pytest
import torch
from torch import nn

from imblearn_vae.nn import (
    ConditionalBatchNorm1d,
    ConditionalMLP,
    ConditionalVAE,
    count_parameters,
    he_init_,
    vae_loss,
)
from imblearn_vae.nn.mlp import NEGATIVE_SLOPE


def _vae(**kw):
    params = dict(
        n_features=7,
        num_classes=3,
        hidden_layer_sizes=(16, 8),
        latent_dim=4,
        encoder_normalization="conditional",
        decoder_normalization="batch",
    )
    return ConditionalVAE(**{**params, **kw})


def test_shapes_and_mirrored_decoder():
    vae = _vae()
    x, y = torch.randn(6, 7), torch.tensor([0, 1, 2, 0, 1, 2])
    x_hat, mean, log_var = vae(x, y, generator=torch.Generator().manual_seed(0))
    assert x_hat.shape == (6, 7)
    assert mean.shape == log_var.shape == (6, 4)
    widths = [block.linear.out_features for block in vae.decoder.blocks]
    assert widths == [8, 16]
    assert vae.decoder.blocks[0].linear.in_features == 4 + 3
    assert isinstance(vae.encoder.blocks[0].norm, ConditionalBatchNorm1d)
    assert isinstance(vae.decoder.blocks[0].norm, nn.BatchNorm1d)
    assert vae.sample(torch.tensor([1, 1])).shape == (2, 7)


def test_no_hidden_layer_and_no_normalization():
    mlp = ConditionalMLP(5, 2, (), None)
    assert mlp.out_features == 7
    out = mlp(torch.zeros(3, 5), torch.tensor([0, 1, 1]))
    torch.testing.assert_close(out[:, 5:], torch.tensor([[1.0, 0], [0, 1], [0, 1]]))


def test_unknown_normalization_is_rejected():
    with pytest.raises(ValueError, match="layer"):
        ConditionalMLP(5, 2, (4,), "layer")


def test_he_init_is_reproducible_with_a_generator_and_has_he_scale():
    a, b = _vae(hidden_layer_sizes=(512,)), _vae(hidden_layer_sizes=(512,))
    he_init_(a, torch.Generator().manual_seed(3))
    he_init_(b, torch.Generator().manual_seed(3))
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(pa, pb)
    hidden = a.decoder.blocks[0].linear  # 4 + 3 inputs -> 512
    gain = math.sqrt(2.0 / (1 + NEGATIVE_SLOPE**2))
    expected = gain / math.sqrt(hidden.in_features)
    assert hidden.weight.std().item() == pytest.approx(expected, rel=0.1)
    assert torch.equal(hidden.bias, torch.zeros_like(hidden.bias))
    head = a.output_head  # linear output: gain 1
    assert head.weight.std().item() == pytest.approx(1 / math.sqrt(512), rel=0.1)


def test_vae_loss_sums_squared_error_over_features():
    x = torch.zeros(2, 3)
    x_hat = torch.tensor([[1.0, 1.0, 1.0], [2.0, 0.0, 0.0]])
    mean, log_var = torch.zeros(2, 4), torch.zeros(2, 4)
    reconstruction, kl = vae_loss(x, x_hat, mean, log_var)
    assert reconstruction.item() == pytest.approx((3.0 + 4.0) / 2)
    assert kl.item() == pytest.approx(0.0)
    _, kl = vae_loss(x, x_hat, torch.ones(2, 4), torch.zeros(2, 4))
    assert kl.item() == pytest.approx(0.5 * 4)


def test_parameter_count_of_the_paper_shapes():
    # Table 1: 123 features, 5 classes, one hidden layer of 604, latent 32.
    table = ConditionalVAE(123, 5, (604,), 32, "conditional", "conditional")
    # Linear layers, plus gamma and beta per class (5 x 604 x 2) in each network.
    linear = (
        (128 * 604 + 604) + 2 * (604 * 32 + 32) + (37 * 604 + 604) + (604 * 123 + 123)
    )
    assert count_parameters(table) == linear + 2 * 5 * 604 * 2
    plain = ConditionalVAE(123, 5, (604,), 32, "batch", "batch")
    assert count_parameters(plain) == linear + 2 * 604 * 2
