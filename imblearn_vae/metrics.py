"""How well predicted labels match the true ones: the scores every result uses.

A comparison's runs (:mod:`imblearn_vae.compare`) and a detector's model
file (:mod:`imblearn_vae.detector`) both score with :func:`scores`, so a
figure of the same name means the same thing in both.
"""

import numpy as np
from sklearn.metrics import accuracy_score, precision_recall_fscore_support


def scores(y_true, y_pred, labels) -> dict:
    """Accuracy, weighted and macro scores, and each class's recall, F1 and precision.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        The true and the predicted labels.
    labels : list
        The classes the per-class scores are given for, in this order.

    Returns
    -------
    dict
        ``accuracy``; ``precision_weighted``, ``recall_weighted`` and
        ``f1_weighted`` (weighted by each class's rows in ``y_true``);
        ``f1_macro``; and ``recall_<class>``, ``f1_<class>`` and
        ``precision_<class>`` for each class of ``labels``.

    Notes
    -----
    The macro F1 is the mean F1 over the classes of ``labels`` that occur in
    ``y_true``: a class with no row in the scored set has no F1 to average
    (scikit-learn's ``f1_score(labels=labels, average="macro")`` would count
    it as 0 and lower the mean). Per-class scores of such a class are 0.

    Examples
    --------
    >>> from imblearn_vae.metrics import scores
    >>> result = scores(["a", "a", "b"], ["a", "b", "b"], labels=["a", "b", "c"])
    >>> round(result["f1_macro"], 3)  # over "a" and "b": "c" has no row
    0.667
    >>> float(result["recall_a"])
    0.5
    """
    precision, recall, f1, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    weighted = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average="weighted", zero_division=0
    )
    present = np.isin(labels, np.unique(y_true))  # macro over classes in the set
    return {
        "accuracy": accuracy_score(y_true, y_pred),
        "precision_weighted": weighted[0],
        "recall_weighted": weighted[1],
        "f1_weighted": weighted[2],
        "f1_macro": float(np.mean(f1[present])) if present.any() else 0.0,
        **{f"recall_{c}": v for c, v in zip(labels, recall, strict=True)},
        **{f"f1_{c}": v for c, v in zip(labels, f1, strict=True)},
        **{f"precision_{c}": v for c, v in zip(labels, precision, strict=True)},
    }
