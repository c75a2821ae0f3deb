"""The conditional GAN (Mirza and Osindero, 2014): generator and discriminator."""

from collections.abc import Callable, Sequence

import torch
from torch import nn
from torch.nn import functional as F

from .categorical import CategoricalBlocks
from .mlp import ConditionalMLP, folded_sampler


class ConditionalGAN(nn.Module):
    """A class-conditional generator and discriminator over tabular rows.

    The generator reads ``[noise, onehot(y)]`` through hidden blocks with batch
    normalisation and gives a row (linear output: the caller scales the data).
    The discriminator reads ``[x, onehot(y)]`` through hidden blocks without
    normalisation (batch statistics would mix real and generated rows) and
    gives one logit: is this a real row of class ``y``?

    Parameters
    ----------
    n_features : int
        Width of a row.
    num_classes : int
        Number of classes.
    noise_dim : int
        Dimension of the generator's noise input.
    generator_hidden_layer_sizes, discriminator_hidden_layer_sizes : \
            sequence of int
        Hidden widths of each network, input side first.
    blocks : CategoricalBlocks or None, default=None
        Where the categorical columns' one-hot blocks sit in a row: the
        discriminator sees them near one-hot in training
        (:meth:`CategoricalBlocks.relax`), generated rows get one category per
        block. None: every column is numeric.

    Examples
    --------
    >>> import torch
    >>> from imblearn_vae.nn import ConditionalGAN
    >>> gan = ConditionalGAN(10, 3, noise_dim=8, generator_hidden_layer_sizes=(16,),
    ...                      discriminator_hidden_layer_sizes=(16, 8))
    >>> y = torch.tensor([0, 1, 2, 1])
    >>> fake = gan.sample(y, generator=torch.Generator().manual_seed(0))
    >>> fake.shape, gan.discriminate(fake, y).shape
    (torch.Size([4, 10]), torch.Size([4]))
    """

    def __init__(
        self,
        n_features: int,
        num_classes: int,
        noise_dim: int,
        generator_hidden_layer_sizes: Sequence[int],
        discriminator_hidden_layer_sizes: Sequence[int],
        blocks: CategoricalBlocks | None = None,
    ) -> None:
        super().__init__()
        self.noise_dim = noise_dim
        self.blocks = blocks
        self.generator = ConditionalMLP(
            noise_dim, num_classes, generator_hidden_layer_sizes, "batch"
        )
        self.generator_head = nn.Linear(self.generator.out_features, n_features)
        self.discriminator = ConditionalMLP(
            n_features, num_classes, discriminator_hidden_layer_sizes, None
        )
        self.discriminator_head = nn.Linear(self.discriminator.out_features, 1)

    def generate(self, noise: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Rows of the classes ``y`` from the given noise."""
        return self.generator_head(self.generator(noise, y))

    def discriminate(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Logit of "``x`` is a real row of class ``y``", one per row."""
        return self.discriminator_head(self.discriminator(x, y)).squeeze(1)

    def fake_rows(
        self, y: torch.Tensor, generator: torch.Generator | None = None
    ) -> torch.Tensor:
        """What the discriminator is shown in training: a row per class in ``y``.

        Categorical blocks are near one-hot Gumbel-softmax, like the real rows
        (exact one-hot blocks would stop the gradients).
        """
        rows = self.generate(self._noise(len(y), generator), y)
        return rows if self.blocks is None else self.blocks.relax(rows, generator)

    def sample(
        self, y: torch.Tensor, generator: torch.Generator | None = None
    ) -> torch.Tensor:
        """New rows, one per class index in ``y``, from fresh noise.

        Each categorical block holds the one-hot of its most likely category.
        """
        return self._one_hot(self.generate(self._noise(len(y), generator), y))

    def class_sampler(
        self, class_index: int
    ) -> Callable[[int, torch.Generator | None], torch.Tensor]:
        """A function ``(n_rows, generator) -> rows`` of one class, folded once.

        Same rows as :meth:`sample` for ``n_rows`` labels ``class_index`` up to
        float rounding, through the generator folded for that class
        (:func:`~imblearn_vae.nn.mlp.folded_sampler`). Eval mode only.
        """
        draw = folded_sampler(self.generator, self.generator_head, class_index)
        return lambda n_rows, generator=None: self._one_hot(draw(n_rows, generator))

    def _noise(self, n_rows: int, generator: torch.Generator | None) -> torch.Tensor:
        weight = self.generator_head.weight
        return torch.randn(
            (n_rows, self.noise_dim), generator=generator, device=weight.device,
            dtype=weight.dtype,
        )  # fmt: skip

    def _one_hot(self, rows: torch.Tensor) -> torch.Tensor:
        return rows if self.blocks is None else self.blocks.one_hot(rows)


def discriminator_loss(
    real_logits: torch.Tensor, fake_logits: torch.Tensor
) -> torch.Tensor:
    """Binary cross-entropy of telling real rows (1) from generated ones (0)."""
    return F.binary_cross_entropy_with_logits(
        real_logits, torch.ones_like(real_logits)
    ) + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))


def generator_loss(fake_logits: torch.Tensor) -> torch.Tensor:
    """The non-saturating generator loss, ``-log D(G(z))``.

    Minimising ``log(1 - D(G(z)))`` as in the minimax game gives vanishing
    gradients early in training, when the discriminator rejects every
    generated row; this form has the same fixed point and strong gradients
    there (Goodfellow et al., 2014).
    """
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))
