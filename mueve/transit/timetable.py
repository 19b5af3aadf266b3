"""In-memory timetable for the trip planner: plain dataclasses, no Django, so the transit app, the tests and the
benchmark share it.

Two ways in:

- `Timetable.from_gtfs_zip(path, service_date)` reads a GTFS zip with `csv` (BOM tolerated, times past 24:00,
  untimed stop times interpolated, calendar + calendar_dates, frequencies expanded, shapes, pickup_type /
  drop_off_type). `Timetable.from_gtfs_tables(tables, service_date)` does the same from rows already read
  ({"stops.txt": [{column: text}, ...], ...}: the transit app passes its export, without writing a zip).
- `Timetable.build(stops=[Stop...], routes=[Route...], trips=[Trip...], shapes=[Shape...])` from rows you already
  have (the transit app builds it from its models). Trips must already be the ones running on the service day,
  with times in seconds after midnight of that day.

`Timetable.compile()` (called by the planner on first use, cached) turns trips into RAPTOR route patterns: trips
with the same stop sequence and boarding rules, sorted, split so that no trip overtakes another (so a bisect on
departure times finds the earliest catchable trip), walking footpaths found with a grid, and hail-anywhere shapes
measured in metres.

GTFS continuous_pickup / continuous_drop_off: 0 = continuous (hail anywhere along the segment), 1 or empty = none,
2/3 = phone / coordinate with driver (treated as none: the planner cannot promise them).
GTFS pickup_type / drop_off_type at a stop: 1 = no boarding / no alighting there (the planner never uses it),
2/3 = phone / coordinate with driver (allowed; the ride leg carries the value so the rider is told).
"""

from __future__ import annotations

import bisect
import csv
import io
import math
import threading
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from mueve.core.geo import M_PER_DEG_LAT, m_per_deg_lon
from mueve.core.geo import haversine_m as distance_m

CONTINUOUS = 0
TABLES = (
    "stops.txt",
    "routes.txt",
    "trips.txt",
    "stop_times.txt",
    "shapes.txt",
    "frequencies.txt",
    "calendar.txt",
    "calendar_dates.txt",
)


@dataclass(slots=True)
class Stop:
    id: str
    name: str
    lat: float
    lon: float


@dataclass(slots=True)
class Route:
    id: str
    short_name: str = ""
    long_name: str = ""
    continuous_pickup: int = 1
    continuous_drop_off: int = 1
    route_type: int = 3


@dataclass(slots=True)
class Trip:
    """One vehicle run on the service day. Lists are parallel, one item per stop time, in stop_sequence order.

    `shape_dist` (optional) is each stop's distance along the shape in the shape's own units (GTFS
    shape_dist_traveled); when missing the planner projects the stops onto the shape.
    `continuous_pickup` / `continuous_drop_off` (optional) hold the GTFS value per stop time (applies from that stop
    to the next); None means "use the route's value". `pickup_type` / `drop_off_type` (optional) per stop time,
    1 = not allowed at that stop. `source_id` is the GTFS trip_id when `id` names a copy (a frequencies.txt run
    or yesterday's trip past midnight).
    """

    id: str
    route_id: str
    stop_ids: list[str]
    arrivals: list[int]
    departures: list[int]
    service_id: str = ""
    shape_id: str | None = None
    shape_dist: list[float] | None = None
    headsign: str = ""
    continuous_pickup: list[int | None] | None = None
    continuous_drop_off: list[int | None] | None = None
    pickup_type: list[int] | None = None
    drop_off_type: list[int] | None = None
    source_id: str = ""

    @property
    def gtfs_id(self) -> str:
        return self.source_id or self.id


@dataclass(slots=True)
class Shape:
    """A polyline; `dist_m` is the cumulative length in metres (computed), `dist_traveled` the GTFS values if any."""

    id: str
    lats: list[float]
    lons: list[float]
    dist_traveled: list[float] | None = None
    dist_m: list[float] = field(default_factory=list)

    def __post_init__(self):
        if not self.dist_m:
            total = 0.0
            self.dist_m = [0.0]
            for i in range(1, len(self.lats)):
                total += distance_m(self.lats[i - 1], self.lons[i - 1], self.lats[i], self.lons[i])
                self.dist_m.append(total)

    def metres_at(self, dist_traveled: float) -> float:
        """Convert a GTFS shape_dist_traveled value (any unit) to metres along this shape."""
        dt = self.dist_traveled
        if not dt or len(dt) < 2:
            return 0.0
        i = bisect.bisect_right(dt, dist_traveled) - 1
        i = max(0, min(i, len(dt) - 2))
        span = dt[i + 1] - dt[i]
        frac = 0.0 if span <= 0 else (dist_traveled - dt[i]) / span
        return self.dist_m[i] + max(0.0, min(1.0, frac)) * (self.dist_m[i + 1] - self.dist_m[i])


def parse_time(text: str) -> int | None:
    """GTFS H:MM:SS (hours may exceed 23) -> seconds; empty -> None."""
    text = text.strip()
    if not text:
        return None
    h, m, s = text.split(":")
    return int(h) * 3600 + int(m) * 60 + int(s)


def interpolate_times(times: list[int | None], positions: list[float]) -> list[int]:
    """Fill untimed stop times linearly by position (distance) between the surrounding timed ones.

    The first and last stop times must be timed (GTFS requires it). Equal positions fall back to equal spacing.
    """
    out = list(times)
    n = len(out)
    if n == 0:
        return []
    if out[0] is None or out[-1] is None:
        raise ValueError("first and last stop times must have times")
    i = 0
    while i < n - 1:
        j = i + 1
        while out[j] is None:
            j += 1
        if j > i + 1:
            t0, t1 = out[i], out[j]
            d0, d1 = positions[i], positions[j]
            for k in range(i + 1, j):
                if d1 > d0:
                    frac = (positions[k] - d0) / (d1 - d0)
                else:
                    frac = (k - i) / (j - i)
                out[k] = int(round(t0 + max(0.0, min(1.0, frac)) * (t1 - t0)))
        i = j
    return out  # type: ignore[return-value]


# --- compiled structures --------------------------------------------------------------------------------------


class Pattern:
    """A RAPTOR route: trips sharing the stop sequence and rules, sorted so that none overtakes another."""

    __slots__ = (
        "index",
        "route",
        "stops",
        "trips",
        "arr",
        "dep",
        "dep_cols",
        "can_board",
        "can_alight",
        "hail_board",
        "hail_alight",
        "shape",
        "stop_pos_m",
        "xy",
    )

    def __init__(self, index: int, route: Route, stops: list[int], trips: list[Trip]):
        self.index = index
        self.route = route
        self.stops = stops
        self.trips = trips
        self.arr = [t.arrivals for t in trips]  # arr[trip][pos]
        self.dep = [t.departures for t in trips]
        # Columns for bisect: dep_cols[pos] is non-decreasing because trips never overtake.
        self.dep_cols = [list(col) for col in zip(*self.dep, strict=False)]
        first = trips[0]
        n = len(stops)
        self.can_board = [True] * n if first.pickup_type is None else [v != 1 for v in first.pickup_type]
        self.can_alight = [True] * n if first.drop_off_type is None else [v != 1 for v in first.drop_off_type]
        self.can_board[-1] = False
        self.can_alight[0] = False
        # Segment i runs from stop i to stop i+1.
        self.hail_board = _segment_flags(first.continuous_pickup, route.continuous_pickup, n)
        self.hail_alight = _segment_flags(first.continuous_drop_off, route.continuous_drop_off, n)
        self.shape: Shape | None = None
        self.stop_pos_m: list[float] = []
        self.xy: tuple[list[float], list[float], list[float], float] | None = None

    @property
    def has_hail(self) -> bool:
        return any(self.hail_board) or any(self.hail_alight)


def _segment_flags(per_stop: list[int | None] | None, route_value: int, n: int) -> list[bool]:
    if per_stop is None:
        return [route_value == CONTINUOUS] * (n - 1)
    return [(route_value if v is None else v) == CONTINUOUS for v in per_stop[: n - 1]]


def _pattern_key(trip: Trip) -> tuple:
    return (
        trip.route_id,
        tuple(trip.stop_ids),
        trip.shape_id,
        tuple(trip.continuous_pickup or ()),
        tuple(trip.continuous_drop_off or ()),
        tuple(trip.pickup_type or ()),
        tuple(trip.drop_off_type or ()),
    )


def _overtakes(a: Trip, b: Trip) -> bool:
    """True if b (starting no earlier than a) is ever earlier than a somewhere along the pattern."""
    return any(bd < ad for ad, bd in zip(a.departures, b.departures, strict=False)) or any(
        ba < aa for aa, ba in zip(a.arrivals, b.arrivals, strict=False)
    )


class StopGrid:
    """Buckets of stop indices on an equirectangular grid, for radius queries without scanning every stop."""

    def __init__(self, lats: list[float], lons: list[float], cell_m: float):
        self.cell_m = max(cell_m, 50.0)
        self.lats, self.lons = lats, lons
        mid = sum(lats) / len(lats) if lats else 0.0
        self.cos = max(math.cos(math.radians(mid)), 0.01)
        self.cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, (lat, lon) in enumerate(zip(lats, lons, strict=False)):
            self.cells[self._cell(lat, lon)].append(i)

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        k = M_PER_DEG_LAT / self.cell_m
        return int(math.floor(lat * k)), int(math.floor(lon * k * self.cos))

    def near(self, lat: float, lon: float, radius_m: float) -> list[tuple[int, float]]:
        cy, cx = self._cell(lat, lon)
        reach = int(math.ceil(radius_m / self.cell_m)) + 1
        out = []
        for dy in range(-reach, reach + 1):
            for dx in range(-reach, reach + 1):
                for i in self.cells.get((cy + dy, cx + dx), ()):
                    d = distance_m(lat, lon, self.lats[i], self.lons[i])
                    if d <= radius_m:
                        out.append((i, d))
        return out


class Timetable:
    """Stops, routes, trips and shapes of one service day. See the module docstring."""

    def __init__(
        self,
        stops: list[Stop],
        routes: list[Route],
        trips: list[Trip],
        shapes: list[Shape] | None = None,
        footpaths: list[tuple[str, str, int]] | None = None,
        service_date: date | None = None,
    ):
        self.stops = stops
        self.routes = {r.id: r for r in routes}
        self.trips = trips
        self.shapes = {s.id: s for s in shapes or ()}
        self.service_date = service_date
        self.explicit_footpaths = footpaths
        self.stop_index = {s.id: i for i, s in enumerate(stops)}
        self._compiled = False
        self._lock = threading.Lock()  # one timetable serves concurrent requests; compile it once
        self._footpath_cache: dict[tuple[float, float], tuple[list, list]] = {}

    # -- constructors --------------------------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        *,
        stops: list[Stop],
        routes: list[Route],
        trips: list[Trip],
        shapes: list[Shape] | None = None,
        footpaths: list[tuple[str, str, int]] | None = None,
        service_date: date | None = None,
    ) -> Timetable:
        """Timetable from rows you already have.

        - trips: only those running on the service day; times in seconds after midnight (may exceed 86400);
          untimed stop times already interpolated (see `interpolate_times`); at least two stop times each.
        - footpaths: optional explicit walking transfers (from_stop_id, to_stop_id, seconds). When None the planner
          derives them from straight-line distance (max_walk_m, walk_speed_mps given to `plan`).
        Trips with unknown stops/routes raise ValueError naming the trip.
        """
        known_stops = {s.id for s in stops}
        known_routes = {r.id for r in routes}
        for t in trips:
            if t.route_id not in known_routes:
                raise ValueError(f"trip {t.id}: unknown route {t.route_id}")
            missing = [s for s in t.stop_ids if s not in known_stops]
            if missing:
                raise ValueError(f"trip {t.id}: unknown stop {missing[0]}")
            if not (len(t.stop_ids) == len(t.arrivals) == len(t.departures)) or len(t.stop_ids) < 2:
                raise ValueError(f"trip {t.id}: needs ≥ 2 stop times with arrival and departure each")
        return cls(stops, routes, trips, shapes, footpaths, service_date)

    @classmethod
    def from_gtfs_zip(cls, path: str | Path, service_date: date | str) -> Timetable:
        """Parse a GTFS zip for one service day (YYYYMMDD string or date).

        Trips of the previous day that run past midnight are included, shifted by -24 h.
        """
        with zipfile.ZipFile(path) as zf:
            names = {Path(n).name: n for n in zf.namelist()}
            tables = {}
            for name in TABLES:
                if name in names:
                    with zf.open(names[name]) as fh:
                        tables[name] = list(csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")))
        return cls.from_gtfs_tables(tables, service_date)

    @classmethod
    def from_gtfs_tables(cls, tables: dict[str, list[dict[str, str]]], service_date: date | str) -> Timetable:
        """As `from_gtfs_zip`, from the files' rows (text values; missing files and columns are empty)."""
        if isinstance(service_date, str):
            service_date = datetime.strptime(service_date, "%Y%m%d").date()

        def rows(name: str) -> list[dict[str, str]]:
            return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in tables.get(name, ())]

        stop_rows = rows("stops.txt")
        route_rows = rows("routes.txt")
        trip_rows = rows("trips.txt")
        st_rows = rows("stop_times.txt")
        shape_rows = rows("shapes.txt")
        freq_rows = rows("frequencies.txt")
        calendar = rows("calendar.txt")
        calendar_dates = rows("calendar_dates.txt")

        today = _active_services(calendar, calendar_dates, service_date)
        yesterday = _active_services(calendar, calendar_dates, service_date - timedelta(days=1))

        stops = [
            Stop(r["stop_id"], r.get("stop_name", ""), float(r["stop_lat"]), float(r["stop_lon"]))
            for r in stop_rows
            if r.get("stop_lat") and r.get("location_type", "0") in ("", "0")
        ]
        routes = [
            Route(
                r["route_id"],
                r.get("route_short_name", ""),
                r.get("route_long_name", ""),
                _int(r.get("continuous_pickup"), 1),
                _int(r.get("continuous_drop_off"), 1),
                _int(r.get("route_type"), 3),
            )
            for r in route_rows
        ]

        shape_pts: dict[str, list[tuple[int, float, float, str]]] = defaultdict(list)
        for r in shape_rows:
            shape_pts[r["shape_id"]].append(
                (
                    int(r["shape_pt_sequence"]),
                    float(r["shape_pt_lat"]),
                    float(r["shape_pt_lon"]),
                    r.get("shape_dist_traveled", ""),
                )
            )
        shapes = []
        for sid, pts in shape_pts.items():
            pts.sort()
            dt = [float(p[3]) for p in pts] if all(p[3] for p in pts) else None
            shapes.append(Shape(sid, [p[1] for p in pts], [p[2] for p in pts], dt))
        shapes_by_id = {s.id: s for s in shapes}
        stop_by_id = {s.id: s for s in stops}

        by_trip: dict[str, list[dict[str, str]]] = defaultdict(list)
        for r in st_rows:
            by_trip[r["trip_id"]].append(r)
        freqs: dict[str, list[dict[str, str]]] = defaultdict(list)
        for r in freq_rows:
            freqs[r["trip_id"]].append(r)

        trips: list[Trip] = []
        for r in trip_rows:
            days = []
            if r["service_id"] in today:
                days.append(0)
            if r["service_id"] in yesterday:
                days.append(-86400)
            if not days or r["trip_id"] not in by_trip:
                continue
            template = _trip_from_rows(r, by_trip[r["trip_id"]], stop_by_id, shapes_by_id)
            if template is None:
                continue
            instances = _expand_frequencies(template, freqs.get(template.id, []))
            for shift in days:
                for t in instances:
                    if shift and t.arrivals[-1] + shift < 0:
                        continue  # yesterday's trip that ended before midnight
                    if shift:
                        t = _shifted(t, shift, suffix="@-1")
                    trips.append(t)
        return cls.build(stops=stops, routes=routes, trips=trips, shapes=shapes, service_date=service_date)

    # -- compiled view for the planner ---------------------------------------------------------------------------

    def compile(self) -> None:
        if self._compiled:
            return
        with self._lock:
            if not self._compiled:
                self._compile()

    def _compile(self) -> None:
        idx = self.stop_index
        self.lats = [s.lat for s in self.stops]
        self.lons = [s.lon for s in self.stops]
        groups: dict[tuple, list[Trip]] = defaultdict(list)
        for t in self.trips:
            groups[_pattern_key(t)].append(t)
        patterns: list[Pattern] = []
        for key in sorted(groups, key=lambda k: (k[0], k[1], str(k[2]))):
            trips = sorted(groups[key], key=lambda t: (t.departures[0], t.arrivals[-1], t.id))
            # First-fit into non-overtaking chains (FIFO), so each chain is a valid RAPTOR route.
            chains: list[list[Trip]] = []
            for t in trips:
                for chain in chains:
                    if not _overtakes(chain[-1], t):
                        chain.append(t)
                        break
                else:
                    chains.append([t])
            route = self.routes[key[0]]
            for chain in chains:
                p = Pattern(len(patterns), route, [idx[s] for s in key[1]], chain)
                if p.has_hail:
                    self._measure_shape(p)
                patterns.append(p)
        self.patterns = patterns
        stop_patterns: list[list[tuple[int, int]]] = [[] for _ in self.stops]
        for p in patterns:
            for pos, s in enumerate(p.stops):
                stop_patterns[s].append((p.index, pos))
        self.stop_patterns = stop_patterns
        self.hail_patterns = [p for p in patterns if p.has_hail]
        self.grid = StopGrid(self.lats, self.lons, 600.0)
        self._compiled = True

    def _measure_shape(self, p: Pattern) -> None:
        """Stop positions in metres along the pattern's shape (or along straight lines if it has none)."""
        trip = p.trips[0]
        shape = self.shapes.get(trip.shape_id or "")
        stops = [self.stops[s] for s in p.stops]
        if shape is None or len(shape.lats) < 2:
            shape = Shape(f"_straight:{p.index}", [s.lat for s in stops], [s.lon for s in stops])
        p.shape = shape
        kx = m_per_deg_lon(sum(shape.lats) / len(shape.lats))
        xs = [lon * kx for lon in shape.lons]
        ys = [lat * M_PER_DEG_LAT for lat in shape.lats]
        p.xy = (xs, ys, shape.dist_m, kx)
        if trip.shape_dist is not None and shape.dist_traveled:
            pos = [shape.metres_at(d) for d in trip.shape_dist]
        else:
            pos, seg = [], 0
            for s in stops:
                d, seg = _project(xs, ys, shape.dist_m, s.lon * kx, s.lat * M_PER_DEG_LAT, seg)
                pos.append(d)
        for i in range(1, len(pos)):  # stops never go backwards along the shape
            pos[i] = max(pos[i], pos[i - 1])
        p.stop_pos_m = pos

    def footpaths(self, max_walk_m: float, walk_speed_mps: float) -> tuple[list, list]:
        """(outgoing, incoming): per stop index, [(other stop index, walking seconds)], excluding itself."""
        key = (max_walk_m, walk_speed_mps)
        cached = self._footpath_cache.get(key)
        if cached is not None:
            return cached
        self.compile()
        with self._lock:
            if key not in self._footpath_cache:
                if len(self._footpath_cache) >= 8:  # callers may vary the limits: keep a few
                    self._footpath_cache.pop(next(iter(self._footpath_cache)))
                self._footpath_cache[key] = cached = self._footpaths(max_walk_m, walk_speed_mps)
            else:
                cached = self._footpath_cache[key]
        return cached

    def _footpaths(self, max_walk_m: float, walk_speed_mps: float) -> tuple[list, list]:
        out: list[list[tuple[int, int]]] = [[] for _ in self.stops]
        if self.explicit_footpaths is not None:
            for a, b, secs in self.explicit_footpaths:
                if a in self.stop_index and b in self.stop_index and a != b:
                    out[self.stop_index[a]].append((self.stop_index[b], int(secs)))
        elif max_walk_m > 0:
            grid = StopGrid(self.lats, self.lons, max_walk_m)
            for i in range(len(self.stops)):
                for j, d in grid.near(self.lats[i], self.lons[i], max_walk_m):
                    if j != i:
                        out[i].append((j, walk_seconds(d, walk_speed_mps)))
        incoming: list[list[tuple[int, int]]] = [[] for _ in self.stops]
        for i, edges in enumerate(out):
            for j, secs in edges:
                incoming[j].append((i, secs))
        return out, incoming

    def stops_near(self, lat: float, lon: float, radius_m: float) -> list[tuple[int, float]]:
        self.compile()
        grid = self.grid
        if radius_m > grid.cell_m:
            grid = self.grid = StopGrid(self.lats, self.lons, radius_m)
        return grid.near(lat, lon, radius_m)


def walk_seconds(distance: float, speed_mps: float) -> int:
    return int(math.ceil(distance / speed_mps - 1e-9))


def _project(xs, ys, dist_m, px, py, start_seg=0) -> tuple[float, int]:
    """Nearest point of the polyline to (px, py), searching from start_seg on: (metres along, segment)."""
    best = (math.inf, 0.0, start_seg)
    for i in range(start_seg, len(xs) - 1):
        ax, ay, bx, by = xs[i], ys[i], xs[i + 1], ys[i + 1]
        dx, dy = bx - ax, by - ay
        seg2 = dx * dx + dy * dy
        f = 0.0 if seg2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / seg2))
        qx, qy = ax + f * dx, ay + f * dy
        d2 = (px - qx) ** 2 + (py - qy) ** 2
        if d2 < best[0]:
            best = (d2, dist_m[i] + f * (dist_m[i + 1] - dist_m[i]), i)
    return best[1], best[2]


def nearest_on_pattern(p: Pattern, lat: float, lon: float) -> tuple[float, float, float, float]:
    """(distance to the shape in metres, position along it in metres, lat, lon of the nearest point)."""
    xs, ys, dist_m, kx = p.xy
    px, py = lon * kx, lat * M_PER_DEG_LAT
    best = (math.inf, 0.0, 0.0, 0.0)
    for i in range(len(xs) - 1):
        ax, ay, bx, by = xs[i], ys[i], xs[i + 1], ys[i + 1]
        dx, dy = bx - ax, by - ay
        seg2 = dx * dx + dy * dy
        f = 0.0 if seg2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / seg2))
        qx, qy = ax + f * dx, ay + f * dy
        d2 = (px - qx) ** 2 + (py - qy) ** 2
        if d2 < best[0]:
            best = (d2, dist_m[i] + f * (dist_m[i + 1] - dist_m[i]), qy / M_PER_DEG_LAT, qx / kx)
    return math.sqrt(best[0]), best[1], best[2], best[3]


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text not in (None, "") else default
    except ValueError:
        return default


def _active_services(calendar: list[dict], calendar_dates: list[dict], day: date) -> set[str]:
    ymd = day.strftime("%Y%m%d")
    weekday = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[day.weekday()]
    active = {
        r["service_id"]
        for r in calendar
        if r.get(weekday) == "1" and r.get("start_date", "") <= ymd <= r.get("end_date", "99999999")
    }
    for r in calendar_dates:
        if r.get("date") == ymd:
            if r.get("exception_type") == "1":
                active.add(r["service_id"])
            elif r.get("exception_type") == "2":
                active.discard(r["service_id"])
    return active


def _trip_from_rows(trip_row, st_rows, stop_by_id, shapes_by_id) -> Trip | None:
    st_rows = sorted(st_rows, key=lambda r: int(r["stop_sequence"]))
    st_rows = [r for r in st_rows if r["stop_id"] in stop_by_id]
    if len(st_rows) < 2:
        return None
    arr = [parse_time(r.get("arrival_time", "")) for r in st_rows]
    dep = [parse_time(r.get("departure_time", "")) for r in st_rows]
    arr = [a if a is not None else d for a, d in zip(arr, dep, strict=False)]
    dep = [d if d is not None else a for a, d in zip(arr, dep, strict=False)]
    dists = [r.get("shape_dist_traveled", "") for r in st_rows]
    shape_dist = [float(d) for d in dists] if all(dists) else None
    if any(a is None for a in arr):
        if shape_dist is not None:
            positions = shape_dist
        else:
            positions, total = [0.0], 0.0
            for a, b in zip(st_rows, st_rows[1:], strict=False):
                sa, sb = stop_by_id[a["stop_id"]], stop_by_id[b["stop_id"]]
                total += distance_m(sa.lat, sa.lon, sb.lat, sb.lon)
                positions.append(total)
        arr = interpolate_times(arr, positions)
        dep = [d if d is not None else a for a, d in zip(arr, dep, strict=False)]
    shape_id = trip_row.get("shape_id") or None
    if shape_id not in shapes_by_id:
        shape_id = None

    def opt_int(column: str, default):
        values = [r.get(column, "") for r in st_rows]
        if not any(values):
            return None
        return [_int(v, default) if v != "" else default for v in values]

    return Trip(
        id=trip_row["trip_id"],
        route_id=trip_row["route_id"],
        stop_ids=[r["stop_id"] for r in st_rows],
        arrivals=arr,
        departures=dep,
        service_id=trip_row["service_id"],
        shape_id=shape_id,
        shape_dist=shape_dist if shape_id else None,
        headsign=trip_row.get("trip_headsign", ""),
        continuous_pickup=opt_int("continuous_pickup", None),
        continuous_drop_off=opt_int("continuous_drop_off", None),
        pickup_type=opt_int("pickup_type", 0),
        drop_off_type=opt_int("drop_off_type", 0),
    )


def _shifted(t: Trip, shift: int, suffix: str) -> Trip:
    return Trip(
        id=t.id + suffix,
        route_id=t.route_id,
        stop_ids=t.stop_ids,
        arrivals=[a + shift for a in t.arrivals],
        departures=[d + shift for d in t.departures],
        service_id=t.service_id,
        shape_id=t.shape_id,
        shape_dist=t.shape_dist,
        headsign=t.headsign,
        continuous_pickup=t.continuous_pickup,
        continuous_drop_off=t.continuous_drop_off,
        pickup_type=t.pickup_type,
        drop_off_type=t.drop_off_type,
        source_id=t.gtfs_id,
    )


def _expand_frequencies(template: Trip, freq_rows: list[dict[str, str]]) -> list[Trip]:
    """frequencies.txt: one trip per headway from start_time (inclusive) to end_time (exclusive)."""
    if not freq_rows:
        return [template]
    out = []
    base = template.departures[0]
    for r in freq_rows:
        start, end, headway = parse_time(r["start_time"]), parse_time(r["end_time"]), int(r["headway_secs"])
        if headway <= 0 or start is None or end is None:
            continue
        t = start
        while t < end:
            out.append(_shifted(template, t - base, suffix=f"@{t}"))
            t += headway
    return out
