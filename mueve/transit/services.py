"""Writes for transit: feeds, GTFS import (validated, atomic), the feed builder, live vehicle positions.

`actor=None` means the system itself (management commands, the demo loader); a user is checked against rules.py.
"""

import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.events import publish
from mueve.core.geo import haversine_m
from mueve.core.permissions import ensure_perm
from mueve.core.slugs import first_free_slug, slug_base
from mueve.core.text import too_long
from mueve.transit import builder, events, gtfs, predictions, selectors
from mueve.transit.models import (
    Agency,
    BuilderRoute,
    Calendar,
    CalendarDate,
    Feed,
    FeedImport,
    FeedValidationIssue,
    Frequency,
    Route,
    ShapePoint,
    Stop,
    StopTime,
    Trip,
    VehiclePosition,
)

BATCH = 2000
MAX_ZIP_BYTES = 200 * 1024 * 1024
MAX_TRACE_POINTS = 5000

# Reference points are stored in a JSON list: this is their only length rule.
REFERENCE_NAME_MAX = 100


def _check(actor: User | None, perm: str, obj: Any = None) -> None:
    if actor is not None:
        ensure_perm(actor, perm, obj)


@transaction.atomic
def feed_create(
    *,
    actor: User | None,
    name: str,
    slug: str = "",
    agency=None,
    jurisdiction=None,
    source: str = Feed.Source.UPLOAD,
    source_detail: str = "",
    licence: str = "",
    illustrative: bool = False,
) -> Feed:
    _check(actor, "transit.manage_feed")
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Indique un nombre.")]})
    if slug:
        if Feed.objects.filter(slug=slug).exists():
            raise ValidationError({"slug": [_("Ya existe un feed con ese identificador.")]})
    else:
        slug = first_free_slug(Feed, slug_base(name, max_length=80, fallback="feed"))
    return Feed.objects.create(
        slug=slug,
        name=name,
        agency=agency,
        jurisdiction=jurisdiction,
        source=source,
        source_detail=source_detail,
        licence=licence,
        illustrative=illustrative,
    )


def feed_import(
    *, actor: User | None, feed: Feed, file: str | Path | IO[bytes] | bytes, filename: str = ""
) -> FeedImport:
    """Validates a GTFS zip and, when it has no errors, replaces the feed's rows with it in one transaction.

    Readers never see half a feed: the old rows are deleted and the new ones inserted inside the same transaction,
    so other connections keep reading the old feed until the commit. The validation report is stored either way.
    """
    _check(actor, "transit.manage_feed", feed)
    if isinstance(file, bytes):
        file = io.BytesIO(file)
    size = Path(file).stat().st_size if isinstance(file, str | Path) else getattr(file, "size", None)
    if size is not None and size > MAX_ZIP_BYTES:
        raise ValidationError({"file": [_("El archivo supera los 200 MB.")]})
    parsed = gtfs.read_feed(file)
    if parsed.errors:
        status = FeedImport.Status.FAILED
    elif parsed.warnings:
        status = FeedImport.Status.OK_WITH_WARNINGS
    else:
        status = FeedImport.Status.OK
    with transaction.atomic():
        record = FeedImport.objects.create(feed=feed, filename=filename[:255], status=status, actor=actor)
        FeedValidationIssue.objects.bulk_create(
            [
                FeedValidationIssue(
                    feed_import=record,
                    severity=i.severity,
                    code=i.code,
                    file=i.file,
                    row=i.row,
                    field=i.field,
                    message=i.message[:500],
                )
                for i in parsed.issues
            ],
            batch_size=BATCH,
        )
        if status != FeedImport.Status.FAILED:
            record.counts = _replace_rows(feed, parsed)
            record.save(update_fields=["counts"])
            info = parsed.feed_info
            feed.version = (info.get("feed_version") or "")[:100]
            feed.feed_info = info
            feed.imported_at = timezone.now()
            feed.save(update_fields=["version", "feed_info", "imported_at", "updated_at"])
            VehiclePosition.objects.filter(feed=feed).delete()
            publish(events.FEED_IMPORTED, events.feed_imported(feed=feed, counts=record.counts))
    return record


def _replace_rows(feed: Feed, parsed: gtfs.ParsedFeed) -> dict[str, int]:
    # Children first would be slower: CASCADE from these four covers trips, stop times and frequencies.
    for model in (Trip, Route, Stop, Agency, Calendar, CalendarDate, ShapePoint):
        model.objects.filter(feed=feed).delete()
    agencies = Agency.objects.bulk_create([Agency(feed=feed, **a) for a in parsed.agencies])
    agency_by_id = {a.agency_id: a for a in agencies}
    default_agency = agencies[0] if len(agencies) == 1 else None
    routes = Route.objects.bulk_create(
        [
            Route(feed=feed, agency=agency_by_id.get(r["agency_id"]) or default_agency, **_without(r, "agency_id"))
            for r in parsed.routes
        ],
        batch_size=BATCH,
    )
    route_by_id = {r.route_id: r for r in routes}
    stops = Stop.objects.bulk_create([Stop(feed=feed, **s) for s in parsed.stops], batch_size=BATCH)
    stop_by_id = {s.stop_id: s for s in stops}
    Calendar.objects.bulk_create([Calendar(feed=feed, **c) for c in parsed.calendars], batch_size=BATCH)
    CalendarDate.objects.bulk_create([CalendarDate(feed=feed, **c) for c in parsed.calendar_dates], batch_size=BATCH)
    ShapePoint.objects.bulk_create([ShapePoint(feed=feed, **s) for s in parsed.shapes], batch_size=BATCH)
    trips = Trip.objects.bulk_create(
        [Trip(feed=feed, route=route_by_id[t["route_id"]], **_without(t, "route_id")) for t in parsed.trips],
        batch_size=BATCH,
    )
    trip_by_id = {t.trip_id: t for t in trips}
    StopTime.objects.bulk_create(
        (
            StopTime(trip=trip_by_id[s["trip_id"]], stop=stop_by_id[s["stop_id"]], **_without(s, "trip_id", "stop_id"))
            for s in parsed.stop_times
        ),
        batch_size=BATCH,
    )
    Frequency.objects.bulk_create(
        [Frequency(trip=trip_by_id[f["trip_id"]], **_without(f, "trip_id")) for f in parsed.frequencies],
        batch_size=BATCH,
    )
    return {
        "agencies": len(agencies),
        "routes": len(routes),
        "stops": len(stops),
        "trips": len(trips),
        "stop_times": len(parsed.stop_times),
        "shape_points": len(parsed.shapes),
        "frequencies": len(parsed.frequencies),
        "calendars": len(parsed.calendars),
        "calendar_dates": len(parsed.calendar_dates),
    }


def _without(d: dict, *keys: str) -> dict:
    return {k: v for k, v in d.items() if k not in keys}


# --- feed builder -------------------------------------------------------------------------------------------------

HHMM = re.compile(r"^(\d{1,2}):([0-5]\d)$")


def _hhmm(value: str, field: str) -> int:
    m = HHMM.match(str(value).strip())
    if not m or int(m.group(1)) > 30:
        raise ValidationError({field: [_("Hora «%s» inválida (use HH:MM).") % value]})
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60


def _clean_path(path: Any) -> list[list[float]]:
    try:
        points = [[float(p[0]), float(p[1])] for p in path]
    except (TypeError, ValueError, IndexError):
        raise ValidationError({"path": [_("El recorrido debe ser una lista de puntos [lat, lon].")]}) from None
    if len(points) < 2:
        raise ValidationError({"path": [_("Dibuje al menos dos puntos del recorrido.")]})
    if len(points) > MAX_TRACE_POINTS:
        raise ValidationError({"path": [_("El recorrido tiene demasiados puntos (máximo %d).") % MAX_TRACE_POINTS]})
    for lat, lon in points:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValidationError({"path": [_("Hay puntos con coordenadas inválidas.")]})
    return points


@transaction.atomic
def builder_route_save(
    *,
    actor: User | None,
    feed: Feed,
    code: str,
    short_name: str,
    long_name: str,
    path: Any,
    reference_points: list[dict] | None = None,
    bands: list[dict],
    days: list[int],
    color: str = "1565C0",
    hail_anywhere: bool = True,
    speed_kmh: float = 18.0,
    both_directions: bool = True,
    explicit_trips: bool = False,
) -> BuilderRoute:
    """Creates or replaces (by `code`) a drawn route of a builder feed."""
    _check(actor, "transit.manage_feed", feed)
    errors: dict[str, list[str]] = {}
    code = slug_base(code or short_name, max_length=40, fallback="")
    if not code:
        errors["code"] = [_("Indique un código.")]
    if not short_name.strip():
        errors["short_name"] = [_("Indique el número o letra de la línea.")]
    for field, value in (("short_name", short_name), ("long_name", long_name)):
        limit = BuilderRoute._meta.get_field(field).max_length
        if len(value.strip()) > limit:
            errors[field] = [too_long(limit, len(value.strip()))]
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", color or ""):
        errors["color"] = [_("Color en hexadecimal, por ejemplo 1565C0.")]
    if not (3 <= float(speed_kmh) <= 80):
        errors["speed_kmh"] = [_("La velocidad debe estar entre 3 y 80 km/h.")]
    clean_days = sorted({int(d) for d in days if str(d).isascii() and str(d).isdigit() and 0 <= int(d) <= 6})
    if not clean_days:
        errors["days"] = [_("Elija al menos un día de servicio.")]
    try:
        clean_path = _clean_path(path)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        clean_path = []
    clean_bands = []
    for band in bands or []:
        try:
            start, end = _hhmm(band.get("start", ""), "bands"), _hhmm(band.get("end", ""), "bands")
            headway = float(band.get("headway_min"))
        except (ValidationError, TypeError, ValueError):
            errors.setdefault("bands", []).append(_("Franja inválida: use HH:MM y minutos entre buses."))
            continue
        if end <= start or not (1 <= headway <= 240):
            errors.setdefault("bands", []).append(
                _("La franja %(s)s–%(e)s debe terminar después de empezar y tener entre 1 y 240 minutos entre buses.")
                % {"s": band.get("start"), "e": band.get("end")}
            )
            continue
        clean_bands.append({"start": band["start"], "end": band["end"], "headway_min": headway})
    if not clean_bands and "bands" not in errors:
        errors["bands"] = [_("Indique al menos una franja horaria con su frecuencia.")]
    clean_points = []
    for point in reference_points or []:
        try:
            name, lat, lon = str(point["name"]).strip(), float(point["lat"]), float(point["lon"])
        except (KeyError, TypeError, ValueError):
            errors.setdefault("reference_points", []).append(_("Cada punto necesita nombre, latitud y longitud."))
            continue
        if not name or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors.setdefault("reference_points", []).append(_("Punto de referencia sin nombre o fuera del mapa."))
            continue
        if len(name) > REFERENCE_NAME_MAX:
            errors.setdefault("reference_points", []).append(
                _("Nombre de un punto de referencia: %(problem)s")
                % {"problem": too_long(REFERENCE_NAME_MAX, len(name))}
            )
            continue
        clean_points.append({"name": name, "lat": lat, "lon": lon})
    if errors:
        raise ValidationError(errors)
    values = {
        "short_name": short_name.strip(),
        "long_name": long_name.strip(),
        "color": color.upper(),
        "hail_anywhere": hail_anywhere,
        "path": clean_path,
        "reference_points": clean_points,
        "bands": clean_bands,
        "days": clean_days,
        "speed_kmh": float(speed_kmh),
        "both_directions": both_directions,
        "explicit_trips": explicit_trips,
    }
    route = BuilderRoute.objects.filter(feed=feed, code=code).first()
    if route is None:
        return BuilderRoute.objects.create(feed=feed, code=code, **values)
    # Unchanged routes keep their updated_at, so the demo (and the page) know nothing needs re-publishing.
    if any(getattr(route, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(route, k, v)
        route.save()
    return route


def builder_spec(feed: Feed, *, start: date | None = None) -> builder.FeedSpec:
    start = start or timezone.localdate()
    agency_name = feed.agency.name if feed.agency else feed.name
    return builder.FeedSpec(
        agency_name=agency_name,
        agency_url="https://mueve.example/transporte/",
        publisher_name="Mueve",
        version=f"mueve-{timezone.now():%Y%m%d%H%M%S}",
        start_date=start - timedelta(days=7),
        end_date=start + timedelta(days=365),
        routes=[
            builder.RouteSpec(
                code=r.code,
                short_name=r.short_name,
                long_name=r.long_name,
                path=[(p[0], p[1]) for p in r.path],
                reference_points=r.reference_points,
                bands=[
                    builder.Band(_hhmm(b["start"], "bands"), _hhmm(b["end"], "bands"), b["headway_min"])
                    for b in r.bands
                ],
                days=r.days,
                color=r.color,
                hail_anywhere=r.hail_anywhere,
                speed_kmh=r.speed_kmh,
                both_directions=r.both_directions,
                explicit_trips=r.explicit_trips,
            )
            for r in feed.builder_routes.order_by("code")
        ],
    )


def builder_zip(feed: Feed, *, start: date | None = None) -> bytes:
    """The GTFS zip generated from the feed's drawn routes."""
    return builder.write_zip(builder.generate(builder_spec(feed, start=start)))


def builder_publish(*, actor: User | None, feed: Feed, start: date | None = None) -> FeedImport:
    """Generates the zip from the drawn routes and imports it through the same validation as any upload."""
    _check(actor, "transit.manage_feed", feed)
    if not feed.builder_routes.exists():
        raise ValidationError({"feed": [_("El feed no tiene rutas dibujadas.")]})
    return feed_import(actor=actor, feed=feed, file=builder_zip(feed, start=start), filename=f"{feed.slug}.zip")


TRACE_MAX_BYTES = 5 * 1024 * 1024  # a day of 1 Hz GPS points is ~3 MB of GPX


def parse_trace(data: bytes, filename: str) -> list[list[float]]:
    """A GPS trace (GPX track/route points, or GeoJSON LineString) as [[lat, lon], ...]."""
    name = filename.lower()
    points: list[list[float]] = []
    if len(data) > TRACE_MAX_BYTES:
        raise ValidationError({"trace": [_("El trazado admite hasta 5 MB.")]})
    try:
        if name.endswith(".gpx"):
            root = ET.fromstring(data)
            for el in root.iter():
                tag = el.tag.rsplit("}", 1)[-1]
                if tag in ("trkpt", "rtept"):
                    points.append([float(el.attrib["lat"]), float(el.attrib["lon"])])
        elif name.endswith((".geojson", ".json")):
            doc = json.loads(data)
            geoms = []
            if doc.get("type") == "FeatureCollection":
                geoms = [f.get("geometry") or {} for f in doc.get("features", [])]
            elif doc.get("type") == "Feature":
                geoms = [doc.get("geometry") or {}]
            else:
                geoms = [doc]
            for g in geoms:
                if g.get("type") == "LineString":
                    points += [[float(c[1]), float(c[0])] for c in g["coordinates"]]
                elif g.get("type") == "MultiLineString":
                    points += [[float(c[1]), float(c[0])] for line in g["coordinates"] for c in line]
        else:
            raise ValidationError({"trace": [_("Suba un archivo .gpx o .geojson.")]})
    except (ET.ParseError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        raise ValidationError({"trace": [_("No se pudo leer el trazado.")]}) from None
    if len(points) < 2:
        raise ValidationError({"trace": [_("El trazado no tiene una línea con al menos dos puntos.")]})
    return _clean_path(_thin(points))


def _thin(points: list[list[float]], min_m: float = 10.0) -> list[list[float]]:
    """GPS logs sample every second; keep points at least `min_m` apart (and always the last)."""
    out = [points[0]]
    for p in points[1:]:
        if haversine_m(out[-1][0], out[-1][1], p[0], p[1]) >= min_m:
            out.append(p)
    if out[-1] != points[-1]:
        out.append(points[-1])
    return out


# --- live vehicles ------------------------------------------------------------------------------------------------


@transaction.atomic
def vehicle_positions_ingest(*, actor: User | None, feed: Feed, data: bytes) -> int:
    """Stores a GTFS-Realtime FeedMessage's VehiclePositions (latest per vehicle). Returns how many were stored."""
    _check(actor, "transit.push_vehicle_positions", feed)
    from google.protobuf.message import DecodeError
    from google.transit import gtfs_realtime_pb2

    message = gtfs_realtime_pb2.FeedMessage()
    try:
        message.ParseFromString(data)
    except DecodeError:
        raise ValidationError({"body": [_("No es un FeedMessage GTFS-Realtime válido.")]}) from None
    routes = {r.route_id: r for r in Route.objects.filter(feed=feed)}
    trip_routes = dict(Trip.objects.filter(feed=feed).values_list("trip_id", "route__route_id"))
    known = {
        v.vehicle_id: v
        for v in VehiclePosition.objects.filter(feed=feed, timestamp__gte=timezone.now() - selectors.VEHICLE_MAX_AGE)
    }
    taken = {(v.trip_id, v.start_date, v.start_time) for v in known.values() if v.start_date}
    plans = predictions.Plans(feed)
    stored = 0
    for entity in message.entity:
        if not entity.HasField("vehicle") or not entity.vehicle.HasField("position"):
            continue
        v = entity.vehicle
        lat, lon = v.position.latitude, v.position.longitude
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
            continue
        vehicle_id = (v.vehicle.id or entity.id)[:100]
        route_id = v.trip.route_id or trip_routes.get(v.trip.trip_id, "")
        when = _vehicle_time(v.timestamp or message.header.timestamp)
        trip_id = v.trip.trip_id[:100]
        start_date, start_time = _trip_instance(plans, feed, v.trip, known.get(vehicle_id), lat, lon, when, taken)
        if start_date is not None:
            taken.add((trip_id, start_date, start_time))
        VehiclePosition.objects.update_or_create(
            feed=feed,
            vehicle_id=vehicle_id,
            defaults={
                "label": v.vehicle.label[:100],
                "trip_id": trip_id,
                "start_date": start_date,
                "start_time": start_time,
                "route": routes.get(route_id),
                "lat": lat,
                "lon": lon,
                "bearing": v.position.bearing if v.position.HasField("bearing") else None,
                "speed": v.position.speed if v.position.HasField("speed") else None,
                "timestamp": when,
            },
        )
        stored += 1
    # No event per update: positions arrive every few seconds and pages poll them; the event log stays for changes.
    return stored


def _trip_instance(plans, feed: Feed, descriptor, previous: VehiclePosition | None, lat, lon, when, taken):
    """(start_date, start_time) of the trip instance the vehicle runs: as the producer sent it when well formed; else
    the one established at the vehicle's first report on this trip (GTFS-RT: an instance's start never changes);
    else inferred from where the bus is and when. (None, None) for a vehicle on no known trip."""
    trip_id = descriptor.trip_id
    if not trip_id:
        return None, None
    try:
        sent_date = gtfs.parse_date(descriptor.start_date) if descriptor.start_date else None
        sent_time = gtfs.parse_time(descriptor.start_time) if descriptor.start_time else None
    except ValueError:
        sent_date = sent_time = None
    if sent_time is not None:
        if sent_date is None:
            sent_date = predictions.local_date(feed, when)
        return sent_date, sent_time
    if previous is not None and previous.trip_id == trip_id and previous.start_date is not None:
        return previous.start_date, previous.start_time
    trip = Trip.objects.filter(feed=feed, trip_id=trip_id).prefetch_related("frequencies").first()
    if trip is None:
        return None, None
    instance = predictions.infer_instance(plans, trip, lat=lat, lon=lon, when=when, taken=taken)
    return instance if instance is not None else (None, None)


def _vehicle_time(ts: int) -> datetime:
    """The position's POSIX time; a missing or impossible one (0, or beyond year 9999) is taken as now."""
    try:
        return datetime.fromtimestamp(ts, UTC) if ts else timezone.now()
    except (OverflowError, ValueError, OSError):
        return timezone.now()
