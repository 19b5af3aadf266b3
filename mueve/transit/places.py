"""The published feeds' stops as places for the place search (registered in TransitConfig.ready)."""

import threading

from mueve.core import places
from mueve.core.text import fold
from mueve.transit.models import Feed, Stop

_lock = threading.Lock()
_index: dict = {"version": None, "stops": []}


def _stop_index() -> list[tuple[str, str, float, float, str, str, str]]:
    """(folded name, name, lat, lon, feed slug, feed name, stop id) of every boarding stop, folded once per
    published version of the feeds: a network has thousands of stops and the search runs on every keystroke."""
    version = tuple(Feed.objects.filter(imported_at__isnull=False).order_by("pk").values_list("pk", "imported_at"))
    with _lock:
        if _index["version"] == version:
            return _index["stops"]
    rows = (
        Stop.objects.filter(feed__imported_at__isnull=False, location_type=0, lat__isnull=False, lon__isnull=False)
        .exclude(name="")
        .values_list("name", "lat", "lon", "feed__slug", "feed__name", "stop_id")
        .order_by("name", "feed__slug", "stop_id")
    )
    stops = [(fold(row[0]), *row) for row in rows]
    with _lock:
        _index.update(version=version, stops=stops)
    return stops


def stop_places(folded_query: str, limit: int) -> list[places.Place]:
    words = folded_query.split()
    found = []
    for folded, name, lat, lon, slug, feed_name, stop_id in _stop_index():
        if folded_query in folded or all(any(w.startswith(q) for w in folded.split()) for q in words):
            found.append(places.Place(name, places.STOP, lat, lon, feed_name, [f"stop:{slug}:{stop_id}"]))

    # Every stop of a matching name is kept (they merge into one place); the cap is on distinct names.
    def rank(name: str) -> int:
        found_rank = places.match_rank(folded_query, name)
        return 9 if found_rank is None else found_rank

    names = sorted({p.name for p in found}, key=lambda n: (rank(n), len(n), n))[:limit]
    keep = set(names)
    return [p for p in found if p.name in keep]
