"""Reads for rural addresses: roads near a point, duplicates, the review queue, and the dispatcher's lookups."""

import math
import threading
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from mueve.accounts.scopes import jurisdiction_filter
from mueve.core.geo import M_PER_DEG_LAT, haversine_m, m_per_deg_lon
from mueve.core.text import fold
from mueve.rural_addresses import olc, roads
from mueve.rural_addresses.models import EmergencyNote, RuralPlace, RuralRoad
from mueve.territory.models import Jurisdiction

MAX_ROAD_OFFSET_M = 2000.0  # a house further than this from every registered road is on none of them
NEAR_RADIUS_M = 3000.0
RESULTS = 10


@dataclass
class _RoadIndex:
    version: str = ""
    roads: list[tuple[RuralRoad, list[tuple[float, float]], list[float]]] = field(default_factory=list)


_index = _RoadIndex()
_index_lock = threading.Lock()


def _roads_version() -> str:
    stamp = RuralRoad.objects.aggregate(n=Count("id"), newest=Max("updated_at"))
    return f"{stamp['n']}:{stamp['newest'].isoformat() if stamp['newest'] else ''}"


def forget_roads() -> None:
    with _index_lock:
        _index.version = ""


def road_index() -> list[tuple[RuralRoad, list[tuple[float, float]], list[float]]]:
    """Every road with its points and cumulative lengths, parsed once per change of the roads table."""
    version = _roads_version()
    with _index_lock:
        if _index.version != version:
            built = []
            for road in RuralRoad.objects.select_related("jurisdiction").order_by("pk"):
                points = roads.validate_geometry(road.geometry)
                built.append((road, points, roads.cumulative_m(points)))
            _index.roads, _index.version = built, version
        return list(_index.roads)


def road_points(road: RuralRoad) -> list[tuple[float, float]]:
    return roads.validate_geometry(road.geometry)


def _road_entry(road_id: int):
    return next((entry for entry in road_index() if entry[0].pk == road_id), None)


def nearest_road(*, lat: float, lon: float, max_offset_m: float = MAX_ROAD_OFFSET_M):
    """(road, projection) of the road nearest the point, or None when none is within `max_offset_m`."""
    dlat = max_offset_m / M_PER_DEG_LAT
    dlon = max_offset_m / max(m_per_deg_lon(lat), 1.0)
    best = None
    for road, points, cumulative in road_index():
        if not (
            road.min_lat - dlat <= lat <= road.max_lat + dlat and road.min_lon - dlon <= lon <= road.max_lon + dlon
        ):
            continue
        projection = roads.project(points, lat, lon, cumulative)
        if projection.offset_m <= max_offset_m and (best is None or projection.offset_m < best[1].offset_m):
            best = (road, projection)
    return best


def _box(lat: float, lon: float, radius_m: float) -> Q:
    dlat = radius_m / M_PER_DEG_LAT
    dlon = radius_m / max(m_per_deg_lon(lat), 1.0)
    return Q(lat__gte=lat - dlat, lat__lte=lat + dlat, lon__gte=lon - dlon, lon__lte=lon + dlon)


def duplicate_of(*, road: RuralRoad, lat: float, lon: float, plus_code: str, within_m: float = 15.0):
    """A registered (not rejected) place that is the same house: same plus code, or the same road a few metres
    away."""
    live = RuralPlace.objects.exclude(status=RuralPlace.Status.REJECTED).select_related("road")
    same = live.filter(plus_code=plus_code).first()
    if same is not None:
        return same
    for place in live.filter(_box(lat, lon, within_m), road=road):
        if haversine_m(lat, lon, place.lat, place.lon) <= within_m:
            return place
    return None


def km_text(km: float) -> str:
    """ "12,4": the km as a Chilean caller and road sign say it."""
    return f"{km:.1f}".replace(".", ",")


def place_get(*, pk: int) -> RuralPlace | None:
    return RuralPlace.objects.select_related("road", "jurisdiction").filter(pk=pk).first()


def photos_of(place: RuralPlace):
    return list(place.photos.all())


def photo_by_token(token: str):
    from mueve.rural_addresses.models import RuralPlacePhoto

    return RuralPlacePhoto.objects.select_related("place").filter(token=token).first()


def emergency_note_of(place: RuralPlace) -> EmergencyNote | None:
    return EmergencyNote.objects.filter(place=place).first()


def review_queue(*, user) -> QuerySet[RuralPlace]:
    """Places waiting for an official, in the person's jurisdictions."""
    found = RuralPlace.objects.filter(status=RuralPlace.Status.TAGGED).select_related("road", "jurisdiction")
    ids = jurisdiction_filter(user)
    if ids is not None:
        found = found.filter(jurisdiction_id__in=ids)
    return found.order_by("tagged_at", "pk")


def places_tagged_by(*, user, limit: int = 20) -> list[RuralPlace]:
    if not user.is_authenticated:
        return []
    return list(RuralPlace.objects.filter(tagged_by=user).select_related("road").order_by("-tagged_at")[:limit])


def short_code(place: RuralPlace) -> tuple[str, str]:
    """(short code, locality): the code without the digits the commune's name gives back, e.g. ("9QCJ+2V",
    "Hualqui"); the full code and no locality when the commune has no centre."""
    jurisdiction = place.jurisdiction
    if jurisdiction.center_lat is None or jurisdiction.center_lon is None:
        return place.plus_code, ""
    short = olc.shorten(place.plus_code, jurisdiction.center_lat, jurisdiction.center_lon)
    return (short, jurisdiction.name) if short != place.plus_code else (place.plus_code, "")


def _side(points, projection, lat: float, lon: float) -> str:
    """Left or right of the road, for someone driving from km 0."""
    (lon1, lat1), (lon2, lat2) = points[projection.segment], points[projection.segment + 1]
    kx = m_per_deg_lon(lat)
    cross = (lon2 - lon1) * kx * (lat - lat1) * M_PER_DEG_LAT - (lat2 - lat1) * M_PER_DEG_LAT * (lon - lon1) * kx
    return _("a la izquierda") if cross > 0 else _("a la derecha")


def directions(place: RuralPlace) -> str:
    """How to get there from the paved road: the road's km 0, the km, the side and the distance from the road."""
    entry = _road_entry(place.road_id)
    road = place.road
    start = road.start_label or _("el inicio del camino")
    text = _("Desde %(start)s (km 0 de %(road)s), siga %(km)s km por %(road)s.") % {
        "start": start,
        "road": road.name,
        "km": km_text(place.km),
    }
    if entry is not None and place.offset_m >= 5:
        projection = roads.project(entry[1], place.lat, place.lon, entry[2])
        text += " " + _("El lugar está %(side)s, a %(m)s m del camino.") % {
            "side": _side(entry[1], projection, place.lat, place.lon),
            "m": f"{place.offset_m:.0f}",
        }
    return text


def locality_find(name: str) -> Jurisdiction | None:
    """The commune a caller names ("hualqui", "Santa Juana"), by its folded name."""
    folded = fold(name)
    if not folded:
        return None
    candidates = list(Jurisdiction.objects.filter(center_lat__isnull=False, center_lon__isnull=False))
    for jurisdiction in candidates:
        if fold(jurisdiction.name) == folded:
            return jurisdiction
    for jurisdiction in candidates:
        if folded in fold(jurisdiction.name):
            return jurisdiction
    return None


def road_find(text: str) -> RuralRoad | None:
    """A road by its code ("O-60", "o60") or a word of its name."""
    folded = fold(text).replace(" ", "")
    if not folded:
        return None
    entries = [entry[0] for entry in road_index()]
    for road in entries:
        if fold(road.code).replace(" ", "") == folded:
            return road
    for road in entries:
        if folded in fold(road.name).replace(" ", "") or folded in fold(road.code).replace(" ", ""):
            return road
    return None


class LookupError_(ValueError):
    """A lookup the dispatcher typed that cannot be understood; the message says why, in Spanish."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _visible(user) -> QuerySet[RuralPlace]:
    found = RuralPlace.objects.exclude(status=RuralPlace.Status.REJECTED).select_related("road", "jurisdiction")
    ids = jurisdiction_filter(user)
    return found if ids is None else found.filter(jurisdiction_id__in=ids)


def by_code(*, user, code: str, locality: str = "") -> tuple[list[RuralPlace], str]:
    """Places with a full code, or a short code recovered from the locality's centre. Returns (places, full code)."""
    code = code.strip().upper().replace(" ", "")
    if not olc.is_valid(code):
        raise LookupError_("code", _("«%(code)s» no es un código plus válido.") % {"code": code})
    if olc.is_short(code):
        place = locality_find(locality)
        if place is None:
            raise LookupError_(
                "locality", _("Con un código corto, diga la localidad (comuna) para completarlo, p. ej. «Hualqui».")
            )
        code = olc.recover_nearest(code, place.center_lat, place.center_lon)
    area = olc.decode(code)
    if area.length > 10:
        code = olc.encode(*area.center)
    elif area.length < 10:
        lat, lon = area.center
        return near(user=user, lat=lat, lon=lon, radius_m=max(area.north - area.south, 0) * M_PER_DEG_LAT), code
    return list(_visible(user).filter(plus_code=code)[:RESULTS]), code


def by_road_km(*, user, road: str, km: float, window_km: float = 0.5) -> tuple[list[RuralPlace], RuralRoad]:
    found = road_find(road)
    if found is None:
        raise LookupError_("road", _("No hay un camino rural registrado con ese código o nombre."))
    if not math.isfinite(km) or km < 0:
        raise LookupError_("km", _("El km debe ser un número positivo."))
    rows = list(
        _visible(user).filter(road=found, km__gte=km - window_km, km__lte=km + window_km).values_list("pk", "km")
    )
    rows.sort(key=lambda row: abs(row[1] - km))
    return _fetch(user, [row[0] for row in rows[:RESULTS]]), found


def by_words(*, user, text: str) -> list[RuralPlace]:
    words = [w for w in fold(text).split() if len(w) > 1][:6]
    if not words:
        raise LookupError_("q", _("Escriba al menos una palabra de la descripción."))
    found = _visible(user)
    for word in words:
        found = found.filter(search_text__contains=word)
    return list(found.order_by("road", "km")[:RESULTS])


def _fetch(user, ids: list[int]) -> list[RuralPlace]:
    """The places with these ids, in this order (only ten rows are ever built into objects)."""
    found = {p.pk: p for p in _visible(user).filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def near(*, user, lat: float, lon: float, radius_m: float = NEAR_RADIUS_M) -> list[RuralPlace]:
    """The places nearest a rough position (a caller's cell tower, a landmark), nearest first. The box grows from a
    few hundred metres until it holds enough places: a dense road does not fill memory with thousands of rows."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise LookupError_("lat", _("La ubicación no es válida."))
    radius_m = max(radius_m, 100.0)
    rows: list[tuple[int, float, float]] = []
    for step in (min(300.0, radius_m), min(1000.0, radius_m), radius_m):
        rows = list(_visible(user).filter(_box(lat, lon, step)).values_list("pk", "lat", "lon")[:5000])
        if len(rows) >= RESULTS:
            break
    rows.sort(key=lambda row: haversine_m(lat, lon, row[1], row[2]))
    return _fetch(user, [row[0] for row in rows[:RESULTS]])


def answer(place: RuralPlace, *, user, origin: tuple[float, float] | None = None) -> dict:
    """What a dispatcher reads out for a place: codes, coordinates, road and km, directions and, for emergency roles
    only, the emergency note."""
    short, locality = short_code(place)
    item = {
        "id": place.pk,
        "plus_code": place.plus_code,
        "short_code": short,
        "locality": locality or place.jurisdiction.name,
        "lat": round(place.lat, 6),
        "lon": round(place.lon, 6),
        "road_code": place.road.code,
        "road_name": place.road.name,
        "km": round(place.km, 2),
        "km_text": km_text(place.km),
        "description": place.description,
        "status": place.status,
        "status_label": place.get_status_display(),
        "generated": place.generated,
        "directions": directions(place),
        "distance_m": round(haversine_m(origin[0], origin[1], place.lat, place.lon)) if origin else None,
        "note": None,
    }
    if user.has_perm("rural_addresses.view_emergency_note", place):
        note = emergency_note_of(place)
        if note is not None:
            item["note"] = {
                "oxygen_dependent": note.oxygen_dependent,
                "ambulance_access": note.ambulance_access,
                "ambulance_access_label": note.get_ambulance_access_display(),
                "text": note.text,
                "consent_given_by": note.consent_given_by,
                "consent_recorded_at": note.consent_recorded_at.isoformat(),
            }
    return item


def roads_for_phone() -> dict:
    """Every road's code, name and points (5 decimals: about 1 m), for the "¿Dónde estoy?" page to keep."""
    return {
        "roads": [
            {
                "code": road.code,
                "name": road.name,
                "locality": road.jurisdiction.name,
                "center": [road.jurisdiction.center_lat, road.jurisdiction.center_lon],
                "points": [[round(lon, 5), round(lat, 5)] for lon, lat in points],
            }
            for road, points, _cumulative in road_index()
        ]
    }


def lookup(
    *,
    user,
    code: str = "",
    locality: str = "",
    road: str = "",
    km: float | None = None,
    q: str = "",
    lat: float | None = None,
    lon: float | None = None,
) -> list[dict]:
    """The dispatcher's search, whichever way the caller can say where they are: a plus code (with the locality
    for a short one), a road and km, words of the description, or a rough position. Raises LookupError_."""
    origin = None
    if code.strip():
        places, _full = by_code(user=user, code=code, locality=locality)
    elif road.strip():
        if km is None:
            raise LookupError_("km", _("Con el camino, diga el km."))
        places, _road = by_road_km(user=user, road=road, km=km)
    elif q.strip():
        places = by_words(user=user, text=q)
    elif lat is not None and lon is not None:
        places, origin = near(user=user, lat=lat, lon=lon), (lat, lon)
    else:
        raise LookupError_(
            "code", _("Escriba un código plus, un camino y km, palabras de la descripción o una ubicación.")
        )
    return [answer(place, user=user, origin=origin) for place in places]
