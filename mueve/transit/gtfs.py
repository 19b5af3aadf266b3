"""Reading and validating a GTFS zip without touching the database.

`read_feed(path)` returns a `ParsedFeed`: the rows ready to store (times in seconds, untimed stop times interpolated)
and the list of `Issue`s, each naming its file, row (its line in the file: header = line 1) and field. Errors
block the import, warnings do not. The services module writes a ParsedFeed without errors in one transaction.
"""

import csv
import io
import math
import re
import zipfile
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mueve.core.geo import haversine_m

REQUIRED_FILES = ("agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt")
REQUIRED_COLUMNS = {
    "agency.txt": ("agency_name", "agency_timezone"),
    "stops.txt": ("stop_id",),
    "routes.txt": ("route_id", "route_type"),
    "trips.txt": ("route_id", "service_id", "trip_id"),
    "stop_times.txt": ("trip_id", "stop_id", "stop_sequence"),
    "calendar.txt": (
        "service_id",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "start_date",
        "end_date",
    ),
    "calendar_dates.txt": ("service_id", "date", "exception_type"),
    "shapes.txt": ("shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence"),
    "frequencies.txt": ("trip_id", "start_time", "end_time", "headway_secs"),
}
# Every column the importer keeps, per file: GTFS column -> key of the parsed row (the model field's name, or the
# referenced GTFS id for trip_id / stop_id / route_id / agency_id). The export writes exactly these back, so a feed
# round-trips; tests/transit/test_roundtrip.py checks both directions. Columns outside this list (extensions, GTFS-Flex
# booking rules) and files outside it (transfers, fares, pathways, levels, translations) are not kept.
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "agency.txt": (
        ("agency_id", "agency_id"),
        ("agency_name", "name"),
        ("agency_url", "url"),
        ("agency_timezone", "timezone"),
        ("agency_lang", "lang"),
        ("agency_phone", "phone"),
        ("agency_fare_url", "fare_url"),
        ("agency_email", "email"),
    ),
    "stops.txt": (
        ("stop_id", "stop_id"),
        ("stop_code", "code"),
        ("stop_name", "name"),
        ("tts_stop_name", "tts_stop_name"),
        ("stop_desc", "desc"),
        ("stop_lat", "lat"),
        ("stop_lon", "lon"),
        ("zone_id", "zone_id"),
        ("stop_url", "url"),
        ("location_type", "location_type"),
        ("parent_station", "parent_station"),
        ("stop_timezone", "timezone"),
        ("wheelchair_boarding", "wheelchair_boarding"),
        ("level_id", "level_id"),
        ("platform_code", "platform_code"),
    ),
    "routes.txt": (
        ("route_id", "route_id"),
        ("agency_id", "agency_id"),
        ("route_short_name", "short_name"),
        ("route_long_name", "long_name"),
        ("route_desc", "desc"),
        ("route_type", "route_type"),
        ("route_url", "url"),
        ("route_color", "color"),
        ("route_text_color", "text_color"),
        ("route_sort_order", "sort_order"),
        ("continuous_pickup", "continuous_pickup"),
        ("continuous_drop_off", "continuous_drop_off"),
        ("network_id", "network_id"),
    ),
    "trips.txt": (
        ("route_id", "route_id"),
        ("service_id", "service_id"),
        ("trip_id", "trip_id"),
        ("trip_headsign", "headsign"),
        ("trip_short_name", "short_name"),
        ("direction_id", "direction_id"),
        ("block_id", "block_id"),
        ("shape_id", "shape_id"),
        ("wheelchair_accessible", "wheelchair_accessible"),
        ("bikes_allowed", "bikes_allowed"),
    ),
    "stop_times.txt": (
        ("trip_id", "trip_id"),
        ("arrival_time", "arrival_time"),
        ("departure_time", "departure_time"),
        ("stop_id", "stop_id"),
        ("stop_sequence", "stop_sequence"),
        ("stop_headsign", "stop_headsign"),
        ("pickup_type", "pickup_type"),
        ("drop_off_type", "drop_off_type"),
        ("continuous_pickup", "continuous_pickup"),
        ("continuous_drop_off", "continuous_drop_off"),
        ("shape_dist_traveled", "shape_dist_traveled"),
        ("timepoint", "timepoint"),
    ),
    "calendar.txt": (
        ("service_id", "service_id"),
        *((d, d) for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")),
        ("start_date", "start_date"),
        ("end_date", "end_date"),
    ),
    "calendar_dates.txt": (("service_id", "service_id"), ("date", "date"), ("exception_type", "exception_type")),
    "shapes.txt": (
        ("shape_id", "shape_id"),
        ("shape_pt_lat", "lat"),
        ("shape_pt_lon", "lon"),
        ("shape_pt_sequence", "sequence"),
        ("shape_dist_traveled", "dist_traveled"),
    ),
    "frequencies.txt": (
        ("trip_id", "trip_id"),
        ("start_time", "start_time"),
        ("end_time", "end_time"),
        ("headway_secs", "headway_secs"),
        ("exact_times", "exact_times"),
    ),
}
FEED_INFO_COLUMNS = (
    "feed_publisher_name",
    "feed_publisher_url",
    "feed_lang",
    "default_lang",
    "feed_start_date",
    "feed_end_date",
    "feed_version",
    "feed_contact_email",
    "feed_contact_url",
)
TIME_FIELDS = frozenset({"arrival_time", "departure_time", "start_time", "end_time"})
# One file's flood of the same problem says nothing more after this many rows; the rest are counted in one line.
MAX_ISSUES_PER_CODE = 50
TIME_RE = re.compile(r"^\s*(\d{1,3}):([0-5]\d):([0-5]\d)\s*$")


@dataclass
class Issue:
    severity: str  # "error" | "warning"
    code: str
    message: str
    file: str = ""
    row: int | None = None
    field: str = ""

    def as_dict(self) -> dict:
        return {
            "severity": self.severity,
            "code": self.code,
            "file": self.file,
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class ParsedFeed:
    agencies: list[dict] = field(default_factory=list)
    stops: list[dict] = field(default_factory=list)
    routes: list[dict] = field(default_factory=list)
    trips: list[dict] = field(default_factory=list)
    stop_times: list[dict] = field(default_factory=list)
    calendars: list[dict] = field(default_factory=list)
    calendar_dates: list[dict] = field(default_factory=list)
    shapes: list[dict] = field(default_factory=list)
    frequencies: list[dict] = field(default_factory=list)
    feed_info: dict = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    interpolated: int = 0

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]


def parse_time(value: str) -> int | None:
    """'25:03:00' -> seconds after midnight of the service day; '' -> None; raises ValueError when malformed."""
    if value is None or value.strip() == "":
        return None
    m = TIME_RE.match(value)
    if not m:
        raise ValueError(value)
    h, mi, s = (int(g) for g in m.groups())
    return h * 3600 + mi * 60 + s


def format_time(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def parse_date(value: str) -> date:
    value = value.strip()
    if not re.fullmatch(r"\d{8}", value):
        raise ValueError(value)
    return date(int(value[:4]), int(value[4:6]), int(value[6:]))


class _Report:
    def __init__(self, issues: list[Issue]):
        self.issues = issues
        self.counts: dict[tuple[str, str], int] = defaultdict(int)

    def add(self, severity, code, message, file="", row=None, field=""):
        key = (file, code)
        self.counts[key] += 1
        if self.counts[key] <= MAX_ISSUES_PER_CODE:
            self.issues.append(Issue(severity, code, message, file, row, field))

    def close(self):
        for (file, code), n in self.counts.items():
            if n > MAX_ISSUES_PER_CODE:
                severity = next(i.severity for i in self.issues if i.code == code and i.file == file)
                self.issues.append(
                    Issue(
                        severity,
                        code,
                        ngettext(
                            "%(n)d fila más con el mismo problema (%(code)s) no se lista.",
                            "%(n)d filas más con el mismo problema (%(code)s) no se listan.",
                            n - MAX_ISSUES_PER_CODE,
                        )
                        % {"n": n - MAX_ISSUES_PER_CODE, "code": code},
                        file,
                    )
                )


# A feed's text files expand far beyond the zip (Cairns: 3 MB → 30 MB); these caps stop a small "zip bomb" from
# filling the server's memory while still admitting a large city's feed.
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200


def _read_csv(zf: zipfile.ZipFile, names: dict[str, str], name: str, report: _Report) -> list[dict] | None:
    if name not in names:
        return None
    info = zf.getinfo(names[name])
    if info.file_size > MAX_FILE_BYTES or info.file_size > MAX_RATIO * max(info.compress_size, 1024):
        report.add("error", "too_large", _("El archivo es demasiado grande una vez descomprimido."), name)
        return []
    try:
        raw = zf.read(names[name])
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError, zlib.error):
        # Bad CRC, an encrypted member, an unknown compression method or a truncated archive.
        report.add("error", "bad_member", _("No se pudo leer el archivo dentro del zip."), name)
        return []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.add("error", "bad_encoding", _("El archivo no está en UTF-8."), name)
        return []
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    for col in REQUIRED_COLUMNS.get(name, ()):
        if col not in header:
            report.add("error", "missing_column", _("Falta la columna obligatoria «%s».") % col, name, 1, col)
    return [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]


def _float(value: str) -> float | None:
    if value == "":
        return None
    try:
        result = float(value)
    except ValueError:
        return None
    return result if math.isfinite(result) else None


def _int(value: str, default=None):
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        return default


def read_feed(source: str | Path | io.BytesIO) -> ParsedFeed:
    feed = ParsedFeed()
    report = _Report(feed.issues)
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        report.add("error", "not_a_zip", _("El archivo no es un zip válido."))
        return feed
    with zf:
        # Some publishers zip a folder: accept files one directory down.
        names = {Path(n).name: n for n in zf.namelist() if n.endswith(".txt") and n.count("/") <= 1}
        for name in REQUIRED_FILES:
            if name not in names:
                report.add("error", "missing_file", _("Falta el archivo obligatorio %s.") % name, name)
        if "calendar.txt" not in names and "calendar_dates.txt" not in names:
            report.add(
                "error",
                "missing_file",
                _("Falta calendar.txt o calendar_dates.txt: no se sabe qué días hay servicio."),
                "calendar.txt",
            )
        tables = {n: _read_csv(zf, names, n, report) for n in (*REQUIRED_COLUMNS, "feed_info.txt")}
    if any(i.code in ("missing_column", "bad_encoding") for i in feed.errors):
        report.close()
        return feed
    _agencies(feed, tables["agency.txt"] or [], report)
    stop_coords = _stops(feed, tables["stops.txt"] or [], report)
    route_ids = _routes(feed, tables["routes.txt"] or [], report)
    service_ids = _calendars(feed, tables["calendar.txt"] or [], tables["calendar_dates.txt"] or [], report)
    shape_ids = _shapes(feed, tables["shapes.txt"] or [], report)
    trip_ids = _trips(feed, tables["trips.txt"] or [], route_ids, service_ids, shape_ids, report)
    # Without stops.txt every stop time would be "unknown stop": the missing file already says it all.
    _stop_times(
        feed, tables["stop_times.txt"] or [], trip_ids, stop_coords, report, check_stops=tables["stops.txt"] is not None
    )
    _frequencies(feed, tables["frequencies.txt"] or [], trip_ids, report)
    if tables["feed_info.txt"]:
        first = tables["feed_info.txt"][0]
        feed.feed_info = {k: first[k] for k in FEED_INFO_COLUMNS if first.get(k)}
    if feed.interpolated:
        report.add(
            "warning",
            "interpolated_times",
            _("%d horas de paso vacías se interpolaron según la distancia recorrida.") % feed.interpolated,
            "stop_times.txt",
            None,
            "arrival_time",
        )
    report.close()
    return feed


def _agencies(feed, rows, report):
    ids = set()
    for n, row in enumerate(rows, 2):
        aid = row.get("agency_id", "")
        if aid in ids:
            report.add("error", "duplicate_id", _("agency_id «%s» repetido.") % aid, "agency.txt", n, "agency_id")
        ids.add(aid)
        feed.agencies.append(
            {
                "agency_id": aid,
                "name": row.get("agency_name", ""),
                "url": row.get("agency_url", ""),
                "timezone": row.get("agency_timezone", ""),
                "lang": row.get("agency_lang", ""),
                "phone": row.get("agency_phone", ""),
                "fare_url": row.get("agency_fare_url", ""),
                "email": row.get("agency_email", ""),
            }
        )
    if not rows:
        report.add("error", "empty_file", _("agency.txt no tiene filas."), "agency.txt")


def _bad_coords(lat, lon) -> bool:
    return lat is None or lon is None or not (-90 <= lat <= 90) or not (-180 <= lon <= 180) or (lat == 0 and lon == 0)


def _stops(feed, rows, report) -> dict[str, tuple[float, float] | None]:
    coords: dict[str, tuple[float, float] | None] = {}
    for n, row in enumerate(rows, 2):
        sid = row["stop_id"]
        if not sid:
            report.add("error", "missing_value", _("stop_id vacío."), "stops.txt", n, "stop_id")
            continue
        if sid in coords:
            report.add("error", "duplicate_id", _("stop_id «%s» repetido.") % sid, "stops.txt", n, "stop_id")
            continue
        lat, lon = _float(row.get("stop_lat", "")), _float(row.get("stop_lon", ""))
        location_type = _int(row.get("location_type", ""), 0)
        if location_type in (0, 1, 2) and _bad_coords(lat, lon):
            fld = "stop_lat" if lat is None or not (-90 <= lat <= 90) or lat == 0 else "stop_lon"
            report.add(
                "error",
                "bad_coordinates",
                _("Coordenadas inválidas para la parada «%(id)s»: %(lat)s, %(lon)s.")
                % {"id": sid, "lat": row.get("stop_lat", ""), "lon": row.get("stop_lon", "")},
                "stops.txt",
                n,
                fld,
            )
            lat = lon = None
        coords[sid] = (lat, lon) if lat is not None else None
        feed.stops.append(
            {
                "stop_id": sid,
                "code": row.get("stop_code", ""),
                "name": row.get("stop_name", ""),
                "tts_stop_name": row.get("tts_stop_name", ""),
                "desc": row.get("stop_desc", ""),
                "lat": lat,
                "lon": lon,
                "location_type": location_type,
                "parent_station": row.get("parent_station", ""),
                "wheelchair_boarding": _int(row.get("wheelchair_boarding", "")),
                "zone_id": row.get("zone_id", ""),
                "url": row.get("stop_url", ""),
                "timezone": row.get("stop_timezone", ""),
                "level_id": row.get("level_id", ""),
                "platform_code": row.get("platform_code", ""),
            }
        )
    return coords


def _continuous(row, name, file, n, report):
    """continuous_*, pickup_type, drop_off_type: 0 regular, 1 none, 2 phone the agency, 3 coordinate with driver."""
    value = row.get(name, "")
    if value == "":
        return None
    parsed = _int(value)
    if parsed not in (0, 1, 2, 3):
        report.add("error", "bad_value", _("%(f)s debe ser 0, 1, 2 o 3.") % {"f": name}, file, n, name)
        return None
    return parsed


def _routes(feed, rows, report) -> set[str]:
    ids = set()
    agency_ids = {a["agency_id"] for a in feed.agencies}
    for n, row in enumerate(rows, 2):
        rid = row["route_id"]
        if rid in ids:
            report.add("error", "duplicate_id", _("route_id «%s» repetido.") % rid, "routes.txt", n, "route_id")
            continue
        aid = row.get("agency_id", "")
        if aid and aid not in agency_ids:
            report.add(
                "error", "unknown_id", _("agency_id «%s» no está en agency.txt.") % aid, "routes.txt", n, "agency_id"
            )
        route_type = _int(row["route_type"])
        if route_type is None:
            report.add("error", "bad_value", _("route_type no es un número."), "routes.txt", n, "route_type")
        if not row.get("route_short_name") and not row.get("route_long_name"):
            report.add(
                "warning",
                "missing_value",
                _("La ruta «%s» no tiene nombre corto ni largo.") % rid,
                "routes.txt",
                n,
                "route_short_name",
            )
        ids.add(rid)
        feed.routes.append(
            {
                "route_id": rid,
                "agency_id": aid,
                "short_name": row.get("route_short_name", ""),
                "long_name": row.get("route_long_name", ""),
                "desc": row.get("route_desc", ""),
                "route_type": route_type if route_type is not None else 3,
                "url": row.get("route_url", ""),
                "color": row.get("route_color", "")[:6],
                "text_color": row.get("route_text_color", "")[:6],
                "sort_order": _int(row.get("route_sort_order", "")),
                "continuous_pickup": _continuous(row, "continuous_pickup", "routes.txt", n, report),
                "continuous_drop_off": _continuous(row, "continuous_drop_off", "routes.txt", n, report),
                "network_id": row.get("network_id", ""),
            }
        )
    return ids


def _calendars(feed, calendar_rows, date_rows, report) -> set[str]:
    ids = set()
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    for n, row in enumerate(calendar_rows, 2):
        sid = row["service_id"]
        try:
            start, end = parse_date(row["start_date"]), parse_date(row["end_date"])
        except ValueError:
            report.add("error", "bad_date", _("Fecha inválida (se espera AAAAMMDD)."), "calendar.txt", n, "start_date")
            continue
        flags = {}
        for d in days:
            if row[d] not in ("0", "1"):
                report.add("error", "bad_value", _("%s debe ser 0 o 1.") % d, "calendar.txt", n, d)
            flags[d] = row[d] == "1"
        ids.add(sid)
        feed.calendars.append({"service_id": sid, "start_date": start, "end_date": end, **flags})
    for n, row in enumerate(date_rows, 2):
        try:
            day = parse_date(row["date"])
        except ValueError:
            report.add("error", "bad_date", _("Fecha inválida (se espera AAAAMMDD)."), "calendar_dates.txt", n, "date")
            continue
        exception = _int(row["exception_type"])
        if exception not in (1, 2):
            report.add(
                "error", "bad_value", _("exception_type debe ser 1 o 2."), "calendar_dates.txt", n, "exception_type"
            )
            continue
        ids.add(row["service_id"])
        feed.calendar_dates.append({"service_id": row["service_id"], "date": day, "exception_type": exception})
    return ids


def _shapes(feed, rows, report) -> set[str]:
    by_shape: dict[str, list[tuple[int, int, float, float, float | None]]] = defaultdict(list)
    for n, row in enumerate(rows, 2):
        lat, lon = _float(row["shape_pt_lat"]), _float(row["shape_pt_lon"])
        seq = _int(row["shape_pt_sequence"])
        if _bad_coords(lat, lon):
            report.add("error", "bad_coordinates", _("Coordenadas inválidas."), "shapes.txt", n, "shape_pt_lat")
            continue
        if seq is None:
            report.add("error", "bad_value", _("shape_pt_sequence no es entero."), "shapes.txt", n, "shape_pt_sequence")
            continue
        dist_raw = row.get("shape_dist_traveled", "")
        dist = _float(dist_raw)
        if dist_raw and dist is None:
            report.add(
                "error", "bad_value", _("shape_dist_traveled no es un número."), "shapes.txt", n, "shape_dist_traveled"
            )
        by_shape[row["shape_id"]].append((seq, n, lat, lon, dist))
    for shape_id, points in by_shape.items():
        points.sort()
        last_seq, last_dist = None, None
        for seq, n, lat, lon, dist in points:
            if seq == last_seq:
                report.add(
                    "error",
                    "duplicate_sequence",
                    _("shape_pt_sequence %(s)d repetido en la forma «%(id)s».") % {"s": seq, "id": shape_id},
                    "shapes.txt",
                    n,
                    "shape_pt_sequence",
                )
            if dist is not None and last_dist is not None and dist < last_dist:
                report.add(
                    "error",
                    "non_monotonic_distance",
                    _("shape_dist_traveled baja de %(a)s a %(b)s en la forma «%(id)s».")
                    % {"a": last_dist, "b": dist, "id": shape_id},
                    "shapes.txt",
                    n,
                    "shape_dist_traveled",
                )
            if dist is not None:
                last_dist = dist
            last_seq = seq
            feed.shapes.append({"shape_id": shape_id, "sequence": seq, "lat": lat, "lon": lon, "dist_traveled": dist})
    return set(by_shape)


def _trips(feed, rows, route_ids, service_ids, shape_ids, report) -> set[str]:
    ids = set()
    for n, row in enumerate(rows, 2):
        tid = row["trip_id"]
        if tid in ids:
            report.add("error", "duplicate_id", _("trip_id «%s» repetido.") % tid, "trips.txt", n, "trip_id")
            continue
        ok = True
        if row["route_id"] not in route_ids:
            report.add(
                "error",
                "unknown_id",
                _("route_id «%s» no está en routes.txt.") % row["route_id"],
                "trips.txt",
                n,
                "route_id",
            )
            ok = False
        if row["service_id"] not in service_ids:
            report.add(
                "error",
                "unknown_id",
                _("service_id «%s» no está en calendar.txt ni en calendar_dates.txt.") % row["service_id"],
                "trips.txt",
                n,
                "service_id",
            )
        shape_id = row.get("shape_id", "")
        if shape_id and shape_id not in shape_ids:
            report.add(
                "error", "unknown_id", _("shape_id «%s» no está en shapes.txt.") % shape_id, "trips.txt", n, "shape_id"
            )
        if not ok:
            continue
        ids.add(tid)
        feed.trips.append(
            {
                "trip_id": tid,
                "route_id": row["route_id"],
                "service_id": row["service_id"],
                "headsign": row.get("trip_headsign", ""),
                "short_name": row.get("trip_short_name", ""),
                "direction_id": _int(row.get("direction_id", "")),
                "block_id": row.get("block_id", ""),
                "shape_id": shape_id,
                "wheelchair_accessible": _int(row.get("wheelchair_accessible", "")),
                "bikes_allowed": _int(row.get("bikes_allowed", "")),
            }
        )
    return ids


def _stop_times(feed, rows, trip_ids, stop_coords, report, check_stops=True):
    by_trip: dict[str, list[dict]] = defaultdict(list)
    for n, row in enumerate(rows, 2):
        tid, sid = row["trip_id"], row["stop_id"]
        bad = False
        if tid not in trip_ids:
            report.add(
                "error", "unknown_id", _("trip_id «%s» no está en trips.txt.") % tid, "stop_times.txt", n, "trip_id"
            )
            bad = True
        if sid not in stop_coords:
            bad = True
        if sid not in stop_coords and check_stops:
            report.add(
                "error", "unknown_id", _("stop_id «%s» no está en stops.txt.") % sid, "stop_times.txt", n, "stop_id"
            )
        times = {}
        for col in ("arrival_time", "departure_time"):
            try:
                times[col] = parse_time(row.get(col, ""))
            except ValueError:
                report.add(
                    "error",
                    "bad_time",
                    _("Hora «%(v)s» inválida (se espera HH:MM:SS).") % {"v": row.get(col, "")},
                    "stop_times.txt",
                    n,
                    col,
                )
                bad = True
        seq = _int(row["stop_sequence"])
        if seq is None:
            report.add("error", "bad_value", _("stop_sequence no es entero."), "stop_times.txt", n, "stop_sequence")
            bad = True
        dist_raw = row.get("shape_dist_traveled", "")
        dist = _float(dist_raw)
        if dist_raw and dist is None:
            report.add(
                "error",
                "bad_value",
                _("shape_dist_traveled no es un número."),
                "stop_times.txt",
                n,
                "shape_dist_traveled",
            )
            bad = True
        if bad:
            continue
        arr, dep = times["arrival_time"], times["departure_time"]
        if arr is None and dep is not None:
            arr = dep
        if dep is None and arr is not None:
            dep = arr
        by_trip[tid].append(
            {
                "_row": n,
                "trip_id": tid,
                "stop_id": sid,
                "stop_sequence": seq,
                "arrival_time": arr,
                "departure_time": dep,
                "interpolated": False,
                "stop_headsign": row.get("stop_headsign", ""),
                "pickup_type": _continuous(row, "pickup_type", "stop_times.txt", n, report),
                "drop_off_type": _continuous(row, "drop_off_type", "stop_times.txt", n, report),
                "continuous_pickup": _continuous(row, "continuous_pickup", "stop_times.txt", n, report),
                "continuous_drop_off": _continuous(row, "continuous_drop_off", "stop_times.txt", n, report),
                "shape_dist_traveled": dist,
                "timepoint": _int(row.get("timepoint", "")),
            }
        )
    for tid, sts in by_trip.items():
        sts.sort(key=lambda s: (s["stop_sequence"], s["_row"]))
        if _check_trip(tid, sts, report):
            feed.interpolated += _interpolate(sts, stop_coords)
        for s in sts:
            s.pop("_row")
            feed.stop_times.append(s)
    for tid in trip_ids - set(by_trip) if check_stops else ():
        report.add("warning", "trip_without_stop_times", _("El viaje «%s» no tiene horarios.") % tid, "trips.txt")


def _check_trip(tid, sts, report) -> bool:
    ok = True
    last_seq = last_dist = last_time = None
    for s in sts:
        n = s["_row"]
        if s["stop_sequence"] == last_seq:
            report.add(
                "error",
                "non_monotonic_sequence",
                _("stop_sequence %(s)d repetido en el viaje «%(t)s».") % {"s": s["stop_sequence"], "t": tid},
                "stop_times.txt",
                n,
                "stop_sequence",
            )
            ok = False
        d = s["shape_dist_traveled"]
        if d is not None and last_dist is not None and d < last_dist:
            report.add(
                "error",
                "non_monotonic_distance",
                _("shape_dist_traveled baja de %(a)s a %(b)s en el viaje «%(t)s».")
                % {"a": last_dist, "b": d, "t": tid},
                "stop_times.txt",
                n,
                "shape_dist_traveled",
            )
            ok = False
        if s["arrival_time"] is not None:
            if last_time is not None and s["arrival_time"] < last_time:
                report.add(
                    "error",
                    "time_travel",
                    _("La hora de llegada es anterior a la parada previa del viaje «%s».") % tid,
                    "stop_times.txt",
                    n,
                    "arrival_time",
                )
                ok = False
            if s["departure_time"] < s["arrival_time"]:
                report.add(
                    "error",
                    "time_travel",
                    _("La salida es anterior a la llegada."),
                    "stop_times.txt",
                    n,
                    "departure_time",
                )
                ok = False
            last_time = s["departure_time"]
        last_seq = s["stop_sequence"]
        if d is not None:
            last_dist = d
    for end in (sts[0], sts[-1]):
        if end["arrival_time"] is None:
            report.add(
                "error",
                "missing_time",
                _("La primera y la última parada del viaje «%s» deben tener hora.") % tid,
                "stop_times.txt",
                end["_row"],
                "arrival_time",
            )
            ok = False
    return ok


def _interpolate(sts, stop_coords) -> int:
    """Fills untimed stop times between two timed ones in proportion to distance: shape_dist_traveled when every
    stop of the trip has it, else the straight-line distance between consecutive stops."""
    if all(s["arrival_time"] is not None for s in sts):
        return 0
    if all(s["shape_dist_traveled"] is not None for s in sts):
        along = [s["shape_dist_traveled"] for s in sts]
    else:
        along, total, prev = [], 0.0, None
        for s in sts:
            here = stop_coords.get(s["stop_id"])
            if prev and here:
                total += haversine_m(prev[0], prev[1], here[0], here[1])
            along.append(total)
            prev = here or prev
    filled = 0
    anchor = 0
    for i in range(1, len(sts)):
        if sts[i]["arrival_time"] is None:
            continue
        if i - anchor > 1:
            t0, t1 = sts[anchor]["departure_time"], sts[i]["arrival_time"]
            d0, d1 = along[anchor], along[i]
            for k in range(anchor + 1, i):
                frac = (along[k] - d0) / (d1 - d0) if d1 > d0 else (k - anchor) / (i - anchor)
                t = round(t0 + (t1 - t0) * frac)
                sts[k]["arrival_time"] = sts[k]["departure_time"] = t
                sts[k]["interpolated"] = True
                filled += 1
        anchor = i
    return filled


def _frequencies(feed, rows, trip_ids, report):
    for n, row in enumerate(rows, 2):
        if row["trip_id"] not in trip_ids:
            report.add(
                "error",
                "unknown_id",
                _("trip_id «%s» no está en trips.txt.") % row["trip_id"],
                "frequencies.txt",
                n,
                "trip_id",
            )
            continue
        try:
            start, end = parse_time(row["start_time"]), parse_time(row["end_time"])
        except ValueError:
            report.add(
                "error", "bad_time", _("Hora inválida (se espera HH:MM:SS)."), "frequencies.txt", n, "start_time"
            )
            continue
        headway = _int(row["headway_secs"])
        if start is None or end is None or end <= start:
            report.add(
                "error", "bad_value", _("end_time debe ser posterior a start_time."), "frequencies.txt", n, "end_time"
            )
            continue
        if not headway or headway <= 0:
            report.add("error", "bad_value", _("headway_secs debe ser positivo."), "frequencies.txt", n, "headway_secs")
            continue
        feed.frequencies.append(
            {
                "trip_id": row["trip_id"],
                "start_time": start,
                "end_time": end,
                "headway_secs": headway,
                "exact_times": _int(row.get("exact_times", ""), 0),
            }
        )
