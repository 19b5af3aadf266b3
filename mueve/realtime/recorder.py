"""Stores every published event inside the publishing transaction, and wakes the streams after commit.

Ordering guarantee. Readers follow the log with `id > cursor`, so a reader that has seen id 12 must never
later find an id 11 committing behind it. On PostgreSQL ids come from a sequence when the row is inserted,
and two transactions can commit in the opposite order (T1 takes 11, T2 takes 12, T2 commits first): a
stream would send 12, move its cursor past 11 and lose it forever. We prevent that by serializing event
inserts with a transaction-level advisory lock taken just before the insert: whoever holds it inserts
and commits before the next writer can even take an id, so ids become visible in id order. PostgreSQL
makes a transaction visible before it releases its locks, so when 12 is visible 11 is too.

The alternative (deliver only ids below the oldest in-flight writer, via txid_snapshot_xmin) needs a
second column and a snapshot query per read; the lock costs one round trip per publishing transaction
and is held only from `publish` (services call it last) to commit. SQLite already has a single writer
(transactions open IMMEDIATE), so commits there are in id order without a lock.
"""

import logging
import threading
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from mueve.core import wakeup
from mueve.realtime import conf
from mueve.realtime.models import Event

log = logging.getLogger(__name__)

# Arbitrary but fixed: the ASCII of "mueve" as a 64-bit key for pg_advisory_xact_lock.
ADVISORY_LOCK_KEY = 0x6D75657665
PRUNE_EVERY = 1000

# Kinds shown on the operators' control stream; every other event goes to its app's topic.
CONTROL_PREFIXES = ("reports.incident_", "reports.report_")
CONTROL_TOPIC = "control"
# Who may follow each topic over the stream; topics not listed here cannot be followed.
TOPIC_PERMISSIONS = {CONTROL_TOPIC: "reports.manage_incidents"}


def topic_for(kind: str) -> str:
    if kind.startswith(CONTROL_PREFIXES):
        return CONTROL_TOPIC
    return kind.split(".", 1)[0][:40]


def record(kind: str, payload: dict[str, Any]) -> int:
    """The core.events recorder: inserts the event row in the current transaction; returns its id."""
    if not connection.in_atomic_block:
        # Outside a transaction the lock would be released before the insert: make one.
        with transaction.atomic():
            return record(kind, payload)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
    event = Event.objects.create(kind=kind[:80], topic=topic_for(kind), payload=payload)
    transaction.on_commit(lambda: _committed(event.id))
    return event.id


def record_many(events: list[tuple[str, dict[str, Any]]]) -> list[int]:
    """The batch recorder: one lock, one insert for all the events, in order; returns their ids."""
    if not events:
        return []
    if not connection.in_atomic_block:
        with transaction.atomic():
            return record_many(events)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
    rows = Event.objects.bulk_create(
        [Event(kind=kind[:80], topic=topic_for(kind), payload=payload) for kind, payload in events]
    )
    ids = [row.id for row in rows]
    first, last = min(ids), max(ids)
    transaction.on_commit(lambda: _committed(last, first))
    return ids


def _committed(event_id: int, first_id: int | None = None) -> None:
    """After commit: wake the streams; `first_id`..`event_id` are the ids a batch stored (for pruning)."""
    from mueve.realtime import hub

    hub.wake_all()  # this process's streams
    if not _publish_to_redis(event_id):  # other processes' streams: through Redis, else on this machine
        wakeup.notify(hub.TOPIC, others_only=True)
    first_id = event_id if first_id is None else first_id
    if event_id // PRUNE_EVERY != (first_id - 1) // PRUNE_EVERY:
        try:
            prune()
        except Exception:  # pruning is housekeeping: never fail the request that triggered it
            log.exception("realtime: pruning the event log failed")


_redis_lock = threading.Lock()
_redis_client = None


def _redis():
    global _redis_client
    url = conf.redis_url()
    if not url:
        return None
    with _redis_lock:
        if _redis_client is None:
            import redis

            # Short timeouts: a dead Redis must not hold up the request that published; streams
            # still catch up from the database at their next poll.
            _redis_client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        return _redis_client


def _publish_to_redis(event_id: int) -> bool:
    client = _redis()
    if client is None:
        return False
    try:
        client.publish(conf.redis_channel(), str(event_id))
    except Exception:
        log.warning("realtime: Redis publish failed; streams will catch up from the database", exc_info=True)
        return False
    return True


def prune(now=None) -> int:
    """Deletes events older than the retention or beyond the row budget, always keeping the newest one
    (so a client's cursor can still be told apart from a log that was pruned past it)."""
    now = now or timezone.now()
    newest = Event.objects.order_by("-id").values_list("id", flat=True).first()
    if newest is None:
        return 0
    cutoff_id = newest - conf.max_events()
    old = Event.objects.filter(id__lt=newest).filter(
        created_at__lt=now - timedelta(hours=conf.retention_hours())
    ) | Event.objects.filter(id__lte=cutoff_id)
    deleted, _ = old.delete()
    return deleted
