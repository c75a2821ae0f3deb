"""Balance with DCBN-VAE inside a pipeline, then fit a decision tree.

The sampler acts in ``fit`` only: the tree learns from balanced rows, and the
test rows it is scored on are real.

    python examples/pipeline_decision_tree.py [--epochs 30]
"""

import argparse

from imblearn.pipeline import Pipeline
from sklearn.datasets import make_classification
from sklearn.metrics import classification_report
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

from imblearn_vae import DCBNVAESampler


def main(epochs: int = 30) -> float:
    X, y = make_classification(
        n_samples=2000,
        n_features=12,
        n_informative=6,
        n_classes=3,
        weights=[0.85, 0.12, 0.03],
        random_state=0,
    )
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, stratify=y, random_state=0
    )
    pipe = Pipeline(
        [
            (
                "balance",
                DCBNVAESampler(hidden_layer_sizes=(64,), epochs=epochs, random_state=0),
            ),
            ("tree", DecisionTreeClassifier(random_state=0)),
        ]
    )
    pipe.fit(X_train, y_train)
    print(classification_report(y_test, pipe.predict(X_test)))
    return pipe.score(X_test, y_test)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=30)
    main(parser.parse_args().epochs)
