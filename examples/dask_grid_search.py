"""Spread a grid search over a Dask cluster with joblib's Dask backend.

Without an address, a local cluster is started on 127.0.0.1 (two workers of
one thread); with ``--scheduler tcp://host:8786`` the same code runs on a
real cluster. Each sampler uses ``n_threads=1`` so that tasks sharing a
machine do not fight over its cores.

    python examples/dask_grid_search.py [--scheduler tcp://host:8786] [--epochs 10]
"""

import argparse

import joblib
from dask.distributed import Client, LocalCluster
from imblearn.pipeline import Pipeline
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV
from sklearn.tree import DecisionTreeClassifier

from imblearn_vae import CVAESampler, DCBNVAESampler


def main(scheduler=None, epochs: int = 10) -> GridSearchCV:
    X, y = make_classification(
        n_samples=600,
        n_features=8,
        n_informative=4,
        n_classes=3,
        weights=[0.8, 0.15, 0.05],
        random_state=0,
    )
    pipe = Pipeline(
        [
            ("balance", DCBNVAESampler(epochs=epochs, n_threads=1, random_state=0)),
            ("tree", DecisionTreeClassifier(random_state=0)),
        ]
    )
    grid = GridSearchCV(
        pipe,
        {
            "balance": [
                DCBNVAESampler(epochs=epochs, n_threads=1, random_state=0),
                CVAESampler(epochs=epochs, n_threads=1, random_state=0),
            ],
            "balance__hidden_layer_sizes": [(16,), (32,)],
        },
        scoring="f1_macro",
        cv=3,
        n_jobs=-1,
    )
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
            processes=True,
        )
        client = Client(cluster)
    else:
        cluster, client = None, Client(scheduler)
    try:
        with joblib.parallel_backend("dask"):
            grid.fit(X, y)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    print(f"best {grid.best_params_}: macro F1 {grid.best_score_:.3f}")
    return grid


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--scheduler", default=None)
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args()
    main(args.scheduler, args.epochs)
