"""A Redis cache that turns into no cache while Redis is unreachable.

Pages read thumbnails, category URLs and listing fragments through the cache:
a Redis outage must cost speed, never the page. While Redis fails, every call
answers like Django's dummy cache (a miss, nothing stored) and Redis is not tried
again for ``RETRY_AFTER`` seconds, so a hanging Redis costs one short socket
timeout per worker and interval, not one per cache call. The outage is logged
once when it starts and once when it ends.
"""

import logging
import threading
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("shop.cache")

UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class _Outage:
    """Whether one Redis location is known to be down; shared by every thread's cache object."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.down = False

    def skipping(self) -> bool:
        return self.down and time.monotonic() < self.down_until

    def failed(self, location: str, exc: Exception, retry_after: float) -> None:
        with self.lock:
            self.down_until = time.monotonic() + retry_after
            if not self.down:
                self.down = True
                logger.error("Redis cache at %s is unreachable, serving without a cache: %s", location, exc)

    def succeeded(self, location: str) -> None:
        if self.down:
            with self.lock:
                if self.down:
                    self.down = False
                    logger.warning("Redis cache at %s answers again", location)


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(location: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


class _ReusedClient(RedisCacheClient):
    """Django's client builds a redis.Redis (and its table of ~170 reply callbacks) for every cache call, a fifth
    of a small get; one per connection pool serves every call and thread alike."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


# KEYS[1] := ARGV[1] (an integer) unless it holds a larger one; ARGV[2] seconds to live when set.
_RAISE_TO = """
local current = tonumber(redis.call('GET', KEYS[1]))
if current == nil or current < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return 1
end
return 0
"""


class ResilientRedisCache(RedisCache):
    RETRY_AFTER = 30.0
    SOCKET_TIMEOUT = 0.5

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", self.RETRY_AFTER))
        options.setdefault("socket_connect_timeout", self.SOCKET_TIMEOUT)
        options.setdefault("socket_timeout", self.SOCKET_TIMEOUT)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = _ReusedClient
        self._location = ",".join(self._servers)
        self._outage = _outage_for(self._location)

    def raise_to(self, key: str, number: int, timeout: int) -> None:
        """Set ``key`` to ``number`` unless it already holds a larger number, in one atomic step, so writers
        racing each other never lower it (``search.cache``: the catalogue version). Nothing while Redis is down."""
        key = self.make_and_validate_key(key)

        def call():
            # Django stores an int as its digits (RedisSerializer), so get() reads it back as an int.
            self._cache.get_client(key, write=True).eval(_RAISE_TO, 1, key, int(number), int(timeout))

        self._guarded(call, lambda: None)

    def _guarded(self, call, fallback):
        if self._outage.skipping():
            return fallback()
        try:
            result = call()
        except UNREACHABLE as exc:
            self._outage.failed(self._location, exc, self.retry_after)
            return fallback()
        self._outage.succeeded(self._location)
        return result

    def ping(self) -> None:
        """Ask Redis directly, past the outage memory; raises when it does not answer (the health check)."""
        try:
            self._cache.get_client(write=True).ping()
        except UNREACHABLE as exc:
            self._outage.failed(self._location, exc, self.retry_after)
            raise
        self._outage.succeeded(self._location)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), lambda: True)

    def get(self, key, default=None, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).get(key, default, version), lambda: default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), lambda: None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).touch(key, timeout, version), lambda: False)

    def delete(self, key, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).delete(key, version), lambda: False)

    def get_many(self, keys, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).get_many(keys, version), dict)

    def has_key(self, key, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).has_key(key, version), lambda: False)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)")

        return self._guarded(lambda: super(ResilientRedisCache, self).incr(key, delta, version), missing)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), list)

    def delete_many(self, keys, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).delete_many(keys, version), lambda: None)

    def clear(self):
        return self._guarded(lambda: super(ResilientRedisCache, self).clear(), lambda: None)
