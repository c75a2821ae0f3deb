"""``imblearn-vae predict``: score a table of connections with a detector file."""

import argparse
import os
import signal
import sys
import threading
from contextlib import ExitStack
from pathlib import Path

EXAMPLES = """\
examples:
  imblearn-vae predict detector.model connections.csv > scores.csv
  imblearn-vae predict detector.model flows.parquet --out scores.csv
  flow-exporter | imblearn-vae predict detector.model - --rejects rejects.csv
  imblearn-vae predict detector.model /var/log/flows.csv --follow --out scores.csv
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", type=Path, help="model file of `imblearn-vae train`")
    parser.add_argument(
        "input",
        nargs="?",
        default="-",
        help="CSV or Parquet file with a header of the model's columns; "
        "- (the default) reads CSV from standard input",
    )
    parser.add_argument(
        "--out", type=Path, help="scores CSV (default: standard output)"
    )
    parser.add_argument(
        "--rejects",
        type=Path,
        help="CSV of the rows not scored: line, field, reason, text "
        "(default: standard error)",
    )
    parser.add_argument(
        "--follow",
        action="store_true",
        help="keep reading the file as it grows, through rotations, until "
        "interrupted (Ctrl-C or SIGTERM)",
    )
    parser.add_argument(
        "--format",
        choices=["auto", "csv", "parquet"],
        default="auto",
        help="auto: Parquet for a .parquet or .pq name, else CSV",
    )
    parser.add_argument(
        "--poll",
        type=float,
        default=0.01,
        help="seconds between looks at a followed file that has not grown "
        "(default: 0.01)",
    )


def run(args, parser: argparse.ArgumentParser) -> int:
    """Run the command; 0 when the input was read to its end (rows rejected
    or not), 2 for a model or input that cannot be used."""
    try:
        from ..detector import DetectorFileError, load_detector
        from ._run import InputError, score_input
    except ImportError as error:
        if (error.name or "").startswith("imblearn_vae"):
            raise  # one of our modules is broken: not a missing extra
        parser.error(
            "`predict` needs the web extra (pandas and the model file's readers): "
            "pip install 'imblearn-vae[web]' (from a checkout: pip install "
            f"'.[web]'); {error}."
        )
    _check_arguments(args, parser)
    try:
        detector = load_detector(args.model)
    except DetectorFileError as error:
        return _fail(error)
    if args.input != "-" and not os.path.isfile(args.input) and not args.follow:
        return _fail(f"{args.input}: no such file")  # before --out is emptied
    stop = threading.Event()
    if args.follow:
        _stop_on_signals(stop)
    with ExitStack() as files:
        out, rejects = _open_outputs(args, files)
        try:
            counts = score_input(
                detector, args.input, out, rejects, follow=args.follow,
                input_format=args.format, stop=stop, poll=args.poll, notice=_say,
            )  # fmt: skip
        except InputError as error:
            return _fail(error)
        except KeyboardInterrupt:
            _say("interrupted")
            return 130
        except BrokenPipeError:
            return _reader_gone()
    where = f" (see {args.rejects})" if args.rejects and counts.rejected else ""
    _say(f"scored {counts.scored:,} rows, rejected {counts.rejected:,}{where}")
    return 0


def _check_arguments(args, parser) -> None:
    if args.follow and args.input == "-":
        parser.error("--follow needs a file: standard input is read as it comes")
    if args.poll <= 0:
        parser.error(f"--poll must be a positive number of seconds, got {args.poll}")
    _refuse_overwriting(args, parser)


def _open_outputs(args, files: ExitStack):
    out = files.enter_context(open(args.out, "wb")) if args.out else sys.stdout.buffer
    if not args.rejects:
        return out, sys.stderr
    rejects = open(args.rejects, "w", newline="", encoding="utf-8")
    return out, files.enter_context(rejects)


def _say(text: str) -> None:
    print(f"imblearn-vae predict: {text}", file=sys.stderr)


def _reader_gone() -> int:
    """The scores' reader went away (``| head``): stop quietly, as other
    tools do, with the status of a process ended by SIGPIPE."""
    try:  # Python would flush the dead pipe again at exit, and complain
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return 128 + signal.SIGPIPE


def _fail(error) -> int:
    _say(f"error: {error}")
    return 2


def _refuse_overwriting(args, parser) -> None:
    """The input and the model are the caller's: never written over; the
    scores and the rejects go to two files."""
    theirs = {"the model": args.model}
    if args.input != "-":
        theirs["the input"] = Path(args.input)
    if args.out is not None and args.rejects is not None:
        if args.out.resolve() == args.rejects.resolve():
            parser.error("--out and --rejects name the same file")
    for option in ("out", "rejects"):
        target = getattr(args, option)
        if target is None or not target.exists():
            continue
        for name, path in theirs.items():
            if path.exists() and os.path.samefile(target, path):
                parser.error(f"--{option} {target} is {name}; choose another file")


def _stop_on_signals(stop: threading.Event) -> None:
    """Ctrl-C or SIGTERM ends following cleanly; a second Ctrl-C ends it now."""

    def handle(signum, frame):
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    signal.signal(signal.SIGINT, handle)
    signal.signal(signal.SIGTERM, handle)
