"""Rows of numeric columns followed by one-hot blocks of categorical ones.

A network's output for a categorical column is a block of logits, one per
category. Training compares the block with the real category by cross-entropy
(squared error on 0/1 columns would treat the category as a number); drawing
a row takes the most likely category of each block, as it takes the decoded
mean of each numeric column: the randomness of a new row is in the latent
code or noise it is decoded from, so its category and its numbers agree.
"""

from collections.abc import Sequence

import torch
import torch.nn.functional as F


class CategoricalBlocks:
    """Where the categorical blocks sit in a network's rows, and what to do with them.

    Parameters
    ----------
    n_numeric : int
        Number of numeric columns; they come first and are left as they are.
    block_sizes : sequence of int
        Number of categories of each categorical column, in order; each column
        is a one-hot block after the numeric columns.

    Examples
    --------
    >>> import torch
    >>> from imblearn_vae.nn import CategoricalBlocks
    >>> blocks = CategoricalBlocks(n_numeric=2, block_sizes=[3])
    >>> logits = torch.tensor([[0.5, -1.0, 9.0, -9.0, -9.0]])
    >>> blocks.one_hot(logits)
    tensor([[ 0.5000, -1.0000,  1.0000,  0.0000,  0.0000]])
    """

    def __init__(self, n_numeric: int, block_sizes: Sequence[int]) -> None:
        self.n_numeric = int(n_numeric)
        self.bounds = []
        start = self.n_numeric
        for size in block_sizes:
            self.bounds.append((start, start + int(size)))
            start += int(size)
        self.n_columns = start

    def reconstruction_loss(
        self, x: torch.Tensor, output: torch.Tensor
    ) -> torch.Tensor:
        """Squared error summed over numeric columns plus one cross-entropy per block.

        ``x`` holds the real rows (one-hot blocks), ``output`` the network's
        (logit blocks); the result is averaged over rows.
        """
        numeric = slice(0, self.n_numeric)
        per_row = (output[:, numeric] - x[:, numeric]).square().sum(dim=1)
        for start, stop in self.bounds:
            per_row = per_row + F.cross_entropy(
                output[:, start:stop], x[:, start:stop].argmax(dim=1), reduction="none"
            )
        return per_row.mean()

    def one_hot(self, output: torch.Tensor) -> torch.Tensor:
        """Replace each logit block by the one-hot of its most likely category.

        Drawing the category from the softmax instead would add noise that is
        independent of the numeric columns: where the decoder is unsure, the
        numbers would say one category and the draw another.
        """
        rows = output.clone()
        for start, stop in self.bounds:
            chosen = output[:, start:stop].argmax(dim=1)
            rows[:, start:stop] = F.one_hot(chosen, stop - start).to(rows.dtype)
        return rows

    def relax(
        self, output: torch.Tensor, generator: torch.Generator, temperature: float = 0.2
    ) -> torch.Tensor:
        """Differentiable near-one-hot blocks (Gumbel-softmax), for a GAN's generator.

        A discriminator shown exact one-hot real rows and soft fake ones tells
        them apart by the softness alone; a low temperature keeps the fake
        blocks close to one-hot while gradients still flow. The Gumbel noise
        comes from ``generator``, leaving torch's global random state alone.
        """
        pieces = [output[:, : self.n_numeric]]
        for start, stop in self.bounds:
            logits = output[:, start:stop]
            logits = logits + self._gumbel(logits, generator)
            pieces.append(torch.softmax(logits / temperature, dim=1))
        return torch.cat(pieces, dim=1)

    @staticmethod
    def _gumbel(like: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        uniform = torch.rand(
            like.shape, generator=generator, device=like.device, dtype=like.dtype
        )
        tiny = torch.finfo(like.dtype).tiny
        return -torch.log(-torch.log(uniform.clamp(tiny, 1.0 - 1e-6)))
