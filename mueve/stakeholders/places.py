"""Organizations with a known seat as places for the place search (registered in StakeholdersConfig.ready)."""

from mueve.core import places
from mueve.core.text import fold
from mueve.stakeholders.models import Organization


def organization_places(folded_query: str, limit: int) -> list[places.Place]:
    words = folded_query.split()
    found = []
    located = Organization.objects.filter(lat__isnull=False, lon__isnull=False).order_by("name")
    for name, acronym, lat, lon in located.values_list("name", "acronym", "lat", "lon"):
        folded = fold(name)
        if folded_query in folded or all(any(w.startswith(q) for w in folded.split()) for q in words):
            found.append(places.Place(name, places.ORGANIZATION, lat, lon, acronym))
        elif acronym and fold(acronym) == folded_query:
            # "UdeC", "GORE": found by its acronym, shown by its name.
            found.append(places.Place(name, places.ORGANIZATION, lat, lon, acronym))
        if len(found) >= limit:
            break
    return found
