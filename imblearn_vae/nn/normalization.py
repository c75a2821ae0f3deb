"""Conditional Batch Normalization."""

import torch
from torch import nn
from torch.nn import functional as F


class ConditionalBatchNorm1d(nn.Module):
    r"""Batch normalization with a learned scale and shift per class.

    The mini-batch is normalised with the mean and variance of the *whole*
    batch, whatever the classes in it, exactly as :class:`torch.nn.BatchNorm1d`
    does; the affine transform that follows belongs to each row's own class:

    .. math::

        \mathrm{CBN}(x_i \mid c_i) = \gamma_{c_i}
            \frac{x_i - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}} + \beta_{c_i}

    In training mode the running mean and variance are updated as in
    ``BatchNorm1d``; in eval mode they replace the batch statistics, so a batch
    that holds a single class (as in generation) is normalised with the
    statistics of the mixed training data.

    Parameters
    ----------
    num_features : int
        Number of features (the ``C`` of an input of shape ``(N, C)``).
    num_classes : int
        Number of classes, each with its own ``gamma`` and ``beta``.
    eps : float, default=1e-5
        Added to the variance for numerical stability.
    momentum : float or None, default=0.1
        Weight of the current batch in the running statistics; ``None`` keeps
        a cumulative average, as in ``BatchNorm1d``.

    Attributes
    ----------
    weight : torch.nn.Parameter of shape (num_classes, num_features)
        The per-class scale ``gamma``, initialised to 1.
    bias : torch.nn.Parameter of shape (num_classes, num_features)
        The per-class shift ``beta``, initialised to 0.
    norm : torch.nn.BatchNorm1d
        The affine-free batch normalisation that holds the running statistics.

    Examples
    --------
    >>> import torch
    >>> from imblearn_vae.nn import ConditionalBatchNorm1d
    >>> cbn = ConditionalBatchNorm1d(4, num_classes=3)
    >>> x, y = torch.randn(8, 4), torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
    >>> cbn(x, y).shape
    torch.Size([8, 4])
    """

    def __init__(
        self,
        num_features: int,
        num_classes: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
    ) -> None:
        super().__init__()
        self.num_features = num_features
        self.num_classes = num_classes
        self.norm = nn.BatchNorm1d(
            num_features, eps=eps, momentum=momentum, affine=False
        )
        self.weight = nn.Parameter(torch.empty(num_classes, num_features))
        self.bias = nn.Parameter(torch.empty(num_classes, num_features))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Reset the running statistics and set gamma to 1 and beta to 0."""
        self.norm.reset_running_stats()
        nn.init.ones_(self.weight)
        nn.init.zeros_(self.bias)

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Normalise ``x`` over the batch, then apply each row's class affine.

        Parameters
        ----------
        x : torch.Tensor of shape (n_rows, num_features)
        y : torch.Tensor of shape (n_rows,)
            Integer class index of each row, in ``[0, num_classes)``.

        Returns
        -------
        torch.Tensor of shape (n_rows, num_features)
        """
        # F.embedding rather than indexing (self.weight[y]): the same rows,
        # but its backward accumulates with a dense kernel where indexing
        # scatters with index_put, a visible share of a CPU training step
        # (the figures are in the docs' speed page).
        return torch.addcmul(
            F.embedding(y, self.bias), self.norm(x), F.embedding(y, self.weight)
        )

    def extra_repr(self) -> str:
        return f"{self.num_features}, num_classes={self.num_classes}"
