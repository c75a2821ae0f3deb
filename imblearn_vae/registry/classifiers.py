"""The classifiers, by name: what ``compare`` trains on the balanced rows and
``train`` puts at the end of a detector.

Each short name stands for one estimator with its library's defaults, and
``random_state`` set to the run's seed:

- ``dt``: scikit-learn's ``DecisionTreeClassifier`` (the papers' classifier).
- ``rf``: ``RandomForestClassifier`` (100 trees).
- ``hgb``: ``HistGradientBoostingClassifier`` (100 boosting rounds, early
  stopping on 10% of the rows when there are more than 10,000).
- ``xgboost``: ``xgboost.XGBClassifier`` and ``lightgbm``:
  ``lightgbm.LGBMClassifier``, when installed (``pip install
  'imblearn-vae[boosting]'``).
- ``cnn``, ``cnn-lstm``: the second paper's networks (skorch).

Anything else is an import path: ``sklearn.svm.SVC:C=10``.
"""

import importlib
import inspect

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone, is_classifier
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.preprocessing import LabelEncoder
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.class_weight import compute_sample_weight

from ..classifiers import CNNClassifier, CNNLSTMClassifier
from ._spec import parse_spec

#: Short names and what they stand for.
CLASSIFIERS = {
    "dt": "decision tree",
    "rf": "random forest",
    "hgb": "histogram gradient boosting",
    "xgboost": "XGBoost",
    "lightgbm": "LightGBM",
    "cnn": "CNN",
    "cnn-lstm": "CNN+LSTM",
}

#: The optional packages behind some short names.
NEEDS = {"xgboost": "xgboost", "lightgbm": "lightgbm"}


def classifiers_help() -> str:
    """What ``--classifier(s)`` takes, from the registry (``compare``, ``train``)."""
    return (
        f"names from: {', '.join(CLASSIFIERS)} ({', '.join(NEEDS)}: the boosting "
        "extra), or the import path of a scikit-learn classifier "
        "(sklearn.svm.SVC:C=10)"
    )


def classifier_label(name: str) -> str:
    return CLASSIFIERS.get(name, name)


def build_classifier(
    name: str, seed: int, device: str = "cpu", epochs: int = 10, threads: int = 1
):
    """A fresh classifier with ``random_state=seed`` where it has one.

    Parameters
    ----------
    name : str
        A short name of :data:`CLASSIFIERS`, or the import path of any
        scikit-learn classifier, optionally with arguments:
        ``sklearn.ensemble.RandomForestClassifier:n_estimators=50``.
    seed : int
        Its ``random_state``.
    device : str, default="cpu"
        Torch device of the CNNs.
    epochs : int, default=10
        Epochs of the CNNs.
    threads : int, default=1
        ``n_jobs`` of the forest and the boosting libraries. ``hgb`` has no
        such parameter: its OpenMP threads are the caller's to limit
        (the comparison's tasks run under ``threadpool_limits(threads)``).
    """
    if name == "dt":
        return DecisionTreeClassifier(random_state=seed)
    if name == "rf":
        return RandomForestClassifier(random_state=seed, n_jobs=threads)
    if name == "hgb":
        return HistGradientBoostingClassifier(random_state=seed)
    if name in ("xgboost", "lightgbm"):
        return _boosting(name, seed, threads)
    if name in ("cnn", "cnn-lstm"):
        Network = CNNClassifier if name == "cnn" else CNNLSTMClassifier
        return Network(epochs=epochs, device=device, random_state=seed)
    return load_classifier(name, seed)


def _boosting(name: str, seed: int, threads: int):
    try:
        module = importlib.import_module(NEEDS[name])
    except ImportError:
        raise ValueError(
            f"The classifier {name!r} needs the {NEEDS[name]} package: pip install "
            "'imblearn-vae[boosting]'."
        ) from None
    if name == "xgboost":
        # XGBoost wants the classes as 0..k-1; the others take any labels.
        return LabelEncoded(
            module.XGBClassifier(random_state=seed, n_jobs=threads, verbosity=0)
        )
    return module.LGBMClassifier(random_state=seed, n_jobs=threads, verbose=-1)


class LabelEncoded(ClassifierMixin, BaseEstimator):
    """A classifier that needs the classes as 0..k-1, given any labels.

    Parameters
    ----------
    estimator : classifier
        Fitted on the encoded labels; ``predict`` gives the original ones.
    """

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, X, y, **fit_params):
        self.encoder_ = LabelEncoder().fit(y)
        self.classes_ = self.encoder_.classes_
        self.estimator_ = clone(self.estimator).fit(
            X, self.encoder_.transform(y), **fit_params
        )
        return self

    def predict(self, X):
        return self.encoder_.inverse_transform(self.estimator_.predict(X))

    def predict_proba(self, X):
        return self.estimator_.predict_proba(X)


def weight_classes(classifier, y) -> tuple[object, dict, str]:
    """Make ``classifier`` weigh the classes evenly, without new rows.

    Returns the classifier, the keyword arguments of its ``fit`` and how it
    was done: ``class_weight="balanced"`` where the classifier has that
    parameter, otherwise balanced ``sample_weight`` (each row weighs
    n_rows / (n_classes * its class's rows)), the same weights.

    Raises
    ------
    ValueError
        For a classifier that takes neither.
    """
    encoded = isinstance(classifier, LabelEncoded)
    target = classifier.estimator if encoded else classifier
    if "class_weight" in target.get_params():
        target.set_params(class_weight="balanced")
        return classifier, {}, "class_weight"
    if "sample_weight" in inspect.signature(target.fit).parameters:
        weights = compute_sample_weight("balanced", np.asarray(y))
        return classifier, {"sample_weight": weights}, "sample_weight"
    raise ValueError(
        f"{type(target).__name__} takes neither class_weight nor sample_weight, "
        "so class weights cannot be tried with it."
    )


def load_classifier(spec: str, seed: int):
    path, params = parse_spec(spec, "classifier")
    module_name, _, class_name = path.rpartition(".")
    if not module_name:
        raise ValueError(
            f"Unknown classifier {spec!r}: use one of {', '.join(CLASSIFIERS)} or an "
            "import path such as sklearn.ensemble.RandomForestClassifier."
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
