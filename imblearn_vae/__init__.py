"""Deep conditional generative over-samplers for imbalanced-learn pipelines."""

from ._version import __version__
from .gan import CGANSampler
from .vae import CVAESampler, DCBNVAESampler

__all__ = ["CGANSampler", "CVAESampler", "DCBNVAESampler", "__version__"]
