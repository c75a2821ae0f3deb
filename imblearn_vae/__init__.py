"""Deep conditional generative over-samplers for imbalanced-learn pipelines."""

from ._version import __version__
from .vae import CVAESampler, DCBNVAESampler

__all__ = ["CVAESampler", "DCBNVAESampler", "__version__"]
