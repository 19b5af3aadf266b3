"""The feed builder's generator: drawn routes in, GTFS files out (no database).

A drawn route is a polyline, named reference points near it, headways per time band and service days. Reference
points become stops (and timepoints) at their projection on the line; the route's two ends become stops too when no
reference point lies there. Times come from the distance along the line at the route's commercial speed.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from mueve.transit.geometry import cumulative_m, project
from mueve.transit.gtfs import format_time

DAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
END_SNAP_M = 60.0
TTS_EXPANSIONS = [
    (r"\bAv\.?\s", "Avenida "),
    (r"\bPje\.?\s", "Pasaje "),
    (r"\bGral\.?\s", "General "),
    (r"\bSta\.?\s", "Santa "),
]


@dataclass
class Band:
    start: int  # seconds
    end: int
    headway_min: float


@dataclass
class RouteSpec:
    code: str
    short_name: str
    long_name: str
    path: list[tuple[float, float]]
    reference_points: list[dict]
    bands: list[Band]
    days: list[int]
    color: str = "1565C0"
    hail_anywhere: bool = True
    speed_kmh: float = 18.0
    both_directions: bool = True
    explicit_trips: bool = False


@dataclass
class FeedSpec:
    agency_name: str
    agency_url: str
    publisher_name: str
    version: str
    start_date: date
    end_date: date
    routes: list[RouteSpec] = field(default_factory=list)
    timezone: str = "America/Santiago"


def tts_name(name: str) -> str:
    spoken = name
    for pattern, repl in TTS_EXPANSIONS:
        spoken = re.sub(pattern, repl, spoken)
    return spoken


def _stops_along(spec: RouteSpec) -> list[tuple[float, str, float, float]]:
    """(distance along, name, lat, lon) of the route's stops in travel order."""
    cum = cumulative_m(spec.path)
    stops = []
    for point in spec.reference_points:
        p = project(spec.path, float(point["lat"]), float(point["lon"]), cum)
        stops.append((p.along_m, str(point["name"]).strip(), p.lat, p.lon))
    stops.sort()
    first, last = spec.path[0], spec.path[-1]
    if not stops or stops[0][0] > END_SNAP_M:
        stops.insert(0, (0.0, _("Inicio %(route)s") % {"route": spec.short_name}, first[0], first[1]))
    if stops[-1][0] < cum[-1] - END_SNAP_M:
        stops.append((cum[-1], _("Término %(route)s") % {"route": spec.short_name}, last[0], last[1]))
    return stops


def generate(spec: FeedSpec) -> dict[str, list[dict]]:
    """The GTFS tables (file name -> rows) for the drawn routes."""
    tables: dict[str, list[dict]] = {
        "agency.txt": [
            {
                "agency_id": "mueve",
                "agency_name": spec.agency_name,
                "agency_url": spec.agency_url,
                "agency_timezone": spec.timezone,
                "agency_lang": "es",
            }
        ],
        "feed_info.txt": [
            {
                "feed_publisher_name": spec.publisher_name,
                "feed_publisher_url": spec.agency_url,
                "feed_lang": "es",
                "feed_version": spec.version,
                "feed_start_date": spec.start_date.strftime("%Y%m%d"),
                "feed_end_date": spec.end_date.strftime("%Y%m%d"),
            }
        ],
        "stops.txt": [],
        "routes.txt": [],
        "trips.txt": [],
        "stop_times.txt": [],
        "calendar.txt": [],
        "shapes.txt": [],
        "frequencies.txt": [],
    }
    continuous = "0"
    for r in spec.routes:
        hail = continuous if r.hail_anywhere else "1"
        tables["routes.txt"].append(
            {
                "route_id": r.code,
                "agency_id": "mueve",
                "route_short_name": r.short_name,
                "route_long_name": r.long_name,
                "route_type": "3",
                "route_color": r.color,
                "route_text_color": "FFFFFF",
                "continuous_pickup": hail,
                "continuous_drop_off": hail,
            }
        )
        service_id = f"{r.code}-servicio"
        tables["calendar.txt"].append(
            {
                "service_id": service_id,
                **{d: "1" if i in r.days else "0" for i, d in enumerate(DAY_FIELDS)},
                "start_date": spec.start_date.strftime("%Y%m%d"),
                "end_date": spec.end_date.strftime("%Y%m%d"),
            }
        )
        stops = _stops_along(r)
        stop_ids = []
        for i, (_along, name, lat, lon) in enumerate(stops, 1):
            stop_id = f"{r.code}-{i:02d}"
            stop_ids.append(stop_id)
            tables["stops.txt"].append(
                {
                    "stop_id": stop_id,
                    "stop_name": name,
                    "tts_stop_name": tts_name(name),
                    "stop_lat": f"{lat:.6f}",
                    "stop_lon": f"{lon:.6f}",
                }
            )
        total = cumulative_m(r.path)[-1]
        speed = max(r.speed_kmh, 1.0) / 3.6
        directions = [(0, r.path, stops, stop_ids)]
        if r.both_directions:
            back = [(total - a, n, la, lo) for a, n, la, lo in reversed(stops)]
            directions.append((1, list(reversed(r.path)), back, list(reversed(stop_ids))))
        for direction, path, dstops, dstop_ids in directions:
            shape_id = f"{r.code}-{direction}"
            cum = cumulative_m(path)
            for seq, ((lat, lon), dist) in enumerate(zip(path, cum, strict=True)):
                tables["shapes.txt"].append(
                    {
                        "shape_id": shape_id,
                        "shape_pt_lat": f"{lat:.6f}",
                        "shape_pt_lon": f"{lon:.6f}",
                        "shape_pt_sequence": str(seq),
                        "shape_dist_traveled": f"{dist:.1f}",
                    }
                )
            headsign = dstops[-1][1]
            for band in r.bands:
                headway = max(60, round(band.headway_min * 60))
                starts = list(range(band.start, band.end, headway)) if r.explicit_trips else [band.start]
                for start in starts:
                    trip_id = f"{r.code}-{direction}-{start // 60:04d}"
                    tables["trips.txt"].append(
                        {
                            "route_id": r.code,
                            "service_id": service_id,
                            "trip_id": trip_id,
                            "trip_headsign": headsign,
                            "direction_id": str(direction),
                            "shape_id": shape_id,
                        }
                    )
                    for seq, ((along, _n, _la, _lo), stop_id) in enumerate(zip(dstops, dstop_ids, strict=True), 1):
                        t = format_time(start + round(along / speed))
                        tables["stop_times.txt"].append(
                            {
                                "trip_id": trip_id,
                                "arrival_time": t,
                                "departure_time": t,
                                "stop_id": stop_id,
                                "stop_sequence": str(seq),
                                "continuous_pickup": hail,
                                "continuous_drop_off": hail,
                                "shape_dist_traveled": f"{along:.1f}",
                                "timepoint": "1",
                            }
                        )
                    if not r.explicit_trips:
                        tables["frequencies.txt"].append(
                            {
                                "trip_id": trip_id,
                                "start_time": format_time(band.start),
                                "end_time": format_time(band.end),
                                "headway_secs": str(headway),
                                "exact_times": "0",
                            }
                        )
    if not tables["frequencies.txt"]:
        del tables["frequencies.txt"]
    return tables


def write_zip(tables: dict[str, list[dict]]) -> bytes:
    # GTFS is read by trip planners, not spreadsheets, and its values must arrive exactly as written (a negative
    # coordinate starts with "-"): core.csvio's formula quoting would corrupt the feed, so it is not used here.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, rows in tables.items():
            out = io.StringIO()
            columns: list[str] = []
            for row in rows:
                columns += [k for k in row if k not in columns]
            writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            zf.writestr(name, out.getvalue())
    return buf.getvalue()
