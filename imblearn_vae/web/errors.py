"""Error answers and the headers every answer gets.

The API answers every error in JSON, whatever broke; the pages answer with
the site's own page. Neither shows a traceback or names the software.
"""

from flask import Flask, current_app, jsonify, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException, InternalServerError

#: The Content-Security-Policy of every page: only this site's own files.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


#: What a request whose rows the database refused is told (a 409).
REFUSED_ROWS = (
    "The database refused this request's rows because of a change made "
    "meanwhile (the account or its token deleted, say); nothing was stored."
)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_page(status: int, title: str, message: str, field: str = ""):
    if wants_json():
        body = {"errors": [{"row": 0, "field": field, "message": message}]}
        return jsonify(body), status
    return render_template("error.html", title=title, message=message), status


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return error_page(
            400,
            "Form expired or forged",
            f"The form was refused: {error.description} Reload the page and try again.",
        )

    @app.errorhandler(413)
    def too_large(error):
        limit = app.config["MAX_UPLOAD_BYTES"] // 1024
        return error_page(
            413, "Too large", f"The request is larger than the limit of {limit:,} KiB."
        )

    @app.errorhandler(429)
    def too_many(error):
        # Flask-Limiter adds Retry-After to this answer after the handler.
        return error_page(
            429,
            "Too many requests",
            f"Too many requests ({error.description}); try again later.",
            field="Authorization" if wants_json() else "",
        )

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code == 404:
            return error_page(404, "Not found", "There is no such page.")
        return error_page(error.code, error.name, error.description)

    @app.errorhandler(IntegrityError)
    def refused_rows(error):
        # The database's constraints refused what a request stored (its
        # account deleted meanwhile, by another of its requests): the
        # transaction is rolled back, so nothing of it is kept. The API's
        # own handler (api.predict) first looks for a stored retry.
        from .models import db

        db.session.rollback()
        current_app.logger.warning("rows refused on %s: %s", request.path, error.orig)
        return error_page(409, "Not stored", REFUSED_ROWS)

    @app.errorhandler(Exception)
    def unexpected(error):
        # Logged with its traceback for the operator; the visitor gets the
        # site's page (or JSON) without it.
        current_app.logger.exception("unexpected error on %s", request.path)
        return error_page(
            500,
            "Something went wrong",
            "The server could not answer this request; it is logged.",
        )

    app.register_error_handler(InternalServerError, unexpected)


def security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    private = request.path.startswith("/api/") or (
        current_user and current_user.is_authenticated
    )
    if private:
        # A user's pages, downloads and API answers stay out of shared and
        # browser caches (OWASP ASVS 4.0 V8.2.1).
        headers["Cache-Control"] = "no-store"
    return response
