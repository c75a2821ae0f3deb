"""Torch modules of imblearn-vae (no scikit-learn here)."""

from .categorical import CategoricalBlocks
from .cnn import FeatureCNN
from .gan import ConditionalGAN, discriminator_loss, generator_loss
from .mlp import ConditionalMLP, HiddenBlock, count_parameters, he_init_
from .normalization import ConditionalBatchNorm1d
from .vae import ConditionalVAE, vae_loss

__all__ = [
    "CategoricalBlocks",
    "ConditionalBatchNorm1d",
    "ConditionalGAN",
    "ConditionalMLP",
    "ConditionalVAE",
    "FeatureCNN",
    "HiddenBlock",
    "count_parameters",
    "discriminator_loss",
    "generator_loss",
    "he_init_",
    "vae_loss",
]
