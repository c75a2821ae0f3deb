"""The classifiers a comparison trains on the balanced rows, by name."""

import importlib

from sklearn.base import is_classifier
from sklearn.tree import DecisionTreeClassifier

from ..classifiers import CNNClassifier, CNNLSTMClassifier
from ._spec import parse_spec

#: Short names; anything else is an import path (``module.Class``).
CLASSIFIERS = {
    "dt": "decision tree",
    "cnn": "CNN",
    "cnn-lstm": "CNN+LSTM",
}


def classifier_label(name: str) -> str:
    return CLASSIFIERS.get(name, name)


def build_classifier(name: str, seed: int, device: str = "cpu", epochs: int = 10):
    """A fresh classifier with ``random_state=seed`` where it has one.

    ``name`` is ``dt``, ``cnn``, ``cnn-lstm``, or the import path of any
    scikit-learn classifier, optionally with arguments:
    ``sklearn.ensemble.RandomForestClassifier:n_estimators=50``.
    """
    if name == "dt":
        return DecisionTreeClassifier(random_state=seed)
    if name in ("cnn", "cnn-lstm"):
        Network = CNNClassifier if name == "cnn" else CNNLSTMClassifier
        return Network(epochs=epochs, device=device, random_state=seed)
    return load_classifier(name, seed)


def load_classifier(spec: str, seed: int):
    path, params = parse_spec(spec, "classifier")
    module_name, _, class_name = path.rpartition(".")
    if not module_name:
        raise ValueError(
            f"Unknown classifier {spec!r}: use dt, cnn, cnn-lstm or an import path "
            "such as sklearn.ensemble.RandomForestClassifier."
        )
    try:
        Estimator = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as error:
        raise ValueError(f"Cannot import classifier {path!r} ({error}).") from None
    estimator = Estimator(**params)
    if not is_classifier(estimator):
        raise ValueError(f"{path} is not a scikit-learn classifier.")
    if "random_state" in estimator.get_params() and "random_state" not in params:
        estimator.set_params(random_state=seed)
    return estimator
