"""NSL-KDD: preprocess, balance with DCBN-VAE, classify with a skorch CNN.

Reads the NSL-KDD files from ``$IMBLEARN_VAE_DATA/nsl-kdd/`` (downloading
them if allowed). The default settings take minutes; ``--rows`` and the
epochs make a quick run.

    python examples/cnn_pipeline.py [--rows 5000] [--sampler-epochs 5] [--cnn-epochs 2]
"""

import argparse

from imblearn.pipeline import Pipeline
from sklearn.metrics import classification_report

from imblearn_vae import DCBNVAESampler
from imblearn_vae.classifiers import CNNClassifier
from imblearn_vae.datasets import fetch_nsl_kdd, make_nsl_kdd_preprocessor


def main(rows=None, sampler_epochs=30, cnn_epochs=5, data_home=None) -> float:
    train = fetch_nsl_kdd(subset="KDDTrain+_20Percent", data_home=data_home)
    test = fetch_nsl_kdd(subset="KDDTest+", data_home=data_home)
    X_train, y_train = train.data[:rows], train.target[:rows]
    pipe = Pipeline(
        [
            ("prep", make_nsl_kdd_preprocessor()),
            (
                "balance",
                DCBNVAESampler(
                    hidden_layer_sizes=(60, 60, 60, 60),
                    epochs=sampler_epochs,
                    random_state=0,
                ),
            ),
            ("cnn", CNNClassifier(epochs=cnn_epochs, random_state=0)),
        ]
    )
    pipe.fit(X_train, y_train)
    predicted = pipe.predict(test.data)
    print(classification_report(test.target, predicted, zero_division=0))
    return pipe.score(test.data, test.target)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--sampler-epochs", type=int, default=30)
    parser.add_argument("--cnn-epochs", type=int, default=5)
    parser.add_argument("--data-home", default=None)
    args = parser.parse_args()
    main(args.rows, args.sampler_epochs, args.cnn_epochs, args.data_home)
