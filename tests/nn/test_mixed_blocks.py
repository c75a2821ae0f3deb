import torch
import torch.nn.functional as F

from imblearn_vae.nn import CategoricalBlocks


def _rows():
    # two numeric columns, then blocks of 3 and 2 categories
    x = torch.tensor([[0.1, 0.2, 0, 1, 0, 1, 0], [0.3, 0.4, 0, 0, 1, 0, 1.0]])
    output = torch.randn(2, 7, generator=torch.Generator().manual_seed(0))
    return CategoricalBlocks(2, [3, 2]), x, output


def test_reconstruction_is_squared_error_plus_cross_entropy_per_block():
    blocks, x, output = _rows()
    expected = (
        (output[:, :2] - x[:, :2]).square().sum(1)
        + F.cross_entropy(output[:, 2:5], torch.tensor([1, 2]), reduction="none")
        + F.cross_entropy(output[:, 5:], torch.tensor([0, 1]), reduction="none")
    ).mean()
    torch.testing.assert_close(blocks.reconstruction_loss(x, output), expected)
    assert blocks.n_columns == 7 and blocks.bounds == [(2, 5), (5, 7)]


def test_one_hot_takes_the_most_likely_category_and_keeps_numbers():
    blocks, _, output = _rows()
    rows = blocks.one_hot(output)
    torch.testing.assert_close(rows[:, :2], output[:, :2])
    for start, stop in blocks.bounds:
        block = rows[:, start:stop]
        assert torch.equal(block.sum(1), torch.ones(2))
        assert torch.equal(block.argmax(1), output[:, start:stop].argmax(1))


def test_relax_is_differentiable_near_one_hot_and_repeatable():
    blocks, _, output = _rows()
    output.requires_grad_(True)
    state = torch.random.get_rng_state()
    first = blocks.relax(output, torch.Generator().manual_seed(1))
    second = blocks.relax(output, torch.Generator().manual_seed(1))
    assert torch.equal(torch.random.get_rng_state(), state)  # global RNG untouched
    torch.testing.assert_close(first, second)
    for start, stop in blocks.bounds:
        torch.testing.assert_close(first[:, start:stop].sum(1), torch.ones(2))
    first[:, 2:].max(dim=1).values.sum().backward()
    assert output.grad is not None and output.grad[:, 2:].abs().sum() > 0
