"""The rate limiter's in-memory counts (``worker-memory://``): limits'
``memory://`` without a timer thread per request, still counting and
forgetting as it does (issue 23, speed under load)."""

import threading
import time

from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from imblearn_vae.web.limits import WorkerMemoryStorage


def test_the_site_counts_in_worker_memory(app):
    limiter = app.extensions["imblearn_vae_limiter"]
    assert app.config["RATELIMIT_STORAGE_URI"] == "worker-memory://"
    assert isinstance(limiter.storage, WorkerMemoryStorage)


def test_counting_starts_no_thread():
    storage = storage_from_string("worker-memory://")
    before = threading.active_count()
    for index in range(200):
        storage.incr(f"client-{index}", expiry=60)
    assert threading.active_count() <= before
    # limits' own storage starts a timer on the first count after one ran out
    plain = storage_from_string("memory://")
    time.sleep(0.05)
    plain.incr("client", expiry=60)
    assert any(isinstance(t, threading.Timer) for t in threading.enumerate())


def test_a_window_still_limits_then_expires():
    limiter = FixedWindowRateLimiter(storage_from_string("worker-memory://"))
    rate = RateLimitItemPerSecond(3)
    assert [limiter.hit(rate, "token") for _ in range(4)] == [True] * 3 + [False]
    time.sleep(1.1)
    assert limiter.hit(rate, "token")


def test_clients_that_do_not_come_back_are_swept():
    storage = storage_from_string("worker-memory://")
    storage.incr("gone", expiry=0.01)
    time.sleep(0.05)
    for index in range(WorkerMemoryStorage.SWEEP_EVERY):
        storage.incr(f"client-{index}", expiry=60)
    assert "gone" not in storage.storage
    assert "client-0" in storage.storage
