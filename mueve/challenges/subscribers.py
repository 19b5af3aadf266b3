"""What this app's own events mean for the people who follow a challenge (run by the notifications app's consumer,
off the request that published them)."""

from typing import Any

from mueve.challenges import events, services

KINDS = {events.CHALLENGE_STATUS_CHANGED, events.COMMENT_PUBLISHED}


def on_event(kind: str, payload: dict[str, Any]) -> None:
    if kind == events.CHALLENGE_STATUS_CHANGED:
        services.followers_notify_status(challenge_id=payload["challenge_id"], to_status=payload["to_status"])
    elif kind == events.COMMENT_PUBLISHED:
        services.followers_notify_comment(comment_id=payload["comment_id"])
