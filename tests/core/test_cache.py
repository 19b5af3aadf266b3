"""The process-wide Redis cache client and counters counted in one round trip (mueve.core.cache), on a real Redis."""

import os
import uuid

import pytest
from django.core.cache.backends.locmem import LocMemCache

from mueve.core.cache import RedisCache, count_hits
from tests.realtime.servers import redis_reachable

REDIS_URL = os.environ.get("MUEVE_TEST_C_REDIS_URL", "redis://127.0.0.1:6379/5")
needs_redis = pytest.mark.skipif(not redis_reachable(REDIS_URL), reason="needs Redis")
pytestmark = pytest.mark.redis


def _redis_cache() -> RedisCache:
    return RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})


@needs_redis
def test_counters_start_at_one_grow_and_expire_with_their_timeout():
    cache = _redis_cache()
    assert count_hits(cache, [("a", 30), ("b", 60)]) == [1, 1]
    assert count_hits(cache, [("a", 30), ("b", 60)]) == [2, 2]
    assert count_hits(cache, [("b", 60)]) == [3]
    # Readable as ordinary cache values, and each with its own expiry.
    assert cache.get("a") == 2 and cache.get("b") == 3
    client = cache._cache.get_client(write=True)
    assert 0 < client.ttl(cache.make_key("a")) <= 30
    assert 30 < client.ttl(cache.make_key("b")) <= 60
    cache.delete_many(["a", "b"])


@needs_redis
def test_one_redis_client_per_process_for_every_cache_object_and_command():
    first, second = _redis_cache(), _redis_cache()
    first.set("x", "uno")
    assert second.get("x") is None  # another key prefix, the same Redis
    assert first._cache is RedisCache(REDIS_URL, {"KEY_PREFIX": first.key_prefix})._cache
    assert first._cache.get_client(write=True) is first._cache.get_client(write=True)
    first.delete("x")


def test_other_backends_count_with_add_and_incr():
    cache = LocMemCache(f"test-{uuid.uuid4().hex}", {})
    assert count_hits(cache, [("a", 30), ("b", 30)]) == [1, 1]
    assert count_hits(cache, [("a", 30)]) == [2]
    assert cache.get("a") == 2
