"""Draw rows of a chosen class from a fitted sampler, and check them.

``sample(n, klass)`` decodes fresh latent codes with that class's label (and,
for DCBN-VAE, its normalisation parameters). Here the generated rows of each
class are compared with the real ones: their means should be close, and a
classifier trained on real rows should call them by their class.

    python examples/conditional_sampling.py [--epochs auto]
"""

import argparse

import numpy as np
from sklearn.datasets import make_blobs
from sklearn.ensemble import RandomForestClassifier

from imblearn_vae import DCBNVAESampler


def main(epochs: int | str = "auto") -> dict:
    X, y = make_blobs(
        n_samples=[500, 80, 30], n_features=4, cluster_std=1.0, random_state=0
    )
    sampler = DCBNVAESampler(
        hidden_layer_sizes=(64,),
        latent_dim=4,
        epochs=epochs,
        learning_rate=2e-3,
        scaling="standard",
        random_state=0,
    )
    sampler.fit_resample(X, y)
    judge = RandomForestClassifier(random_state=0).fit(X, y)
    recognised = {}
    for klass in sampler.classes_:
        rows = sampler.sample(200, klass)
        recognised[klass] = np.mean(judge.predict(rows) == klass)
        print(
            f"class {klass}: real mean {np.round(X[y == klass].mean(0), 2)}, "
            f"generated mean {np.round(rows.mean(0), 2)}, "
            f"recognised {recognised[klass]:.0%}"
        )
    return recognised


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--epochs", type=lambda v: v if v == "auto" else int(v), default="auto"
    )
    main(parser.parse_args().epochs)
