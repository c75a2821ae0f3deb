"""The ``imblearn-vae`` command: ``compare`` (and the web application's commands)."""

import argparse
import sys

from .compare import command as compare_command


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="imblearn-vae",
        description="Deep conditional generative over-samplers for imbalanced data.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    compare = commands.add_parser(
        "compare",
        help="which balancing helps my data: methods x seeds x classifiers",
        description="Compare balancing methods on a labelled table: mean ± std "
        "over seeds, per-class recall and F1, fit_resample seconds.",
        epilog=compare_command.EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    compare_command.add_arguments(compare)
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    if args.command == "compare":
        return compare_command.run(args, compare, argv[1:])
    return 2  # pragma: no cover - argparse refuses unknown commands


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
