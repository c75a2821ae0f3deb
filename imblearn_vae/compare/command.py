"""``imblearn-vae compare``: the comparison as a command for any labelled table.

The parser needs the core install only (``imblearn-vae --help`` works without
the compare extra); reading tables, running and reporting import pandas and
matplotlib when they start.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch

from ..registry.classifiers import build_classifier, classifier_label, classifiers_help
from ..registry.methods import DEFAULT_METHODS, METHODS, parse_method
from ..tables.options import TableOptions, add_table_arguments, load_tables
from .choice import best_entry, describe, write_choice

if TYPE_CHECKING:
    from .engine import Comparison

EXAMPLES = """\
examples:
  imblearn-vae compare traffic.csv --label class
  imblearn-vae compare train.csv --test test.csv --label class \\
      --methods none smote adasyn dcbn-vae tvae --seeds 0 1 2 3 4 --jobs 2
  imblearn-vae compare bot_iot.csv --loader bot-iot --label category
  imblearn-vae compare KDDTrain+.txt --test KDDTest+.txt --loader nsl-kdd \\
      --label category
  imblearn-vae compare data.parquet --label y --methods smote "dcbn-vae:epochs=20"
"""

#: The classifiers' help, from the registry (``train --classifier`` too).
CLASSIFIERS_HELP = classifiers_help()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_table_arguments(parser)
    parser.add_argument(
        "--methods",
        nargs="+",
        default=list(DEFAULT_METHODS),
        metavar="METHOD",
        help="names from: " + ", ".join(METHODS) + "; arguments as name:key=value,...",
    )
    parser.add_argument(
        "--classifiers",
        nargs="+",
        default=["dt"],
        metavar="CLASSIFIER",
        help=CLASSIFIERS_HELP,
    )
    parser.add_argument(
        "--classifier-epochs",
        type=int,
        default=10,
        help="epochs of the CNN classifiers",
    )
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="(method, seed) runs at a time; -1: one per core",
    )
    parser.add_argument(
        "--threads",
        type=int,
        help="threads per run, the sampler's (torch, BLAS) and the classifier's "
        "(default: the idle cores / jobs)",
    )
    parser.add_argument("--scheduler", help="Dask scheduler address: run there")
    parser.add_argument(
        "--device",
        default="cpu",
        help="torch device of the generative samplers and CNNs (cpu, cuda)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="results folder (default: compare-results/<TABLE name>); "
        "a rerun resumes there",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rebuild the tables and charts from the runs so far",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def build_comparison(args, parser) -> Comparison:
    """The comparison the arguments describe; bad input ends in parser.error."""
    from .engine import Comparison

    try:
        methods = [parse_method(spec) for spec in args.methods]
        for name in args.classifiers:  # an unknown one stops us before any run
            build_classifier(name, seed=0)
        tables = load_tables(TableOptions.from_arguments(args))
    except (ValueError, FileNotFoundError, ImportError) as error:
        parser.error(str(error))
    out = args.out or Path("compare-results") / args.table.name.split(".")[0]
    return Comparison(
        train=tables.train,
        test=tables.test,
        methods=methods,
        classifiers=list(dict.fromkeys(args.classifiers)),
        seeds=list(dict.fromkeys(args.seeds)),
        out=out,
        device=args.device,
        classifier_epochs=args.classifier_epochs,
    )


def data_notes(comparison: Comparison) -> list[str]:
    """What a reader of the results should know about the data: columns left
    out, values filled in, classes that only one of the two tables has."""
    train, test = comparison.train, comparison.test
    notes = []
    if train.dropped:
        notes.append(
            "Columns left out: "
            + "; ".join(f"{c} ({why})" for c, why in train.dropped.items())
        )
    for name, table in (("training", train), ("test", test)):
        if table.imputed:
            notes.append(
                f"Missing or infinite values filled in ({name} rows): "
                + "; ".join(
                    f"{c}: {n:,} with {train.fill[c]!r}"
                    for c, n in table.imputed.items()
                )
            )
    train_classes, test_classes = set(train.y.tolist()), set(test.y.tolist())
    if only_test := sorted(test_classes - train_classes, key=str):
        notes.append(
            f"Classes only in the test rows: {only_test}; no method can predict "
            "them: their recall and F1 are 0, and count in macro F1."
        )
    if only_train := sorted(train_classes - test_classes, key=str):
        notes.append(
            f"Classes without test rows: {only_train}; macro F1 averages over the "
            "classes the test rows have."
        )
    return notes


def write_reports(comparison: Comparison, command: str, table_options: dict) -> str:
    """results.md, summary.csv and one chart per classifier, and the best
    entry (:mod:`.choice`: ``best.json``, with the table's options in
    ``table.json``); returns the Markdown."""
    from .engine import read_runs
    from .report import chart, gains_chart, markdown, summary_rows, write_summary_csv

    runs = read_runs(comparison.runs_path)
    specs = [m.spec for m in comparison.methods]
    labels_of = {m.spec: m.label for m in comparison.methods}
    sets = list(comparison.evaluation)
    counts = dict(zip(*np.unique(comparison.train.y, return_counts=True), strict=True))
    header = [
        f"# Balancing methods compared: `{command}`",
        "",
        f"{datetime.date.today()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"torch {torch.__version__}. Training rows {len(comparison.train.y):,} "
        "(" + ", ".join(f"{k}: {v:,}" for k, v in counts.items()) + "); test rows "
        f"{len(comparison.test.y):,}; seeds {comparison.seeds}.",
    ]
    header += [f"\n{note}" for note in data_notes(comparison)]
    sections = [
        markdown(
            runs,
            specs,
            labels_of,
            comparison.labels,
            classifier,
            set_name,
            comparison.seeds,
        )
        for classifier in comparison.classifiers
        for set_name in sets
    ]
    best = best_entry(runs, comparison.methods, comparison.classifiers,
                      comparison.seeds, sets[0])  # fmt: skip
    choice = "## The best entry\n\n" + describe(best, comparison.out)
    text = "\n".join(header) + "\n\n" + "\n".join([*sections, choice])
    (comparison.out / "results.md").write_text(text)
    write_summary_csv(
        summary_rows(
            runs,
            specs,
            labels_of,
            comparison.labels,
            comparison.classifiers,
            sets,
            comparison.seeds,
        ),
        comparison.out / "summary.csv",
    )
    for classifier in comparison.classifiers:
        for set_name in sets:
            suffix = "" if len(sets) == 1 else f"_{set_name}"
            name = f"{classifier.replace('.', '_')}{suffix}.png"
            title = (
                f"{classifier_label(classifier)} on the {set_name} rows, mean ± std "
                f"over {len(comparison.seeds)} seeds"
            )
            for draw, prefix in ((chart, "chart"), (gains_chart, "gains")):
                draw(
                    runs, specs, labels_of, classifier, set_name,
                    comparison.out / f"{prefix}_{name}", title, comparison.seeds,
                )  # fmt: skip
    write_choice(comparison.out, best, table_options, comparison.classifier_epochs)
    return text


def _progress_bar(quiet: bool):
    if quiet:
        return None
    from tqdm.auto import tqdm

    def wrap(results, total):
        return tqdm(results, total=total, desc="runs", unit="run")

    return wrap


def run(args, parser, argv) -> int:
    """Run (or resume) the comparison, write and print its reports."""
    from .engine import run_comparison

    comparison = build_comparison(args, parser)
    if not args.report_only:
        written = run_comparison(
            comparison,
            jobs=args.jobs,
            threads=args.threads,
            scheduler=args.scheduler,
            progress=_progress_bar(args.quiet),
        )
        for row in written:
            if row["status"] == "failed":
                print(
                    f"{row['label']}, seed {row['seed']}: {row['error']}",
                    file=sys.stderr,
                )
    command = "imblearn-vae compare " + " ".join(map(shlex.quote, argv))
    table_options = TableOptions.from_arguments(args).to_json()
    text = write_reports(comparison, command, table_options)
    print(text)
    print(
        f"written: {comparison.out}/results.md, summary.csv, chart_*.png, runs.csv, "
        "best.json"
    )
    return 0
