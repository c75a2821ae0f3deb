"""Rate limits of the API (Flask-Limiter), per token and per address.

Flask-Limiter is the Flask project's rate limiter: it counts in memory, or in
Redis / Memcached when ``RATELIMIT_STORAGE_URI`` names one (needed for one
count across gunicorn workers: in memory each worker counts alone), and
answers a request over its limit with 429 and ``Retry-After``. OWASP ASVS
4.0 V11.1.4 (anti-automation), V2.2.1 (no unlimited guessing of tokens).
"""

import hashlib

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address


def token_key() -> str:
    """The bearer token's hash (each token counts alone; no secret kept)."""
    secret = request.headers.get("Authorization", "").partition(" ")[2].strip()
    return "token:" + hashlib.sha256(secret.encode()).hexdigest()[:32]


def _setting(name: str):
    return lambda: current_app.config[name]


def make_limiter(app: Flask) -> Limiter:
    """A limiter for ``app``, with the API blueprint's limits applied."""
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
    )
    from .api import blueprint

    limiter.limit(_setting("API_RATE_LIMIT"), key_func=token_key)(blueprint)
    limiter.limit(_setting("API_ADDRESS_RATE_LIMIT"))(blueprint)
    limiter.limit(
        _setting("API_AUTH_FAILURE_LIMIT"),
        deduct_when=lambda response: response.status_code == 401,
    )(blueprint)
    return limiter
