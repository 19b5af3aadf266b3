"""Per-key quotas and usage counts, kept in the Django cache (Redis with MUEVE_REDIS_URL, shared by every process;
the process's own memory without it).

Quotas: two fixed windows per key, this minute and this UTC day, each one cache counter that expires with its
window. A request adds one to both and to its usage counter in one round trip (mueve.core.cache.count_hits); past
either quota it is refused with 429 and Retry-After (the seconds left in the window), and its increments are
taken back, so a client hammering past its minute does not spend its day, and a refused request is not usage.

Usage: the counter `api:use:<key's hash>:<surface>:<hour>` counts requests in the cache, and is flushed into KeyUsage
(one row per key, hour and surface: the charts' data) without a database write per request:

- each process flushes a key's counters at its first request of every minute (so at most one write per key,
  process and minute), and the counters it touched when it exits;
- the usage page flushes the key it shows first, and `manage.py api_usage_flush` sweeps every key (for cron);
- a flush reads a counter and takes that amount off it atomically (DECRBY on Redis, under a lock in memory):
  requests counted meanwhile stay for the next flush, and if the database write fails the amount goes back.

Counters live USAGE_TTL_HOURS (three days) in the cache, and every sweep looks that far back: counts are lost
only if the cache itself loses them (Redis restarted without persistence, or a process without Redis killed
before its minute came round). A flush inside a transaction is put off to the next request, so a rollback
cannot take counts already taken off the cache.
"""

import atexit
import logging
import threading
import time
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.api.models import ApiKey, KeyUsage
from mueve.core.cache import count_hits

logger = logging.getLogger(__name__)

USAGE_TTL_HOURS = 72
SURFACES = tuple(KeyUsage.Surface.values)


class OverQuota(Exception):
    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _tag(api_key: ApiKey) -> str:
    # Counters are named by the key's hash, not its id: an id can come back (a test database rolled back, a
    # restored backup) and must not inherit another key's counts.
    return (api_key.key_hash or "")[:24]


def counter_name(api_key: ApiKey, surface: str, hour: int) -> str:
    return f"api:use:{_tag(api_key)}:{surface}:{hour}"


_lock = threading.Lock()
# By the key's tag: the counters this process added to and has not flushed, and the minute of its last flush.
_pending: dict[str, tuple[ApiKey, set[tuple[str, int]]]] = {}
_flushed_minute: dict[str, int] = {}


def count(api_key: ApiKey, surface: str, *, now: float | None = None) -> None:
    """Counts one request of `api_key` on `surface`; OverQuota past the key's minute or day."""
    now = time.time() if now is None else now
    minute, day, hour = int(now // 60), int(now // 86400), int(now // 3600)
    usage = counter_name(api_key, surface, hour)
    keys = [
        (f"api:quota:{_tag(api_key)}:m:{minute}", 60 + 5),
        (f"api:quota:{_tag(api_key)}:d:{day}", 86400 + 5),
        (usage, USAGE_TTL_HOURS * 3600),
    ]
    per_minute, per_day = count_hits(cache, keys)[:2]
    if per_minute > api_key.requests_per_minute or per_day > api_key.requests_per_day:
        _take_back([usage] + ([keys[1][0]] if per_minute > api_key.requests_per_minute else []))
        if per_minute > api_key.requests_per_minute:
            wait = (minute + 1) * 60 - int(now)
            message = _(
                "Superó la cuota de su clave: %(limit)d solicitudes por minuto. Intente de nuevo en %(seconds)d s."
            ) % {"limit": api_key.requests_per_minute, "seconds": wait}
        else:
            wait = (day + 1) * 86400 - int(now)
            message = _(
                "Superó la cuota de su clave: %(limit)d solicitudes por día. Intente de nuevo en %(seconds)d s."
            ) % {"limit": api_key.requests_per_day, "seconds": wait}
        raise OverQuota(message, retry_after=max(1, wait))
    with _lock:
        tag = _tag(api_key)
        _pending.setdefault(tag, (api_key, set()))[1].add((surface, hour))
        due = _flushed_minute.get(tag) != minute and not connection.in_atomic_block
        if due:
            _flushed_minute[tag] = minute
            _key, touched = _pending.pop(tag)
    if due:
        flush(api_key, touched)


def _take_back(names: list[str]) -> None:
    for name in names:
        try:
            cache.decr(name)
        except ValueError:  # expired meanwhile: nothing to take back
            pass


def flush(api_key: ApiKey, counters: set[tuple[str, int]] | None = None) -> int:
    """Moves the cached counts of one key (the given (surface, hour) counters; none given: every counter of the
    last USAGE_TTL_HOURS) into KeyUsage; returns how many requests were moved."""
    if counters is None:
        current = int(time.time() // 3600)
        counters = {(surface, hour) for surface in SURFACES for hour in range(current - USAGE_TTL_HOURS, current + 1)}
    if not api_key.key_hash:
        return 0
    key_id = api_key.pk
    names = {counter_name(api_key, surface, hour): (surface, hour) for surface, hour in counters}
    moved = 0
    for name, value in cache.get_many(list(names)).items():
        amount = int(value or 0)
        if amount <= 0:
            continue
        try:
            cache.decr(name, amount)
        except ValueError:  # expired between the read and now: the amount read is still ours to write
            pass
        surface, hour = names[name]
        try:
            _add(key_id, surface, datetime.fromtimestamp(hour * 3600, tz=UTC), amount)
        except Exception:
            # Put back, never dropped: the next flush writes it.
            if not cache.add(name, amount, timeout=USAGE_TTL_HOURS * 3600):
                cache.incr(name, amount)
            logger.exception("usage of API key %s not written; kept in the cache", key_id)
            continue
        moved += amount
    if moved:
        ApiKey.objects.filter(pk=key_id).update(last_used_at=timezone.now())
    return moved


def _add(key_id: int, surface: str, hour: datetime, amount: int) -> None:
    rows = KeyUsage.objects.filter(api_key_id=key_id, hour=hour, surface=surface)
    if rows.update(count=F("count") + amount):
        return
    try:
        with transaction.atomic():
            KeyUsage.objects.create(api_key_id=key_id, hour=hour, surface=surface, count=amount)
    except IntegrityError:  # another process created the row first
        rows.update(count=F("count") + amount)


def flush_all() -> int:
    """Every key's cached counts into KeyUsage (`manage.py api_usage_flush`); returns the requests moved."""
    since = timezone.now() - timedelta(hours=USAGE_TTL_HOURS)
    keys = ApiKey.objects.exclude(status=ApiKey.Status.REQUESTED).exclude(revoked_at__lt=since)
    return sum(flush(api_key) for api_key in keys.only("pk", "key_hash"))


@atexit.register
def _flush_on_exit() -> None:
    with _lock:
        pending = dict(_pending)
        _pending.clear()
    for api_key, counters in pending.values():
        try:
            flush(api_key, counters)
        except Exception:  # the database may be gone at exit; the counters stay in the cache for a sweep
            logger.warning("usage of API key %s not flushed at exit", api_key.pk)
