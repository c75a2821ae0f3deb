"""``imblearn-vae train``: fit a detector and write its model file.

Three ways to say what to train:

- a table, read exactly as ``compare`` reads it (``TABLE --label ...``),
  with ``--method`` and ``--classifier`` named as ``compare`` names them;
- ``--from-compare DIR``: the best entry a comparison named, on its table;
- no table: NSL-KDD's KDDTrain+ from the data folder, scored on KDDTest+
  (the command's earlier form; ``--target``, ``--data-home``, ``--sampler``
  keep working).

The parser needs the core install only; training needs the web extra.
"""

import argparse
import shlex
import sys
from pathlib import Path

from ..registry.classifiers import build_classifier, classifiers_help
from ..registry.methods import METHODS, failure_hint, parse_method
from ..tables.options import TableOptions, add_table_arguments

EXAMPLES = """\
examples:
  imblearn-vae train traffic.csv --label class --method smote --classifier rf \\
      --out traffic.model
  imblearn-vae train flows.csv --test flows_test.csv --label category \\
      --drop src_ip dst_ip --out flows.model
  imblearn-vae compare traffic.csv --label class --out results/traffic
  imblearn-vae train --from-compare results/traffic --out traffic.model
  imblearn-vae train --out nsl-kdd.model        # NSL-KDD (KDDTrain+, KDDTest+)
"""

#: `train` and `serve` read NSL-KDD from the same option.
DATA_HOME_HELP = (
    "the folder holding nsl-kdd/ (NSL-KDD's files; default: $IMBLEARN_VAE_DATA, "
    "else ~/imblearn_vae_data, where they are downloaded when missing)"
)


class TrainingFailed(RuntimeError):
    """The method or the classifier could not be fitted on the table."""


#: Used when neither the command nor a comparison names them.
DEFAULT_METHOD, DEFAULT_CLASSIFIER = "dcbn-vae", "dt"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, help="the model file")
    add_table_arguments(parser, required=False)
    parser.add_argument(
        "--from-compare",
        type=Path,
        metavar="DIR",
        help="train the best entry of the comparison whose results are in DIR, "
        "on its table and with its method and classifier; TABLE, --method and "
        "--classifier are refused with it (to train another entry, name the "
        "table, --method and --classifier instead)",
    )
    parser.add_argument(
        "--method",
        help=f"the balancing, named as in compare: {', '.join(METHODS)}; "
        "arguments as name:key=value,... (default: dcbn-vae)",
    )
    # the option's earlier name
    parser.add_argument("--sampler", dest="method", help=argparse.SUPPRESS)
    parser.add_argument("--classifier", help=classifiers_help() + " (default: dt)")
    parser.add_argument(
        "--seed", type=int, help="seeds the sampler and the classifier (default: 0)"
    )
    parser.add_argument("--device", default="cpu")
    parser.add_argument(
        "--classifier-epochs", type=int, default=10, help="epochs of the CNNs"
    )
    parser.add_argument(
        "--quiet", action="store_true", help="no progress (steps, bars)"
    )
    nsl_kdd = parser.add_argument_group(
        "without TABLE: NSL-KDD (KDDTrain+, scored on KDDTest+)"
    )
    nsl_kdd.add_argument("--target", choices=["category", "binary"])
    nsl_kdd.add_argument("--data-home", help=DATA_HOME_HELP)


def run(args, parser: argparse.ArgumentParser, argv: list[str]) -> int:
    """Train and write the model file; 2 (with the reason) for bad arguments
    or a table that cannot be read, before any training."""
    from ..detector import DetectorFileError, save_detector
    from ..detector.provenance import public_command

    _check_arguments(args, parser)
    command = public_command("imblearn-vae " + " ".join(map(shlex.quote, argv)))
    say = None if args.quiet else (lambda text: print(text, flush=True))
    try:
        detector = _train(args, parser, command, say)
        save_detector(detector, args.out)
    except DetectorFileError as error:
        parser.error(str(error))
    except TrainingFailed as error:
        print(f"imblearn-vae train: error: {error}", file=sys.stderr)
        return 2
    scores = detector.scores
    print(
        f"wrote {args.out}: on {scores.get('test', 'the test rows')}, accuracy "
        f"{100 * scores['accuracy']:.2f}%, weighted F1 "
        f"{100 * scores['f1_weighted']:.2f}%, macro F1 "
        f"{100 * scores['f1_macro']:.2f}%"
    )
    return 0


def _check_arguments(args, parser) -> None:
    """Options that do not go together, said before anything is read."""
    if args.from_compare is not None:
        given = [f"--{n}" for n in ("method", "classifier") if getattr(args, n)]
        if args.table is not None:
            given.insert(0, "TABLE")
        if given:
            parser.error(
                f"--from-compare trains the comparison's best entry on its table; "
                f"leave out {', '.join(given)} (to train another entry, name the "
                "table, --method and --classifier instead of --from-compare)"
            )
    if (args.table is not None or args.from_compare) and (
        args.target or args.data_home
    ):
        parser.error(
            "--target and --data-home are for NSL-KDD without a table; with a "
            "table, --label names the class column (--loader nsl-kdd reads "
            "NSL-KDD's files)"
        )
    if args.table is not None and args.label is None:
        parser.error("a table needs --label, the column holding the class")
    if args.from_compare is None:
        # the comparison's entry is checked once read (_tables)
        _check_entry(
            args.method or DEFAULT_METHOD, args.classifier or DEFAULT_CLASSIFIER, parser
        )


def _check_entry(method: str, classifier: str, parser, chosen_in=None) -> None:
    """Refuse a method or classifier that cannot be built or stored, before
    hours of training rather than after.

    ``chosen_in``: the comparison's folder, when the comparison named them
    (its best entry may be a classifier a model file does not keep).
    """
    from ..detector.model_file import DetectorFileError, check_storable

    try:
        parse_method(method)
        check_storable(build_classifier(classifier, seed=0))
    except (ValueError, DetectorFileError) as error:
        if chosen_in is None:
            parser.error(str(error))
        parser.error(
            f"the comparison in {chosen_in} chose {method} then {classifier}, "
            f"which cannot be trained here: {error}. To train another entry, "
            "give the table's options with --method and --classifier instead "
            "of --from-compare."
        )


def _train(args, parser, command: str, say):
    from ..detector import train_detector, train_on_tables

    settings = {
        "method": args.method or DEFAULT_METHOD,
        "classifier": args.classifier or DEFAULT_CLASSIFIER,
        "seed": 0 if args.seed is None else args.seed,
    }
    if args.table is None and args.from_compare is None:
        return train_detector(
            sampler=settings["method"], classifier=settings["classifier"],
            target=args.target or "category", seed=settings["seed"],
            data_home=args.data_home, device=args.device, command=command, say=say,
        )  # fmt: skip
    tables, entry = _tables(args, parser, settings)
    try:
        return train_on_tables(
            tables, **settings, device=args.device,
            classifier_epochs=args.classifier_epochs, command=command, say=say,
            entry=entry,
        )  # fmt: skip
    except (ValueError, RuntimeError) as error:
        # as compare reports a run that failed: what, and the way out
        hint = failure_hint(error, tables.train.y)
        raise TrainingFailed(
            f"{settings['method']} then {settings['classifier']} could not be "
            f"fitted on {tables.source['name']}: {type(error).__name__}: "
            f"{error}{hint}"
        ) from error


def _tables(args, parser, settings: dict):
    """The tables to train on (read before anything is fitted: a bad table
    stops here with compare's message), and the comparison's entry."""
    from ..compare.choice import read_choice
    from ..tables.options import load_tables

    entry = None
    try:
        if args.from_compare is not None:
            entry, found = read_choice(args.from_compare)
            args.classifier_epochs = found.pop("classifier_epochs", 10)
            options = TableOptions.from_json(found)
            settings.update(method=entry["method"], classifier=entry["classifier"])
            _check_entry(entry["method"], entry["classifier"], parser,
                         chosen_in=args.from_compare)  # fmt: skip
            if args.seed is None:
                settings["seed"] = entry["seeds"][0]
            entry = {**entry, "chose": "the comparison's test rows chose this "
                     "entry, so its scores there are a little optimistic"}  # fmt: skip
        else:
            options = TableOptions.from_arguments(args)
        tables = load_tables(options)
    except (ValueError, FileNotFoundError, ImportError) as error:
        parser.error(str(error))
    if not args.quiet:
        print(
            f"{options.table.name}: {len(tables.train.y):,} training rows, "
            f"{len(tables.test.y):,} test rows ({tables.source['test']}); "
            f"{settings['method']}, then {settings['classifier']}",
            flush=True,
        )
    return tables, entry
