"""The application factory."""

from flask import Flask, jsonify, render_template, request
from flask_login import LoginManager
from flask_wtf.csrf import CSRFError, CSRFProtect

from ..detector import load_detector
from .models import User, db
from .settings import from_environment

csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to see that page."


@login_manager.user_loader
def _load_user(user_id: str):
    return db.session.get(User, int(user_id))


def create_app(config: dict | None = None) -> Flask:
    """Build the application.

    Parameters
    ----------
    config : dict, optional
        Settings that override the environment (see
        :mod:`imblearn_vae.web.settings`): ``SECRET_KEY``, ``DATABASE_URL``,
        ``MODEL`` (the detector file, read from this operator-given path
        only), ``DATA_DIR``, ``MAX_UPLOAD_BYTES``, ``MAX_ROWS``,
        ``SECURE_COOKIES``, and any Flask setting.

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
    app.config.update(
        SQLALCHEMY_DATABASE_URI=settings["DATABASE_URL"],
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        MAX_CONTENT_LENGTH=settings["MAX_UPLOAD_BYTES"],
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings["SECURE_COOKIES"],
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings["SECURE_COOKIES"],
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
    )
    app.config.update(settings)
    app.extensions["detector"] = load_detector(settings["MODEL"])

    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)

    from . import api, auth, pages, tokens

    app.register_blueprint(auth.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(tokens.blueprint)
    app.register_blueprint(api.blueprint)
    csrf.exempt(api.blueprint)  # bearer tokens, no cookies: nothing to forge

    _register_error_pages(app)
    app.after_request(_security_headers)
    with app.app_context():
        db.create_all()
    return app


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _register_error_pages(app: Flask) -> None:
    def page(status: int, title: str, message: str):
        if _wants_json():
            return jsonify({"errors": [{"field": "", "message": message}]}), status
        return render_template("error.html", title=title, message=message), status

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return page(
            400,
            "Form expired or forged",
            f"The form was refused: {error.description} Reload the page and try again.",
        )

    @app.errorhandler(413)
    def too_large(error):
        limit = app.config["MAX_UPLOAD_BYTES"] // 1024
        return page(
            413, "Too large", f"The request is larger than the limit of {limit:,} KiB."
        )

    @app.errorhandler(404)
    def not_found(error):
        return page(404, "Not found", "There is no such page.")

    @app.errorhandler(405)
    def not_allowed(error):
        return page(405, "Not allowed", "This address does not take that method.")


def _security_headers(response):
    headers = response.headers
    headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; object-src 'none'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    )
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    return response
