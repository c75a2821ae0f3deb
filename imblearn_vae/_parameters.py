"""The parameters every generative sampler has: constraints, storage, docs.

Each public sampler's signature is the one place its parameters and their
defaults are written: ``__init__`` stores them (:func:`store_parameters`),
:data:`SHARED_CONSTRAINTS` validates them at fit time, and the parameter
text written once here is substituted into each sampler's docstring with
:func:`document`, as imbalanced-learn's ``Substitution`` does, which then
writes each parameter's default from the signature.
"""

import inspect
import re
from numbers import Integral, Real

import torch
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils._docstring import _random_state_docstring
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from ._table import SCALINGS

#: The constraints of the parameters every generative sampler has.
SHARED_CONSTRAINTS: dict = {
    **BaseOverSampler._parameter_constraints,
    "random_state": ["random_state"],
    "epochs": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
    "batch_size": [Interval(Integral, 2, None, closed="left"), StrOptions({"auto"})],
    "learning_rate": [Interval(Real, 0, None, closed="neither")],
    "learning_rate_schedule": [StrOptions({"constant", "one-cycle"})],
    "scaling": [
        StrOptions(set(SCALINGS)),
        HasMethods(["fit_transform", "inverse_transform"]),
        None,
    ],
    "device": [str, torch.device],
    "n_threads": [Interval(Integral, 1, None, closed="left"), None],
    "class_balance": [Interval(Real, 0, 1, closed="both")],
    "filter_generated": ["boolean"],
    "overlap_class": ["boolean"],
    "entropy_weight": [Interval(Real, 0, None, closed="left")],
    "early_stopping": ["boolean"],
    "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
    "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
    "tol": [Interval(Real, 0, None, closed="left")],
    "categorical_features": ["array-like", StrOptions({"auto"}), None],
    "categorical_encoder": [HasMethods(["fit_transform", "inverse_transform"]), None],
    "callbacks": [list, None],
    "verbose": ["verbose"],
}


def store_parameters(estimator, values: dict) -> None:
    """Set each parameter of ``estimator``'s signature from ``locals()``.

    The public samplers' ``__init__`` is their signature and this one line:
    a parameter is stored as given, under its own name (scikit-learn's rule).
    """
    for name in estimator._get_param_names():
        setattr(estimator, name, values[name])


_training_parameters = """epochs : int or "auto"
        Number of passes over the training rows. ``"auto"``: 10, or as many
        as make 400 optimisation steps if that is more (a small table's
        epoch is a few steps), each pass drawing at most 4,096 rows of any
        class (a new subset each time), so that the steps grow with the
        classes that need new rows, not with the majority.

    batch_size : int or "auto"
        Rows per optimisation step (at least 2: batch normalisation needs two
        rows). A last batch of a single row is merged into the one before it.
        ``"auto"``: the power of two nearest to a 64th of the training rows,
        from 32 to 512 (512 from about 24,000 rows on); ``batch_size_`` holds
        the size used.

    learning_rate : float
        Step size of the Adam optimiser (the peak with ``"one-cycle"``).

    learning_rate_schedule : {"constant", "one-cycle"}
        The step size over training: ``learning_rate`` throughout, or one
        cycle (Smith & Topin, 2019): up from a tenth of it over the first 30%
        of the steps, then down along a cosine to a hundredth.

    scaling : {"minmax", "standard", "log", "quantile"}, transformer or None
        How the numeric columns enter the network: scaled to ``[0, 1]``
        (``"minmax"``), to zero mean and unit variance (``"standard"``),
        ``sign(x) log(1 + |x|)`` then to ``[0, 1]`` (``"log"``, for heavy
        tails such as byte counts), mapped through each column's empirical
        distribution to uniform ``[0, 1]`` (``"quantile"``), by any
        scikit-learn transformer with ``fit_transform`` and
        ``inverse_transform`` (cloned), or not at all (``None``). Fitted on the
        training rows; generated rows are mapped back to the original units
        and clipped to the range each column had in training.

    device : str or torch.device
        Where the network is trained: ``"auto"`` picks CUDA when it is present
        (decided at fit time), else ``"cpu"``; any torch device name is
        accepted (``"cuda:1"``).

    n_threads : int or None
        Number of torch threads used while fitting and sampling; the previous
        setting is restored afterwards. ``None`` keeps torch's setting but
        uses no more threads than the machine has idle cores (the cores
        minus those other processes kept busy over the last tenth of a
        second, at least one; the 1-minute load average where ``/proc`` is
        not there): torch's threads wait
        for each other at every operation, and on busy cores two threads
        trained several times slower than one.

    class_balance : float in [0, 1]
        How evenly training draws the classes: each epoch draws as many rows
        as there are, class ``c`` of ``n_c`` rows in proportion to
        ``n_c ** (1 - class_balance)``. 0 shuffles the rows as they come
        (classes in proportion to their size); 1 draws every class equally
        often, so the rows of small classes repeat.

    filter_generated : bool
        Keep only the generated rows that a decision tree fitted on the real
        rows puts in their own class, drawing more in their place. A class
        whose first draw has less than 2% of its rows accepted takes that
        draw as it is; any other class is drawn again until its count holds,
        at most 10 times its missing rows in all, after which refused rows
        fill in, so the counts of ``sampling_strategy`` always hold.
        ``filter_acceptance_`` holds the share of drawn rows kept, by class.
        Against rows that land among another class's real rows: where the
        class follows exactly from the features, or where classes overlap.

    overlap_class : bool
        ORD's overlap class (D'souza, M and Sarawagi, 2024): the rows of the
        classes that get no new rows whose neighbourhood (their leaf in a
        decision tree of the real rows with leaves of at least 10 rows) holds
        the classes that do at least in their share of the whole table are a
        class of their own for the network, and are left out of the output
        (``overlap_rows_``): the classifier trains on the minority, the
        generated rows and the clear majority. A class all of whose rows
        overlap keeps them, so every class of ``y`` stays in the output.

    entropy_weight : float
        LEO-CVAE's local-entropy guidance (2025): each row is drawn for
        training in proportion to ``1 + entropy_weight * H``, ``H`` the class
        entropy of its neighbourhood (as above) from 0 to 1; with
        ``latent_sampling`` "posterior" or "interpolate", new rows are drawn
        around real rows in proportion to ``H``: towards the borderline,
        where Borderline SMOTE and ADASYN put their rows. 0 turns it off.

    early_stopping : bool
        Hold out ``validation_fraction`` of each class's rows, score the model
        on them after every epoch (``"validation_loss"`` in ``history_``), stop
        when the score has not improved by ``tol`` for ``n_iter_no_change``
        epochs, and keep the network of the best epoch. ``epochs`` stays the
        budget. The held-out rows are drawn with ``random_state``; they are
        not trained on but are part of the output like every original row.

    validation_fraction : float
        Share of each class held out when ``early_stopping`` is on.

    n_iter_no_change : int
        Epochs without improvement before training stops.

    tol : float
        Smallest decrease of the validation loss that counts as improvement.

    categorical_features : "auto", array-like of int, str or bool
        Which columns hold categories, with SMOTENC's meaning: ``"auto"``
        takes the pandas categorical columns of a DataFrame; otherwise column
        indices, column names (DataFrame only) or a boolean mask with one
        entry per column. Each categorical column is one-hot encoded inside
        the sampler and modelled as one variable (a softmax over its
        categories, a cross-entropy term in the loss); every generated row has
        exactly one category in each, a category seen in training, and the
        output keeps the column order and dtypes (strings stay strings, pandas
        categoricals stay categoricals). Numeric columns are scaled as usual;
        integer columns come back as integers. ``None``: every column is
        numeric, as without this parameter. Sparse input is then refused.

    categorical_encoder : estimator or None
        Encoder of the categorical columns; it must give one column per
        category (``categories_``) and be one-hot, since generated blocks are
        decoded with its ``inverse_transform``. ``None`` uses
        ``OneHotEncoder(handle_unknown="ignore")``. It is cloned before fitting.

    callbacks : list of Callback or None
        More :class:`~imblearn_vae.callbacks.Callback` objects for the
        training loop, called after the sampler's own (the progress bar, early
        stopping, the learning-rate schedule) at the start, after each step and
        epoch, and at the end; one may stop training. None: only the sampler's.

    verbose : int
        1: a progress bar of the epochs (tqdm, on stderr) with the losses
        and the time left; 2: also one line per epoch with the losses."""

_fitted_attributes = """sampling_strategy_ : dict
        Number of rows generated for each class label.

    classes_ : ndarray of shape (n_classes,)
        Class labels seen in fit; a label's position is its index in the
        network's condition.

    module_ : torch.nn.Module
        The trained network, in eval mode.

    history_ : list of dict
        One record per epoch: ``"epoch"``, each training loss, and
        ``"duration"`` in seconds. ``pandas.DataFrame(history_)`` gives a table.

    table_encoder_ : TableEncoder
        The fitted data path: the numeric transform (``scaler_``), the
        training range each numeric column is clipped to (``data_min_``,
        ``data_max_``), the column kinds (``categorical_features_``,
        ``numeric_features_``) and the fitted ``categorical_encoder_``.

    n_epochs_ : int
        Epochs run (fewer than ``epochs`` when training stopped early).

    best_epoch_ : int or None
        With ``early_stopping``, the epoch whose network was kept.

    batch_size_ : int
        The rows per optimisation step training used (``batch_size``, or
        what ``"auto"`` chose).

    overlap_rows_ : ndarray of int
        With ``overlap_class``, the rows of the input left out of the
        output; empty otherwise.

    filter_acceptance_ : dict
        With ``filter_generated``, the share of the drawn rows of each class
        that the filter kept; empty otherwise.

    fit_seconds_ : dict
        Seconds of each stage of ``fit_resample``: ``"encode"`` (the table
        to the network's matrix), ``"train"``, ``"generate"`` (the network's
        new rows), with ``filter_generated`` ``"filter"`` (fitting the
        filter's tree and judging the drawn rows, not counted in
        ``"generate"``), and ``"decode"`` (new rows back into the caller's
        units, appended to the originals).

    device_ : torch.device
        The device the network lives on.

    n_features_in_ : int
        Number of features in the input dataset.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during `fit`. Defined only when `X` has feature
        names that are all strings."""

_vae_parameters = """hidden_layer_sizes : tuple of int
        Widths of the encoder's hidden layers, input side first; the decoder
        mirrors them. ``(604,)`` is Table 1 of the paper; ``(60, 60, 60, 60)``
        is the network whose parameter and FLOP counts the paper reports.

    latent_dim : int
        Dimension of the latent code.

    beta : float
        Weight of the KL term in the loss. Below 1, generated rows keep more
        of the spread of each class; above 1, they move towards the class
        mean.

    latent_sampling : {"prior", "posterior", "interpolate"}
        Where the latent codes of new rows come from. ``"prior"``: ``z ~ N(0,
        temperature^2 I)``, decoded with the class (the paper).
        ``"posterior"``: around a random real row of the class, ``z ~ N(mu,
        temperature^2 sigma^2)`` with its encoder's mean and spread.
        ``"interpolate"``: on the segment between the latent means of a random
        real row of the class and one of its 5 nearest neighbours of the same
        class (SMOTE in the latent space, as DeepSMOTE does). The last two
        keep the encoded rows of every class (``latent_dim`` floats each).

    temperature : float
        Scale of the latent noise of ``"prior"`` and ``"posterior"``
        sampling: below 1 new rows stay closer to the typical (or the real)
        rows, above 1 they spread further."""


def document(**sections: str):
    """Fill a sampler's docstring: the shared sections, then every default.

    The class docstring's ``{name}`` fields take the shared text of
    ``sections`` (as imbalanced-learn's ``Substitution``); then each
    parameter of the Parameters section that the signature gives a default
    gets ``default=<that default>`` on its type line, written or replaced.
    The defaults stated are the signature's, always.
    """

    def decorate(cls):
        defaults = {
            p.name: p.default
            for p in inspect.signature(cls.__init__).parameters.values()
            if p.default is not p.empty
        }
        lines = cls.__doc__.format(**sections).split("\n")
        for i, line in enumerate(lines):
            match = re.match(r"    (\w+) : ", line)
            if match is None or match.group(1) not in defaults:
                continue
            text = re.sub(r",?\s*default=.*$", "", line)
            lines[i] = f"{text}, default={_literal(defaults[match.group(1)])}"
        cls.__doc__ = "\n".join(lines)
        return cls

    return decorate


def _literal(value) -> str:
    """A default as numpydoc docstrings write it ("auto", 0.001, (604,))."""
    return f'"{value}"' if isinstance(value, str) else repr(value)


SHARED_DOCS = {
    "sampling_strategy": BaseOverSampler._sampling_strategy_docstring,
    "random_state": _random_state_docstring,
    "training_parameters": _training_parameters,
    "fitted_attributes": _fitted_attributes,
    "vae_parameters": _vae_parameters,
}
