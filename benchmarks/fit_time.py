"""Wall time of one ``fit_resample`` with the paper's settings on synthetic data.

A 100,000-row, 122-feature, 5-class data set with NSL-KDD-like class shares
(53.5 / 36.5 / 9.3 / 0.8 / 0.04 %), balanced up to the majority count with
the default (Table 1) hyperparameters: hidden (604,), latent 32, 120 epochs,
batch 128, learning rate 1e-4.

    python benchmarks/fit_time.py [--epochs 120] [--rows 100000] [--sampler dcbn]
"""

import argparse
import platform
import time

import numpy as np
import torch
from sklearn.datasets import make_classification

from imblearn_vae import CVAESampler, DCBNVAESampler
from imblearn_vae.nn import count_parameters

SAMPLERS = {"dcbn": DCBNVAESampler, "cvae": CVAESampler}
SHARES = [0.535, 0.365, 0.0926, 0.0079, 0.0004]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--features", type=int, default=122)
    parser.add_argument("--epochs", type=int, default=120)
    parser.add_argument("--sampler", choices=sorted(SAMPLERS), default="dcbn")
    parser.add_argument("--verbose", type=int, default=0)
    args = parser.parse_args()

    X, y = make_classification(
        n_samples=args.rows,
        n_features=args.features,
        n_informative=20,
        n_classes=5,
        weights=SHARES,
        random_state=0,
    )
    X = X.astype(np.float32)
    sampler = SAMPLERS[args.sampler](
        epochs=args.epochs, random_state=0, verbose=args.verbose
    )
    start = time.perf_counter()
    X_res, _ = sampler.fit_resample(X, y)
    wall = time.perf_counter() - start

    epoch_seconds = [record["duration"] for record in sampler.history_]
    print(
        f"machine: {platform.processor() or platform.machine()}, "
        f"{torch.get_num_threads()} torch threads, torch {torch.__version__}"
    )
    print(
        f"data: {X.shape[0]} rows x {X.shape[1]} features, "
        f"class counts {np.bincount(y).tolist()}"
    )
    print(f"sampler: {sampler!r}")
    print(f"parameters: {count_parameters(sampler.module_):,}")
    print(
        f"fit_resample: {wall:.1f} s for {args.epochs} epochs "
        f"(median epoch {np.median(epoch_seconds):.2f} s); "
        f"output {X_res.shape[0]} rows"
    )


if __name__ == "__main__":
    main()
