"""CNN and CNN+LSTM intrusion classifiers: scikit-learn estimators on skorch.

skorch runs the training loop; these classes only give it scikit-learn's
face: hyperparameters as plain constructor parameters (so ``clone``,
pickling and ``GridSearchCV`` work), labels of any type, float64 input,
a repeatable fit for a fixed ``random_state`` and a device picked at fit time.
"""

from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils._param_validation import Interval
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted
from sklearn_compat.utils.validation import validate_data
from skorch import NeuralNetClassifier

from ._runtime import resolve_device, torch_adam
from .nn import FeatureCNN

__all__ = ["CNNClassifier", "CNNLSTMClassifier"]


class _BaseFeatureCNNClassifier(ClassifierMixin, BaseEstimator):
    """Shared fit / predict of the two networks; subclasses set ``lstm_units``."""

    _parameter_constraints: dict = {
        "filters": [Interval(Integral, 1, None, closed="left")],
        "kernel_size": [Interval(Integral, 1, None, closed="left")],
        "dense_width": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "device": [str, torch.device],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def _lstm_units(self) -> int | None:
        return None

    def fit(self, X, y):
        """Train the network on ``X`` (rows of numbers) and labels ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Labels of any type (strings, integers).

        Returns
        -------
        self : object
        """
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float32)
        check_classification_targets(y)
        self._label_encoder = LabelEncoder().fit(y)
        self.classes_ = self._label_encoder.classes_
        y_encoded = self._label_encoder.transform(y).astype(np.int64)

        device = resolve_device(self.device)
        seed = np.random.RandomState(self.random_state).randint(np.iinfo(np.int32).max)
        # Initialisation, shuffling and dropout all draw from torch's global
        # generator inside skorch; fork_rng seeds it for this fit only and puts
        # the caller's state back afterwards.
        with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []):
            torch.manual_seed(seed)
            self.net_ = NeuralNetClassifier(
                FeatureCNN,
                module__n_features=X.shape[1],
                module__n_classes=len(self.classes_),
                module__filters=self.filters,
                module__kernel_size=self.kernel_size,
                module__dense_width=self.dense_width,
                module__dropout=self.dropout,
                module__lstm_units=self._lstm_units(),
                criterion=torch.nn.CrossEntropyLoss,
                optimizer=torch_adam,
                lr=self.learning_rate,
                max_epochs=self.epochs,
                batch_size=self.batch_size,
                iterator_train__shuffle=True,
                train_split=None,
                device=device,
                verbose=self.verbose,
            )
            self.net_.fit(X, y_encoded)
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, columns in the order of ``classes_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self, "net_")
        X = validate_data(self, X, dtype=np.float32, reset=False)
        # Each DataLoader pass draws a seed from torch's global generator;
        # predicting must not move the caller's random stream.
        with torch.random.fork_rng(devices=[]):
            return self.net_.predict_proba(X)

    def predict(self, X) -> np.ndarray:
        """The most probable class of each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Labels from ``classes_``.
        """
        best = self.predict_proba(X).argmax(axis=1)
        return self.classes_[best]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = False
        return tags


_PARAMETERS_DOC = """filters : int, default=32
        Channels of the first convolution; the second has twice as many.

    kernel_size : int, default=3
        Width of the convolution kernels.

    dense_width : int, default=128
        Width of the hidden dense layer.

    dropout : float, default=0.3
        Dropout probability before the output layer.

    epochs : int, default=10
        Passes over the training rows.

    learning_rate : float, default=1e-3
        Step size of the Adam optimiser.

    batch_size : int, default=128
        Rows per optimisation step.

    device : str or torch.device, default="auto"
        ``"auto"`` trains on CUDA when present (decided at fit time), else on
        the CPU.

    random_state : int, RandomState instance or None, default=None
        Seeds the network's initialisation, shuffling and dropout for a fit
        (torch's global random state is restored afterwards), so the same
        value gives the same model on the CPU.

    verbose : int, default=0
        skorch's per-epoch table when positive."""

_ATTRIBUTES_DOC = """classes_ : ndarray of shape (n_classes,)
        The class labels.

    net_ : skorch.NeuralNetClassifier
        The trained skorch net; ``net_.history`` holds the per-epoch losses.

    n_features_in_ : int
        Number of features seen in fit."""


class CNNClassifier(_BaseFeatureCNNClassifier):
    __doc__ = f"""A 1-D CNN intrusion classifier over the feature vector (skorch).

    Two blocks of convolution, ReLU and max-pooling read a row as a
    one-channel sequence; a dense layer with dropout classifies the flattened
    maps. Trained with Adam on the cross-entropy. Use it after a scaler (and a
    sampler) in a pipeline: the network expects features of similar scale.

    Parameters
    ----------
    {_PARAMETERS_DOC}

    Attributes
    ----------
    {_ATTRIBUTES_DOC}

    See Also
    --------
    CNNLSTMClassifier : The same convolutions followed by an LSTM.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imblearn_vae.classifiers import CNNClassifier
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> clf = CNNClassifier(epochs=5, random_state=0).fit(X, y)
    >>> clf.predict(X[:3]).shape, clf.predict_proba(X[:3]).shape
    ((3,), (3, 2))
    """

    def __init__(
        self,
        *,
        filters=32,
        kernel_size=3,
        dense_width=128,
        dropout=0.3,
        epochs=10,
        learning_rate=1e-3,
        batch_size=128,
        device="auto",
        random_state=None,
        verbose=0,
    ):
        self.filters = filters
        self.kernel_size = kernel_size
        self.dense_width = dense_width
        self.dropout = dropout
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.device = device
        self.random_state = random_state
        self.verbose = verbose


class CNNLSTMClassifier(_BaseFeatureCNNClassifier):
    __doc__ = f"""A CNN+LSTM intrusion classifier over the feature vector (skorch).

    The convolution and pooling blocks of :class:`CNNClassifier`, then an LSTM
    that reads the pooled positions in order; its last hidden state goes
    through a dense layer with dropout to the class logits.

    Parameters
    ----------
    {_PARAMETERS_DOC}

    lstm_units : int, default=64
        Hidden size of the LSTM.

    Attributes
    ----------
    {_ATTRIBUTES_DOC}

    See Also
    --------
    CNNClassifier : Without the LSTM.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imblearn_vae.classifiers import CNNLSTMClassifier
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> clf = CNNLSTMClassifier(epochs=5, random_state=0).fit(X, y)
    >>> clf.predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints: dict = {
        **_BaseFeatureCNNClassifier._parameter_constraints,
        "lstm_units": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        *,
        filters=32,
        kernel_size=3,
        lstm_units=64,
        dense_width=128,
        dropout=0.3,
        epochs=10,
        learning_rate=1e-3,
        batch_size=128,
        device="auto",
        random_state=None,
        verbose=0,
    ):
        self.filters = filters
        self.kernel_size = kernel_size
        self.lstm_units = lstm_units
        self.dense_width = dense_width
        self.dropout = dropout
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def _lstm_units(self) -> int | None:
        return self.lstm_units
