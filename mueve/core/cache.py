"""Django's Redis cache with one client, and so one connection pool, per process.

Django keeps a cache object per async context, and under ASGI every request runs in a context of its own: the
stock backend built a new client for each request, which opened a new connection to Redis (with its handshake)
for the rate limits of every Open311 POST. The client is thread-safe, so here every cache object of a process
with the same location and options shares one.
"""

import threading

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.utils.functional import cached_property

_clients: dict[str, object] = {}
_clients_lock = threading.Lock()


class RedisCache(DjangoRedisCache):
    @cached_property
    def _cache(self):
        key = repr((self._servers, sorted(self._options.items())))
        with _clients_lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = self._class(self._servers, **self._options)
            return client
