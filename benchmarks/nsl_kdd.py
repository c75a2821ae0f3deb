"""Rerun the NSL-KDD comparison of the DCBN-VAE paper (Table 2, Figure 2).

For each balancing method and seed: the steps of an imbalanced-learn pipeline
(preprocess -> sampler -> classifier, a DecisionTree by default) are trained
on KDDTrain+ with every minority class raised to the majority count and
evaluated on KDDTest+ (5 classes, or normal / attack with
``--target binary``). Several ``--classifier`` values share one resampling.
Every finished run is appended to ``<out>/runs.csv``; a rerun
with the same ``--out`` skips the (method, seed) pairs already there, so a
long comparison can be resumed or extended with more methods or seeds. The
Markdown tables (``results.md``) and the chart (``metrics.png``) are rebuilt
from all runs of the requested methods each time.

    python benchmarks/nsl_kdd.py                    # the full comparison
    python benchmarks/nsl_kdd.py --quick            # about two minutes
    python benchmarks/nsl_kdd.py --methods smote dcbn-vae --seeds 0 1 2 3 4
    python benchmarks/nsl_kdd.py --report-only      # tables from the runs so far
    python benchmarks/nsl_kdd.py --classifier cnn cnn-lstm --target binary
"""

import argparse
import csv
import datetime
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from _common import REPO_ROOT, default_data_home
from imblearn.over_sampling import (
    ADASYN,
    SMOTE,
    SVMSMOTE,
    BorderlineSMOTE,
    KMeansSMOTE,
    RandomOverSampler,
)
from sklearn.cluster import MiniBatchKMeans
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)
from sklearn.tree import DecisionTreeClassifier
from torch.utils.flop_counter import FlopCounterMode

from imblearn_vae import CGANSampler, CVAESampler, DCBNVAESampler
from imblearn_vae.base import BaseGenerativeSampler
from imblearn_vae.classifiers import CNNClassifier, CNNLSTMClassifier
from imblearn_vae.datasets import fetch_nsl_kdd, make_nsl_kdd_preprocessor
from imblearn_vae.nn import count_parameters

METRICS = {
    "accuracy": "Acc",
    "precision_weighted": "wPre",
    "recall_weighted": "wRec",
    "f1_weighted": "wF1",
    "f1_macro": "mF1",
}

#: Table 2 of the paper (DT on KDDTest+, %); single runs.
PAPER = {
    "none": (75.88, 79.32, 75.88, 72.74),
    "random": (77.02, 79.14, 77.02, 73.84),
    "smote": (76.11, 78.04, 76.11, 73.33),
    "borderline-smote": (75.89, 78.73, 75.89, 73.59),
    "kmeans-smote": (76.13, 79.03, 76.13, 72.81),
    "svm-smote": (78.11, 79.09, 78.11, 76.02),
    "cvae": (78.45, 79.10, 78.45, 77.18),
    "dcbn-vae": (79.40, 80.69, 79.40, 78.19),
}

#: The paper's cost figures of its generators: (parameters, FLOPs per row).
PAPER_COST = {"dcbn-vae": (43_627, 43_200), "cgan": (87_820, 109_892)}

#: The network the paper's counts describe (see research.md): 4 x 60.
PAPER_COUNTED_WIDTHS = (60, 60, 60, 60)


def _generative(Sampler, **overrides) -> Callable:
    def build(args, seed):
        params = {
            "epochs": args.epochs,
            "batch_size": args.batch_size,
            "learning_rate": args.learning_rate,
            "hidden_layer_sizes": tuple(args.hidden),
            "latent_dim": args.latent_dim,
            "beta": args.beta,
            "scaling": args.scaling,
            "n_threads": args.threads,
            "device": args.device,
            "random_state": seed,
            "verbose": args.verbose,
            **overrides,
        }
        return Sampler(**params)

    return build


def _kmeans_smote(args, seed):
    # Out of the box KMeansSMOTE finds no cluster where U2R (52 of 126k rows)
    # makes up enough of the rows, and refuses to run. A zero balance threshold
    # lets every cluster that holds minority rows take part; 20 clusters keep
    # at least k_neighbors + 1 U2R rows together in one of them (with 50 or
    # more, KDDTrain+_20Percent's 11 U2R rows are spread too thin).
    return KMeansSMOTE(
        kmeans_estimator=MiniBatchKMeans(n_clusters=20, n_init=3, random_state=seed),
        cluster_balance_threshold=0.0,
        k_neighbors=args.k_neighbors,
        random_state=seed,
    )


def _gan(args, seed, **overrides):
    # The paper's layer widths are the sampler's defaults; the learning rate
    # stays the CGAN's own default (2e-4, the DCGAN recipe, with Adam's beta1
    # 0.5): the VAE's 1e-4 is not a setting the paper gives for its GAN.
    return CGANSampler(
        epochs=args.epochs,
        batch_size=args.batch_size,
        scaling=args.scaling,
        n_threads=args.threads,
        device=args.device,
        random_state=seed,
        verbose=args.verbose,
        **overrides,
    )


#: Variants run only when asked for (``--methods``, ``--raw``).
OPTIONAL_METHODS = {"cvae-es", "dcbn-vae-es", "cvae-raw", "dcbn-vae-raw", "cgan-raw"}

#: name -> (label, builder(args, seed) giving the sampler or None).
METHODS = {
    "none": ("original imbalanced", lambda args, seed: None),
    "random": ("random oversampling", lambda a, s: RandomOverSampler(random_state=s)),
    "smote": (
        "SMOTE",
        lambda a, s: SMOTE(k_neighbors=a.k_neighbors, random_state=s),
    ),
    "borderline-smote": (
        "Borderline SMOTE",
        lambda a, s: BorderlineSMOTE(k_neighbors=a.k_neighbors, random_state=s),
    ),
    "kmeans-smote": ("KMeans SMOTE", _kmeans_smote),
    "svm-smote": (
        "SVM SMOTE",
        lambda a, s: SVMSMOTE(k_neighbors=a.k_neighbors, random_state=s),
    ),
    "adasyn": (
        "ADASYN",
        lambda a, s: ADASYN(n_neighbors=a.k_neighbors, random_state=s),
    ),
    "cvae": ("CVAE", _generative(CVAESampler)),
    "dcbn-vae": ("DCBN-VAE", _generative(DCBNVAESampler)),
    "cvae-4x60": (
        "CVAE, 4x60",
        _generative(CVAESampler, hidden_layer_sizes=PAPER_COUNTED_WIDTHS),
    ),
    "dcbn-vae-4x60": (
        "DCBN-VAE, 4x60",
        _generative(DCBNVAESampler, hidden_layer_sizes=PAPER_COUNTED_WIDTHS),
    ),
    "cgan": ("CGAN", _gan),
    # Early stopping on the validation ELBO (10% of each class held out,
    # patience 10, tolerance 1e-4), within the same 120-epoch budget.
    "cvae-es": ("CVAE, early stopping", _generative(CVAESampler, early_stopping=True)),
    "dcbn-vae-es": (
        "DCBN-VAE, early stopping",
        _generative(DCBNVAESampler, early_stopping=True),
    ),
    # The raw frame (protocol_type, service and flag as strings) goes into the
    # sampler, which models each as one categorical variable; the one-hot
    # preprocessing follows the balancing.
    "cvae-raw": (
        "CVAE, categorical",
        _generative(CVAESampler, categorical_features="auto"),
    ),
    "dcbn-vae-raw": (
        "DCBN-VAE, categorical",
        _generative(DCBNVAESampler, categorical_features="auto"),
    ),
    "cgan-raw": (
        "CGAN, categorical",
        lambda args, seed: _gan(args, seed, categorical_features="auto"),
    ),
}


def flops_per_generated_row(sampler: BaseGenerativeSampler, rows: int = 1024) -> float:
    """FLOPs (as torch counts them: 2 per multiply-add) to generate one row."""
    klass = sampler.classes_[0]
    with FlopCounterMode(display=False) as counter:
        sampler.sample(rows, klass)
    return counter.get_total_flops() / rows


CLASSIFIERS = {
    "dt": lambda args, seed: DecisionTreeClassifier(random_state=seed),
    "cnn": lambda args, seed: CNNClassifier(
        epochs=args.classifier_epochs, device=args.device, random_state=seed
    ),
    "cnn-lstm": lambda args, seed: CNNLSTMClassifier(
        epochs=args.classifier_epochs, device=args.device, random_state=seed
    ),
}


def run_one(name, seed, args, data, labels, classifiers) -> dict[str, dict]:
    """Balance once, then train and test each classifier on the same rows.

    The steps are those of ``Pipeline([preprocess, sampler, classifier])``,
    written out so that several classifiers share one (costly) resampling.
    Returns one result row per classifier.
    """
    X_train, y_train, X_test, y_test = data
    start = time.perf_counter()
    preprocess = make_nsl_kdd_preprocessor().fit(X_train)
    X_balanced, y_balanced = preprocess.transform(X_train), y_train
    X_test = preprocess.transform(X_test)
    preprocess_seconds = time.perf_counter() - start

    sampler = METHODS[name][1](args, seed)
    raw = getattr(sampler, "categorical_features", None) is not None
    start = time.perf_counter()
    if raw:  # the sampler takes the raw frame, strings and all
        X_raw, y_balanced = sampler.fit_resample(X_train, y_train)
    elif sampler is not None:
        X_balanced, y_balanced = sampler.fit_resample(X_balanced, y_balanced)
    sampler_seconds = time.perf_counter() - start
    if raw:  # the one-hot preprocessing follows the balancing
        X_balanced = preprocess.transform(X_raw)
    cost = {"parameters": None, "flops_per_row": None, "epochs_run": None,
            "valid_categorical_share": None}  # fmt: skip
    if isinstance(sampler, BaseGenerativeSampler):
        cost["parameters"] = count_parameters(sampler.module_)
        cost["flops_per_row"] = flops_per_generated_row(sampler)
        cost["epochs_run"] = sampler.n_epochs_
        new_rows = slice(len(y_train), None)
        cost["valid_categorical_share"] = (
            valid_raw_share(X_train, X_raw.iloc[new_rows])
            if raw
            else valid_one_hot_share(X_balanced[new_rows], preprocess)
        )

    rows = {}
    for classifier_name in classifiers:
        classifier = CLASSIFIERS[classifier_name](args, seed)
        start = time.perf_counter()
        classifier.fit(X_balanced, y_balanced)
        classifier_seconds = time.perf_counter() - start
        predicted = classifier.predict(X_test)
        rows[classifier_name] = {
            "method": name,
            "seed": seed,
            **_scores(y_test, predicted, labels),
            "sampler_seconds": sampler_seconds,
            "classifier_seconds": classifier_seconds,
            "total_seconds": preprocess_seconds + sampler_seconds + classifier_seconds,
            "train_rows": len(y_train),
            **cost,
            "settings": json.dumps(_settings(sampler)),
            "confusion_matrix": json.dumps(
                confusion_matrix(y_test, predicted, labels=labels).tolist()
            ),
        }
    return rows


def valid_raw_share(X_train, X_new) -> float:
    """Share of generated rows whose every categorical value occurs in training."""
    valid = np.ones(len(X_new), dtype=bool)
    for column in X_train.select_dtypes("category").columns:
        valid &= X_new[column].isin(X_train[column].unique()).to_numpy()
    return float(valid.mean()) if len(valid) else 1.0


def valid_one_hot_share(X_new, preprocess) -> float:
    """Share of generated rows whose one-hot blocks each hold a single 1 and 0s.

    A sampler fed the preprocessed (one-hot) data treats the blocks as numbers;
    a row with fractions there stands for no real connection.
    """
    valid = np.ones(len(X_new), dtype=bool)
    start = 0  # the one-hot blocks come first in the preprocessor's output
    for categories in preprocess.named_transformers_["categories"].categories_:
        block = X_new[:, start : start + len(categories)]
        valid &= np.isin(block, (0.0, 1.0)).all(axis=1) & (block.sum(axis=1) == 1)
        start += len(categories)
    return float(valid.mean()) if len(valid) else 1.0


def _scores(y_test, predicted, labels) -> dict:
    precision, recall, f1, _ = precision_recall_fscore_support(
        y_test, predicted, labels=labels, zero_division=0
    )
    weighted = precision_recall_fscore_support(
        y_test, predicted, labels=labels, average="weighted", zero_division=0
    )
    return {
        "accuracy": accuracy_score(y_test, predicted),
        "precision_weighted": weighted[0],
        "recall_weighted": weighted[1],
        "f1_weighted": weighted[2],
        "f1_macro": f1_score(y_test, predicted, labels=labels, average="macro"),
        **{f"recall_{c}": v for c, v in zip(labels, recall, strict=True)},
        **{f"f1_{c}": v for c, v in zip(labels, f1, strict=True)},
        **{f"precision_{c}": v for c, v in zip(labels, precision, strict=True)},
    }


def _settings(sampler) -> dict:
    if sampler is None:
        return {}
    params = sampler.get_params(deep=False)
    return {
        key: value
        if isinstance(value, int | float | str | bool | None)
        else repr(value)
        for key, value in params.items()
        if key not in {"verbose", "n_threads"}
    }


# --- reporting --------------------------------------------------------------------


def read_runs(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, newline="") as stream:
        return list(csv.DictReader(stream))


def append_run(path: Path, row: dict) -> None:
    runs = read_runs(path)
    header = list(runs[0]) if runs else []
    if runs and set(row) <= set(header):
        with open(path, "a", newline="") as stream:
            csv.DictWriter(stream, fieldnames=header).writerow(row)
        return
    # A new column (a newer version of this script): rewrite with the union.
    header += [key for key in row if key not in header]
    with open(path, "w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows([*runs, row])


def _column(runs, key) -> np.ndarray:
    values = (run.get(key) for run in runs)
    return np.array([float(value) for value in values if value not in ("", None)])


def _mean_std(values: np.ndarray, scale: float = 100, digits: int = 2) -> str:
    if not len(values):
        return "-"
    std = values.std(ddof=1) if len(values) > 1 else 0.0
    return f"{scale * values.mean():.{digits}f} ± {scale * std:.{digits}f}"


def summarise(runs: list[dict], methods: list[str], labels, with_paper: bool) -> str:
    by_method = {m: [r for r in runs if r["method"] == m] for m in methods}
    by_method = {m: rs for m, rs in by_method.items() if rs}
    lines = [
        f"### Test metrics (KDDTest+, {len(labels)} classes, %; mean ± std over "
        "seeds" + ("; paper in brackets)" if with_paper else ")"),
        "",
        "| method | seeds | " + " | ".join(METRICS.values()) + " |",
        "|---" * (len(METRICS) + 2) + "|",
    ]
    for method, method_runs in by_method.items():
        paper = PAPER.get(method) if with_paper else None
        cells = []
        for index, key in enumerate(METRICS):
            cell = _mean_std(_column(method_runs, key))
            if paper and index < len(paper):
                cell += f" [{paper[index]:.2f}]"
            cells.append(cell)
        lines.append(
            f"| {METHODS[method][0]} | {len(method_runs)} | " + " | ".join(cells) + " |"
        )

    lines += [
        "",
        "### Per-class recall and F1 (%; mean ± std)",
        "",
        "| method | "
        + " | ".join(f"{c} rec" for c in labels)
        + " | "
        + " | ".join(f"{c} F1" for c in labels)
        + " |",
        "|---" * (2 * len(labels) + 1) + "|",
    ]
    for method, method_runs in by_method.items():
        cells = [_mean_std(_column(method_runs, f"{metric}_{c}"), digits=1)
                 for metric in ("recall", "f1") for c in labels]  # fmt: skip
        lines.append(f"| {METHODS[method][0]} | " + " | ".join(cells) + " |")

    lines += [
        "",
        "### Cost (mean ± std seconds; parameters and FLOPs per generated row)",
        "",
        "| method | fit_resample s | epochs run | classifier fit s | pipeline fit s "
        "| parameters | FLOPs/row (MACs) | paper params / FLOPs "
        "| valid categorical rows % |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for method, method_runs in by_method.items():
        parameters = _column(method_runs, "parameters")
        flops = _column(method_runs, "flops_per_row")
        base = method.removesuffix("-es").removesuffix("-raw").removesuffix("-4x60")
        paper = PAPER_COST.get(base)
        lines.append(
            f"| {METHODS[method][0]} "
            f"| {_mean_std(_column(method_runs, 'sampler_seconds'), 1, 1)} "
            f"| {_mean_std(_column(method_runs, 'epochs_run'), 1, 0)} "
            f"| {_mean_std(_column(method_runs, 'classifier_seconds'), 1, 1)} "
            f"| {_mean_std(_column(method_runs, 'total_seconds'), 1, 1)} "
            f"| {f'{int(parameters[0]):,}' if len(parameters) else '-'} "
            f"| {f'{flops[0]:,.0f} ({flops[0] / 2:,.0f})' if len(flops) else '-'} "
            f"| {f'{paper[0]:,} / {paper[1]:,}' if paper else '-'} "
            f"| {_mean_std(_column(method_runs, 'valid_categorical_share'), 100, 1)} |"
        )
    return "\n".join(lines) + "\n"


def plot(runs, methods, path: Path, classifier="dt", target="category") -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    methods = [m for m in methods if any(r["method"] == m for r in runs)]
    figure, axis = plt.subplots(figsize=(max(8, 1.1 * len(methods)), 4.5))
    width = 0.8 / len(METRICS)
    for index, (key, label) in enumerate(METRICS.items()):
        values = [_column([r for r in runs if r["method"] == m], key) for m in methods]
        means = [100 * v.mean() for v in values]
        stds = [100 * v.std(ddof=1) if len(v) > 1 else 0 for v in values]
        positions = np.arange(len(methods)) + (index - len(METRICS) / 2 + 0.5) * width
        axis.bar(positions, means, width, yerr=stds, capsize=2, label=label)
    axis.set_xticks(np.arange(len(methods)))
    axis.set_xticklabels([METHODS[m][0] for m in methods], rotation=30, ha="right")
    axis.set_ylabel("% on KDDTest+ (mean ± std over seeds)")
    axis.set_ylim(50, 90)
    axis.legend(ncol=len(METRICS), loc="upper left", fontsize="small")
    names = {"dt": "Decision tree", "cnn": "CNN", "cnn-lstm": "CNN+LSTM"}
    axis.set_title(
        f"{names[classifier]} on KDDTest+ ({target}) after balancing KDDTrain+"
    )
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


# --- driver -----------------------------------------------------------------------


def default_out(classifier: str, target: str) -> Path:
    suffix = (
        "" if (classifier, target) == ("dt", "category")
        else f"_{classifier}_{target}"
    )  # fmt: skip
    return REPO_ROOT / "benchmarks" / "results" / f"nsl_kdd{suffix}"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--methods", nargs="+", choices=list(METHODS))
    parser.add_argument("--seeds", nargs="+", type=int)
    parser.add_argument("--quick", action="store_true",
                        help="KDDTrain+_20Percent, 5 epochs, seed 0")  # fmt: skip
    parser.add_argument("--out", type=Path, help="default: benchmarks/results/"
                        "nsl_kdd[_<classifier>_<target>]; with several "
                        "classifiers, <out>/<classifier>")  # fmt: skip
    parser.add_argument("--data-home", help="folder holding nsl-kdd/")
    parser.add_argument("--train-subset", default=None)
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--learning-rate", type=float, default=1e-4)
    parser.add_argument("--hidden", type=int, nargs="+", default=[604],
                        help="hidden widths of the generative samplers")  # fmt: skip
    parser.add_argument("--latent-dim", type=int, default=32)
    parser.add_argument("--beta", type=float, default=1.0)
    parser.add_argument("--scaling", default="minmax", choices=["minmax", "standard"])
    parser.add_argument("--k-neighbors", type=int, default=5)
    parser.add_argument("--classifier", nargs="+", choices=list(CLASSIFIERS),
                        default=["dt"], help="several share one resampling "
                        "per method and seed")  # fmt: skip
    parser.add_argument("--classifier-epochs", type=int, default=10,
                        help="epochs of the CNN classifiers")  # fmt: skip
    parser.add_argument("--target", choices=["category", "binary"], default="category",
                        help="5 classes, or normal / attack")  # fmt: skip
    parser.add_argument("--threads", type=int, default=None,
                        help="torch threads of samplers and classifiers")  # fmt: skip
    parser.add_argument("--device", default="auto",
                        help="of the generative samplers and CNNs")  # fmt: skip
    parser.add_argument("--raw", action="store_true",
                        help="also run each generative sampler on the raw frame "
                        "with its categorical columns (<method>-raw)")  # fmt: skip
    parser.add_argument("--verbose", type=int, default=0)
    parser.add_argument("--report-only", action="store_true",
                        help="rebuild the tables and chart from runs.csv")  # fmt: skip
    args = parser.parse_args(argv)
    args.methods = args.methods or [m for m in METHODS if m not in OPTIONAL_METHODS]
    if args.raw:  # each generative method followed by its raw-frame variant
        args.methods = list(dict.fromkeys(
            variant for m in args.methods
            for variant in (m, f"{m}-raw") if variant in METHODS
        ))  # fmt: skip
    args.seeds = args.seeds or ([0] if args.quick else [0, 1, 2])
    args.epochs = args.epochs or (5 if args.quick else 120)
    args.train_subset = args.train_subset or (
        "KDDTrain+_20Percent" if args.quick else "KDDTrain+"
    )
    args.classifier = list(dict.fromkeys(args.classifier))
    if args.out is None:
        args.outs = {name: default_out(name, args.target) for name in args.classifier}
    elif len(args.classifier) == 1:
        args.outs = {args.classifier[0]: args.out}
    else:
        args.outs = {name: args.out / name for name in args.classifier}
    if args.data_home is None:
        args.data_home = default_data_home()
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)  # the CNN classifiers' too
    machine = (
        f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"torch {torch.__version__} ({torch.get_num_threads()} threads), "
        f"Python {platform.python_version()}"
    )
    if args.device != "cpu" and torch.cuda.is_available():
        machine += f", {torch.cuda.get_device_name()}"
    print(f"{datetime.date.today()} on {machine}", flush=True)
    print(
        f"train {args.train_subset}, test KDDTest+ ({args.target}); seeds "
        f"{args.seeds}; classifiers {args.classifier}; generative "
        f"samplers: hidden {tuple(args.hidden)}, latent {args.latent_dim}, "
        f"{args.epochs} epochs, batch {args.batch_size}, lr {args.learning_rate}, "
        f"beta {args.beta}, scaling {args.scaling}; k_neighbors {args.k_neighbors}; "
        "KMeansSMOTE: MiniBatchKMeans(20 clusters), cluster_balance_threshold=0; "
        "CGAN: generator (1005,), discriminator (100, 50, 50), noise 128, lr 2e-4",
        flush=True,
    )
    started = time.perf_counter()
    train = fetch_nsl_kdd(
        subset=args.train_subset,
        target=args.target,
        data_home=args.data_home,
        as_frame=True,
    )
    test = fetch_nsl_kdd(
        subset="KDDTest+", target=args.target, data_home=args.data_home, as_frame=True
    )
    # Frames keep the categorical dtypes that "auto" finds; labels as arrays.
    y_train, y_test = np.asarray(train.target), np.asarray(test.target)
    data = (train.data, y_train, test.data, y_test)
    labels = train.target_names

    runs_paths = {}
    missing = {}  # (method, seed) -> classifiers that have no run of it yet
    for classifier, out in args.outs.items():
        out.mkdir(parents=True, exist_ok=True)
        runs_paths[classifier] = out / "runs.csv"
        done = {(r["method"], int(r["seed"])) for r in read_runs(out / "runs.csv")}
        for key in ((m, s) for s in args.seeds for m in args.methods):
            if key not in done:
                missing.setdefault(key, []).append(classifier)
    todo = [] if args.report_only else list(missing.items())
    skipped = len(args.seeds) * len(args.methods) - len(missing)
    if skipped:
        print(f"{skipped} (method, seed) runs already there, skipped", flush=True)
    failures = []
    for step, ((method, seed), classifiers) in enumerate(todo, start=1):
        print(f"[{step}/{len(todo)}] {method}, seed {seed} ...", flush=True)
        try:
            rows = run_one(method, seed, args, data, labels, classifiers)
        except Exception as error:  # one failing method must not stop the rest
            failures.append((method, seed, f"{type(error).__name__}: {error}"))
            print(f"FAILED: {type(error).__name__}: {error}", flush=True)
            traceback.print_exc(file=sys.stderr)
            continue
        for classifier, row in rows.items():
            row["date"] = datetime.date.today().isoformat()
            row["machine"] = machine
            append_run(runs_paths[classifier], row)
            recalls = ", ".join(f"{c} {100 * row[f'recall_{c}']:.1f}" for c in labels)
            print(
                f"    {classifier}: wF1 {100 * row['f1_weighted']:.2f}; recall "
                f"{recalls}; fit_resample {row['sampler_seconds']:.1f} s, "
                f"{classifier} {row['classifier_seconds']:.1f} s",
                flush=True,
            )

    command = "python benchmarks/nsl_kdd.py " + " ".join(sys.argv[1:])
    for classifier, out in args.outs.items():
        runs = [
            r for r in read_runs(runs_paths[classifier]) if int(r["seed"]) in args.seeds
        ]
        with_paper = (classifier, args.target) == ("dt", "category")
        report = summarise(runs, args.methods, labels, with_paper)
        header = (
            f"NSL-KDD comparison, {classifier} on KDDTest+ ({args.target}): "
            f"`{command.strip()}`, {datetime.date.today()}, {machine}; this "
            f"invocation ran {len(todo)} resamplings in "
            f"{time.perf_counter() - started:.0f} s.\n\n"
        )
        if failures:
            header += (
                "Failed runs:\n\n"
                + "".join(f"- {m}, seed {s}: {e}\n" for m, s, e in failures)
                + "\n"
            )
        (out / "results.md").write_text(header + report)
        if runs:
            plot(runs, args.methods, out / "metrics.png", classifier, args.target)
        print("\n" + header + report, flush=True)
        print(f"written: {out / 'runs.csv'}, {out / 'results.md'}, "
              f"{out / 'metrics.png'}")  # fmt: skip
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
