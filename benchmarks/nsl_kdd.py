"""Rerun the NSL-KDD comparison of the DCBN-VAE paper (Table 2, Figure 2).

A thin use of the engine of ``imblearn-vae compare``
(:mod:`imblearn_vae.compare`): for each balancing method and seed, the
training rows of KDDTrain+ are balanced (every minority class raised to the
majority count), each classifier (a decision tree by default) is trained on
them and scored on KDDTest+ (5 classes, or normal / attack with ``--target
binary``): on the whole file and on its two fixed stratified halves, the
*validation* half that chose DCBN-VAE's recommended settings and the
*held-out* half that chose nothing (``--on`` picks the one the tables show).
Several ``--classifier`` values share one resampling. Every finished run is
appended to ``<out>/runs.csv``; a rerun skips the runs already there, so a
comparison can be resumed or extended with more methods or seeds.

    python benchmarks/nsl_kdd.py                    # Table 2 rerun
    python benchmarks/nsl_kdd.py --quick            # about two minutes
    python benchmarks/nsl_kdd.py --methods smote dcbn-vae --seeds 0 1 2 3 4
    python benchmarks/nsl_kdd.py --report-only      # tables from the runs so far
    python benchmarks/nsl_kdd.py --classifier cnn cnn-lstm --target binary
    python benchmarks/nsl_kdd.py --recommended --on held-out --seeds 0 1 2 3 4
"""

import argparse
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

from imblearn_vae.compare import Comparison, Method, Table, engine, read_runs
from imblearn_vae.compare.report import (
    chart,
    failures,
    group_runs,
    mean_std,
    per_class_table,
)
from imblearn_vae.datasets import CATEGORICAL_FEATURES, fetch_nsl_kdd

#: Seed of the one split of KDDTest+ into a validation and a held-out half.
SPLIT_SEED = 0

#: Table 2 of the paper (DT on KDDTest+, %; Acc, wPre, wRec, wF1); single runs.
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

#: Table 2's metrics, by run key.
METRICS = {
    "accuracy": "Acc",
    "precision_weighted": "wPre",
    "recall_weighted": "wRec",
    "f1_weighted": "wF1",
    "f1_macro": "mF1",
}


def _paper_vae(args, **overrides) -> dict:
    """Table 1 of the paper, or the values given on the command line."""
    return {
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "learning_rate": args.learning_rate,
        "hidden_layer_sizes": tuple(args.hidden),
        "latent_dim": args.latent_dim,
        "beta": args.beta,
        "scaling": args.scaling,
        "latent_sampling": "prior",
        "class_balance": 0.0,
        "verbose": args.verbose,
        **overrides,
    }


def _cgan(args, **overrides) -> dict:
    return {
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "scaling": args.scaling,
        **overrides,
    }


def _neighbours(args) -> dict:
    return {"k_neighbors": args.k_neighbors}


#: name -> (label, engine method, its arguments from the command line). The
#: generative samplers run with the paper's settings on the one-hot matrix,
#: as in the paper, unless the name says otherwise.
METHODS = {
    "none": ("original imbalanced", "none", lambda a: {}),
    "random": ("random oversampling", "random", lambda a: {}),
    "smote": ("SMOTE", "smote", _neighbours),
    "borderline-smote": ("Borderline SMOTE", "borderline-smote", _neighbours),
    "kmeans-smote": ("KMeans SMOTE", "kmeans-smote", _neighbours),
    "svm-smote": ("SVM SMOTE", "svm-smote", _neighbours),
    "adasyn": ("ADASYN", "adasyn", lambda a: {"n_neighbors": a.k_neighbors}),
    "cvae": ("CVAE", "cvae-paper", _paper_vae),
    "dcbn-vae": ("DCBN-VAE", "dcbn-vae-paper", _paper_vae),
    "cvae-4x60": (
        "CVAE, 4x60",
        "cvae-paper",
        lambda a: _paper_vae(a, hidden_layer_sizes=PAPER_COUNTED_WIDTHS),
    ),
    "dcbn-vae-4x60": (
        "DCBN-VAE, 4x60",
        "dcbn-vae-paper",
        lambda a: _paper_vae(a, hidden_layer_sizes=PAPER_COUNTED_WIDTHS),
    ),
    # The paper's generator and discriminator widths are the sampler's
    # defaults; its learning rate stays the CGAN's own 2e-4 (with Adam's beta1
    # 0.5, the DCGAN recipe): the VAE's 1e-4 is not a setting the paper gives
    # for its GAN.
    "cgan": ("CGAN", "cgan-paper", _cgan),
    # Early stopping on the validation ELBO (10% of each class held out,
    # patience 10, tolerance 1e-4), within the same 120-epoch budget.
    "cvae-es": (
        "CVAE, early stopping",
        "cvae-paper",
        lambda a: _paper_vae(a, early_stopping=True),
    ),
    "dcbn-vae-es": (
        "DCBN-VAE, early stopping",
        "dcbn-vae-paper",
        lambda a: _paper_vae(a, early_stopping=True),
    ),
    # The raw frame (protocol_type, service and flag as categories) goes into
    # the sampler, which models each as one categorical variable; the one-hot
    # preprocessing follows the balancing.
    "cvae-raw": ("CVAE, categorical", "cvae", _paper_vae),
    "dcbn-vae-raw": ("DCBN-VAE, categorical", "dcbn-vae", _paper_vae),
    "cgan-raw": (
        "CGAN, categorical",
        "cgan",
        lambda a: {
            "epochs": a.epochs,
            "batch_size": a.batch_size,
            "scaling": a.scaling,
        },
    ),
    # DCBN-VAE as it comes now: its defaults, on the raw frame.
    "dcbn-vae-recommended": (
        "DCBN-VAE, recommended (defaults)",
        "dcbn-vae",
        lambda a: {"verbose": a.verbose},
    ),
    # The deep tabular peers (pip install 'imblearn-vae[peers]'): one TVAE per
    # minority class, 50 epochs; one conditional CTGAN, 20 epochs.
    "tvae": ("TVAE (SDV)", "tvae", lambda a: {}),
    "ctgan": ("CTGAN (SDV)", "ctgan", lambda a: {}),
}

#: Run only when asked for (``--methods``, ``--raw``, ``--recommended``).
OPTIONAL_METHODS = {
    "cvae-es",
    "dcbn-vae-es",
    "cvae-raw",
    "dcbn-vae-raw",
    "cgan-raw",
    "dcbn-vae-recommended",
    "tvae",
    "ctgan",
}

#: The baselines of the recommendation's target and the rows it is judged with.
RECOMMENDATION_METHODS = [
    "none",
    "random",
    "smote",
    "borderline-smote",
    "kmeans-smote",
    "svm-smote",
    "adasyn",
    "dcbn-vae",
    "dcbn-vae-recommended",
]


def engine_method(name: str, args) -> Method:
    label, engine_name, arguments = METHODS[name]
    params = arguments(args)
    return Method(spec=name, name=engine_name, params=params, title=label)


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


def _cell(values, scale=100.0, digits=2) -> str:
    mean, std = mean_std(np.asarray(values, dtype=float))
    if np.isnan(mean):
        return "-"
    return f"{scale * mean:.{digits}f} ± {scale * std:.{digits}f}"


def _column(runs, key):
    return [float(r[key]) for r in runs if r.get(key) not in ("", None)]


def summarise(runs, methods, labels, classifier, on, with_paper) -> str:
    """Table 2's metrics (paper in brackets), per-class figures and cost."""
    grouped = group_runs(runs, methods, classifier)
    brackets = with_paper and on == "full"
    lines = [
        f"### Test metrics (KDDTest+, {on} set, {len(labels)} classes, %; mean ± "
        "std over seeds" + ("; paper in brackets)" if brackets else ")"),
        "",
        "| method | seeds | " + " | ".join(METRICS.values()) + " |",
        "|---" * (len(METRICS) + 2) + "|",
    ]
    for method, method_runs in grouped.items():
        paper = PAPER.get(method) if brackets else None
        cells = []
        for index, key in enumerate(METRICS):
            cell = _cell(_column(method_runs, f"{on}:{key}"))
            if paper and index < len(paper):
                cell += f" [{paper[index]:.2f}]"
            cells.append(cell)
        lines.append(
            f"| {METHODS[method][0]} | {len(method_runs)} | " + " | ".join(cells) + " |"
        )
    labels_of = {m: METHODS[m][0] for m in methods}
    lines += ["", "### Per-class recall and F1 (%; mean ± std)", ""]
    lines.append(per_class_table(grouped, labels_of, labels, on))
    reasons = failures(runs, methods)
    if reasons:
        lines += ["", "Methods that did not run:", ""]
        lines += [f"- {labels_of[m]}: {reason}" for m, reason in reasons.items()]
    lines += [
        "",
        "### Cost (mean ± std seconds; parameters and FLOPs per generated row)",
        "",
        "| method | fit_resample s | epochs run | classifier fit s "
        "| parameters | FLOPs/row (MACs) | paper params / FLOPs "
        "| valid categorical rows % |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for method, method_runs in grouped.items():
        parameters = _column(method_runs, "parameters")
        flops = _column(method_runs, "flops_per_row")
        base = method.removesuffix("-es").removesuffix("-raw").removesuffix("-4x60")
        paper = PAPER_COST.get(base)
        lines.append(
            f"| {METHODS[method][0]} "
            f"| {_cell(_column(method_runs, 'sampler_seconds'), 1, 1)} "
            f"| {_cell(_column(method_runs, 'epochs_run'), 1, 0)} "
            f"| {_cell(_column(method_runs, 'classifier_seconds'), 1, 1)} "
            f"| {f'{int(parameters[0]):,}' if parameters else '-'} "
            f"| {f'{flops[0]:,.0f} ({flops[0] / 2:,.0f})' if flops else '-'} "
            f"| {f'{paper[0]:,} / {paper[1]:,}' if paper else '-'} "
            f"| {_cell(_column(method_runs, 'valid_categorical_share'), 100, 1)} |"
        )
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
    parser.add_argument("--methods", nargs="+", choices=list(METHODS))
    parser.add_argument(
        "--recommended",
        action="store_true",
        help="the methods that judge DCBN-VAE's recommended "
        "settings (baselines, paper settings, defaults)",
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
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--learning-rate", type=float, default=1e-4)
    parser.add_argument(
        "--hidden",
        type=int,
        nargs="+",
        default=[604],
        help="hidden widths of the generative samplers",
    )
    parser.add_argument("--latent-dim", type=int, default=32)
    parser.add_argument("--beta", type=float, default=1.0)
    parser.add_argument("--scaling", default="minmax", choices=["minmax", "standard"])
    parser.add_argument("--k-neighbors", type=int, default=5)
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
        help="torch threads per run (default: cores / jobs)",
    )
    parser.add_argument(
        "--device", default="cpu", help="of the generative samplers and CNNs"
    )
    parser.add_argument(
        "--raw",
        action="store_true",
        help="also run each generative sampler on the raw frame "
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
    args.methods = args.methods or [m for m in METHODS if m not in OPTIONAL_METHODS]
    if args.raw:  # each generative method followed by its raw-frame variant
        args.methods = [
            variant
            for m in args.methods
            for variant in (m, f"{m}-raw")
            if variant in METHODS
        ]
    args.methods = list(dict.fromkeys(args.methods))
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
    machine = (
        f"{platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}, "
        f"Python {platform.python_version()}"
    )
    print(f"{datetime.date.today()} on {machine}", flush=True)
    print(
        f"train {args.train_subset}, test KDDTest+ ({args.target}); seeds "
        f"{args.seeds}; classifiers {args.classifier}; paper-settings samplers: "
        f"hidden {tuple(args.hidden)}, latent {args.latent_dim}, {args.epochs} "
        f"epochs, batch {args.batch_size}, lr {args.learning_rate}, beta "
        f"{args.beta}, scaling {args.scaling}; k_neighbors {args.k_neighbors}; "
        "KMeansSMOTE: MiniBatchKMeans(20 clusters), cluster_balance_threshold=0; "
        "CGAN: generator (1005,), discriminator (100, 50, 50), noise 128, lr 2e-4",
        flush=True,
    )
    started = time.perf_counter()
    train, test, labels = load_tables(args)
    methods = [engine_method(name, args) for name in args.methods]
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
        failed = run_shared(comparisons, args)
    for classifier, comparison in comparisons.items():
        runs = [
            r for r in read_runs(comparison.runs_path) if int(r["seed"]) in args.seeds
        ]
        with_paper = (classifier, args.target) == ("dt", "category")
        report = summarise(runs, args.methods, labels, classifier, args.on, with_paper)
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
                {m: METHODS[m][0] for m in args.methods},
                classifier,
                args.on,
                comparison.out / "metrics.png",
                f"{classifier} on KDDTest+ ({args.target}, {args.on} set) after "
                "balancing KDDTrain+",
            )
        print("\n" + header + report, flush=True)
        print(f"written: {comparison.out / 'runs.csv'}, results.md, metrics.png")
    return 1 if failed else 0


def run_shared(comparisons: dict[str, Comparison], args) -> bool:
    """Run the missing runs; several classifiers share one resampling.

    The first classifier's comparison runs its tasks for all classifiers at
    once, and each row goes to its classifier's folder. Returns whether any
    run failed.
    """
    first = next(iter(comparisons.values()))
    joint = Comparison(
        **{**first.__dict__, "classifiers": list(comparisons), "out": first.out}
    )
    done = {
        (r["method"], int(r["seed"]), classifier)
        for classifier, c in comparisons.items()
        for r in read_runs(c.runs_path)
        if r["status"] == "ok"
    }
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

    tasks = [
        (method, seed, todo)
        for seed in args.seeds
        for method in joint.methods
        if (todo := [c for c in comparisons if (method.spec, seed, c) not in done])
    ]
    skipped = len(args.seeds) * len(joint.methods) - len(tasks)
    if skipped:
        print(f"{skipped} (method, seed) runs already there, skipped", flush=True)
    engine.run_tasks(joint, tasks, jobs=args.jobs, threads=args.threads, write=write)
    return failed


if __name__ == "__main__":
    sys.exit(main())
