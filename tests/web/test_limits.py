"""The rate limiter's in-memory counts (``worker-memory://``): limits'
``memory://`` without a timer thread per request, still counting and
forgetting as it does (issue 23, speed under load), built on limits' public
storage interface only (issue 29, item 7)."""

import threading
import time

import pytest
from limits import RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

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
    assert "gone" not in storage.counts
    assert "client-0" in storage.counts


def test_it_uses_limits_public_storage_interface_only():
    """No private name of limits is touched: the class derives from the
    documented base of custom storages, not MemoryStorage, and defines no
    name-mangled method of another class."""
    assert issubclass(WorkerMemoryStorage, Storage)
    assert not issubclass(WorkerMemoryStorage, MemoryStorage)
    mangled = [name for name in vars(WorkerMemoryStorage) if "__" in name.strip("_")]
    assert mangled == []


def test_window_stats_clear_and_reset_work_as_in_limits():
    storage = storage_from_string("worker-memory://")
    limiter = FixedWindowRateLimiter(storage)
    rate = RateLimitItemPerMinute(2)
    assert limiter.hit(rate, "a") and limiter.hit(rate, "a")
    assert not limiter.test(rate, "a")
    reset_at, remaining = limiter.get_window_stats(rate, "a")
    assert remaining == 0 and 55 < reset_at - time.time() <= 60
    limiter.clear(rate, "a")
    assert limiter.test(rate, "a")
    limiter.hit(rate, "b")
    assert storage.check() and storage.reset() == 1
    assert limiter.get_window_stats(rate, "b").remaining == 2


def test_another_strategy_is_refused_saying_so():
    with pytest.raises(NotImplementedError, match="WorkerMemoryStorage"):
        MovingWindowRateLimiter(storage_from_string("worker-memory://"))
