"""Turns the platform's stored events into notices, off the request that caused them, and loses none.

The events that concern people (a report on an adopted light, an incident that changed, a moderator's decision)
are already in the realtime app's event log, written in the same transaction as the change. This app keeps a
cursor on that log. A reader claims an event, runs its handlers and then moves the cursor past it: with several
processes reading, one handles each event; after a crash the log still holds what was not read, and a handler run
twice tells nobody twice (notices carry a `ref`, unique per person). The request that published the event only
wakes a thread, so telling ten thousand adopters does not slow it (bench/notify_fanout.py).

Handlers register per event kind (`register`) from their app's `ready()`. The log keeps events for
MUEVE_REALTIME_RETENTION_HOURS: a reader stopped for longer misses what was pruned (logged when it happens)."""

import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import Max, Min
from django.utils import timezone

from mueve.notifications.models import EventCursor
from mueve.realtime.models import Event

log = logging.getLogger(__name__)

Handler = Callable[[str, dict[str, Any]], None]
CURSOR = "notifications"
BATCH = 200
MAX_ATTEMPTS = 3
POLL_SECONDS = 5.0  # events published by other processes (the intake worker, other web workers)
CLAIM = timedelta(minutes=5)  # longer than any fan-out takes (bench/notify_fanout.py)

_handlers: dict[str, list[Handler]] = defaultdict(list)
_attempts: dict[int, int] = {}


def register(kinds: Iterable[str], handler: Handler) -> None:
    for kind in kinds:
        if handler not in _handlers[kind]:
            _handlers[kind].append(handler)


def handled_kinds() -> list[str]:
    return sorted(kind for kind, handlers in _handlers.items() if handlers)


def _locked_cursor() -> EventCursor:
    cursor = EventCursor.objects.select_for_update().filter(name=CURSOR).first()
    if cursor is None:
        cursor, _created = EventCursor.objects.get_or_create(name=CURSOR)
    return cursor


def events_process(*, limit: int | None = None) -> int:
    """Handles every event published since the last call (at most `limit`). Returns how many were handled."""
    kinds = handled_kinds()
    handled = 0
    while limit is None or handled < limit:
        # A plain read: on SQLite a transaction here would take the write lock at every poll.
        start = EventCursor.objects.filter(name=CURSOR).values_list("last_event_id", flat=True).first() or 0
        log_range = Event.objects.aggregate(top=Max("id"), bottom=Min("id"))
        upto = log_range["top"] or 0
        if upto <= start:
            return handled
        if start and log_range["bottom"] > start + 1:
            log.warning("notifications: the event log was pruned past event %s; some notices are missing", start)
        batch = list(
            Event.objects.filter(id__gt=start, id__lte=upto, kind__in=kinds)
            .order_by("id")
            .values_list("id", "kind", "payload")[:BATCH]
        )
        for event_id, kind, payload in batch:
            if not _handle_one(event_id, kind, payload):
                return handled  # retried at the next wake-up or poll
            handled += 1
        if len(batch) < BATCH:
            with transaction.atomic():
                cursor = _locked_cursor()
                if cursor.last_event_id < upto:
                    cursor.last_event_id, cursor.updated_at = upto, timezone.now()
                    cursor.save(update_fields=["last_event_id", "updated_at"])
            return handled
    return handled


def _handle_one(event_id: int, kind: str, payload: dict[str, Any]) -> bool:
    """Claims the event, runs its handlers (which write in short transactions of their own, so a fan-out to
    thousands never holds the database's write lock for long), then moves the cursor past it. A claimer that died
    leaves a claim that expires; the next reader runs the handlers again, and they tell nobody twice (every notice
    made here has a `ref`, unique per person). Returns False to stop this pass (the event is retried later)."""
    now = timezone.now()
    with transaction.atomic():
        cursor = _locked_cursor()
        if cursor.last_event_id >= event_id:
            return True  # another process handled it meanwhile
        if cursor.claimed_event_id and cursor.claimed_until and cursor.claimed_until > now:
            return False  # another process is on it
        cursor.claimed_event_id, cursor.claimed_until = event_id, now + CLAIM
        cursor.save(update_fields=["claimed_event_id", "claimed_until"])
    try:
        for handler in list(_handlers.get(kind, ())):
            handler(kind, payload)
    except Exception:
        attempts = _attempts.get(event_id, 0) + 1
        _attempts[event_id] = attempts
        if attempts < MAX_ATTEMPTS:
            log.warning("notifications: event %s (%s) failed, will retry", event_id, kind, exc_info=True)
            _release(event_id, done=False)
            return False
        log.exception("notifications: event %s (%s) failed %s times; skipped", event_id, kind, attempts)
    _attempts.pop(event_id, None)
    _release(event_id, done=True)
    return True


def _release(event_id: int, *, done: bool) -> None:
    with transaction.atomic():
        cursor = _locked_cursor()
        if done:
            cursor.last_event_id = max(cursor.last_event_id, event_id)
        cursor.claimed_event_id = cursor.claimed_until = None
        cursor.updated_at = timezone.now()
        cursor.save(update_fields=["last_event_id", "claimed_event_id", "claimed_until", "updated_at"])


# The background reader: one thread per process, woken after each commit that published a handled event, and
# every POLL_SECONDS for events published by other processes.
_wake = threading.Event()
_thread: threading.Thread | None = None
_thread_lock = threading.Lock()


def on_published(kind: str, payload: dict[str, Any]) -> None:
    """The core.events subscriber: runs after the publishing transaction commits."""
    if kind not in _handlers:
        return
    if settings.MUEVE_NOTIFICATIONS_DELIVERY == "inline":
        events_process()
        return
    start_reader()
    _wake.set()


def start_reader() -> None:
    global _thread
    with _thread_lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_read_forever, name="mueve-notifications-events", daemon=True)
            _thread.start()


def _read_forever() -> None:
    while True:
        _wake.wait(POLL_SECONDS)
        _wake.clear()
        try:
            events_process()
        except Exception:  # the reader must outlive a database hiccup; the cursor keeps its place
            log.exception("notifications: reading the event log failed")
        finally:
            close_old_connections()
