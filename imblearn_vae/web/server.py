"""``imblearn-vae serve``: the site on gunicorn, set up in one command."""

import os
from pathlib import Path

from ..detector import load_detector, read_header, save_detector, train_detector
from .operator import secret_key_file
from .settings import from_environment

#: The model made on first start when there is none: no minute-long wait for
#: a first look. `imblearn-vae train` makes others.
DEFAULT_MODEL = {"sampler": "dcbn-vae", "classifier": "dt", "target": "category"}


def prepare(args) -> dict:
    """The settings of ``serve``: data folder, secret key, database, model.

    Trains the default model when the model file does not exist and none was
    named.
    """
    settings = from_environment(
        {
            "DATA_DIR": args.data_dir,
            "DATABASE_URL": args.database_url,
            "MODEL": args.model,
        }
    )
    folder = Path(settings["DATA_DIR"])
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not settings["SECRET_KEY"]:
        settings["SECRET_KEY"] = secret_key_file(folder)
    model = Path(settings["MODEL"])
    named = args.model or os.environ.get("IMBLEARN_VAE_MODEL")
    if not model.exists() and not named:
        print(
            f"No model at {model}: training the default detector "
            f"({DEFAULT_MODEL}) on NSL-KDD ...",
            flush=True,
        )
        detector = train_detector(
            **DEFAULT_MODEL, data_home=args.nsl_kdd, command="imblearn-vae serve"
        )
        save_detector(detector, model)
        print(
            f"saved {model}; KDDTest+ weighted F1 "
            f"{100 * detector.scores['f1_weighted']:.1f}%",
            flush=True,
        )
    read_header(model)  # a clear error now rather than in every worker
    return settings


def serve(args) -> int:
    """Run the site with gunicorn on ``args.host:args.port``."""
    from gunicorn.app.base import BaseApplication

    from .app import create_app

    settings = prepare(args)
    load_detector(settings["MODEL"])  # version and damage checked before forking

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("timeout", 120)
            self.cfg.set("accesslog", "-" if args.access_log else None)
            # The app (and its model) is built once and shared by the workers.
            self.cfg.set("preload_app", True)
            self.cfg.set("post_fork", _post_fork)

        def load(self):
            return create_app(settings)

    print(
        f"serving on http://{args.host}:{args.port} with {args.workers} workers "
        f"(database {_redacted(settings['DATABASE_URL'])}, model "
        f"{settings['MODEL']})",
        flush=True,
    )
    Server().run()
    return 0


def _post_fork(server, worker):
    # Connections opened before the fork must not be shared between workers.
    from .models import db

    app = server.app.callable
    with app.app_context():
        db.engine.dispose(close=False)


def _redacted(url: str) -> str:
    if "@" not in url:
        return url
    scheme, _, rest = url.partition("://")
    return f"{scheme}://***@{rest.split('@', 1)[1]}"
