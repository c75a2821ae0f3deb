"""NSL-KDD raw rows, strings and all, straight into the sampler.

protocol_type, service and flag are pandas categorical columns of the raw
frame; ``categorical_features="auto"`` makes the sampler model each as one
categorical variable, so every generated connection has a protocol, a service
and a flag that exist. The one-hot preprocessing for the tree comes after
the balancing.

    python examples/mixed_types.py [--rows 5000] [--epochs 5]
"""

import argparse

from imblearn.pipeline import Pipeline
from sklearn.metrics import classification_report
from sklearn.tree import DecisionTreeClassifier

from imblearn_vae import DCBNVAESampler
from imblearn_vae.datasets import fetch_nsl_kdd, make_nsl_kdd_preprocessor

CATEGORICAL = ["protocol_type", "service", "flag"]


def main(rows=None, epochs=30, data_home=None):
    train = fetch_nsl_kdd(
        subset="KDDTrain+_20Percent", as_frame=True, data_home=data_home
    )
    test = fetch_nsl_kdd(subset="KDDTest+", as_frame=True, data_home=data_home)
    X_train, y_train = train.data.iloc[:rows], train.target.iloc[:rows]

    sampler = DCBNVAESampler(
        categorical_features="auto",
        hidden_layer_sizes=(60, 60, 60, 60),
        epochs=epochs,
        random_state=0,
    )
    X_balanced, y_balanced = sampler.fit_resample(X_train, y_train)
    new_rows = X_balanced.iloc[len(X_train) :]
    print(y_balanced.value_counts().to_string())
    print(new_rows[CATEGORICAL].head().to_string())
    for column in CATEGORICAL:
        seen = new_rows[column].isin(X_train[column].unique()).mean()
        print(f"{column}: {100 * seen:.0f}% of generated values seen in training")

    # The same sampler as a pipeline step, before the one-hot preprocessing.
    pipe = Pipeline(
        [
            ("balance", sampler),
            ("prep", make_nsl_kdd_preprocessor()),
            ("tree", DecisionTreeClassifier(random_state=0)),
        ]
    )
    pipe.fit(X_train, y_train)
    print(classification_report(test.target, pipe.predict(test.data), zero_division=0))
    return new_rows, pipe.score(test.data, test.target)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--data-home", default=None)
    args = parser.parse_args()
    main(args.rows, args.epochs, args.data_home)
