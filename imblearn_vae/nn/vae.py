"""The conditional variational autoencoder (Sohn et al., 2015)."""

from collections.abc import Callable, Sequence

import torch
from torch import nn

from .categorical import CategoricalBlocks
from .mlp import ConditionalMLP, Normalization, folded_network, folded_sampler


class ConditionalVAE(nn.Module):
    """Conditional VAE whose hidden blocks may use Conditional Batch Norm.

    The encoder reads ``[x, onehot(y)]`` and gives the mean and log-variance of
    a diagonal Gaussian over ``latent_dim`` dimensions; the decoder reads
    ``[z, onehot(y)]`` and gives the reconstruction of ``x`` (linear output: the
    caller scales the data). The decoder's hidden widths mirror the encoder's.

    Parameters
    ----------
    n_features : int
        Width of ``x``.
    num_classes : int
        Number of classes.
    hidden_layer_sizes : sequence of int
        Hidden widths of the encoder, input side first; the decoder uses them
        in reverse order.
    latent_dim : int
        Dimension of the latent code ``z``.
    encoder_normalization, decoder_normalization : {"batch", "conditional"} or None
        Normalisation of the hidden blocks of each network. A DCBN-VAE uses
        ``"conditional"`` (in both, or in the decoder only), a plain CVAE
        ``"batch"``.
    blocks : CategoricalBlocks or None, default=None
        Where the categorical columns' one-hot blocks sit in a row: their
        reconstruction is scored by cross-entropy (:func:`vae_loss`) and
        generated rows get one category per block. None: every column is
        numeric.

    Examples
    --------
    >>> import torch
    >>> from imblearn_vae.nn import ConditionalVAE
    >>> vae = ConditionalVAE(10, 3, (16,), 4, "conditional", "conditional")
    >>> x, y = torch.randn(5, 10), torch.tensor([0, 1, 2, 1, 0])
    >>> x_hat, mean, log_var = vae(x, y, generator=torch.Generator().manual_seed(0))
    >>> x_hat.shape, mean.shape
    (torch.Size([5, 10]), torch.Size([5, 4]))
    """

    def __init__(
        self,
        n_features: int,
        num_classes: int,
        hidden_layer_sizes: Sequence[int],
        latent_dim: int,
        encoder_normalization: Normalization,
        decoder_normalization: Normalization,
        blocks: CategoricalBlocks | None = None,
    ) -> None:
        super().__init__()
        self.latent_dim = latent_dim
        self.blocks = blocks
        self.encoder = ConditionalMLP(
            n_features, num_classes, hidden_layer_sizes, encoder_normalization
        )
        self.mean_head = nn.Linear(self.encoder.out_features, latent_dim)
        self.log_var_head = nn.Linear(self.encoder.out_features, latent_dim)
        self.decoder = ConditionalMLP(
            latent_dim,
            num_classes,
            tuple(reversed(hidden_layer_sizes)),
            decoder_normalization,
        )
        self.output_head = nn.Linear(self.decoder.out_features, n_features)

    def encode(
        self, x: torch.Tensor, y: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Mean and log-variance of ``q(z | x, y)``."""
        h = self.encoder(x, y)
        return self.mean_head(h), self.log_var_head(h)

    def decode(self, z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Reconstruction of ``x`` from the latent code and the class."""
        return self.output_head(self.decoder(z, y))

    def forward(
        self,
        x: torch.Tensor,
        y: torch.Tensor,
        generator: torch.Generator | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Encode, draw ``z`` by the reparameterisation trick, and decode.

        Returns
        -------
        x_hat, mean, log_var : torch.Tensor
        """
        mean, log_var = self.encode(x, y)
        noise = torch.randn(
            mean.shape, generator=generator, device=mean.device, dtype=mean.dtype
        )
        z = mean + noise * torch.exp(0.5 * log_var)
        return self.decode(z, y), mean, log_var

    def sample(
        self, y: torch.Tensor, generator: torch.Generator | None = None
    ) -> torch.Tensor:
        """New rows: ``z ~ N(0, I)`` decoded for each class index in ``y``.

        Each categorical block holds the one-hot of its most likely category.
        """
        z = torch.randn(
            (y.shape[0], self.latent_dim),
            generator=generator,
            device=y.device,
            dtype=self.output_head.weight.dtype,
        )
        return _one_hot(self.blocks, self.decode(z, y))

    def class_sampler(
        self, class_index: int
    ) -> Callable[[int, torch.Generator | None], torch.Tensor]:
        """A function ``(n_rows, generator) -> rows`` of one class, folded once.

        Same rows as :meth:`sample` for ``n_rows`` labels ``class_index`` up to
        float rounding, through the decoder folded for that class
        (:func:`~imblearn_vae.nn.mlp.folded_sampler`). Eval mode only.
        """
        draw = folded_sampler(self.decoder, self.output_head, class_index)
        return lambda n_rows, generator=None: _one_hot(
            self.blocks, draw(n_rows, generator)
        )

    def class_decoder(self, class_index: int) -> Callable[[torch.Tensor], torch.Tensor]:
        """A function ``z -> rows`` that decodes latent codes of one class.

        Same rows as :meth:`decode` with every label ``class_index`` (each
        categorical block one-hot), up to float rounding, through the decoder
        folded once for that class (:func:`~imblearn_vae.nn.mlp.folded_network`).
        Eval mode only.
        """
        decode = folded_network(self.decoder, self.output_head, class_index)
        return lambda z: _one_hot(self.blocks, decode(z))

    def loss(
        self, x: torch.Tensor, y: torch.Tensor, generator: torch.Generator | None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """The reconstruction and KL terms of :func:`vae_loss` on a batch."""
        x_hat, mean, log_var = self(x, y, generator=generator)
        return vae_loss(x, x_hat, mean, log_var, self.blocks)


def _one_hot(blocks: CategoricalBlocks | None, rows: torch.Tensor) -> torch.Tensor:
    return rows if blocks is None else blocks.one_hot(rows)


def vae_loss(
    x: torch.Tensor,
    x_hat: torch.Tensor,
    mean: torch.Tensor,
    log_var: torch.Tensor,
    blocks: CategoricalBlocks | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Reconstruction and KL terms of the negative ELBO, averaged over rows.

    The squared error is *summed over features* before the batch mean. A
    per-element mean (``torch.nn.MSELoss``) divides the reconstruction term by
    the number of features while the KL term keeps its size, so the KL wins,
    the posterior collapses onto the prior and every generated row of a class
    lands on the class mean. With ``blocks``, each categorical block adds its
    cross-entropy instead (see :class:`CategoricalBlocks`).

    Returns
    -------
    reconstruction, kl : torch.Tensor
        Scalars; the training loss is ``reconstruction + beta * kl``.
    """
    if blocks is None:
        reconstruction = (x_hat - x).square().sum(dim=1).mean()
    else:
        reconstruction = blocks.reconstruction_loss(x, x_hat)
    kl = -0.5 * (1.0 + log_var - mean.square() - log_var.exp()).sum(dim=1).mean()
    return reconstruction, kl
