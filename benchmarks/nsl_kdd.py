"""Rerun the NSL-KDD comparison of the DCBN-VAE paper (Table 2, Figure 2).

A thin caller of ``imblearn-vae compare`` (:mod:`imblearn_vae.compare`): its
methods by name, its engine and its report. For each balancing method and
seed, the training rows of KDDTrain+ are balanced (every minority class
raised to the majority count), each classifier (a decision tree by default)
is trained on them and scored on KDDTest+ (5 classes, or normal / attack
with ``--target binary``): on the whole file and on its two fixed stratified
halves, the *validation* half that chose DCBN-VAE's NSL-KDD tune and
the *held-out* half that chose nothing (``--on`` picks the one the tables
show). Several ``--classifier`` values share one resampling. Every finished
run is appended to ``<out>/runs.csv``; a rerun skips the runs already there,
so a comparison can be resumed or extended with more methods or seeds.

Methods are named as in ``imblearn-vae compare`` (``smote:k_neighbors=3``):
the paper's samplers with its Table 1 settings are ``cvae-paper``,
``dcbn-vae-paper`` and ``cgan-paper``; ``dcbn-vae`` is DCBN-VAE's defaults
and ``dcbn-vae-nsl-kdd`` its NSL-KDD tune (``NSL_KDD_TUNED``, the defaults
until 2026-12-01, when runs named ``dcbn-vae`` were of it), both on the raw
table.

    python benchmarks/nsl_kdd.py                    # Table 2 rerun
    python benchmarks/nsl_kdd.py --quick            # about two minutes
    python benchmarks/nsl_kdd.py --methods smote dcbn-vae-paper --seeds 0 1 2 3 4
    python benchmarks/nsl_kdd.py --report-only      # tables from the runs so far
    python benchmarks/nsl_kdd.py --classifier cnn cnn-lstm --target binary
    python benchmarks/nsl_kdd.py --recommended --on held-out --seeds 0 1 2 3 4
"""

import argparse
import dataclasses
import datetime
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch
from _common import REPO_ROOT, default_data_home
from sklearn.model_selection import train_test_split

from imblearn_vae import PAPER_TABLE_1
from imblearn_vae.compare import (
    METHODS,
    Comparison,
    Method,
    Table,
    engine,
    parse_method,
    read_runs,
)
from imblearn_vae.compare.report import (
    chart,
    cost_table,
    failures,
    group_runs,
    per_class_table,
    scores_table,
)
from imblearn_vae.datasets import CATEGORICAL_FEATURES, fetch_nsl_kdd

#: Seed of the one split of KDDTest+ into a validation and a held-out half.
SPLIT_SEED = 0

#: Table 2's methods, in its order: the imbalanced-learn baselines with
#: k_neighbors=5 (KMeansSMOTE's own default is 2), the paper's samplers with
#: its Table 1 settings on the one-hot matrix, and the two VAEs with the 4x60
#: network whose counts the paper reports.
TABLE_2 = [
    "none", "random", "smote", "borderline-smote", "kmeans-smote:k_neighbors=5",
    "svm-smote", "adasyn", "cvae-paper", "dcbn-vae-paper", "cvae-paper-4x60",
    "dcbn-vae-paper-4x60", "cgan-paper",
]  # fmt: skip

#: Table 2 of the paper (DT on KDDTest+, %; Acc, wPre, wRec, wF1); single runs.
PAPER = {
    "none": (75.88, 79.32, 75.88, 72.74),
    "random": (77.02, 79.14, 77.02, 73.84),
    "smote": (76.11, 78.04, 76.11, 73.33),
    "borderline-smote": (75.89, 78.73, 75.89, 73.59),
    "kmeans-smote:k_neighbors=5": (76.13, 79.03, 76.13, 72.81),
    "svm-smote": (78.11, 79.09, 78.11, 76.02),
    "cvae-paper": (78.45, 79.10, 78.45, 77.18),
    "dcbn-vae-paper": (79.40, 80.69, 79.40, 78.19),
}

#: The paper's cost figures of its generators: (parameters, FLOPs per row),
#: shown beside every variant of the paper's sampler (4x60, raw table).
PAPER_COST = {"dcbn-vae-paper": (43_627, 43_200), "cgan-paper": (87_820, 109_892)}

#: The baselines of the recommendation's target and the rows it is judged with:
#: the paper's settings, the NSL-KDD tune and the defaults.
RECOMMENDATION_METHODS = [
    "none", "random", "smote", "borderline-smote", "kmeans-smote:k_neighbors=5",
    "svm-smote", "adasyn", "dcbn-vae-paper", "dcbn-vae-nsl-kdd", "dcbn-vae",
]  # fmt: skip

#: Table 2's metrics, by run key.
METRICS = {
    "accuracy": "Acc",
    "precision_weighted": "wPre",
    "recall_weighted": "wRec",
    "f1_weighted": "wF1",
    "f1_macro": "mF1",
}


def benchmark_method(spec: str, epochs: int | None, verbose: int = 0) -> Method:
    """The method of ``imblearn-vae compare`` that ``spec`` names.

    The paper's samplers (``*-paper``) train for ``epochs`` unless the spec
    says otherwise (``--quick``'s shorter budget); the run is keyed by the
    spec alone, as the engine keys it.
    """
    method = parse_method(spec)
    params = dict(method.params)
    if "-paper" in method.name and epochs is not None:
        params.setdefault("epochs", epochs)
    if method.info.torch and verbose:
        params.setdefault("verbose", verbose)
    return dataclasses.replace(method, params=params)


def raw_variant(spec: str) -> str | None:
    """The same method given the raw table (``dcbn-vae-paper-raw``), if any."""
    name, colon, arguments = spec.partition(":")
    return f"{name}-raw{colon}{arguments}" if f"{name}-raw" in METHODS else None


def _method_spec(spec: str) -> str:
    try:
        return parse_method(spec).spec
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def load_tables(args) -> tuple[Table, Table, list[str]]:
    """KDDTrain+ (or the 20% file) and KDDTest+ as the engine's tables."""
    train = fetch_nsl_kdd(
        subset=args.train_subset,
        target=args.target,
        data_home=args.data_home,
        as_frame=True,
    )
    test = fetch_nsl_kdd(
        subset="KDDTest+", target=args.target, data_home=args.data_home, as_frame=True
    )
    categorical = list(CATEGORICAL_FEATURES)
    return (
        Table(train.data, np.asarray(train.target), "target", categorical),
        Table(test.data, np.asarray(test.target), "target", categorical),
        train.target_names,
    )


def test_halves(y_test: np.ndarray) -> dict[str, np.ndarray]:
    """Row indices of each evaluation set of KDDTest+.

    One stratified split into halves with a fixed seed: the validation half
    chooses settings, the held-out half only reports.
    """
    validation, held_out = train_test_split(
        np.arange(len(y_test)), test_size=0.5, stratify=y_test, random_state=SPLIT_SEED
    )
    return {
        "full": np.arange(len(y_test)),
        "validation": np.sort(validation),
        "held-out": np.sort(held_out),
    }


# --- reporting --------------------------------------------------------------------


def summarise(runs, methods: list[Method], labels, classifier, on, with_paper) -> str:
    """Table 2's metrics (paper in brackets), per-class figures and cost."""
    specs = [method.spec for method in methods]
    labels_of = {method.spec: method.label for method in methods}
    grouped = group_runs(runs, specs, classifier)
    brackets = with_paper and on == "full"
    paper = PAPER if brackets else None
    lines = [
        f"### Test metrics (KDDTest+, {on} set, {len(labels)} classes, %; mean ± "
        "std over seeds" + ("; paper in brackets)" if brackets else ")"),
        "",
        scores_table(grouped, labels_of, on, METRICS, seconds=False, paper=paper),
        "",
        "### Per-class recall and F1 (%; mean ± std)",
        "",
        per_class_table(grouped, labels_of, labels, on),
    ]
    reasons = failures(runs, specs)
    if reasons:
        lines += ["", "Methods that did not run:", ""]
        lines += [f"- {labels_of[m]}: {reason}" for m, reason in reasons.items()]
    paper_cost = {
        m.spec: PAPER_COST.get(m.name.removesuffix("-raw").removesuffix("-4x60"))
        for m in methods
    }
    lines += [
        "",
        "### Cost (mean ± std seconds; parameters and FLOPs per generated row)",
        "",
        cost_table(grouped, labels_of, paper_cost),
    ]
    return "\n".join(lines) + "\n"


# --- driver -----------------------------------------------------------------------


def default_out(classifier: str, target: str) -> Path:
    suffix = (
        "" if (classifier, target) == ("dt", "category") else f"_{classifier}_{target}"
    )
    return REPO_ROOT / "benchmarks" / "results" / f"nsl_kdd{suffix}"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--methods",
        nargs="+",
        type=_method_spec,
        help="methods of imblearn-vae compare, as name or name:key=value,... "
        "(default: Table 2's); the names: " + ", ".join(METHODS),
    )
    parser.add_argument(
        "--recommended",
        action="store_true",
        help="the methods that judge DCBN-VAE's NSL-KDD tune "
        "(baselines, paper settings, the tune, the defaults)",
    )
    parser.add_argument("--seeds", nargs="+", type=int)
    parser.add_argument(
        "--on",
        choices=["full", "validation", "held-out"],
        default="full",
        help="the KDDTest+ rows the tables show",
    )
    parser.add_argument(
        "--quick", action="store_true", help="KDDTrain+_20Percent, 5 epochs, seed 0"
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="default: benchmarks/results/"
        "nsl_kdd[_<classifier>_<target>]; with several "
        "classifiers, <out>/<classifier>",
    )
    parser.add_argument("--data-home", help="folder holding nsl-kdd/")
    parser.add_argument("--train-subset", default=None)
    parser.add_argument(
        "--epochs",
        type=int,
        default=None,
        help="epochs of the paper's samplers (*-paper) where the method does not "
        "name them (default: Table 1's 120; 5 with --quick)",
    )
    parser.add_argument(
        "--classifier",
        nargs="+",
        default=["dt"],
        help="dt, cnn, cnn-lstm (several share one resampling per method and seed)",
    )
    parser.add_argument(
        "--classifier-epochs",
        type=int,
        default=10,
        help="epochs of the CNN classifiers",
    )
    parser.add_argument(
        "--target",
        choices=["category", "binary"],
        default="category",
        help="5 classes, or normal / attack",
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="(method, seed) runs at a time"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="threads per run, sampler and classifier (default: idle cores / jobs)",
    )
    parser.add_argument(
        "--device", default="cpu", help="of the generative samplers and CNNs"
    )
    parser.add_argument(
        "--raw",
        action="store_true",
        help="also run each of the paper's samplers on the raw frame "
        "with its categorical columns (<method>-raw)",
    )
    parser.add_argument("--verbose", type=int, default=0)
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rebuild the tables and chart from runs.csv",
    )
    args = parser.parse_args(argv)
    if args.recommended:
        args.methods = [*(args.methods or []), *RECOMMENDATION_METHODS]
    args.methods = args.methods or list(TABLE_2)
    if args.raw:  # each of the paper's samplers followed by its raw-frame variant
        args.methods = [
            variant
            for m in args.methods
            for variant in (m, raw_variant(m))
            if variant is not None
        ]
    args.methods = list(dict.fromkeys(args.methods))
    args.seeds = args.seeds or ([0] if args.quick else [0, 1, 2])
    if args.quick and args.epochs is None:
        args.epochs = 5
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
    machine = (
        f"{platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}, "
        f"Python {platform.python_version()}"
    )
    print(f"{datetime.date.today()} on {machine}", flush=True)
    epochs = args.epochs or PAPER_TABLE_1["epochs"]
    print(
        f"train {args.train_subset}, test KDDTest+ ({args.target}); seeds "
        f"{args.seeds}; classifiers {args.classifier}; the paper's samplers "
        f"(*-paper): Table 1, {epochs} epochs; each run's sampler arguments "
        "are in the settings column of runs.csv",
        flush=True,
    )
    started = time.perf_counter()
    train, test, labels = load_tables(args)
    methods = [benchmark_method(s, args.epochs, args.verbose) for s in args.methods]
    command = "python benchmarks/nsl_kdd.py " + " ".join(sys.argv[1:])
    failed = False
    # One comparison per classifier (each writes its own folder); a
    # (method, seed) pair runs once for all classifiers that lack it.
    comparisons = {
        classifier: Comparison(
            train=train,
            test=test,
            methods=methods,
            classifiers=[classifier],
            seeds=args.seeds,
            out=out,
            evaluation=test_halves(test.y),
            device=args.device,
            classifier_epochs=args.classifier_epochs,
            labels=labels,
        )
        for classifier, out in args.outs.items()
    }
    for comparison in comparisons.values():
        comparison.out.mkdir(parents=True, exist_ok=True)
    if not args.report_only:
        failed = run_missing(comparisons, jobs=args.jobs, threads=args.threads)
    for classifier, comparison in comparisons.items():
        runs = [
            r for r in read_runs(comparison.runs_path) if int(r["seed"]) in args.seeds
        ]
        with_paper = (classifier, args.target) == ("dt", "category")
        report = summarise(runs, methods, labels, classifier, args.on, with_paper)
        header = (
            f"NSL-KDD comparison, {classifier} on KDDTest+ ({args.target}, "
            f"{args.on} set): `{command.strip()}`, {datetime.date.today()}, "
            f"{machine}; this invocation took "
            f"{time.perf_counter() - started:.0f} s.\n\n"
        )
        (comparison.out / "results.md").write_text(header + report)
        if runs:
            chart(
                runs,
                args.methods,
                {method.spec: method.label for method in methods},
                classifier,
                args.on,
                comparison.out / "metrics.png",
                f"{classifier} on KDDTest+ ({args.target}, {args.on} set) after "
                "balancing KDDTrain+",
            )
        print("\n" + header + report, flush=True)
        print(f"written: {comparison.out / 'runs.csv'}, results.md, metrics.png")
    return 1 if failed else 0


def run_missing(comparisons: dict[str, Comparison], jobs=1, threads=None) -> bool:
    """Run what each classifier's comparison misses, one resampling for all.

    Each comparison (one classifier, its own folder) says what it misses
    (:func:`~imblearn_vae.compare.engine.missing_tasks`); a (method, seed)
    pair runs once for every classifier that misses it, and each row goes to
    its classifier's folder. Returns whether any run failed.
    """
    missing = {
        classifier: {(m.spec, seed) for m, seed, _ in engine.missing_tasks(c)}
        for classifier, c in comparisons.items()
    }
    first = next(iter(comparisons.values()))
    tasks = [
        (method, seed, todo)
        for seed in first.seeds
        for method in first.methods
        if (todo := [c for c in comparisons if (method.spec, seed) in missing[c]])
    ]
    skipped = len(first.seeds) * len(first.methods) - len(tasks)
    if skipped:
        print(f"{skipped} (method, seed) runs already there, skipped", flush=True)
    failed = False

    def write(row: dict) -> None:
        nonlocal failed
        engine.append_run(comparisons[row["classifier"]].runs_path, row)
        if row["status"] == "failed":
            failed = True
            print(f"FAILED {row['method']}, seed {row['seed']}: {row['error']}")
            return
        print(
            f"{row['method']}, seed {row['seed']}, {row['classifier']}: wF1 "
            f"{100 * row['full:f1_weighted']:.2f} (validation "
            f"{100 * row['validation:f1_weighted']:.2f}); fit_resample "
            f"{row['sampler_seconds']:.1f} s",
            flush=True,
        )

    joint = dataclasses.replace(first, classifiers=list(comparisons))
    engine.run_tasks(joint, tasks, jobs=jobs, threads=threads, write=write)
    return failed


if __name__ == "__main__":
    sys.exit(main())
