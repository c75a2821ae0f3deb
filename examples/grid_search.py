"""Tune a sampler's hyperparameters with GridSearchCV, scored on real rows.

python examples/grid_search.py [--epochs 20]
"""

import argparse

from imblearn.pipeline import Pipeline
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.tree import DecisionTreeClassifier

from imblearn_vae import DCBNVAESampler


def main(epochs: int = 20) -> GridSearchCV:
    X, y = make_classification(
        n_samples=1000,
        n_features=10,
        n_informative=5,
        n_classes=3,
        weights=[0.8, 0.15, 0.05],
        random_state=0,
    )
    pipe = Pipeline(
        [
            ("balance", DCBNVAESampler(epochs=epochs, random_state=0)),
            ("tree", DecisionTreeClassifier(random_state=0)),
        ]
    )
    grid = GridSearchCV(
        pipe,
        {
            "balance__hidden_layer_sizes": [(32,), (64, 64)],
            "balance__beta": [0.5, 1.0],
        },
        scoring="f1_macro",
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
    )
    grid.fit(X, y)
    print(f"best {grid.best_params_}: macro F1 {grid.best_score_:.3f}")
    return grid


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=20)
    main(parser.parse_args().epochs)
