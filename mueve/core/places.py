"""Finding places by name: stops, landmarks, streets and organizations, from whichever apps know them.

`core` imports no app, so the apps bring their places here: each registers a provider in its AppConfig.ready()
(`register("transit", provider)`), a function `(query, limit) -> list[Place]` that returns the candidates whose
name matches the folded query. `search` ranks them (best match first), merges one place found several times
(the same name within MERGE_RADIUS_M: three "Plaza Independencia" stops of three lines are one place that covers
all of them) and, when MUEVE_GEOCODER_URL names a Nominatim or Photon server, adds its street addresses after
the local results. The local search needs nothing outside the database, so it works offline.
"""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mueve.core.geo import haversine_m
from mueve.core.text import fold

logger = logging.getLogger(__name__)

MERGE_RADIUS_M = 150
MAX_QUERY_LENGTH = 200
# The kinds a place can be, as the API names them (Spanish, like the rest of the public vocabulary).
STOP, LANDMARK, STREET, ORGANIZATION, ADDRESS = "parada", "lugar", "calle", "organización", "dirección"
# When two kinds tie on how well the name matches, a stop is the more useful answer to a rider.
KIND_ORDER = {STOP: 0, LANDMARK: 1, ORGANIZATION: 2, STREET: 3, ADDRESS: 4}


@dataclass
class Place:
    name: str
    kind: str
    lat: float
    lon: float
    detail: str = ""
    # "stop:<feed>:<stop_id>" references of the stops this place covers (stops and places merged with them).
    stops: list[str] = field(default_factory=list)


Provider = Callable[[str, int], list[Place]]
_providers: dict[str, Provider] = {}


def register(source: str, provider: Provider) -> None:
    """Adds (or replaces, on a second ready()) the provider named `source` (an app's label)."""
    _providers[source] = provider


def providers() -> dict[str, Provider]:
    return dict(_providers)


def match_rank(query: str, name: str) -> int | None:
    """How well a name matches a folded query: 0 the same name, 1 it starts so, 2 a word starts so, 3 it contains
    it, 4 every word of the query starts a word of the name in any order; None if it does not match."""
    target = fold(name)
    if not query or not target:
        return None
    if target == query:
        return 0
    if target.startswith(query):
        return 1
    if f" {query}" in f" {target}":
        return 2
    if query in target:
        return 3
    words = target.split()
    if all(any(w.startswith(q) for w in words) for q in query.split()):
        return 4
    return None


def _merge(ranked: list[tuple[tuple, Place]]) -> list[Place]:
    merged: list[Place] = []
    keys: list[str] = []
    for _rank, place in ranked:
        key = fold(place.name)
        for i, other in enumerate(merged):
            if keys[i] == key and haversine_m(place.lat, place.lon, other.lat, other.lon) <= MERGE_RADIUS_M:
                for ref in place.stops:
                    if ref not in other.stops:
                        other.stops.append(ref)
                break
        else:
            merged.append(Place(place.name, place.kind, place.lat, place.lon, place.detail, list(place.stops)))
            keys.append(key)
    return merged


def search_local(query: str, *, limit: int = 10) -> list[Place]:
    """Places the apps know whose name matches `query` (case, accents and punctuation ignored), best first."""
    folded = fold(query)
    if not folded:
        return []
    ranked = []
    for provider in _providers.values():
        for place in provider(folded, limit * 5):
            # A provider may match on more than the name (an organization's acronym): after every name match.
            rank = match_rank(folded, place.name)
            rank = 5 if rank is None else rank
            ranked.append(((rank, len(place.name), KIND_ORDER.get(place.kind, 9), fold(place.name)), place))
    ranked.sort(key=lambda item: item[0])
    places = _merge(ranked)
    for place in places:
        if len(place.stops) > 1 and place.kind == STOP:
            place.detail = _stops_detail(place)
    return places[:limit]


def _stops_detail(place: Place) -> str:
    n = len(place.stops)
    return ngettext("%(n)d parada", "%(n)d paradas", n) % {"n": n}


def search(query: str, *, limit: int = 10) -> list[Place]:
    """`query` checked (ValidationError on field "q": blank, or longer than MAX_QUERY_LENGTH), then the local
    places, then (when a geocoder is set and room is left) the geocoder's addresses that are not
    already among them. The geocoder's failures and delays never fail the search: its results are left out."""
    query = (query or "").strip()
    if not query:
        raise ValidationError({"q": [_("Escriba el nombre de un lugar, una parada o una calle.")]})
    if len(query) > MAX_QUERY_LENGTH:
        raise ValidationError({"q": [_("Escriba como máximo %(n)d caracteres.") % {"n": MAX_QUERY_LENGTH}]})
    places = search_local(query, limit=limit)  # punctuation alone ("#") names nothing: no places, not an error
    if len(places) < limit and settings.MUEVE_GEOCODER_URL and fold(query):
        known = [(fold(p.name), p.lat, p.lon) for p in places]
        for place in geocode(query, limit=limit - len(places)):
            duplicate = any(
                name == fold(place.name) and haversine_m(lat, lon, place.lat, place.lon) <= MERGE_RADIUS_M
                for name, lat, lon in known
            )
            if not duplicate:
                places.append(place)
    return places[:limit]


# --- an outside geocoder (Nominatim or Photon), optional ------------------------------------------------------


def _geocoder_url(base: str, query: str, limit: int) -> str:
    parts = urlsplit(base)
    params = dict(parse_qsl(parts.query))
    params.update({"q": query, "limit": str(limit)})
    if not parts.path.rstrip("/").endswith("/api"):  # Photon answers GeoJSON at /api; Nominatim needs a format
        params.setdefault("format", "jsonv2")
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(params), ""))


def _photon_place(feature: dict) -> Place | None:
    props = feature.get("properties") or {}
    coords = (feature.get("geometry") or {}).get("coordinates") or []
    if len(coords) < 2:
        return None
    street = " ".join(str(props[k]) for k in ("street", "housenumber") if props.get(k))
    name = props.get("name") or street
    if not name:
        return None
    detail = ", ".join(str(v) for v in (street if street != name else "", props.get("city"), props.get("state")) if v)
    return Place(str(name), ADDRESS, float(coords[1]), float(coords[0]), detail)


def _nominatim_place(item: dict) -> Place | None:
    if "lat" not in item or "lon" not in item:
        return None
    display = str(item.get("display_name") or "")
    name = str(item.get("name") or "") or display.split(",")[0]
    if not name:
        return None
    detail = display[len(name) :].lstrip(", ") if display.startswith(name) else display
    return Place(name, ADDRESS, float(item["lat"]), float(item["lon"]), detail)


def parse_geocoder_answer(data) -> list[Place]:
    """Places from a Photon answer (a GeoJSON FeatureCollection) or a Nominatim one (a JSON list)."""
    if isinstance(data, dict) and isinstance(data.get("features"), list):
        items, reader = data["features"], _photon_place
    elif isinstance(data, list):
        items, reader = data, _nominatim_place
    else:
        return []
    places = []
    for item in items:
        if not isinstance(item, dict):
            continue
        try:
            place = reader(item)
        except (TypeError, ValueError):
            continue
        if place is not None and -90 <= place.lat <= 90 and -180 <= place.lon <= 180:
            places.append(place)
    return places


def geocode(query: str, *, limit: int = 5) -> list[Place]:
    """Addresses from the geocoder at MUEVE_GEOCODER_URL; [] when none is set, or it fails or is slow."""
    base = settings.MUEVE_GEOCODER_URL
    if not base or limit <= 0:
        return []
    url = _geocoder_url(base, query, limit)
    request = Request(url, headers={"User-Agent": f"{settings.MUEVE_SITE_NAME} (Mueve)", "Accept": "application/json"})
    try:
        with urlopen(request, timeout=settings.MUEVE_GEOCODER_TIMEOUT_MS / 1000) as response:  # noqa: S310
            data = json.loads(response.read(1_000_000))
    except (OSError, ValueError) as exc:  # unreachable, slow, an HTTP error or not JSON: the local results stand
        logger.warning("geocoder %s failed: %s", parts_for_log(base), exc)
        return []
    return parse_geocoder_answer(data)[:limit]


def parts_for_log(url: str) -> str:
    """The geocoder's address without its query (which may carry a key)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"
