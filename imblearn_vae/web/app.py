"""The application factory."""

from flask import Flask
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from ..detector import Scorer, load_detector
from . import guards, sessions
from .database import MIGRATIONS, enforce_foreign_keys, keep_sqlite_private, tune_sqlite
from .errors import register_error_pages, security_headers
from .limits import make_limiter
from .models import db
from .settings import from_environment

csrf = CSRFProtect()
migrate = Migrate()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to see that page."
login_manager.user_loader(sessions.load_user)


def create_app(config: dict | None = None, *, with_model: bool = True) -> Flask:
    """Build the application.

    The database is not created here: ``imblearn-vae db upgrade`` does that
    (:mod:`imblearn_vae.web.database`).

    Parameters
    ----------
    config : dict, optional
        Settings that override the environment (see
        :mod:`imblearn_vae.web.settings`): ``SECRET_KEY``, ``DATABASE_URL``,
        ``MODEL`` (the detector file, read from this operator-given path
        only) or ``DETECTOR`` (a :class:`~imblearn_vae.detector.Detector`
        object, as tests give), ``DATA_DIR``, ``MAX_UPLOAD_BYTES``,
        ``MAX_ROWS``, ``SECURE_COOKIES``, ``TRUSTED_PROXIES``, the rate
        limits, and any Flask setting.
    with_model : bool, default=True
        False for the operators' commands, which need only the database.

    Raises
    ------
    RuntimeError
        Without a secret key.
    imblearn_vae.detector.DetectorFileError
        If the model file is missing, damaged or of another version.
    """
    settings = from_environment(config)
    if not settings["SECRET_KEY"]:
        raise RuntimeError(
            "No secret key: set IMBLEARN_VAE_SECRET_KEY to a long random string "
            "(python -c 'import secrets; print(secrets.token_hex(32))'). "
            "`imblearn-vae serve` makes one in the data folder when it is unset."
        )
    app = Flask(__name__)
    _configure(app, settings, with_model)
    db.init_app(app)
    with app.app_context():
        keep_sqlite_private(db.engine, settings["DATA_DIR"])
        tune_sqlite(db.engine)
        enforce_foreign_keys(db.engine)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    # before the CSRF check reads forms
    app.before_request(guards.refuse_long_streams)
    app.before_request(guards.refuse_nul_characters)
    csrf.init_app(app)
    login_manager.init_app(app)
    _register_blueprints(app)
    app.extensions["imblearn_vae_limiter"] = make_limiter(app)
    register_error_pages(app)
    app.after_request(security_headers)
    return app


class RowId(IntegerConverter):
    """A row id in a path (``<id:name>``): 1 to 2**63 - 1, what the database's
    ids can be. Any other number does not match the route, a 404; werkzeug's
    ``int`` alone takes any size, and an id past the database's integers
    was a 500 with its traceback in the log."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=2**63 - 1)


def _register_blueprints(app: Flask) -> None:
    """The site's areas: log-in, account, pages, history, model, data, tokens,
    API."""
    from . import account, api, auth, data_page, history, model_page, pages, tokens

    app.url_map.converters["id"] = RowId  # before the routes that use it
    for area in (auth, account, pages, history, model_page, data_page, tokens, api):
        app.register_blueprint(area.blueprint)
    csrf.exempt(api.blueprint)  # bearer tokens, no cookies: nothing to forge


def _configure(app: Flask, settings: dict, with_model: bool) -> None:
    """Flask's settings, the model, and the proxies to look through."""
    sqlite = settings["DATABASE_URL"].startswith("sqlite")
    app.config.update(
        SQLALCHEMY_DATABASE_URI=settings["DATABASE_URL"],
        # A server's connection can drop (a restart): test it before use. A
        # file cannot, and the test would cost a query per request.
        SQLALCHEMY_ENGINE_OPTIONS={} if sqlite else {"pool_pre_ping": True},
        MAX_CONTENT_LENGTH=settings["MAX_UPLOAD_BYTES"],
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings["SECURE_COOKIES"],
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
    )
    app.config.update(settings)
    if with_model:
        detector = settings.get("DETECTOR") or load_detector(settings["MODEL"])
        app.extensions["detector"] = detector
        app.extensions["scorer"] = Scorer(detector)
    proxies = settings["TRUSTED_PROXIES"]
    if proxies:
        # Each trusted proxy appends the address it saw; the client's is the
        # one `proxies` entries from the end. Anything before it is the
        # client's to forge and is ignored.
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0, x_prefix=0
        )
