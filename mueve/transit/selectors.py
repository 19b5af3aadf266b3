"""Reads for transit: feeds, routes, stops, schedules, live vehicles, alerts, GTFS export, planner timetables."""

import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from mueve.core.geo import haversine_m
from mueve.core.text import fold
from mueve.transit import builder
from mueve.transit.geometry import cumulative_m, project
from mueve.transit.gtfs import COLUMNS, FEED_INFO_COLUMNS, TIME_FIELDS, format_time
from mueve.transit.models import (
    Agency,
    Calendar,
    CalendarDate,
    Feed,
    FeedImport,
    Frequency,
    Route,
    ShapePoint,
    Stop,
    StopTime,
    Trip,
    VehiclePosition,
)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ALERT_DISTANCE_M = 30.0
ACTIVE_INCIDENT_STATUSES = ("open", "acknowledged", "dispatched")
VEHICLE_MAX_AGE = timedelta(minutes=10)


def feed_list() -> QuerySet[Feed]:
    return Feed.objects.select_related("agency", "jurisdiction").order_by("name")


def feeds_with_data() -> QuerySet[Feed]:
    return feed_list().filter(imported_at__isnull=False)


def last_import(feed: Feed) -> FeedImport | None:
    return feed.imports.prefetch_related("issues").first()


def route_list(feed: Feed | None = None) -> QuerySet[Route]:
    qs = Route.objects.select_related("feed").filter(feed__imported_at__isnull=False)
    if feed is not None:
        qs = qs.filter(feed=feed)
    return qs.order_by("feed__name", "sort_order", "short_name", "route_id")


def active_service_ids(feed: Feed, day: date) -> set[str]:
    weekday = WEEKDAYS[day.weekday()]
    ids = set(
        Calendar.objects.filter(feed=feed, start_date__lte=day, end_date__gte=day, **{weekday: True}).values_list(
            "service_id", flat=True
        )
    )
    for service_id, exception in CalendarDate.objects.filter(feed=feed, date=day).values_list(
        "service_id", "exception_type"
    ):
        if exception == 1:
            ids.add(service_id)
        else:
            ids.discard(service_id)
    return ids


def route_shapes(route: Route) -> dict[str, list[tuple[float, float]]]:
    """shape_id -> [(lat, lon), ...] for the shapes the route's trips use (one per direction, usually)."""
    shape_ids = set(route.trips.exclude(shape_id="").values_list("shape_id", flat=True))
    shapes: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for shape_id, lat, lon in (
        ShapePoint.objects.filter(feed_id=route.feed_id, shape_id__in=shape_ids)
        .order_by("shape_id", "sequence")
        .values_list("shape_id", "lat", "lon")
    ):
        shapes[shape_id].append((lat, lon))
    return dict(shapes)


def route_main_shape(route: Route) -> list[tuple[float, float]]:
    """The route's most used shape (for maps and the Despierta alarm); falls back to its stops in order."""
    counts: dict[str, int] = defaultdict(int)
    for shape_id in route.trips.exclude(shape_id="").values_list("shape_id", flat=True):
        counts[shape_id] += 1
    if counts:
        best = max(sorted(counts), key=lambda s: counts[s])
        return [
            (lat, lon)
            for lat, lon in ShapePoint.objects.filter(feed_id=route.feed_id, shape_id=best)
            .order_by("sequence")
            .values_list("lat", "lon")
        ]
    trip = route.trips.first()
    if trip is None:
        return []
    return [(s.stop.lat, s.stop.lon) for s in trip.stop_times.select_related("stop") if s.stop.lat is not None]


def route_stops(route: Route) -> list[Stop]:
    """The stops of the route's longest trip, in order."""
    trip = max(route.trips.all()[:200], key=lambda t: t.stop_times.count(), default=None)
    if trip is None:
        return []
    return [st.stop for st in trip.stop_times.select_related("stop").order_by("stop_sequence")]


def routes_at_stop(stop: Stop) -> list[Route]:
    return list(Route.objects.filter(trips__stop_times__stop=stop).distinct().order_by("sort_order", "short_name"))


@dataclass
class Band:
    start: str
    end: str
    headway_min: int


def route_schedule(route: Route, day: date) -> dict:
    """Departures from the first stop per direction that day, and headway bands when the feed has frequencies."""
    services = active_service_ids(route.feed, day)
    trips = route.trips.filter(service_id__in=services)
    bands = [
        Band(format_time(f.start_time)[:5], format_time(f.end_time)[:5], round(f.headway_secs / 60))
        for f in Frequency.objects.filter(trip__in=trips).order_by("start_time")
    ]
    departures: dict[str, list[str]] = defaultdict(list)
    for trip in trips.exclude(frequencies__isnull=False).order_by("direction_id"):
        first = trip.stop_times.order_by("stop_sequence").first()
        if first and first.departure_time is not None:
            departures[trip.headsign or str(route)].append(first.departure_time)
    return {
        "bands": sorted({(b.start, b.end, b.headway_min): b for b in bands}.values(), key=lambda b: b.start),
        "departures": {h: [format_time(t)[:5] for t in sorted(ts)] for h, ts in departures.items()},
    }


@dataclass
class Arrival:
    route: Route
    headsign: str
    seconds: int  # service-day seconds
    minutes_away: int
    stop: Stop | None
    distance_m: float
    frequency_based: bool = False


def service_seconds(now: datetime) -> int:
    local = timezone.localtime(now)
    return local.hour * 3600 + local.minute * 60 + local.second


HAIL_REACH_M = 300


def _pass_offsets(route: Route, trips, lat: float, lon: float):
    """(trip, seconds after the trip's first departure when it passes the point, distance to it, stop or None).

    Hail-anywhere routes pass at the nearest point of each trip's shape (time interpolated by shape distance between
    the surrounding stop times); other routes at the stop nearest to the point."""
    out = []
    shapes = route_shapes(route) if route.hail_anywhere else {}
    projections = {sid: project(pts, lat, lon) for sid, pts in shapes.items() if len(pts) > 1}
    times_by_trip: dict[int, list[tuple[int, float | None, int]]] = defaultdict(list)
    for trip_id, dep, dist, stop_id in (
        StopTime.objects.filter(trip__in=trips)
        .order_by("trip_id", "stop_sequence")
        .values_list("trip_id", "departure_time", "shape_dist_traveled", "stop_id")
    ):
        times_by_trip[trip_id].append((dep, dist, stop_id))
    stops = {s.pk: s for s in Stop.objects.filter(stop_times__trip__route=route).distinct()}
    for trip in trips:
        rows = times_by_trip.get(trip.pk, [])
        if not rows or rows[0][0] is None:
            continue
        first = rows[0][0]
        proj = projections.get(trip.shape_id)
        if proj is not None and proj.offset_m <= HAIL_REACH_M and all(r[1] is not None for r in rows):
            # A pass counts only while the bus is still to come along its own direction.
            for (t0, d0, _s0), (t1, d1, _s1) in zip(rows, rows[1:], strict=False):
                if d0 <= proj.along_m <= d1:
                    frac = 0 if d1 == d0 else (proj.along_m - d0) / (d1 - d0)
                    out.append((trip, round(t0 + frac * (t1 - t0)) - first, proj.offset_m, None))
                    break
            continue
        near = [
            (haversine_m(lat, lon, stops[sid].lat, stops[sid].lon), dep, sid)
            for dep, _d, sid in rows
            if stops.get(sid) and stops[sid].lat is not None and dep is not None
        ]
        if near:
            dist, dep, sid = min(near)
            out.append((trip, dep - first, dist, stops[sid]))
    return out


def next_arrivals(
    route: Route, *, lat: float, lon: float, now: datetime | None = None, limit: int = 5
) -> list[Arrival]:
    """Next passes of the route near a point: at the nearest stop, or (hail-anywhere) at the nearest point of the
    route's shape, timed by interpolating the stop times along the shape."""
    now = now or timezone.now()
    t_now = service_seconds(now)
    services = active_service_ids(route.feed, timezone.localdate(now))
    trips = list(route.trips.filter(service_id__in=services).prefetch_related("frequencies"))
    out: list[Arrival] = []
    for trip, offset, dist, stop in _pass_offsets(route, trips, lat, lon):
        freqs = list(trip.frequencies.all())
        first = trip.stop_times.order_by("stop_sequence").values_list("departure_time", flat=True).first()
        if freqs:
            for f in freqs:
                # Frequency-based: departures every headway from the band's start; the bus passes `offset` later.
                start = f.start_time + offset
                if t_now > f.end_time + offset:
                    continue
                k = max(0, -(-(t_now - start) // f.headway_secs))
                t = start + k * f.headway_secs
                for _i in range(limit):
                    if t >= f.end_time + offset:
                        break
                    out.append(Arrival(route, trip.headsign, t, (t - t_now) // 60, stop, dist, True))
                    t += f.headway_secs
        else:
            t = first + offset
            if t >= t_now:
                out.append(Arrival(route, trip.headsign, t, (t - t_now) // 60, stop, dist))
    out.sort(key=lambda a: a.seconds)
    return out[:limit]


def stop_search(query: str, *, feed: Feed | None = None, limit: int = 10) -> list[Stop]:
    query = query.strip()
    if len(query) < 2:
        return []
    qs = Stop.objects.filter(feed__imported_at__isnull=False, location_type=0)
    if feed is not None:
        qs = qs.filter(feed=feed)
    hits = list(qs.filter(Q(name__icontains=query) | Q(stop_id=query) | Q(code=query)).select_related("feed")[:limit])
    if len(hits) < limit:
        # Accent-insensitive fallback for "trebol" → "Trébol" on databases without unaccent.
        folded = fold(query)
        for stop in qs.select_related("feed")[:5000]:
            if folded in fold(stop.name) and stop not in hits:
                hits.append(stop)
                if len(hits) >= limit:
                    break
    return hits


def vehicles_for_route(route: Route, *, now: datetime | None = None) -> list[VehiclePosition]:
    now = now or timezone.now()
    return list(route.vehicles.filter(timestamp__gte=now - VEHICLE_MAX_AGE).order_by("vehicle_id"))


def vehicles_for_feed(feed: Feed, *, now: datetime | None = None) -> list[VehiclePosition]:
    now = now or timezone.now()
    return list(
        VehiclePosition.objects.filter(feed=feed, timestamp__gte=now - VEHICLE_MAX_AGE)
        .select_related("route")
        .order_by("vehicle_id")
    )


# --- alerts from citizen reports ---------------------------------------------------------------------------------


@dataclass
class RouteAlert:
    incident_id: int
    route: Route
    service_name: str
    header: str
    tts_header: str
    description: str
    lat: float
    lon: float
    distance_m: float
    status: str
    opened_at: datetime


def _alert_texts(incident, route: Route) -> tuple[str, str, str]:
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    service = incident.service.name
    where = getattr(incident, "address_string", "") or ""
    line = route.short_name or route.long_name or route.route_id
    header = _("%(service)s en el recorrido de la línea %(line)s") % {"service": service, "line": line}
    spoken_where = (_(", cerca de %s") % where) if where else ""
    tts = _("Atención: %(service)s en el recorrido de la línea %(line)s%(where)s.") % {
        "service": service,
        "line": line,
        "where": spoken_where,
    }
    desc = ngettext(
        "Reportado por vecinos; %(n)d reporte. Estado: %(status)s.",
        "Reportado por vecinos; %(n)d reportes. Estado: %(status)s.",
        incident.report_count,
    ) % {
        "n": incident.report_count,
        "status": incident.get_status_display(),
    }
    return header, tts, desc


def route_alerts(route: Route, *, shape: list[tuple[float, float]] | None = None) -> list[RouteAlert]:
    """Open incidents from citizen reports lying within ~30 m of the route's shape."""
    from mueve.reports.models import Incident

    shape = shape if shape is not None else route_main_shape(route)
    if len(shape) < 2:
        return []
    lats, lons = [p[0] for p in shape], [p[1] for p in shape]
    pad = 0.0005  # ~50 m: a cheap bounding-box prefilter before the exact projection
    candidates = Incident.objects.filter(
        status__in=ACTIVE_INCIDENT_STATUSES,
        lat__gte=min(lats) - pad,
        lat__lte=max(lats) + pad,
        lon__gte=min(lons) - pad,
        lon__lte=max(lons) + pad,
    ).select_related("service")
    cum = cumulative_m(shape)
    alerts = []
    for incident in candidates:
        p = project(shape, incident.lat, incident.lon, cum)
        if p.offset_m <= ALERT_DISTANCE_M:
            header, tts, desc = _alert_texts(incident, route)
            alerts.append(
                RouteAlert(
                    incident.pk,
                    route,
                    incident.service.name,
                    header,
                    tts,
                    desc,
                    incident.lat,
                    incident.lon,
                    p.offset_m,
                    incident.status,
                    incident.opened_at,
                )
            )
    return alerts


def feed_alerts(feed: Feed) -> list[RouteAlert]:
    alerts = []
    for route in Route.objects.filter(feed=feed):
        alerts += route_alerts(route)
    return alerts


# --- GTFS export ---------------------------------------------------------------------------------------------------

# Per file: the model, how to reach the GTFS ids it references, its row order.
_EXPORT = {
    "agency.txt": (Agency, {}, ("agency_id",)),
    "stops.txt": (Stop, {}, ("stop_id",)),
    "routes.txt": (Route, {"agency_id": "agency__agency_id"}, ("route_id",)),
    "trips.txt": (Trip, {"route_id": "route__route_id"}, ("trip_id",)),
    "stop_times.txt": (
        StopTime,
        {"trip_id": "trip__trip_id", "stop_id": "stop__stop_id"},
        ("trip__trip_id", "stop_sequence"),
    ),
    "calendar.txt": (Calendar, {}, ("service_id",)),
    "calendar_dates.txt": (CalendarDate, {}, ("service_id", "date")),
    "shapes.txt": (ShapePoint, {}, ("shape_id", "sequence")),
    "frequencies.txt": (Frequency, {"trip_id": "trip__trip_id"}, ("trip__trip_id", "start_time")),
}
_FEED_FILTER = {StopTime: "trip__feed", Frequency: "trip__feed"}


def _gtfs_value(key: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    if key in TIME_FIELDS:
        return format_time(value)
    return str(value)  # a float's str() is its shortest exact form: coordinates come back bit for bit


def export_tables(feed: Feed) -> dict[str, list[dict]]:
    """The feed's rows as GTFS tables, every column the importer keeps (gtfs.COLUMNS), as text.

    Interpolated stop times are written with their times and timepoint=0 ("approximate"), which is what an empty
    time meant in the imported file."""
    t: dict[str, list[dict]] = {}
    for name, (model, lookups, order) in _EXPORT.items():
        columns = COLUMNS[name]
        paths = [lookups.get(key, key) for _col, key in columns]
        extra = ["interpolated"] if model is StopTime else []
        qs = model.objects.filter(**{_FEED_FILTER.get(model, "feed"): feed}).order_by(*order)
        rows = []
        for values in qs.values_list(*paths, *extra):
            row = {col: _gtfs_value(key, v) for (col, key), v in zip(columns, values, strict=False)}
            if extra and values[-1]:
                row["timepoint"] = "0"
            rows.append(row)
        t[name] = rows
    info = dict(feed.feed_info)
    if not info and feed.version:
        info = {
            "feed_publisher_name": "Mueve",
            "feed_publisher_url": "https://mueve.example/",
            "feed_lang": "es",
            "feed_version": feed.version,
        }
    if info:
        t["feed_info.txt"] = [{k: info.get(k, "") for k in FEED_INFO_COLUMNS if k in info}]
    return {name: rows for name, rows in t.items() if rows or name in ("agency.txt", "stops.txt")}


def export_zip(feed: Feed) -> bytes:
    return builder.write_zip(export_tables(feed))


# --- planner timetables --------------------------------------------------------------------------------------------

TIMETABLE_CACHE_SIZE = 8
_timetables: dict[tuple, object] = {}
_timetables_lock = threading.Lock()


def timetable_for_feed(feed: Feed, day: date):
    """F2's in-memory Timetable for the feed's service on `day`, cached per feed version.

    Built by `Timetable.from_gtfs_tables` from the feed's own export tables (no zip written), so the planner reads
    exactly what the importer stored and the export keeps: interpolated times, pickup_type / drop_off_type,
    continuous stopping. A column the export lost would be lost to the planner too; tests/transit/test_roundtrip.py
    guards that.
    """
    from mueve.transit.timetable import Timetable

    key = (feed.pk, feed.imported_at, day)
    with _timetables_lock:
        cached = _timetables.get(key)
    if cached is not None:
        return cached
    table = Timetable.from_gtfs_tables(export_tables(feed), day)
    with _timetables_lock:
        for old in [k for k in _timetables if k[0] == feed.pk and k[1] != feed.imported_at]:
            del _timetables[old]
        while len(_timetables) >= TIMETABLE_CACHE_SIZE:  # any day can be asked for: keep the newest few
            del _timetables[next(iter(_timetables))]
        _timetables[key] = table
    return table


# --- the base map's transit layer ------------------------------------------------------------------------------


def base_map_features(*, tolerance: float = 0.00005) -> list[dict]:
    """The lines of every imported feed's routes (one feature per shape, coloured as the route) and its stops
    (name only), as GeoJSON features for the base map that every page's map draws under (or instead of) tiles."""
    from shapely.geometry import LineString

    features: list[dict] = []
    routes = Route.objects.in_bulk(Route.objects.filter(feed__imported_at__isnull=False).values_list("id", flat=True))
    route_of: dict[tuple[int, str], Route] = {}
    for feed_id, shape_id, route_id in (
        Trip.objects.filter(feed__imported_at__isnull=False)
        .exclude(shape_id="")
        .values_list("feed_id", "shape_id", "route_id")
        .distinct()
    ):
        route_of.setdefault((feed_id, shape_id), routes[route_id])
    points: dict[tuple[int, str], list[tuple[float, float]]] = defaultdict(list)
    for feed_id, shape_id, lat, lon in (
        ShapePoint.objects.filter(feed__imported_at__isnull=False)
        .order_by("feed_id", "shape_id", "sequence")
        .values_list("feed_id", "shape_id", "lat", "lon")
    ):
        points[(feed_id, shape_id)].append((lon, lat))
    for key, line in points.items():
        route = route_of.get(key)
        if route is None or len(line) < 2:
            continue
        simple = LineString(line).simplify(tolerance) if tolerance else LineString(line)
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[round(x, 6), round(y, 6)] for x, y in simple.coords],
                },
                "properties": {
                    "layer": "route",
                    "name": str(route),
                    "short_name": route.short_name,
                    "color": f"#{route.color}" if route.color else "",
                },
            }
        )
    for name, lat, lon in (
        Stop.objects.filter(feed__imported_at__isnull=False, lat__isnull=False, lon__isnull=False, location_type=0)
        .order_by("name")
        .values_list("name", "lat", "lon")
    ):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                "properties": {"layer": "stop", "name": name},
            }
        )
    return features


def base_map_version() -> str:
    """Changes whenever a feed is imported again (its routes, shapes and stops are replaced together)."""
    newest = (
        Feed.objects.filter(imported_at__isnull=False).order_by("-imported_at").values_list("imported_at", flat=True)
    )
    stamps = [moment.isoformat() for moment in newest[:50]]
    return f"{len(stamps)}:{stamps[0] if stamps else ''}"
