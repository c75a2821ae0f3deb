"""Class-conditional multilayer perceptrons and their initialisation."""

import itertools
import math
from collections.abc import Sequence
from typing import Literal

import torch
from torch import nn
from torch.nn import functional as F

from .normalization import ConditionalBatchNorm1d

#: Slope of LeakyReLU for negative inputs in every hidden block. The paper does
#: not give it; 0.2 is the usual choice in generative MLPs and keeps gradients
#: alive for the many near-zero features of min-max scaled traffic data.
NEGATIVE_SLOPE = 0.2

Normalization = Literal["batch", "conditional"] | None


class HiddenBlock(nn.Module):
    """``Linear -> normalisation -> LeakyReLU``, with the class fed to CBN.

    Parameters
    ----------
    in_features, out_features : int
        Widths of the linear layer.
    num_classes : int
        Number of classes (used by conditional normalisation only).
    normalization : {"batch", "conditional"} or None
        ``"batch"`` is :class:`torch.nn.BatchNorm1d`, ``"conditional"`` is
        :class:`ConditionalBatchNorm1d`, ``None`` leaves the block without one.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        num_classes: int,
        normalization: Normalization,
    ) -> None:
        super().__init__()
        self.linear = nn.Linear(in_features, out_features)
        if normalization == "conditional":
            self.norm = ConditionalBatchNorm1d(out_features, num_classes)
        elif normalization == "batch":
            self.norm = nn.BatchNorm1d(out_features)
        elif normalization is None:
            self.norm = None
        else:
            raise ValueError(f"Unknown normalization {normalization!r}.")
        self.conditional = normalization == "conditional"

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        h = self.linear(x)
        if self.conditional:
            h = self.norm(h, y)
        elif self.norm is not None:
            h = self.norm(h)
        return F.leaky_relu(h, NEGATIVE_SLOPE)


class ConditionalMLP(nn.Module):
    """A stack of hidden blocks over ``[x, onehot(y)]``.

    The one-hot label is concatenated to the input (the CVAE condition); with
    ``normalization="conditional"`` every block also scales and shifts by class
    (the CBN condition).

    Parameters
    ----------
    in_features : int
        Width of ``x`` (the label columns are added inside).
    num_classes : int
        Number of classes.
    hidden_layer_sizes : sequence of int
        Width of each hidden block, input side first. May be empty.
    normalization : {"batch", "conditional"} or None
        Normalisation of every hidden block.

    Attributes
    ----------
    out_features : int
        Width of the output: the last hidden width, or the input width plus
        ``num_classes`` when there is no hidden block.
    """

    def __init__(
        self,
        in_features: int,
        num_classes: int,
        hidden_layer_sizes: Sequence[int],
        normalization: Normalization,
    ) -> None:
        super().__init__()
        self.num_classes = num_classes
        widths = [in_features + num_classes, *hidden_layer_sizes]
        self.blocks = nn.ModuleList(
            HiddenBlock(n_in, n_out, num_classes, normalization)
            for n_in, n_out in itertools.pairwise(widths)
        )
        self.out_features = widths[-1]

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        h = torch.cat([x, F.one_hot(y, self.num_classes).to(x.dtype)], dim=1)
        for block in self.blocks:
            h = block(h, y)
        return h


@torch.no_grad()
def he_init_(module: nn.Module, generator: torch.Generator | None = None) -> None:
    """He (Kaiming) normal initialisation of every linear layer in ``module``.

    Hidden layers, which a LeakyReLU follows, get the LeakyReLU gain; output
    heads (linear layers outside a :class:`HiddenBlock`) get gain 1. Biases are
    zero. Drawing from ``generator`` keeps initialisation reproducible without
    touching torch's global random state (``torch.nn.init`` only accepts a
    generator from torch 2.2 on).

    Parameters
    ----------
    module : torch.nn.Module
    generator : torch.Generator, optional
        Source of randomness; torch's default generator when omitted.
    """
    hidden = {
        id(block.linear) for block in module.modules() if isinstance(block, HiddenBlock)
    }
    leaky_gain = nn.init.calculate_gain("leaky_relu", NEGATIVE_SLOPE)
    for layer in module.modules():
        if isinstance(layer, nn.Linear):
            gain = leaky_gain if id(layer) in hidden else 1.0
            std = gain / math.sqrt(layer.in_features)
            layer.weight.normal_(0.0, std, generator=generator)
            if layer.bias is not None:
                layer.bias.zero_()


def count_parameters(module: nn.Module) -> int:
    """Number of trainable parameters of ``module``.

    Examples
    --------
    >>> from torch import nn
    >>> count_parameters(nn.Linear(3, 2))
    8
    """
    return sum(p.numel() for p in module.parameters() if p.requires_grad)
