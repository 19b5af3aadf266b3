"""The territory's landmarks and streets as places for the place search (registered in TerritoryConfig.ready)."""

from mueve.core import places
from mueve.territory import selectors
from mueve.territory.models import Landmark


def landmark_places(folded_query: str, limit: int) -> list[places.Place]:
    found = []
    for landmark in selectors.landmark_search(folded_query, limit=limit):
        kind = places.STREET if landmark.kind == Landmark.Kind.STREET else places.LANDMARK
        detail = landmark.description or (landmark.jurisdiction.name if landmark.jurisdiction_id else "")
        found.append(places.Place(landmark.name, kind, landmark.lat, landmark.lon, detail))
    return found
