"""Rate limits of the API and of sign-up (Flask-Limiter).

Flask-Limiter is the Flask project's rate limiter: it counts in memory
(:class:`WorkerMemoryStorage`), or in Redis / Memcached when
``RATELIMIT_STORAGE_URI`` names one (needed for one count across gunicorn
workers: in memory each worker counts alone), and
answers a request over its limit with 429 and ``Retry-After``. The API's
limits count per token and per address, sign-up tries per address. OWASP
ASVS 4.0 V11.1.4 (anti-automation), V2.2.1 (no unlimited guessing of
tokens).
"""

import hashlib
import itertools
import threading
import time

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import Storage


class WorkerMemoryStorage(Storage):
    """Fixed-window counts in this worker's memory (``worker-memory://``),
    without a thread per request.

    limits' ``memory://`` starts a timer thread on a count whenever the last
    one has run out (10 ms later): nearly every API request started a
    thread, about a tenth of a one-row request's time. This storage is built
    on limits' public interface for custom storages (subclass
    :class:`limits.storage.Storage`, implement its abstract methods, name
    the scheme in ``STORAGE_SCHEME``), not on ``MemoryStorage``'s private
    expiry hook, so it does not depend on how that class works inside.
    It serves fixed windows, the site's strategy (Flask-Limiter's default);
    a count is reset when read after its window, and the counts of clients
    that do not come back are swept every :data:`SWEEP_EVERY` counts.
    """

    STORAGE_SCHEME = ["worker-memory"]
    SWEEP_EVERY = 1000

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **_):
        #: key -> (count, time.time() at which the window ends)
        self.counts: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()
        self._calls = itertools.count()
        super().__init__(uri, wrap_exceptions=wrap_exceptions)

    @property
    def base_exceptions(self) -> type[Exception]:
        return ValueError

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        with self._lock:
            if next(self._calls) % self.SWEEP_EVERY == 0:
                self.counts = {k: v for k, v in self.counts.items() if v[1] > now}
            count, ends = self.counts.get(key, (0, 0.0))
            if ends <= now:  # a new window starts with this count
                count, ends = 0, now + expiry
            self.counts[key] = (count + amount, ends)
            return count + amount

    def get(self, key: str) -> int:
        count, ends = self.counts.get(key, (0, 0.0))
        return count if ends > time.time() else 0

    def get_expiry(self, key: str) -> float:
        _, ends = self.counts.get(key, (0, 0.0))
        return ends if ends > time.time() else time.time()

    def check(self) -> bool:
        return True  # memory is always there

    def reset(self) -> int:
        with self._lock:
            cleared, self.counts = len(self.counts), {}
        return cleared

    def clear(self, key: str) -> None:
        with self._lock:
            self.counts.pop(key, None)


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
    # Every sign-up try counts, a taken name's included: one address can
    # neither make accounts by the dozen nor probe which names exist.
    signup = app.view_functions["auth.signup"]
    app.view_functions["auth.signup"] = limiter.limit(
        _setting("SIGNUP_RATE_LIMIT"), methods=["POST"]
    )(signup)
    return limiter
