"""The events rural addresses publish. Payloads carry ids only: never a position, a description or a note."""

from typing import Any

PLACE_TAGGED = "rural_place.tagged"
PLACE_REVIEWED = "rural_place.reviewed"


def place_payload(place) -> dict[str, Any]:
    return {"place_id": place.pk, "jurisdiction_id": place.jurisdiction_id, "status": place.status}
