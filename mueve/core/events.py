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
_subscribers: list[Subscriber] = []
_recorder: Recorder | None = None


def subscribe(subscriber: Subscriber) -> None:
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


def set_recorder(recorder: Recorder | None) -> None:
    """Installs the one recorder (None removes it)."""
    global _recorder
    _recorder = recorder


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
