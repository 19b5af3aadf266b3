"""Django's Redis cache with one client, and so one connection pool, per process; and counters in one round trip.

Django keeps a cache object per async context, and under ASGI every request runs in a context of its own: the
stock backend built a new client for each request, which opened a new connection to Redis (with its handshake)
for the rate limits of every Open311 POST. The client is thread-safe, so here every cache object of a process
with the same location and options shares one. The stock client also built a `redis.Redis` (with its table of
reply parsers) for every command, which cost more than the command: here it keeps one per connection pool.

`count_hits` adds one to several counters at once (the abuse limits of a report): one round trip on Redis, the
plain add-or-increment on other backends.
"""

import threading

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from django.utils.functional import cached_property

_clients: dict[str, object] = {}
_clients_lock = threading.Lock()


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._redis: dict[int, object] = {}
        self._redis_lock = threading.Lock()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._redis.get(id(pool))
        if client is None:
            with self._redis_lock:
                client = self._redis.setdefault(id(pool), self._client(connection_pool=pool))
        return client

    def count_hits(self, keys: list[tuple[str, int]], amount: int = 1) -> list[int]:
        client = self.get_client(write=True)
        # MULTI/EXEC: a counter cannot expire between its creation and its increment (INCR on a missing key
        # would create one that never expires).
        with client.pipeline(transaction=True) as pipe:
            for key, timeout in keys:
                pipe.set(key, 0, ex=timeout, nx=True)
                pipe.incr(key, amount)
            replies = pipe.execute()
        return [int(value) for value in replies[1::2]]


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    @cached_property
    def _cache(self):
        key = repr((self._servers, sorted(self._options.items())))
        with _clients_lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = self._class(self._servers, **self._options)
            return client

    def count_hits(self, keys: list[tuple[str, int]], version=None, amount: int = 1) -> list[int]:
        keys = [(self.make_and_validate_key(key, version=version), t) for key, t in keys]
        return self._cache.count_hits(keys, amount)

    def clear(self) -> None:
        """Only this cache's keys when it has a KEY_PREFIX: Django's clear() empties the whole Redis database, and
        with it the counters of every other process sharing it (other sites, the test suite's other workers, whose
        rate-limit counts vanished mid-test)."""
        if not self.key_prefix:
            return super().clear()
        client = self._cache.get_client(write=True)
        batch = []
        for key in client.scan_iter(match=f"{self.key_prefix}:*", count=1000):
            batch.append(key)
            if len(batch) == 1000:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
        return None


def count_hits(cache, keys: list[tuple[str, int]], amount: int = 1) -> list[int]:
    """Adds `amount` (one request, or a batch's readings) to each (key, timeout in seconds) counter, creating it
    with that timeout when missing, and returns the new counts, in order."""
    counter = getattr(cache, "count_hits", None)
    if counter is not None:
        return counter(keys, amount=amount)
    counts = []
    for key, timeout in keys:
        if cache.add(key, amount, timeout=timeout):
            counts.append(amount)
            continue
        try:
            counts.append(cache.incr(key, amount))
        except ValueError:  # expired between add and incr
            cache.add(key, amount, timeout=timeout)
            counts.append(amount)
    return counts
