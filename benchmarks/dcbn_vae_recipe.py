"""Choose DCBN-VAE's recommended settings on one half of KDDTest+, report the other.

KDDTest+ is split once into two stratified halves (5 classes, fixed seed;
:func:`nsl_kdd.test_halves`): the *validation* half chooses every setting,
the *held-out* half only reports. Each (configuration, seed) run balances
KDDTrain+ (every minority class up to the majority count), trains a decision
tree (the seed sets the sampler and the tree) and scores it on the
validation half, the held-out half and the whole of KDDTest+, through the
engine of ``imblearn-vae compare``. Runs append to ``<out>/runs.csv`` (under a
lock: several processes, ``--configs`` / ``--seeds`` apart, can share one
folder) and a rerun skips those already there.

    python benchmarks/dcbn_vae_recipe.py --configs smote fast --seeds 0 1 2
    python benchmarks/dcbn_vae_recipe.py --report --on validation
    python benchmarks/dcbn_vae_recipe.py --report --on held-out --seeds 0 1 2 3 4

The configurations (``CONFIGS``) are named DCBN-VAE variants: each a method
of ``imblearn-vae compare`` with the paper's Table 1 settings - given the raw
frame (``dcbn-vae-paper-raw``: categorical columns modelled as categories) or
the one-hot, min-max scaled matrix (``dcbn-vae-paper``) - and the sampler
arguments that change them. Any other name is a method of ``imblearn-vae
compare`` (the baselines: ``smote``, ``borderline-smote``, ...).
"""

import argparse
import fcntl
import sys
from pathlib import Path

import numpy as np
import torch
from _common import REPO_ROOT, default_data_home
from nsl_kdd import load_tables, test_halves

from imblearn_vae.compare import Comparison, Method, engine, parse_method, read_runs
from imblearn_vae.compare.report import cell, chart, group_runs

EVALUATION_SETS = ("validation", "held-out", "full")

#: The starting point of the search: the raw frame (categories modelled as
#: categories, +3 points in the Table 2 rerun) and a training budget that fits
#: about 3x SMOTE's time (~30 s on 2 cores): 10 epochs at batch 512, with the
#: learning rate raised for the fewer, larger steps.
FAST = dict(epochs=10, batch_size=512, learning_rate=1e-3)

#: The recommended settings (the defaults since round 4) spelled out.
RECOMMENDED = {**FAST, "scaling": "quantile", "beta": 0.5}

#: The registry's methods the configurations build on: the paper's Table 1
#: (every setting spelled out, so that a later change of the sampler's
#: defaults cannot change a configuration), given the raw frame or the one-hot
#: matrix.
RAW, ONE_HOT = "dcbn-vae-paper-raw", "dcbn-vae-paper"

#: name -> (method of imblearn-vae compare, sampler arguments on top of it)
CONFIGS: dict[str, tuple[str, dict]] = {
    "paper": (ONE_HOT, {}),
    "paper-raw": (RAW, {}),
    # Round 1: one lever at a time on top of FAST.
    "fast": (RAW, FAST),
    "fast-onehot": (ONE_HOT, FAST),
    "fast+posterior": (RAW, {**FAST, "latent_sampling": "posterior"}),
    "fast+interpolate": (RAW, {**FAST, "latent_sampling": "interpolate"}),
    "fast+log": (RAW, {**FAST, "scaling": "log"}),
    "fast+quantile": (RAW, {**FAST, "scaling": "quantile"}),
    "fast+standard": (RAW, {**FAST, "scaling": "standard"}),
    "fast+balance0.5": (RAW, {**FAST, "class_balance": 0.5}),
    "fast+balance1": (RAW, {**FAST, "class_balance": 1.0}),
    "fast+beta0.5": (RAW, {**FAST, "beta": 0.5}),
    "fast+4x60": (RAW, {**FAST, "hidden_layer_sizes": (60, 60, 60, 60)}),
    # Round 2: the levers that helped alone (interpolate, quantile, beta 0.5;
    # the one-hot input), combined.
    "fast+interp+quantile": (
        RAW,
        {**FAST, "latent_sampling": "interpolate", "scaling": "quantile"},
    ),
    "fast+interp+beta0.5": (
        RAW,
        {**FAST, "latent_sampling": "interpolate", "beta": 0.5},
    ),
    "fast+quantile+beta0.5": (RAW, {**FAST, "scaling": "quantile", "beta": 0.5}),
    "fast+interp+quantile+beta0.5": (
        RAW,
        {**FAST, "latent_sampling": "interpolate", "scaling": "quantile", "beta": 0.5},
    ),
    "fast-onehot+interp": (ONE_HOT, {**FAST, "latent_sampling": "interpolate"}),
    "fast-onehot+beta0.5": (ONE_HOT, {**FAST, "beta": 0.5}),
    "fast-onehot+interp+beta0.5": (
        ONE_HOT,
        {**FAST, "latent_sampling": "interpolate", "beta": 0.5},
    ),
    "fast+beta0.25": (RAW, {**FAST, "beta": 0.25}),
    # Round 3: the two best so far (one-hot input; quantile + beta 0.5) with
    # each other's lever and a wider latent draw.
    "fast-onehot+quantile": (ONE_HOT, {**FAST, "scaling": "quantile"}),
    "fast-onehot+t1.5": (ONE_HOT, {**FAST, "temperature": 1.5}),
    "fast+quantile+beta0.5+t1.5": (
        RAW,
        {**FAST, "scaling": "quantile", "beta": 0.5, "temperature": 1.5},
    ),
    # Round 4: around the leader (quantile + beta 0.5): a narrower latent
    # draw, the network of the paper's counts, the one-hot input.
    "fast+quantile+beta0.5+t0.7": (
        RAW,
        {**FAST, "scaling": "quantile", "beta": 0.5, "temperature": 0.7},
    ),
    "fast+quantile+beta0.5+4x60": (
        RAW,
        {
            **FAST,
            "scaling": "quantile",
            "beta": 0.5,
            "hidden_layer_sizes": (60, 60, 60, 60),
        },
    ),
    "fast-onehot+quantile+beta0.5": (
        ONE_HOT,
        {**FAST, "scaling": "quantile", "beta": 0.5},
    ),
    # Round 5 (speed): the recommended settings in fewer passes, with a
    # one-cycle learning rate peaking higher (Smith & Topin's super-convergence).
    "rec-e5+oc": (RAW, {**RECOMMENDED, "epochs": 5, "learning_rate": 2e-3,
                        "learning_rate_schedule": "one-cycle"}),
    "rec-e4+oc": (RAW, {**RECOMMENDED, "epochs": 4, "learning_rate": 3e-3,
                        "learning_rate_schedule": "one-cycle"}),
    "rec-e3+b1024+oc": (RAW, {**RECOMMENDED, "epochs": 3, "batch_size": 1024,
                              "learning_rate": 4e-3,
                              "learning_rate_schedule": "one-cycle"}),
}  # fmt: skip

#: Names in tables for the two configurations docs/benchmark_recommended.rst
#: reports.
TITLES = {
    "paper": "DCBN-VAE, paper settings",
    "fast+quantile+beta0.5": "DCBN-VAE, recommended",
}


def method(name: str) -> Method:
    """The engine's method of a configuration (keyed by its name) or a baseline."""
    if name not in CONFIGS:  # a method of imblearn-vae compare
        return parse_method(name)
    base, arguments = CONFIGS[name]
    return Method(name, base, dict(arguments), title=TITLES.get(name, name))


def locked_append(path: Path):
    def write(row: dict) -> None:
        with open(path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            engine.append_run(path, row)
        print(
            f"{row['method']}, seed {row['seed']}: "
            + (
                f"validation wF1 {100 * row['validation:f1_weighted']:.2f} mF1 "
                f"{100 * row['validation:f1_macro']:.2f}; R2L "
                f"{100 * row['validation:recall_R2L']:.1f} U2R "
                f"{100 * row['validation:recall_U2R']:.1f}; "
                f"{row['sampler_seconds']:.1f} s"
                if row["status"] == "ok"
                else f"FAILED {row['error']}"
            ),
            flush=True,
        )

    return write


def report(runs, on: str, seeds, labels, configs=None) -> str:
    """Mean ± std over seeds on one evaluation set, best weighted F1 first.

    The seconds are those of the runs (several processes shared the cores);
    ``benchmarks/speed.py`` times the recommended settings against SMOTE on
    a quiet machine.
    """
    configs = configs or list(dict.fromkeys(r["method"] for r in runs))
    by_config = group_runs(runs, configs, "dt", seeds)
    keys = ["f1_weighted", "f1_macro", "accuracy"] + [f"recall_{c}" for c in labels]
    heads = ["wF1", "mF1", "Acc"] + [f"{c} rec" for c in labels]
    smote = [float(r["sampler_seconds"]) for r in by_config.get("smote", [])]
    lines = [
        f"On the {on} set (mean ± std over seeds {sorted(seeds)}):",
        "",
        "| config | seeds | " + " | ".join(heads) + " | fit_resample s | / SMOTE |",
        "|---" * (len(heads) + 4) + "|",
    ]
    order = sorted(
        by_config,
        key=lambda c: -np.mean([float(r[f"{on}:f1_weighted"]) for r in by_config[c]]),
    )
    for config in order:
        config_runs = by_config[config]
        cells = [
            cell(
                [float(r[f"{on}:{key}"]) for r in config_runs], digits=2 if i < 3 else 1
            )
            for i, key in enumerate(keys)
        ]
        seconds = [float(r["sampler_seconds"]) for r in config_runs]
        ratio = f"{np.mean(seconds) / np.mean(smote):.1f}" if smote else "-"
        lines.append(
            f"| {config} | {len(config_runs)} | " + " | ".join(cells)
            + f" | {cell(seconds, 1, 1)} | {ratio} |"
        )  # fmt: skip
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", nargs="+", default=[])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--data-home", default=None)
    parser.add_argument(
        "--out", type=Path, default=REPO_ROOT / "benchmarks/results/dcbn_vae_recipe"
    )
    parser.add_argument("--report", action="store_true")
    parser.add_argument("--on", choices=EVALUATION_SETS, default="validation")
    parser.add_argument("--chart", type=Path, help="with --report: also a chart")
    args = parser.parse_args(argv)
    for name in args.configs:
        if name not in CONFIGS:
            try:
                parse_method(name)
            except ValueError as error:
                parser.error(f"{error} The configurations are {sorted(CONFIGS)}.")
    torch.set_num_threads(args.threads)
    tables = argparse.Namespace(
        train_subset="KDDTrain+", target="category",
        data_home=args.data_home or default_data_home(),
    )  # fmt: skip
    train, test, labels = load_tables(tables)
    runs_path = args.out / "runs.csv"
    if args.report:
        runs = read_runs(runs_path)
        print(report(runs, args.on, args.seeds, labels, args.configs or None))
        if args.chart:
            configs = args.configs or list(dict.fromkeys(r["method"] for r in runs))
            titles = {c: method(c).label for c in configs}
            chart(runs, configs, titles, "dt", args.on, args.chart,
                  f"Decision tree on the {args.on} half of KDDTest+, mean ± std "
                  f"over seeds {sorted(args.seeds)}", args.seeds)  # fmt: skip
        return 0
    comparison = Comparison(
        train=train, test=test, methods=[method(c) for c in args.configs],
        classifiers=["dt"], seeds=args.seeds, out=args.out,
        evaluation=test_halves(test.y), labels=labels,
    )  # fmt: skip
    for seed in args.seeds:  # seed by seed: every configuration gets seed 0 first
        comparison.seeds = [seed]
        engine.run_tasks(
            comparison,
            engine.missing_tasks(comparison),
            threads=args.threads,
            write=locked_append(runs_path),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
