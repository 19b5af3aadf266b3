"""The events challenges publish: their names and payloads, in one place.

Subscribers and the stored event stream see exactly these names and keys, so renaming one is a
breaking change for every client that replays the stream.
"""

from typing import Any

INTERVIEW_CREATED = "interview.created"
CHALLENGE_CREATED = "challenge.created"
CHALLENGE_UPDATED = "challenge.updated"
CHALLENGE_STATUS_CHANGED = "challenge.status_changed"
# A comment on a public challenge became visible to everyone (at once, or when a moderator published it).
COMMENT_PUBLISHED = "challenge.comment_published"

Payload = dict[str, Any]


def interview_created_payload(interview) -> Payload:
    return {
        "interview_id": interview.pk,
        "program_id": interview.program_id,
        "institution_id": interview.institution_id,
    }


def challenge_created_payload(challenge) -> Payload:
    return {"challenge_id": challenge.pk, "program_id": challenge.program_id, "owner_id": challenge.owner_id}


def challenge_updated_payload(challenge) -> Payload:
    return {"challenge_id": challenge.pk, "program_id": challenge.program_id}


def status_changed_payload(challenge, *, from_status: str) -> Payload:
    return {
        "challenge_id": challenge.pk,
        "program_id": challenge.program_id,
        "from_status": from_status,
        "to_status": challenge.status,
    }


def comment_published_payload(comment) -> Payload:
    return {"comment_id": comment.pk, "challenge_id": comment.challenge_id, "program_id": comment.challenge.program_id}
