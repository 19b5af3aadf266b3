import re
from functools import lru_cache

from django.db.models import Count, Max, QuerySet
from shapely.geometry import Point, mapping, shape
from shapely.prepared import prep

from mueve.core.geo import validate_lat_lon
from mueve.core.text import fold
from mueve.territory.models import Area, Jurisdiction, Landmark
from mueve.territory.renaming import Renaming

# "Gran Concepción" is also said "Concepción", "Región del Biobío" also "el Biobío".
_NAME_PREFIX = re.compile(r"^(?:Gran|Región(?: de(?:l| la| los| las)?)?|Área Metropolitana de(?:l)?)\s+", re.IGNORECASE)


def jurisdiction_list() -> QuerySet[Jurisdiction]:
    return Jurisdiction.objects.select_related("parent").order_by("kind", "name")


def area_list() -> QuerySet[Area]:
    """Areas for listing: their jurisdiction, without the (large) polygons."""
    return Area.objects.select_related("jurisdiction").defer("geometry")


def jurisdiction_tree() -> list[tuple[Jurisdiction, list[Jurisdiction]]]:
    """Top-level jurisdictions with their children, in one query."""
    all_items = list(jurisdiction_list())
    children: dict[int, list[Jurisdiction]] = {}
    for item in all_items:
        if item.parent_id:
            children.setdefault(item.parent_id, []).append(item)
    return [(item, sorted(children.get(item.id, []), key=lambda j: j.name)) for item in all_items if not item.parent_id]


@lru_cache(maxsize=4096)
def _prepared(area_id: int, version: str):
    """The area's polygon prepared for point tests, read once per version of its row (its `updated_at`): an edited
    polygon is never served from a stale cache, and a batch of reports does not read and parse the polygons
    again. None for an area deleted meanwhile."""
    geometry = Area.objects.filter(pk=area_id).values_list("geometry", flat=True).first()
    return prep(shape(geometry)) if geometry else None


def areas_containing(*, lat: float, lon: float, jurisdiction: Jurisdiction | None = None) -> list[Area]:
    """Areas whose polygon contains the point: a bounding-box query, then an exact test."""
    return areas_containing_points([(lat, lon)], jurisdiction=jurisdiction)[0]


def areas_containing_points(
    points: list[tuple[float, float]], jurisdiction: Jurisdiction | None = None
) -> list[list[Area]]:
    """`areas_containing` for many (lat, lon) points at once: one query over their joint bounding box, each
    polygon prepared once. For batches of nearby points (the reports of one second); the result is in order."""
    if not points:
        return []
    for lat, lon in points:
        validate_lat_lon(lat, lon)
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    candidates = list(
        Area.objects.filter(
            min_lat__lte=max(lats), max_lat__gte=min(lats), min_lon__lte=max(lons), max_lon__gte=min(lons)
        )
        .filter(**({"jurisdiction": jurisdiction} if jurisdiction is not None else {}))
        .select_related("jurisdiction")
        .defer("geometry")
    )
    found: list[list[Area]] = []
    for lat, lon in points:
        point = Point(lon, lat)
        inside = []
        for area in candidates:
            if not (area.min_lat <= lat <= area.max_lat and area.min_lon <= lon <= area.max_lon):
                continue
            geom = _prepared(area.id, area.updated_at.isoformat())
            if geom is not None and geom.covers(point):
                inside.append(area)
        found.append(inside)
    return found


def _served_jurisdiction_ids(jurisdiction_id: int) -> list[int]:
    """The jurisdiction and every one below it (a metropolitan area serves its communes' areas too)."""
    parents = dict(Jurisdiction.objects.values_list("id", "parent_id"))
    found, frontier = {jurisdiction_id}, {jurisdiction_id}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return sorted(found)


def jurisdiction_covers(*, jurisdiction_id: int, lat: float, lon: float) -> bool:
    """Whether a point lies in one of the areas a jurisdiction (or one below it) serves. A jurisdiction with no
    areas drawn yet has no known boundary: everything is taken as inside, until its areas are loaded."""
    ids = _served_jurisdiction_ids(jurisdiction_id)
    if not Area.objects.filter(jurisdiction_id__in=ids).exists():
        return True
    return any(area.jurisdiction_id in ids for area in areas_containing(lat=lat, lon=lon))


def landmark_search(folded_query: str, *, limit: int = 50) -> list[Landmark]:
    """Landmarks and streets whose folded name contains the folded query. The table is a city's list of
    references (hundreds of rows): folding in Python keeps accents out of the way on SQLite and PostgreSQL alike."""
    found = []
    for landmark in Landmark.objects.select_related("jurisdiction").order_by("name"):
        name = fold(landmark.name)
        if folded_query in name or all(any(w.startswith(q) for w in name.split()) for q in folded_query.split()):
            found.append(landmark)
            if len(found) >= limit:
                break
    return found


def area_features(*, tolerance: float = 0.0) -> list[dict]:
    """Every area as a GeoJSON feature (name, code, jurisdiction; no other data), for base maps. A `tolerance` in
    degrees simplifies the outlines (0.0001 ≈ 10 m), which keeps a base map light without moving a boundary
    visibly."""
    features = []
    for area_id, name, code, jurisdiction, geometry in Area.objects.order_by("jurisdiction__name", "name").values_list(
        "id", "name", "code", "jurisdiction__name", "geometry"
    ):
        if tolerance:
            geometry = mapping(shape(geometry).simplify(tolerance, preserve_topology=True))
        features.append(
            {
                "type": "Feature",
                "id": f"area-{area_id}",
                "geometry": geometry,
                "properties": {"layer": "area", "name": name, "code": code, "jurisdiction": jurisdiction},
            }
        )
    return features


def landmark_features() -> list[dict]:
    """Landmarks (not streets: a street is a point along a line, which would mislead on a map) as GeoJSON points."""
    return [
        {
            "type": "Feature",
            "id": f"landmark-{pk}",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"layer": "landmark", "name": name},
        }
        for pk, name, lat, lon in Landmark.objects.filter(kind=Landmark.Kind.LANDMARK)
        .order_by("name")
        .values_list("id", "name", "lat", "lon")
    ]


def areas_version() -> str:
    """Changes whenever an area or a landmark is added, edited or deleted: part of cache keys of what is drawn
    from them."""
    seen = Area.objects.aggregate(count=Count("id"), newest=Max("updated_at"))
    marks = Landmark.objects.aggregate(count=Count("id"), newest=Max("updated_at"))
    stamp = [seen["count"], seen["newest"], marks["count"], marks["newest"]]
    return ":".join(v.isoformat() if hasattr(v, "isoformat") else str(v or "") for v in stamp)


def _with_short_forms(names: list[str]) -> list[str]:
    found: list[str] = []
    for name in names:
        for form in (name, _NAME_PREFIX.sub("", name)):
            if form and form not in found:
                found.append(form)
    return found


def _ancestors(jurisdiction: Jurisdiction) -> list[Jurisdiction]:
    found, node, seen = [], jurisdiction.parent, {jurisdiction.pk}
    while node is not None and node.pk not in seen:
        found.append(node)
        seen.add(node.pk)
        node = node.parent
    return found


def place_names(jurisdiction: Jurisdiction) -> tuple[list[str], list[str]]:
    """The names a text written for this jurisdiction may carry: (its places: itself, the jurisdictions below and
    above it, with their short forms; its landmarks: areas and landmarks in it that are not places)."""
    subtree = _served_jurisdiction_ids(jurisdiction.pk)
    places = _with_short_forms(
        [jurisdiction.name]
        + list(Jurisdiction.objects.filter(pk__in=subtree).exclude(pk=jurisdiction.pk).values_list("name", flat=True))
        + [j.name for j in _ancestors(jurisdiction)]
    )
    landmarks = [
        name
        for name in [
            *Area.objects.filter(jurisdiction_id__in=subtree).values_list("name", flat=True),
            *Landmark.objects.filter(jurisdiction_id__in=subtree).values_list("name", flat=True),
        ]
        if name not in places
    ]
    return places, list(dict.fromkeys(landmarks))


def renaming_between(origin: Jurisdiction | None, target: Jurisdiction) -> Renaming:
    """How texts written for `origin` read in `target`: the origin's places (and its region's) become the target's
    name (its region's, for the origin's region, when it has one), its landmarks are dropped. Empty when there is
    no origin or it is the target itself."""
    if origin is None or origin.pk == target.pk:
        return Renaming(target=target.name)
    keep = {fold(name) for name in _with_short_forms([target.name, *(j.name for j in _ancestors(target))])}
    above = {name for j in _ancestors(origin) for name in _with_short_forms([j.name])}
    target_region = target.parent.name if target.parent_id else target.name
    places, landmarks = place_names(origin)
    pairs = [(name, target_region if name in above else target.name) for name in places if fold(name) not in keep]
    return Renaming(
        target=target.name, places=tuple(pairs), landmarks=tuple(n for n in landmarks if fold(n) not in keep)
    )
