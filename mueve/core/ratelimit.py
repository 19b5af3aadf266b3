"""Fixed-window rate limits counted in the cache: "at most N per period" for each of several senders at once.

A window is the period's slice of the clock (this hour, this minute), so a counter is one cache key that
expires with its window: no list of timestamps per sender. Every limit of one request is counted in one round
trip on Redis (`mueve.core.cache.count_hits`).
"""

import hashlib
import time

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from mueve.core.cache import count_hits

UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "s": 1, "m": 60, "h": 3600, "d": 86400}
# (count, period in seconds); None is no limit.
Rate = tuple[int, int]


class RateLimited(Exception):
    """Past a limit; views answer 429 with Retry-After."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def parse_rate(text: str, *, setting: str) -> Rate | None:
    """ "10/hour" → (10, 3600); "off", "0" or "" → None (no limit). `setting` names the source in the error."""
    text = (text or "").strip().lower()
    if text in ("", "0", "off", "none"):
        return None
    try:
        count, unit = text.split("/", 1)
        return int(count), UNITS[unit.strip()]
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"{setting}: expected like '10/hour', got {text!r}") from exc


def hit(*limits: tuple[str, Rate | None], prefix: str) -> None:
    """Counts one request against each (sender key, limit) at once; RateLimited past any.

    Counters live under `prefix` (each caller its own, so its keys can be found and cleared) and a hash of the
    sender key: a key of fixed length, and no address or device id kept in the cache as such."""
    now = int(time.time())
    keys, allowed, waits = [], [], []
    for key, limit in limits:
        if limit is None:
            continue
        count, period = limit
        bucket = now // period
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        keys.append((f"{prefix}{digest}:{period}:{bucket}", period + 5))
        allowed.append(count)
        waits.append((bucket + 1) * period - now)
    if not keys:
        return
    used = count_hits(cache, keys)
    over = [i for i in range(len(keys)) if used[i] > allowed[i]]
    if over:
        # As if checked one after the other: the limits after the first one exceeded are not spent (a sender past
        # its own limit must not use up a wider allowance it shares, e.g. everyone's behind the same IP).
        for key, _timeout in keys[over[0] + 1 :]:
            cache.decr(key)
        raise RateLimited(retry_after=waits[over[0]])
