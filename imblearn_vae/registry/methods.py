"""The balancing methods, by name: what ``compare`` runs and ``train`` fits.

A method is named on the command line as ``name`` or ``name:key=value,...``
(``dcbn-vae:epochs=20,latent_sampling='posterior'``): the arguments are
Python literals handed to the sampler on top of the method's own settings.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import numpy as np
from imblearn.combine import SMOTEENN
from imblearn.over_sampling import (
    ADASYN,
    SMOTE,
    SMOTENC,
    SVMSMOTE,
    BorderlineSMOTE,
    KMeansSMOTE,
    RandomOverSampler,
)
from sklearn.cluster import MiniBatchKMeans

from ..gan import CGANSampler
from ..vae import NSL_KDD_TUNED, PAPER_TABLE_1, CVAESampler, DCBNVAESampler
from ._spec import parse_spec


def _kmeans_smote(random_state, **params):
    # Out of the box KMeansSMOTE finds no cluster where a rare class (52 of
    # NSL-KDD's 126k rows) makes up enough of the rows, and refuses to run. A
    # zero balance threshold lets every cluster with minority rows take part;
    # 20 clusters keep enough rows of a rare class together in one of them.
    settings = dict(
        kmeans_estimator=MiniBatchKMeans(
            n_clusters=20, n_init=3, random_state=random_state
        ),
        cluster_balance_threshold=0.0,
    )
    return KMeansSMOTE(**{**settings, **params}, random_state=random_state)


def _smotenc(random_state, **params):
    # The raw table's categorical columns are pandas categoricals: "auto"
    # finds them, as the DCBN-VAE's "auto" does.
    return SMOTENC(
        **{"categorical_features": "auto", **params}, random_state=random_state
    )


def _no_sampler(random_state, **params):
    return None


#: The network the paper's parameter and FLOP counts describe: 4 x 60.
PAPER_COUNTED_WIDTHS = (60, 60, 60, 60)


def _paper(sampler_class, **settings):
    """The sampler with the paper's Table 1 settings, then ``settings``.

    The caller's arguments come last, so ``dcbn-vae-paper:epochs=5`` changes
    only the epochs.
    """

    def build(**params):
        return sampler_class(**{**PAPER_TABLE_1, **settings, **params})

    return build


def _peer(name):
    def build(random_state, **params):
        # The peers are the comparison's own samplers (TVAE, CTGAN,
        # ForestFlow, optional packages): imported only when one is built.
        from ..compare import peers

        return getattr(peers, name)(random_state=random_state, **params)

    return build


@dataclass(frozen=True)
class MethodInfo:
    """What a method name stands for.

    ``build(random_state, **params)`` gives the sampler (None: no balancing);
    ``raw`` methods get the table itself (categorical columns as pandas
    categoricals), the others the one-hot, min-max scaled matrix the
    classifier sees. ``torch`` samplers also take ``n_threads`` and
    ``device``. A ``weights`` method makes no rows: the classifier weighs
    the classes instead (``class_weight="balanced"``, or the same weights
    as ``sample_weight`` where it has no such parameter).
    """

    label: str
    build: Callable
    raw: bool = False
    torch: bool = False
    needs: str | None = None  # an optional package it needs
    weights: bool = False


#: Every method by name.
METHODS: dict[str, MethodInfo] = {
    "none": MethodInfo("no balancing", _no_sampler),
    "class-weight": MethodInfo("class weights", _no_sampler, weights=True),
    "random": MethodInfo("random oversampling", RandomOverSampler),
    "smote": MethodInfo("SMOTE", SMOTE),
    "borderline-smote": MethodInfo("Borderline SMOTE", BorderlineSMOTE),
    "kmeans-smote": MethodInfo("KMeans SMOTE", _kmeans_smote),
    "svm-smote": MethodInfo("SVM SMOTE", SVMSMOTE),
    "adasyn": MethodInfo("ADASYN", ADASYN),
    "smote-enn": MethodInfo("SMOTE-ENN", SMOTEENN),
    # SMOTE for mixed tables, in the raw table's units (needs categorical
    # and numeric columns both)
    "smotenc": MethodInfo("SMOTE-NC", _smotenc, raw=True),
    "dcbn-vae": MethodInfo("DCBN-VAE", DCBNVAESampler, raw=True, torch=True),
    # The defaults on the one-hot, min-max matrix the classifier sees, as the
    # SMOTE family is given it: new rows' categorical blocks are fractions,
    # not categories. Neither input wins on every table (docs: "Raw table or
    # one-hot matrix"); compare both on a table with text columns.
    "dcbn-vae-onehot": MethodInfo(
        "DCBN-VAE, one-hot matrix", DCBNVAESampler, torch=True
    ),
    # The settings chosen on NSL-KDD alone (NSL_KDD_TUNED), raw table.
    "dcbn-vae-nsl-kdd": MethodInfo(
        "DCBN-VAE, NSL-KDD tune",
        partial(DCBNVAESampler, **NSL_KDD_TUNED),
        raw=True,
        torch=True,
    ),
    "cvae": MethodInfo("CVAE", CVAESampler, raw=True, torch=True),
    "cgan": MethodInfo("CGAN", CGANSampler, raw=True, torch=True),
    # The DCBN-VAE paper's way: its Table 1 settings, on the one-hot matrix.
    "dcbn-vae-paper": MethodInfo(
        "DCBN-VAE, paper settings", _paper(DCBNVAESampler), torch=True
    ),
    "cvae-paper": MethodInfo("CVAE, paper settings", _paper(CVAESampler), torch=True),
    # The paper's CGAN (its widths are the sampler's defaults), one-hot matrix.
    "cgan-paper": MethodInfo("CGAN, paper settings", CGANSampler, torch=True),
    # Table 1 with the network whose parameter and FLOP counts the paper
    # reports (four hidden layers of 60), one-hot matrix.
    "dcbn-vae-paper-4x60": MethodInfo(
        "DCBN-VAE, paper settings, 4x60 network",
        _paper(DCBNVAESampler, hidden_layer_sizes=PAPER_COUNTED_WIDTHS),
        torch=True,
    ),
    "cvae-paper-4x60": MethodInfo(
        "CVAE, paper settings, 4x60 network",
        _paper(CVAESampler, hidden_layer_sizes=PAPER_COUNTED_WIDTHS),
        torch=True,
    ),
    # The paper's settings given the table itself: categorical columns
    # modelled as categories instead of one-hot blocks.
    "dcbn-vae-paper-raw": MethodInfo(
        "DCBN-VAE, paper settings, raw table",
        _paper(DCBNVAESampler),
        raw=True,
        torch=True,
    ),
    "cvae-paper-raw": MethodInfo(
        "CVAE, paper settings, raw table", _paper(CVAESampler), raw=True, torch=True
    ),
    "cgan-paper-raw": MethodInfo(
        "CGAN, paper settings, raw table", CGANSampler, raw=True, torch=True
    ),
    "tvae": MethodInfo("TVAE (SDV)", _peer("TVAESampler"), raw=True, needs="ctgan"),
    "ctgan": MethodInfo("CTGAN (SDV)", _peer("CTGANSampler"), raw=True, needs="ctgan"),
    "forestflow": MethodInfo(
        "ForestFlow", _peer("ForestFlowSampler"), raw=True, needs="ForestDiffusion"
    ),
}

#: What ``compare`` runs when no method is named: the two baselines (no
#: balancing, class weights), the quick imbalanced-learn methods and ours
#: (SVM SMOTE, SMOTE-ENN and the peers take minutes; name them).
DEFAULT_METHODS = (
    "none", "class-weight", "random", "smote", "borderline-smote", "adasyn",
    "dcbn-vae",
)  # fmt: skip


@dataclass(frozen=True)
class Method:
    """A method as named on the command line: a known name and its arguments."""

    spec: str
    name: str
    params: dict = field(default_factory=dict, hash=False)
    title: str | None = None  # a label of its own instead of the name's

    @property
    def info(self) -> MethodInfo:
        return METHODS[self.name]

    @property
    def label(self) -> str:
        if self.title:
            return self.title
        arguments = self.spec.partition(":")[2]
        return self.info.label + (f" ({arguments})" if arguments else "")

    def build(self, random_state: int, n_threads: int | None = None, device="cpu"):
        """A fresh sampler (None for no balancing)."""
        params = dict(self.params)
        if self.info.torch:
            params.setdefault("n_threads", n_threads)
            params.setdefault("device", device)
            if self.info.raw:
                params.setdefault("categorical_features", "auto")
        return self.info.build(random_state=random_state, **params)

    def steps(self, sampler, preprocess) -> list[tuple[str, object]]:
        """The steps before the classifier, in the order this method needs.

        A ``raw`` method's sampler balances the table itself, before the
        preprocessing that makes the classifier's matrix; any other sampler
        balances that matrix. Without a sampler (None) only the
        preprocessing is left. The detector's pipeline and the comparison's
        engine both take the order from here.

        Parameters
        ----------
        sampler : object or None
            What :meth:`build` gave.
        preprocess : transformer
            The table's preprocessing (the one-hot, min-max scaled matrix).

        Returns
        -------
        list of (str, object)
            ``("balance", sampler)`` and ``("preprocess", preprocess)``
            pairs, as a :class:`~imblearn.pipeline.Pipeline` names them.
        """
        if sampler is None:
            return [("preprocess", preprocess)]
        if self.info.raw:
            return [("balance", sampler), ("preprocess", preprocess)]
        return [("preprocess", preprocess), ("balance", sampler)]


def parse_method(spec: str) -> Method:
    """``"smote"`` or ``"dcbn-vae:epochs=20,beta=0.5"`` as a :class:`Method`.

    Parameters
    ----------
    spec : str
        A name of :data:`METHODS`, optionally followed by a colon and
        ``key=value`` sampler arguments (Python literals).

    Returns
    -------
    Method

    Raises
    ------
    ValueError
        For an unknown name or arguments that are not ``key=literal`` pairs.
    """
    name, params = parse_spec(spec, "method")
    if name not in METHODS:
        raise ValueError(f"Unknown method {name!r}; the methods are {sorted(METHODS)}.")
    return Method(spec.strip(), name, params)


def failure_hint(error: Exception, y) -> str:
    """What a neighbour-based sampler's refusal means for a table whose
    training rows' classes are ``y`` (``compare``'s failed runs, ``train``'s
    refusal)."""
    if "n_neighbors" not in str(error) and "n_samples" not in str(error):
        return ""
    classes, counts = np.unique(y, return_counts=True)
    smallest = int(np.argmin(counts))
    klass, n_rows = classes[smallest], int(counts[smallest])
    klass = klass.item() if isinstance(klass, np.generic) else klass  # repr: 2
    way_out = (
        f"lower k_neighbors to at most {n_rows - 1}, e.g. "
        f"'smote:k_neighbors={n_rows - 1}', or leave the class out"
        if n_rows > 1
        else "a neighbour-based method cannot make rows from one row: leave the "
        "class out (a sampling_strategy dict without it), or use 'random'"
    )
    return (
        f" (the smallest class, {klass!r}, has {n_rows} training "
        f"row{'s' if n_rows != 1 else ''}: too few for the method's neighbours; "
        f"{way_out})"
    )
