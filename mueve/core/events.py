"""Domain events, published only after the surrounding transaction commits.

Services call `publish`; subscribers register with `subscribe` and run after commit. One optional
*recorder* (the realtime app registers it) runs at `publish` time, inside the publishing transaction,
so the stored event row commits or rolls back together with the change it describes: a process that
dies right after the commit loses no event, and a rolled-back change leaves no event behind.
Nothing is delivered for a transaction that rolls back.
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction

Subscriber = Callable[[str, dict[str, Any]], None]
# A recorder stores the event and returns what its after-commit delivery needs (e.g. the event id).
Recorder = Callable[[str, dict[str, Any]], Any]
# Stores many events at once (one insert), in order; optional, else the recorder runs once per event.
BatchRecorder = Callable[[list[tuple[str, dict[str, Any]]]], Any]
_subscribers: list[Subscriber] = []
_recorder: Recorder | None = None
_batch_recorder: BatchRecorder | None = None


def subscribe(subscriber: Subscriber) -> None:
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


def set_recorder(recorder: Recorder | None, batch: BatchRecorder | None = None) -> None:
    """Installs the one recorder (None removes it), and optionally its batch form."""
    global _recorder, _batch_recorder
    _recorder = recorder
    _batch_recorder = batch


def publish(kind: str, payload: dict[str, Any]) -> None:
    """Records the event now (same transaction) and delivers it to subscribers after commit.

    Call it last in a service, once every other write is done: the recorder may serialize
    event inserts until commit (see mueve.realtime.recorder).
    """
    if _recorder is not None:
        _recorder(kind, payload)

    def deliver() -> None:
        for subscriber in list(_subscribers):
            subscriber(kind, payload)

    transaction.on_commit(deliver)


def publish_many(events: list[tuple[str, dict[str, Any]]]) -> None:
    """`publish` for a batch of events, in order: stored together (one insert where the recorder can), delivered
    after commit. Same rule: call it last."""
    if not events:
        return
    if _batch_recorder is not None:
        _batch_recorder(events)
    elif _recorder is not None:
        for kind, payload in events:
            _recorder(kind, payload)

    def deliver() -> None:
        for kind, payload in events:
            for subscriber in list(_subscribers):
                subscriber(kind, payload)

    transaction.on_commit(deliver)
