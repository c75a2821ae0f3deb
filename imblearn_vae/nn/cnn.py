"""1-D convolutional intrusion classifiers over a row's feature vector."""

import torch
from torch import nn


class FeatureCNN(nn.Module):
    """Convolution and pooling over the feature vector, then dense layers.

    A row of ``n_features`` values is read as a one-channel sequence. Two
    blocks of ``Conv1d -> ReLU -> MaxPool1d(2)`` (``filters`` and then
    ``2 * filters`` channels) extract local patterns; with ``lstm_units`` an
    LSTM then reads the pooled sequence of channel vectors and its last hidden
    state is classified (the CNN+LSTM variant), otherwise the pooled maps are
    flattened. A dense layer with dropout and a linear output give one logit
    per class.

    Parameters
    ----------
    n_features : int
        Length of a row.
    n_classes : int
        Number of logits.
    filters : int
        Channels of the first convolution (the second has twice as many).
    kernel_size : int
        Width of the convolution kernels ("same" padding).
    dense_width : int
        Width of the hidden dense layer.
    dropout : float
        Dropout probability before the output layer.
    lstm_units : int or None
        Hidden size of the LSTM, or None for the plain CNN.

    Examples
    --------
    >>> import torch
    >>> from imblearn_vae.nn import FeatureCNN
    >>> net = FeatureCNN(10, 3, filters=4, kernel_size=3, dense_width=8,
    ...                  dropout=0.1, lstm_units=5)
    >>> net(torch.randn(2, 10)).shape
    torch.Size([2, 3])
    """

    def __init__(
        self,
        n_features: int,
        n_classes: int,
        filters: int = 32,
        kernel_size: int = 3,
        dense_width: int = 128,
        dropout: float = 0.3,
        lstm_units: int | None = None,
    ) -> None:
        super().__init__()
        padding = kernel_size // 2
        self.features = nn.Sequential(
            nn.Conv1d(1, filters, kernel_size, padding=padding),
            nn.ReLU(),
            # ceil_mode keeps at least one position for rows of any width
            nn.MaxPool1d(2, ceil_mode=True),
            nn.Conv1d(filters, 2 * filters, kernel_size, padding=padding),
            nn.ReLU(),
            nn.MaxPool1d(2, ceil_mode=True),
        )
        length = self.features(torch.zeros(1, 1, n_features)).shape[-1]
        self.lstm = (
            nn.LSTM(2 * filters, lstm_units, batch_first=True) if lstm_units else None
        )
        flat = lstm_units if lstm_units else 2 * filters * length
        self.classifier = nn.Sequential(
            nn.Linear(flat, dense_width),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(dense_width, n_classes),
        )

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        maps = self.features(X.unsqueeze(1))  # (rows, channels, length)
        if self.lstm is None:
            summary = maps.flatten(1)
        else:
            _, (hidden, _) = self.lstm(maps.transpose(1, 2))
            summary = hidden[-1]
        return self.classifier(summary)
