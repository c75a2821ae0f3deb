"""Class-conditional multilayer perceptrons and their initialisation."""

import itertools
import math
from collections.abc import Callable, Sequence
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

    @torch.no_grad()
    def folded_linear(self, class_index: int) -> nn.Linear:
        """``Linear -> normalisation`` of eval mode as one linear layer, for one class.

        In eval mode the normalisation is a fixed affine map per feature (the
        running statistics, then the class's scale and shift), so it can be
        multiplied into the linear layer: generation then costs one matrix
        product per block instead of a product, two per-row gathers of the
        class parameters and three elementwise passes.

        Parameters
        ----------
        class_index : int
            The class whose scale and shift are folded in (conditional
            normalisation only; the others ignore it).

        Returns
        -------
        torch.nn.Linear
            A new layer; this block is left unchanged.
        """
        weight, bias = self.linear.weight, self.linear.bias
        scale = torch.ones_like(bias)
        shift = torch.zeros_like(bias)
        if self.norm is not None:
            norm = self.norm.norm if self.conditional else self.norm
            if norm.running_var is None:
                raise ValueError(
                    "Cannot fold a normalisation that keeps no running statistics."
                )
            scale = torch.rsqrt(norm.running_var + norm.eps)
            shift = -norm.running_mean * scale
            if self.conditional:
                gamma, beta = self.norm.weight[class_index], self.norm.bias[class_index]
            elif norm.affine:
                gamma, beta = norm.weight, norm.bias
            else:
                gamma, beta = torch.ones_like(bias), torch.zeros_like(bias)
            scale, shift = gamma * scale, gamma * shift + beta
        folded = _empty_linear(
            self.linear.in_features, self.linear.out_features, like=weight
        )
        folded.weight.copy_(weight * scale[:, None])
        folded.bias.copy_(bias * scale + shift)
        return folded


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
        self.in_features = in_features
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
    def for_class(self, class_index: int) -> nn.Sequential:
        """This network in eval mode for rows of one class, as a plain stack.

        The label's one-hot columns become part of the first bias and each
        block's normalisation is folded into its linear layer
        (:meth:`HiddenBlock.folded_linear`); the result takes ``x`` alone and
        gives what ``self(x, y)`` gives in eval mode when every ``y`` is
        ``class_index``, up to float rounding, with one matrix product and an
        in-place activation per block.

        Parameters
        ----------
        class_index : int
            The class of every row the returned network will see.

        Returns
        -------
        torch.nn.Sequential
            ``Linear -> LeakyReLU`` per hidden block, holding new tensors.

        Raises
        ------
        RuntimeError
            If the network is in training mode, where batch statistics, not
            the running ones, normalise.
        ValueError
            If the network has no hidden block to fold the label into.
        """
        if self.training:
            raise RuntimeError(
                "for_class folds the running statistics of eval mode; call "
                ".eval() first."
            )
        if not self.blocks:
            raise ValueError("A network without hidden blocks has nothing to fold.")
        layers: list[nn.Module] = []
        for block in self.blocks:
            linear = block.folded_linear(class_index)
            if not layers:  # the first block reads [x, onehot(y)]
                label_column = linear.weight[:, self.in_features + class_index]
                first = _empty_linear(
                    self.in_features, linear.out_features, like=linear.weight
                )
                first.weight.copy_(linear.weight[:, : self.in_features])
                first.bias.copy_(linear.bias + label_column)
                linear = first
            # In place: the activation overwrites the product it follows instead
            # of writing a second buffer of the same size, which is most of its
            # cost on a CPU.
            layers += [linear, nn.LeakyReLU(NEGATIVE_SLOPE, inplace=True)]
        return nn.Sequential(*layers)


def folded_network(
    network: ConditionalMLP, head: nn.Module, class_index: int
) -> Callable[[torch.Tensor], torch.Tensor]:
    """A function ``inputs -> head(network(inputs, y))`` for one class, folded once.

    The shared fast path of the generative networks: through
    ``network.for_class(class_index)``, built here once for all the calls
    (eval mode only; later weight changes need a new function). Same output
    as the unfolded network with every label ``class_index``, up to float
    rounding. A network without hidden blocks is called as it is.
    """
    if not network.blocks:

        def unfolded(inputs: torch.Tensor) -> torch.Tensor:
            labels = torch.full(
                (len(inputs),), class_index, dtype=torch.long, device=inputs.device
            )
            return head(network(inputs, labels))

        return unfolded
    return nn.Sequential(network.for_class(class_index), head)


def folded_sampler(
    network: ConditionalMLP, head: nn.Module, class_index: int
) -> Callable[[int, torch.Generator | None], torch.Tensor]:
    """A function ``(n_rows, generator) -> rows`` of one class, folded once.

    ``head(network(noise, y))`` with ``noise ~ N(0, I)`` of
    ``network.in_features`` columns, drawn as the networks' ``sample`` draws
    it, through :func:`folded_network`: the rows of ``sample`` for ``n_rows``
    labels ``class_index`` up to float rounding.
    """
    weight = next(head.parameters())
    folded = folded_network(network, head, class_index)

    def draw(n_rows: int, generator: torch.Generator | None = None) -> torch.Tensor:
        noise = torch.randn(
            (n_rows, network.in_features),
            generator=generator,
            device=weight.device,
            dtype=weight.dtype,
        )
        return folded(noise)

    return draw


def _empty_linear(in_features: int, out_features: int, like: torch.Tensor) -> nn.Linear:
    """A linear layer with uninitialised parameters on ``like``'s device and dtype."""
    return nn.utils.skip_init(
        nn.Linear, in_features, out_features, device=like.device, dtype=like.dtype
    )


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
