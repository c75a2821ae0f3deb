"""Deep conditional generative over-samplers for imbalanced-learn pipelines."""

from ._version import __version__
from .gan import CGANSampler
from .vae import NSL_KDD_TUNED, PAPER_TABLE_1, CVAESampler, DCBNVAESampler

__all__ = [
    "NSL_KDD_TUNED",
    "PAPER_TABLE_1",
    "CGANSampler",
    "CVAESampler",
    "DCBNVAESampler",
    "__version__",
]
