"""ConditionalMLP.for_class: the eval-mode network folded for one class."""

import pytest
import torch

from imblearn_vae.nn import ConditionalGAN, ConditionalMLP, ConditionalVAE


def _trained(normalization, hidden=(16, 8), seed=0):
    """A network whose normalisation has non-trivial running and affine state."""
    torch.manual_seed(seed)
    mlp = ConditionalMLP(5, 3, hidden, normalization)
    with torch.no_grad():
        for parameter in mlp.parameters():
            parameter.add_(0.3 * torch.randn_like(parameter))
    for _ in range(5):  # training-mode passes move the running statistics
        mlp(3 * torch.randn(32, 5) + 1, torch.randint(0, 3, (32,)))
    return mlp.eval()


@pytest.mark.parametrize("normalization", ["conditional", "batch", None])
@pytest.mark.parametrize("hidden", [(16,), (16, 8)])
def test_folded_network_gives_the_eval_outputs_of_its_class(normalization, hidden):
    mlp = _trained(normalization, hidden)
    x = torch.randn(40, 5)
    for class_index in range(3):
        expected = mlp(x, torch.full((40,), class_index))
        with torch.no_grad():
            folded = mlp.for_class(class_index)(x)
        torch.testing.assert_close(folded, expected, rtol=1e-5, atol=1e-5)


def test_classes_fold_differently_under_conditional_normalisation():
    mlp = _trained("conditional")
    x = torch.randn(10, 5)
    with torch.no_grad():
        assert not torch.allclose(mlp.for_class(0)(x), mlp.for_class(1)(x))


def test_folding_leaves_the_network_unchanged():
    mlp = _trained("conditional")
    before = {k: v.clone() for k, v in mlp.state_dict().items()}
    mlp.for_class(2)
    after = mlp.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_folding_refuses_training_mode_and_empty_networks():
    with pytest.raises(RuntimeError, match=r"eval\(\)"):
        ConditionalMLP(5, 3, (8,), "conditional").for_class(0)
    with pytest.raises(ValueError, match="without hidden blocks"):
        ConditionalMLP(5, 3, (), "conditional").eval().for_class(0)


@pytest.mark.parametrize("hidden", [(12,), ()])
def test_vae_class_sampler_matches_sample(hidden):
    vae = ConditionalVAE(6, 3, hidden, 4, "conditional", "conditional").eval()
    with torch.no_grad():
        for _ in range(3):  # give the running statistics something to hold
            vae.train()(torch.randn(16, 6), torch.randint(0, 3, (16,)))
        vae.eval()
        labels = torch.full((20,), 2)
        general = vae.sample(labels, torch.Generator().manual_seed(1))
        folded = vae.class_sampler(2)(20, torch.Generator().manual_seed(1))
    torch.testing.assert_close(folded, general, rtol=1e-5, atol=1e-5)


def test_gan_class_sampler_matches_sample():
    gan = ConditionalGAN(6, 3, 4, (12, 10), (8,))
    with torch.no_grad():
        gan.train().sample(torch.randint(0, 3, (16,)))
        gan.eval()
        general = gan.sample(torch.full((20,), 1), torch.Generator().manual_seed(1))
        folded = gan.class_sampler(1)(20, torch.Generator().manual_seed(1))
    torch.testing.assert_close(folded, general, rtol=1e-5, atol=1e-5)
