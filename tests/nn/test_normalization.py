import pytest
import torch
from torch import nn

from imblearn_vae.nn import ConditionalBatchNorm1d


def _batch(n_rows=16, n_features=5, n_classes=3, seed=0):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n_rows, n_features, generator=generator) * 3 + 1
    y = torch.arange(n_rows) % n_classes
    return x, y


def test_initial_affine_is_identity():
    cbn = ConditionalBatchNorm1d(5, num_classes=3)
    assert torch.equal(cbn.weight, torch.ones(3, 5))
    assert torch.equal(cbn.bias, torch.zeros(3, 5))


def test_equals_batchnorm_when_classes_share_parameters():
    x, y = _batch()
    bn = nn.BatchNorm1d(5, momentum=0.3)
    cbn = ConditionalBatchNorm1d(5, num_classes=3, momentum=0.3)
    with torch.no_grad():
        bn.weight.copy_(torch.linspace(0.5, 2.0, 5))
        bn.bias.copy_(torch.linspace(-1.0, 1.0, 5))
        cbn.weight.copy_(bn.weight.expand(3, 5))
        cbn.bias.copy_(bn.bias.expand(3, 5))

    for _ in range(3):  # training mode, running statistics updated alike
        torch.testing.assert_close(cbn(x, y), bn(x))
    torch.testing.assert_close(cbn.norm.running_mean, bn.running_mean)
    torch.testing.assert_close(cbn.norm.running_var, bn.running_var)

    bn.eval()
    cbn.eval()
    torch.testing.assert_close(cbn(x[:1], y[:1]), bn(x[:1]))


def test_each_class_gets_its_own_affine_over_shared_batch_statistics():
    x, y = _batch()
    cbn = ConditionalBatchNorm1d(5, num_classes=3)
    with torch.no_grad():
        cbn.weight[1] = 2.0
        cbn.bias[1] = 3.0
        cbn.weight[2] = -1.0
    normalized = (x - x.mean(0)) / torch.sqrt(x.var(0, unbiased=False) + cbn.norm.eps)
    out = cbn(x, y)
    torch.testing.assert_close(out[y == 0], normalized[y == 0])
    torch.testing.assert_close(out[y == 1], 2.0 * normalized[y == 1] + 3.0)
    torch.testing.assert_close(out[y == 2], -normalized[y == 2])


def test_statistics_are_those_of_the_whole_batch_not_of_each_class():
    x, y = _batch()
    cbn = ConditionalBatchNorm1d(5, num_classes=3)
    full = cbn(x, y)
    alone = cbn(x[y == 0], y[y == 0])
    # Per-class statistics would give the same rows for class 0 both times.
    assert not torch.allclose(full[y == 0], alone)


def test_eval_uses_running_statistics():
    x, y = _batch()
    cbn = ConditionalBatchNorm1d(5, num_classes=3, momentum=None)
    with torch.no_grad():
        cbn.weight[2] = 0.5
        cbn.bias[2] = -2.0
    cbn(x, y)  # momentum=None: cumulative average, so one batch sets the stats
    torch.testing.assert_close(cbn.norm.running_mean, x.mean(0))
    cbn.eval()
    row, klass = x[:1] + 10.0, torch.tensor([2])
    expected = (row - cbn.norm.running_mean) / torch.sqrt(
        cbn.norm.running_var + cbn.norm.eps
    ) * 0.5 - 2.0
    torch.testing.assert_close(cbn(row, klass), expected)


def test_gradients_reach_only_the_classes_in_the_batch():
    x, y = _batch()
    cbn = ConditionalBatchNorm1d(5, num_classes=4)
    cbn(x, y).square().sum().backward()
    assert cbn.weight.grad[:3].abs().sum() > 0
    assert torch.equal(cbn.weight.grad[3], torch.zeros(5))
    assert torch.equal(cbn.bias.grad[3], torch.zeros(5))


def test_single_row_in_training_mode_is_rejected_like_batchnorm():
    cbn = ConditionalBatchNorm1d(5, num_classes=3)
    with pytest.raises(ValueError, match="more than 1 value"):
        cbn(torch.randn(1, 5), torch.tensor([0]))
