"""The ``imblearn-vae`` command.

- ``compare``: which balancing helps my data (any labelled table).
- ``train``: fit a detector on a labelled table and write its model file.
- ``predict``: score a table of connections with it, or a file as it grows.
- ``serve``: the web application on gunicorn (``pip install
  'imblearn-vae[web]'``).
- ``user`` / ``token`` / ``db``: accounts, API tokens and the database of
  the web application.
"""

import argparse
import getpass
import sys
from typing import NoReturn

from .compare import command as compare_command
from .train import command as train_command


def _add_train(commands) -> argparse.ArgumentParser:
    train = commands.add_parser(
        "train",
        help="fit a detector on a labelled table and write its model file",
        description="Fit a detection pipeline (a balancing method, then a "
        "classifier) on a labelled table read as `compare` reads it, or on a "
        "comparison's best entry (--from-compare), or on NSL-KDD (no table); "
        "score it on the test rows and write one model file.",
        epilog=train_command.EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    train_command.add_arguments(train)
    return train


def _add_web(commands) -> None:
    site = _site_options()
    _add_serve(commands, site)
    _add_operator_commands(commands, site)


def _site_options() -> argparse.ArgumentParser:
    """The options every web command takes: where the site keeps its data."""
    site = argparse.ArgumentParser(add_help=False)
    site.add_argument(
        "--data-dir",
        help="the site's data folder: database, secret key, model (default: "
        "$IMBLEARN_VAE_DATA_DIR, else ~/.local/share/imblearn-vae)",
    )
    site.add_argument(
        "--database-url",
        help="SQLAlchemy URL of the database (default: $IMBLEARN_VAE_DATABASE_URL, "
        "else SQLite in the data folder)",
    )
    return site


def _add_serve(commands, site: argparse.ArgumentParser) -> None:
    serve = commands.add_parser(
        "serve",
        parents=[site],
        help="run the web application",
        description="Serve the detector's web application with gunicorn. With no "
        "arguments: SQLite, a secret key and a default model in the data folder, "
        "on http://127.0.0.1:8000. The first start with no model file trains the "
        "default model (about a minute on 2 free cores, with progress and time left).",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: %(default)s)",
    )
    serve.add_argument(
        "--port", type=int, default=8000, help="port (default: %(default)s)"
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=2,
        help="gunicorn worker processes; one per core is a good start "
        "(default: %(default)s)",
    )
    serve.add_argument(
        "--model",
        help="model file made by `imblearn-vae train` (default: $IMBLEARN_VAE_MODEL, "
        "else detector.model in the data folder, trained there when missing)",
    )
    serve.add_argument(
        "--data-home",
        help=train_command.DATA_HOME_HELP + "; read only to train the default model",
    )
    # the option's earlier name
    serve.add_argument("--nsl-kdd", dest="data_home", help=argparse.SUPPRESS)
    serve.add_argument(
        "--access-log",
        action="store_true",
        help="log each request on standard output (default: off)",
    )
    serve.add_argument(
        "--trusted-proxies",
        type=int,
        help="how many reverse proxies in front append to X-Forwarded-For "
        "(default: $IMBLEARN_VAE_TRUSTED_PROXIES, else 0: the peer's address is "
        "the client's)",
    )


def _add_operator_commands(commands, site: argparse.ArgumentParser) -> None:
    """``db``, ``user`` and ``token``: the operator's commands."""
    database = commands.add_parser("db", help="create or upgrade the database")
    database_commands = database.add_subparsers(dest="action", required=True)
    database_commands.add_parser(
        "upgrade",
        parents=[site],
        help="create the tables, or bring them to this version (migrations)",
    )

    user = commands.add_parser("user", help="create a user or reset a password")
    user_commands = user.add_subparsers(dest="action", required=True)
    for action, text in (
        ("create", "create a user"),
        ("reset-password", "set a user's password"),
    ):
        command = user_commands.add_parser(action, parents=[site], help=text)
        command.add_argument("username")
        command.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input",
        )
    user_commands.choices["reset-password"].add_argument(
        "--keep-tokens",
        action="store_true",
        help="keep the user's API tokens (by default they are revoked; the "
        "user's sessions end either way)",
    )

    token = commands.add_parser("token", help="create, list or revoke API tokens")
    token_commands = token.add_subparsers(dest="action", required=True)
    create = token_commands.add_parser("create", parents=[site])
    create.add_argument("username")
    create.add_argument("--name", default="command line")
    listing = token_commands.add_parser("list", parents=[site])
    listing.add_argument("username")
    revoke = token_commands.add_parser("revoke", parents=[site])
    revoke.add_argument("prefix", help="the token's prefix as `token list` shows")


def _add_predict(commands) -> argparse.ArgumentParser:
    from .predict import command as predict_command  # argparse only: cheap

    predict = commands.add_parser(
        "predict",
        help="score connections (CSV or Parquet, or a file as it grows)",
        description="Score each row of a table of connections with a detector "
        "file: its label and class probabilities as CSV; bad rows go to the "
        "rejects with their line and reason.",
        epilog=predict_command.EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    predict_command.add_arguments(predict)
    return predict


def build_parser() -> tuple[argparse.ArgumentParser, dict]:
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
    train = _add_train(commands)
    predict = _add_predict(commands)
    _add_web(commands)
    return parser, {"compare": compare, "train": train, "predict": predict}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser, subparsers = build_parser()
    args = parser.parse_args(argv)
    if args.command == "compare":
        try:
            import matplotlib  # noqa: F401  (the charts, drawn after the runs)

            from .compare import engine  # noqa: F401  (pandas)
        except ImportError as error:
            _needs_extra(parser, args.command, "compare", error)
        return compare_command.run(args, subparsers["compare"], argv[1:])
    if args.command == "train":
        try:
            from . import detector  # noqa: F401  (pandas)
        except ImportError as error:
            _needs_extra(parser, args.command, "web", error)
        return train_command.run(args, subparsers["train"], argv)
    if args.command == "predict":
        from .predict import command as predict_command

        return predict_command.run(args, subparsers["predict"])
    try:
        from .web import commands, server
    except ImportError as error:
        _needs_extra(parser, args.command, "web", error)
    try:
        if args.command == "serve":
            return server.serve(args)
        return commands.operate(args, _password)
    except (*commands.REFUSALS, ValueError, RuntimeError) as error:
        print(f"imblearn-vae {args.command}: error: {error}", file=sys.stderr)
        return 2


def _needs_extra(parser, command: str, extra: str, error: ImportError) -> NoReturn:
    """End with the command that installs the extra a subcommand needs."""
    if (error.name or "").startswith(__package__):
        raise error  # one of our modules is broken: not a missing extra
    parser.error(
        f"`{command}` needs the {extra} extra: pip install 'imblearn-vae[{extra}]' "
        f"(from a checkout: pip install '.[{extra}]'); {error}."
    )


def _password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat it: ") != first:
        raise ValueError("The passwords differ.")
    return first


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
