"""``imblearn-vae serve``: the site on gunicorn, set up in one command."""

import os
from pathlib import Path

from ..detector import read_header
from .settings import from_environment, secret_key_file
from .training import train_default


def prepare(args) -> dict:
    """The settings of ``serve``: data folder, secret key, database, model.

    Trains the default model (:mod:`.training`) when the model file does
    not exist and none was named.
    """
    settings = from_environment(
        {
            "DATA_DIR": args.data_dir,
            "DATABASE_URL": args.database_url,
            "MODEL": args.model,
            "TRUSTED_PROXIES": args.trusted_proxies,
        }
    )
    folder = Path(settings["DATA_DIR"])
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not settings["SECRET_KEY"]:
        settings["SECRET_KEY"] = secret_key_file(folder)
    model = Path(settings["MODEL"])
    named = args.model or os.environ.get("IMBLEARN_VAE_MODEL")
    if not model.exists() and not named:
        train_default(model, args.data_home)
    read_header(model)  # a clear error now rather than in every worker
    return settings


def serve(args) -> int:
    """Run the site with gunicorn on ``args.host:args.port``."""
    from gunicorn.app.base import BaseApplication

    from .app import create_app
    from .database import check_database, upgrade_database

    settings = prepare(args)
    # Built once, before forking: the model's version and damage are checked
    # here, and the workers share it.
    app = create_app(settings)
    if _first_start(settings):
        upgrade_database(app)
        print(f"created the database {settings['DATABASE_URL']}", flush=True)
    check_database(app)

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("timeout", 120)
            self.cfg.set("accesslog", "-" if args.access_log else None)
            self.cfg.set("preload_app", True)
            self.cfg.set("post_fork", _post_fork)
            hide_server_name()

        def load(self):
            return app

    print(
        f"serving on http://{args.host}:{args.port} with {args.workers} workers "
        f"(database {_redacted(settings['DATABASE_URL'])}, model "
        f"{settings['MODEL']}, {settings['TRUSTED_PROXIES']} trusted proxies)",
        flush=True,
    )
    Server().run()
    return 0


def _first_start(settings: dict) -> bool:
    """Whether this is the default SQLite database, not made yet.

    The one-command start (`imblearn-vae serve` and nothing else) makes it;
    any other database is made and upgraded by `imblearn-vae db upgrade`.
    """
    default = f"sqlite:///{Path(settings['DATA_DIR']) / 'imblearn-vae.sqlite3'}"
    path = Path(settings["DATA_DIR"]) / "imblearn-vae.sqlite3"
    return settings["DATABASE_URL"] == default and not path.exists()


def hide_server_name() -> None:
    """gunicorn's answers name no software (``Server: -``).

    gunicorn writes "Server: gunicorn" into every answer from a module
    variable and has no setting for it; naming no software gives a scanner
    one clue less (OWASP ASVS 4.0 V14.3.3). ``serve`` and the plain-gunicorn
    entry point (:mod:`.wsgi`) both call this; without gunicorn it does
    nothing.
    """
    try:
        from gunicorn.http import wsgi
    except ImportError:  # another WSGI server
        return
    wsgi.SERVER = "-"


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
