"""The conditional-GAN over-sampler the DCBN-VAE paper compares against."""

from numbers import Integral

import torch
import torch.nn.functional as F
from sklearn.utils._param_validation import Interval
from torch import nn

from ._checks import HIDDEN_LAYER_SIZES_CONSTRAINT, check_hidden_layer_sizes
from ._parameters import SHARED_CONSTRAINTS, SHARED_DOCS, document, store_parameters
from ._runtime import make_adam
from .base import BaseGenerativeSampler
from .nn import ConditionalGAN, discriminator_loss, generator_loss, he_init_

#: Adam's moment decay rates for both networks. beta1 = 0.5 instead of 0.9 is
#: the DCGAN recipe: a shorter gradient memory keeps up with the moving target
#: that each network is for the other.
ADAM_BETAS = (0.5, 0.999)

#: Held-out rows compared with generated ones by the validation loss.
MMD_MAX_ROWS = 1024


@document(**SHARED_DOCS)
class CGANSampler(BaseGenerativeSampler):
    """Over-sample with a conditional generative adversarial network (CGAN).

    A generator turns noise and a one-hot class label into a row; a
    discriminator, which also sees the label, learns to tell real rows of a
    class from generated ones, and the generator learns to fool it. New rows
    of class ``c`` come from the generator with label ``c``, appended after the
    original rows until each class reaches the count that
    ``sampling_strategy`` asks for.

    Parameters
    ----------
    {sampling_strategy}

    {random_state}

    generator_hidden_layer_sizes : tuple of int, default=(1005,)
        Widths of the generator's hidden layers (Linear, BatchNorm,
        LeakyReLU), noise side first; the paper's generator is
        [128, 1005, 123].

    discriminator_hidden_layer_sizes : tuple of int, default=(100, 50, 50)
        Widths of the discriminator's hidden layers (Linear, LeakyReLU); the
        paper's discriminator is [128, 100, 50, 50, 1].

    noise_dim : int, default=128
        Dimension of the generator's Gaussian noise input.

    discriminator_steps : int, default=1
        Discriminator updates per generator update, each on the current batch
        of real rows against freshly generated ones.

    {training_parameters}

    Attributes
    ----------
    {fitted_attributes}

    See Also
    --------
    DCBNVAESampler : Conditional VAE with Conditional Batch Normalization.

    Notes
    -----
    Both networks are trained with Adam (``learning_rate``, betas (0.5,
    0.999)); the discriminator minimises the binary cross-entropy of real
    against generated rows, the generator the non-saturating loss
    ``-log D(G(z, y), y)``. ``history_`` records for each epoch the two
    losses (``"discriminator"``, ``"generator"``) and the discriminator's mean
    probability on real rows (``"real_score"``) and on generated ones
    (``"fake_score"``): a discriminator loss near 0 with ``fake_score`` near 0
    means the generator has lost the game; a generator whose rows all look
    alike shows up in the generated data (see the user guide). A loss that
    becomes NaN or infinite stops fitting with an error.

    References
    ----------
    .. [1] M. Mirza and S. Osindero, "Conditional Generative Adversarial
       Nets", arXiv:1411.1784, 2014.
    .. [2] I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from imblearn_vae import CGANSampler
    >>> X, y = make_classification(n_samples=300, weights=[0.8, 0.2], random_state=0)
    >>> sampler = CGANSampler(generator_hidden_layer_sizes=(32,),
    ...                       discriminator_hidden_layer_sizes=(16,),
    ...                       epochs=5, random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> np.bincount(y_res)
    array([238, 238])
    >>> sorted(sampler.history_[-1])
    ['discriminator', 'duration', 'epoch', 'fake_score', 'generator', 'real_score']
    """

    _parameter_constraints: dict = {
        **SHARED_CONSTRAINTS,
        "generator_hidden_layer_sizes": HIDDEN_LAYER_SIZES_CONSTRAINT,
        "discriminator_hidden_layer_sizes": HIDDEN_LAYER_SIZES_CONSTRAINT,
        "noise_dim": [Interval(Integral, 1, None, closed="left")],
        "discriminator_steps": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        generator_hidden_layer_sizes=(1005,),
        discriminator_hidden_layer_sizes=(100, 50, 50),
        noise_dim=128,
        discriminator_steps=1,
        epochs=120,
        batch_size=128,
        learning_rate=2e-4,
        learning_rate_schedule="constant",
        scaling="minmax",
        device="auto",
        n_threads=None,
        class_balance=0.0,
        filter_generated=False,
        overlap_class=False,
        entropy_weight=0.0,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        categorical_features=None,
        categorical_encoder=None,
        callbacks=None,
        verbose=0,
    ):
        store_parameters(self, locals())

    def _build_module(self, n_features, n_classes, blocks, generator) -> nn.Module:
        module = ConditionalGAN(
            n_features,
            n_classes,
            self.noise_dim,
            check_hidden_layer_sizes(
                self.generator_hidden_layer_sizes, "generator_hidden_layer_sizes"
            ),
            check_hidden_layer_sizes(
                self.discriminator_hidden_layer_sizes,
                "discriminator_hidden_layer_sizes",
            ),
            blocks,
        )
        he_init_(module, generator)
        return module

    def _make_optimizers(self) -> dict[str, torch.optim.Optimizer]:
        generator_parameters = [
            *self.module_.generator.parameters(),
            *self.module_.generator_head.parameters(),
        ]
        discriminator_parameters = [
            *self.module_.discriminator.parameters(),
            *self.module_.discriminator_head.parameters(),
        ]
        return {
            "generator": make_adam(
                generator_parameters, lr=self.learning_rate, betas=ADAM_BETAS
            ),
            "discriminator": make_adam(
                discriminator_parameters, lr=self.learning_rate, betas=ADAM_BETAS
            ),
        }

    def _train_step(self, X, y, optimizers, generator):
        module = self.module_
        for _ in range(self.discriminator_steps):
            with torch.no_grad():
                fake = module.fake_rows(y, generator)
            real_logits = module.discriminate(X, y)
            fake_logits = module.discriminate(fake, y)
            d_loss = discriminator_loss(real_logits, fake_logits)
            optimizers["discriminator"].zero_grad(set_to_none=True)
            d_loss.backward()
            optimizers["discriminator"].step()

        g_loss = generator_loss(module.discriminate(module.fake_rows(y, generator), y))
        optimizers["generator"].zero_grad(set_to_none=True)
        g_loss.backward()  # also fills the discriminator's grads; zeroed next step
        optimizers["generator"].step()
        return {
            "discriminator": d_loss,
            "generator": g_loss,
            "real_score": torch.sigmoid(real_logits.detach()).mean(),
            "fake_score": torch.sigmoid(fake_logits.detach()).mean(),
        }

    def _class_sampler(self, class_index):
        return self.module_.class_sampler(class_index)

    def _validation_loss(self, X, y, generator):
        # A GAN has no likelihood to score held-out rows with: the squared
        # maximum mean discrepancy (Gaussian kernel, median-distance
        # bandwidth) between up to 1,024 held-out rows and as many generated
        # rows of the same classes, each with its one-hot label appended so
        # that the classes count.
        n_rows = min(len(X), MMD_MAX_ROWS)
        chosen = torch.randperm(len(X), generator=generator, device=X.device)[:n_rows]
        labels = F.one_hot(y[chosen], len(self.classes_)).to(X.dtype)
        real = torch.cat([X[chosen], labels], dim=1)
        fake = torch.cat([self.module_.sample(y[chosen], generator), labels], dim=1)
        real_distances = torch.cdist(real, real).square()
        bandwidth = real_distances.median().clamp_min(1e-12)

        def mean_kernel(distances: torch.Tensor) -> torch.Tensor:
            return torch.exp(-distances / bandwidth).mean()

        mmd = (
            mean_kernel(real_distances)
            + mean_kernel(torch.cdist(fake, fake).square())
            - 2 * mean_kernel(torch.cdist(real, fake).square())
        )
        return float(mmd)
