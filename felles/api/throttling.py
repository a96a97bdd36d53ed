"""The API's rate limits without a cache write per request (issue 19).

DRF's ``SimpleRateThrottle`` keeps, per client, the list of its request times in the cache and writes that list
back on every request. With the default cache (a table in the database, shared by every app server) that was a
write transaction per API call, and since every anonymous client behind one address shares one row, the
workers queued on that row's lock; at a high limit the list itself grows to one entry per request in the window.

``WindowedRateThrottle`` counts instead: one integer per client and window (a minute for "60/minute"), and the
estimate of the last full window is the current window's count plus the previous window's count weighted by how
much of it still lies within the last ``duration`` seconds (the "sliding window counter"). Each process adds up
its own requests and passes them on to the shared cache in batches: at once while the batch is small against
the limit (for the anonymous 60/minute that is every request, so such a client is limited exactly), otherwise
when ``batch`` requests have gathered or ``SYNC_SECONDS`` have passed; near the limit, the shared count is read
before each decision. A client can therefore get past the limit
by at most what the other processes have not passed on yet (under 1 % of the limit per process, or what it sent
in the last second), and the cache sees at most one write per client, process and second instead of one per
request. On Redis (``DJANGO_CACHE=redis``) the counters are added atomically; on the database cache as Django's
``incr`` does it there (read, then write).

DRF imports throttle classes from settings while it is itself being imported: no DRF views here."""

import math
import threading

from django.core.cache import cache as default_cache
from rest_framework.throttling import SimpleRateThrottle


class _Counter:
    __slots__ = ("last_sync", "pending", "shared")

    def __init__(self):
        self.shared = 0  # the window's count in the shared cache when this process last looked
        self.pending = 0  # this process's requests not yet added to it
        self.last_sync = 0.0


class WindowedRateThrottle(SimpleRateThrottle):
    cache = default_cache
    SYNC_SECONDS = 1.0
    BATCH_SHARE = 100  # pass counts on at least every 1/BATCH_SHARE of the limit
    # What this process knows, per cache key and window; old windows are dropped as new ones start.
    _local: dict[str, _Counter] = {}
    _previous: dict[str, int] = {}
    _lock = threading.Lock()

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.fraction = (self.now - window * self.duration) / self.duration
        current_key = f"{self.key}:{window}"
        previous_key = f"{self.key}:{window - 1}"
        batch = max(1, self.num_requests // self.BATCH_SHARE)
        with self._lock:
            counter = self._local.get(current_key)
            if counter is None:
                self._forget_windows_before(window)
                counter = self._local[current_key] = _Counter()
                counter.last_sync = -math.inf
            if previous_key not in self._previous:
                self._previous[previous_key] = self.cache.get(previous_key, 0)
            self.previous_count = self._previous[previous_key]
            # Near the limit, the shared count decides (another process, or a counter that expired or was
            # cleared); far from it, what this process saw at most SYNC_SECONDS ago is close enough.
            near = self._estimate(counter.shared + counter.pending) + batch >= self.num_requests
            if near or self.now - counter.last_sync >= self.SYNC_SECONDS:
                self._sync(current_key, counter)
            self.current_count = counter.shared + counter.pending
            if self._estimate(self.current_count) >= self.num_requests:
                return self.throttle_failure()
            counter.pending += 1
            if counter.pending >= batch:
                self._sync(current_key, counter)
        return self.throttle_success()

    def throttle_success(self):
        return True

    def _estimate(self, current: int) -> int:
        # Rounded up, so that a client's burst across the window's start is never let through beyond the limit.
        return current + math.ceil(self.previous_count * (1 - self.fraction))

    def _sync(self, key: str, counter: _Counter) -> None:
        timeout = 2 * self.duration + 1
        if counter.pending:
            if self.cache.add(key, counter.pending, timeout):
                counter.shared = counter.pending
            else:
                try:
                    counter.shared = self.cache.incr(key, counter.pending)
                except ValueError:  # expired between add and incr
                    self.cache.set(key, counter.pending, timeout)
                    counter.shared = counter.pending
        else:
            counter.shared = self.cache.get(key, 0)
        counter.pending = 0
        counter.last_sync = self.now

    def _forget_windows_before(self, window: int) -> None:
        for key in [k for k in self._local if int(k.rsplit(":", 1)[1]) < window]:
            del self._local[key]
        for key in [k for k in self._previous if int(k.rsplit(":", 1)[1]) < window - 1]:
            del self._previous[key]

    def wait(self):
        """Seconds until the estimate falls below the limit again (the Retry-After of a 429)."""
        left_in_window = (1 - self.fraction) * self.duration
        if self.current_count >= self.num_requests or not self.previous_count:
            return left_in_window
        # The previous window's weight must fall until current + previous × (1 - f) < limit.
        needed = 1 - (self.num_requests - self.current_count - 1) / self.previous_count
        return max(0.0, min(left_in_window, (needed - self.fraction) * self.duration)) or 1.0

    @classmethod
    def forget(cls) -> None:
        """Drop what this process knows (tests: another process, or a fresh start)."""
        with cls._lock:
            cls._local.clear()
            cls._previous.clear()
