"""Domain events, published only after the surrounding transaction commits.

Services call `publish`; subscribers (the realtime app, later) register with `subscribe`.
Nothing is delivered for a transaction that rolls back.
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction

Subscriber = Callable[[str, dict[str, Any]], None]
_subscribers: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> None:
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


def publish(kind: str, payload: dict[str, Any]) -> None:
    def deliver() -> None:
        for subscriber in list(_subscribers):
            subscriber(kind, payload)

    transaction.on_commit(deliver)
