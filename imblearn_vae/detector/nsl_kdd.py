"""A detector trained on NSL-KDD and scored on KDDTest+: one case of
:func:`~imblearn_vae.detector.training.train_on_tables`.

:func:`train_detector` reads KDDTrain+ (or its 20% file) and KDDTest+ from
the data folder, fits with NSL-KDD's usual preprocessing, and scores on all
of KDDTest+ and on its held-out half (:func:`kddtest_halves`), the one the
site's default detector was not chosen on.
"""

import numpy as np
from sklearn.model_selection import train_test_split

from ..datasets import CATEGORICAL_FEATURES, FEATURE_NAMES, fetch_nsl_kdd
from ..datasets._nsl_kdd import make_nsl_kdd_preprocessor
from ..tables.options import Tables
from ..tables.read import Table
from .model import Detector
from .training import score_rows, train_on_tables


def train_detector(
    *,
    sampler: str = "dcbn-vae",
    classifier: str = "dt",
    target: str = "category",
    seed: int = 0,
    data_home=None,
    device: str = "cpu",
    command: str = "",
    subset: str = "KDDTrain+",
    say=None,
) -> Detector:
    """Fit a detection pipeline on KDDTrain+ and score it on KDDTest+.

    Parameters
    ----------
    sampler : str
        A method of ``imblearn-vae compare`` (``none``, ``smote``,
        ``dcbn-vae``, ``dcbn-vae:epochs=20``, ...).
    classifier : str
        ``dt``, ``cnn``, ``cnn-lstm`` or an import path.
    target : {"category", "binary"}
        Five classes (normal or the attack category) or normal / attack.
    seed : int
        Seeds the sampler and the classifier.
    data_home : str or path-like, optional
        Folder holding ``nsl-kdd/`` (see
        :func:`~imblearn_vae.datasets.fetch_nsl_kdd`).
    device : str
        Torch device of generative samplers and CNNs.
    command : str
        The command that made the detector, kept in the file.
    subset : str
        The training file (``KDDTrain+_20Percent`` for a quick model).
    say : callable, optional
        Told each step of the fit and its time (``imblearn-vae serve`` and
        ``train`` show progress).

    Returns
    -------
    Detector
        Its ``scores`` are on all of KDDTest+ and on its held-out half
        (:func:`kddtest_halves`), each with the confusion matrix.
    """
    tables = nsl_kdd_tables(subset, target, data_home)
    detector = train_on_tables(
        tables, method=sampler, classifier=classifier, seed=seed, device=device,
        command=command, preprocess=make_nsl_kdd_preprocessor(), say=say,
        scoring=kddtest_scores,  # from the one prediction of KDDTest+
    )  # fmt: skip
    detector.settings["training file"] = subset
    return detector


def nsl_kdd_tables(subset: str, target: str, data_home) -> Tables:
    """KDDTrain+ (or ``subset``) and KDDTest+ as a table's training and test
    rows, with the files' layout (no header: 41 features, the attack's
    name, the difficulty)."""
    found = {}
    for part, name in (("train", subset), ("test", "KDDTest+")):
        bunch = fetch_nsl_kdd(
            subset=name, target=target, data_home=data_home, as_frame=True
        )
        found[part] = Table(
            bunch.data, np.asarray(bunch.target).astype(str), target,
            list(CATEGORICAL_FEATURES),
        )  # fmt: skip
    difficulty = "how many of 21 learners misclassified the row: a property of "
    source = {
        "name": f"NSL-KDD {subset}",
        "loader": "nsl-kdd",
        "label": target,
        "rows": len(found["train"].y),
        "dropped": {"difficulty": difficulty + "the benchmark, not of the connection"},
        "test": f"all of KDDTest+ ({len(found['test'].y):,} connections, 17 of its "
        "attacks never seen in training)",
    }
    layout = {"columns": [*FEATURE_NAMES, "attack", "difficulty"],
              "label": "attack", "separator": ","}  # fmt: skip
    # the classes in the data set's usual order: normal first
    return Tables(
        found["train"], found["test"], layout, source, list(bunch.target_names)
    )


def kddtest_scores(
    y_test: np.ndarray, predicted: np.ndarray, labels: list[str]
) -> dict:
    """The scores a model file keeps: on all of KDDTest+ and, under
    ``held_out``, on its held-out half (:func:`kddtest_halves`)."""
    _, held_out = kddtest_halves(y_test)
    half = score_rows(y_test[held_out], predicted[held_out], labels)
    half["rows"] = half.pop("test_rows")
    return {**score_rows(y_test, predicted, labels), "held_out": half}


#: Seed of the one stratified split of KDDTest+ into halves.
KDDTEST_SPLIT_SEED = 0


def kddtest_halves(y_test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of KDDTest+'s validation half and held-out half.

    The split of ``benchmarks/nsl_kdd.py`` (``test_halves``): stratified, a
    fixed seed. The validation half chooses settings (the web application's
    default detector, DCBN-VAE's recommended settings); the held-out half
    only reports.
    """
    validation, held_out = train_test_split(
        np.arange(len(y_test)),
        test_size=0.5,
        stratify=y_test,
        random_state=KDDTEST_SPLIT_SEED,
    )
    return np.sort(validation), np.sort(held_out)
