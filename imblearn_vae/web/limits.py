"""Rate limits of the API (Flask-Limiter), per token and per address.

Flask-Limiter is the Flask project's rate limiter: it counts in memory
(:class:`WorkerMemoryStorage`), or in Redis / Memcached when
``RATELIMIT_STORAGE_URI`` names one (needed for one count across gunicorn
workers: in memory each worker counts alone), and
answers a request over its limit with 429 and ``Retry-After``. OWASP ASVS
4.0 V11.1.4 (anti-automation), V2.2.1 (no unlimited guessing of tokens).
"""

import hashlib
import itertools

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import MemoryStorage


class WorkerMemoryStorage(MemoryStorage):
    """limits' in-memory counts (``worker-memory://``), without a thread per
    request.

    ``memory://`` starts a timer thread on a count whenever the last one has
    run out (10 ms later): nearly every API request started a thread, about a
    tenth of a one-row request's time. Fixed windows, the site's, expire when
    read; the counts of clients that do not come back are swept every
    :data:`SWEEP_EVERY` counts instead.
    """

    STORAGE_SCHEME = ["worker-memory"]
    SWEEP_EVERY = 1000

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._counts = itertools.count()

    def _MemoryStorage__schedule_expiry(self) -> None:  # limits' private hook
        if next(self._counts) % self.SWEEP_EVERY == 0:
            self._MemoryStorage__expire_events()


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
