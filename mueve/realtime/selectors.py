"""Reads of the event log (synchronous; the stream calls them from worker threads)."""

from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max, Min

from mueve.realtime.models import Event

_encoder = DjangoJSONEncoder(ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class LogEvent:
    id: int
    topic: str
    kind: str
    data: str  # the SSE `data` line, serialized once for every client
    # The jurisdiction the event is about (its payload's `jurisdiction_id`), for followers scoped to some of them.
    jurisdiction_id: int | None = None

    @classmethod
    def from_row(cls, id: int, topic: str, kind: str, payload) -> "LogEvent":
        data = _encoder.encode({"id": id, "kind": kind, "payload": payload})
        return cls(id, topic, kind, data, jurisdiction_of(payload))


def jurisdiction_of(payload) -> int | None:
    """The jurisdiction an event is about: its payload's `jurisdiction_id` (the apps that publish events a scoped
    person may follow put it there), else None."""
    value = payload.get("jurisdiction_id") if isinstance(payload, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def visible(event: LogEvent, jurisdictions: frozenset[int] | None) -> bool:
    """Whether a follower whose scope is `jurisdictions` (None: every one, see accounts.scopes.jurisdiction_filter)
    receives `event`. An event about no jurisdiction goes only to unscoped followers."""
    return jurisdictions is None or event.jurisdiction_id in jurisdictions


def head_id() -> int:
    """The newest event id (0 for an empty log): where a freshly rendered page starts following."""
    return Event.objects.aggregate(newest=Max("id"))["newest"] or 0


def log_bounds() -> tuple[int, int]:
    bounds = Event.objects.aggregate(oldest=Min("id"), newest=Max("id"))
    return bounds["oldest"] or 0, bounds["newest"] or 0


def events_after(cursor: int, *, topics: list[str] | None = None, upto: int | None = None, limit: int = 1000):
    rows = Event.objects.filter(id__gt=cursor).order_by("id")
    if topics is not None:
        rows = rows.filter(topic__in=topics)
    if upto is not None:
        rows = rows.filter(id__lte=upto)
    return [LogEvent.from_row(*values) for values in rows.values_list("id", "topic", "kind", "payload")[:limit]]


def count_after(cursor: int, *, topics: list[str], upto: int, cap: int) -> int:
    """How many events a client missed, counting at most `cap + 1` rows."""
    return Event.objects.filter(id__gt=cursor, id__lte=upto, topic__in=topics).order_by("id")[: cap + 1].count()


def replay_decision(cursor: int, *, topics: list[str], max_replay: int) -> str:
    """ "replay" when the log still holds everything after `cursor`, else "reset" (pruned past it,
    too much to replay, or a cursor from another log, e.g. after a database restore)."""
    oldest, newest = log_bounds()
    if cursor > newest:
        return "reset"
    if oldest and cursor < oldest - 1:
        return "reset"
    if count_after(cursor, topics=topics, upto=newest, cap=max_replay) > max_replay:
        return "reset"
    return "replay"
