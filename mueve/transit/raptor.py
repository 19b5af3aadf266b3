"""Trip planner: RAPTOR (Delling, Pajor, Werneck, "Round-Based Public Transit Routing", 2012) with its range
variant rRAPTOR, on a `timetable.Timetable`.

Round k holds the earliest arrival at every stop using at most k vehicles, so the answers are the Pareto set
arrival × number of vehicles. A journey is: [walk] ride ([walk] ride)* [walk] — at most one walk between rides.

Origins and destinations are stop ids or (lat, lon) points. A point reaches every stop within `max_walk_m` on foot
and, on hail-anywhere routes (GTFS continuous_pickup / continuous_drop_off = 0), the nearest point of the route's
shape within `max_walk_m`: the rider boards or alights there, at the time interpolated by distance between the
surrounding stop times.

Range query (depart_until given): for every departure time t in [depart_from, depart_until] take the Pareto set
of journeys leaving at t (a ride must beat walking all the way when the destination is within max_walk_m; walking
is listed once, leaving at depart_until), label each with `depart = t`, and keep those that no other beats
(leaves no earlier, arrives no later, no more vehicles).
Only the departures of vehicles from the origin's stops (minus the walk to them) and depart_until itself matter,
so rRAPTOR runs once per such time, latest first, keeping labels between runs. In a window query the first leg
may start after `depart` when there is slack (the bus you can catch leaving at t leaves later).
"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field

from mueve.transit.timetable import Pattern, Timetable, distance_m, nearest_on_pattern, walk_seconds

INF = 1 << 40
_ACCESS, _RIDE, _WALK = 0, 1, 2


@dataclass(slots=True)
class Leg:
    kind: str  # "walk" | "ride"
    depart: int  # seconds after midnight of the service day
    arrive: int
    from_stop: str | None = None  # None when the leg starts at a point (origin or a hail-anywhere boarding)
    to_stop: str | None = None
    from_point: tuple[float, float] | None = None
    to_point: tuple[float, float] | None = None
    distance_m: float = 0.0
    route_id: str | None = None
    route_name: str = ""
    trip_id: str | None = None
    headsign: str = ""
    hail_board: bool = False  # boarded between stops on a hail-anywhere route
    hail_alight: bool = False
    stops: list[str] = field(default_factory=list)  # ride: stop ids passed, boarding to alighting
    # Ride: the GTFS pickup_type at the boarding stop / drop_off_type at the alighting one. Never 1 (not allowed);
    # 2 = phone the agency, 3 = tell the driver; 0 at a regular stop and at a hail-anywhere point.
    pickup_type: int = 0
    drop_off_type: int = 0
    gtfs_trip_id: str | None = None  # trip_id in trips.txt (trip_id may name a frequencies run or yesterday's copy)


@dataclass(slots=True)
class Journey:
    depart: int
    arrive: int
    rides: int
    legs: list[Leg]

    @property
    def transfers(self) -> int:
        return max(0, self.rides - 1)

    @property
    def duration(self) -> int:
        return self.arrive - self.depart

    def as_dict(self) -> dict:
        """JSON-safe: times in seconds after midnight of the service day, points as [lat, lon]."""
        data = asdict(self)
        data["transfers"] = self.transfers
        data["duration"] = self.duration
        return data


@dataclass(slots=True)
class _Hail:
    """Boarding/alighting point between stops j and j+1 of a pattern."""

    pattern: Pattern
    seg: int
    frac: float
    walk: int
    dist: float
    point: tuple[float, float]

    def time(self, trip: int) -> int:
        p, j = self.pattern, self.seg
        dep = p.dep[trip][j]
        return dep + round(self.frac * (p.arr[trip][j + 1] - dep))


@dataclass
class _End:
    point: tuple[float, float] | None
    stop: int | None
    stops: dict[int, int]  # stop index -> walking seconds
    hail: list[_Hail]


def _endpoint(tt: Timetable, where, fps_out, fps_in, *, egress: bool, max_walk_m: float, speed: float) -> _End:
    if isinstance(where, str):
        if where not in tt.stop_index:
            raise KeyError(f"unknown stop {where}")
        s = tt.stop_index[where]
        near = {s: 0}
        for other, w in fps_in[s] if egress else fps_out[s]:
            near.setdefault(other, w)
        return _End(None, s, near, [])
    lat, lon = float(where[0]), float(where[1])
    near = {i: walk_seconds(d, speed) for i, d in tt.stops_near(lat, lon, max_walk_m)}
    hail = []
    for p in tt.hail_patterns:
        flags = p.hail_alight if egress else p.hail_board
        if not any(flags):
            continue
        dist, pos, qlat, qlon = nearest_on_pattern(p, lat, lon)
        if dist > max_walk_m:
            continue
        sp = p.stop_pos_m
        for j in range(len(sp) - 1):
            if flags[j] and sp[j] <= pos <= sp[j + 1] and sp[j + 1] > sp[j]:
                frac = (pos - sp[j]) / (sp[j + 1] - sp[j])
                hail.append(_Hail(p, j, frac, walk_seconds(dist, speed), dist, (qlat, qlon)))
                break
    return _End((lat, lon), None, near, hail)


def plan(
    tt: Timetable,
    origin: str | tuple[float, float],
    destination: str | tuple[float, float],
    depart_from: int,
    depart_until: int | None = None,
    max_transfers: int = 4,
    walk_speed_mps: float = 1.2,
    max_walk_m: float = 600,
) -> list[Journey]:
    """Pareto-optimal journeys (arrival × vehicles; with a window also × departure), sorted by departure then
    arrival. Times are seconds after midnight of the timetable's service day.

    Raises KeyError for an unknown stop id, ValueError for a window that ends before it starts or negative limits.
    """
    if depart_until is not None and depart_until < depart_from:
        raise ValueError("depart_until is before depart_from")
    if max_transfers < 0 or walk_speed_mps <= 0 or max_walk_m < 0:
        raise ValueError("max_transfers and max_walk_m must be ≥ 0, walk_speed_mps > 0")
    tt.compile()
    fps_out, fps_in = tt.footpaths(max_walk_m, walk_speed_mps)
    org = _endpoint(tt, origin, fps_out, fps_in, egress=False, max_walk_m=max_walk_m, speed=walk_speed_mps)
    dst = _endpoint(tt, destination, fps_out, fps_in, egress=True, max_walk_m=max_walk_m, speed=walk_speed_mps)
    if org.stop is not None and org.stop == dst.stop:
        return []
    direct = _direct_walk(tt, org, dst, max_walk_m, walk_speed_mps)
    return _Search(tt, org, dst, fps_out, max_transfers + 1, direct, depart_from, depart_until).run()


def _direct_walk(tt: Timetable, org: _End, dst: _End, max_walk_m: float, speed: float) -> tuple[int, float] | None:
    if org.stop is not None and dst.stop is not None:
        w = dst.stops.get(org.stop)  # a footpath from the origin stop into the destination stop
        if w is None:
            return None
        return w, distance_m(tt.lats[org.stop], tt.lons[org.stop], tt.lats[dst.stop], tt.lons[dst.stop])
    a = org.point or (tt.lats[org.stop], tt.lons[org.stop])
    b = dst.point or (tt.lats[dst.stop], tt.lons[dst.stop])
    d = distance_m(a[0], a[1], b[0], b[1])
    return (walk_seconds(d, speed), d) if d <= max_walk_m else None


class _Search:
    def __init__(self, tt, org, dst, fps, rounds, direct, depart_from, depart_until):
        self.tt, self.org, self.dst, self.fps, self.K = tt, org, dst, fps, rounds
        self.direct = direct
        self.t_from, self.t_until = depart_from, depart_until
        n = len(tt.stops)
        self.tau = [[INF] * n for _ in range(rounds + 1)]
        self.par: list[list] = [[None] * n for _ in range(rounds + 1)]
        self.dest = [INF] * (rounds + 1)
        self.dpar: list = [None] * (rounds + 1)
        self.hail_egress: dict[int, list[_Hail]] = {}
        for h in dst.hail:
            self.hail_egress.setdefault(h.pattern.index, []).append(h)

    # -- departure events for the range query ------------------------------------------------------------------

    def _events(self) -> list[int]:
        lo, hi = self.t_from, self.t_until
        if hi is None:
            return [lo]
        times = {hi}  # leaving at the end of the window may wait for a bus that leaves after it
        pats = self.tt.patterns
        for s, w in self.org.stops.items():
            for pi, pos in self.tt.stop_patterns[s]:
                p = pats[pi]
                if not p.can_board[pos]:
                    continue
                col = p.dep_cols[pos]
                a = bisect.bisect_left(col, lo + w)
                b = bisect.bisect_right(col, hi + w)
                times.update(d - w for d in col[a:b])
        for h in self.org.hail:
            for ti in range(len(h.pattern.trips)):
                t = h.time(ti) - h.walk
                if lo <= t <= hi:
                    times.add(t)
        return sorted(times, reverse=True)

    def run(self) -> list[Journey]:
        found: list[Journey] = []
        for t0 in self._events():
            before = list(self.dest)
            self._one(t0)
            for k in range(1, self.K + 1):
                if self.dest[k] < before[k] and self.dest[k] < self.dest[k - 1]:
                    journey = self._journey(k)
                    if self.t_until is not None:
                        # Leaving at t0 catches this journey; any later departure inside the window is another run.
                        journey.depart = t0
                    found.append(journey)
        last = self.t_from if self.t_until is None else self.t_until
        if self.direct is not None:
            w, d = self.direct
            a = self.org.point or (self.tt.lats[self.org.stop], self.tt.lons[self.org.stop])
            b = self.dst.point or (self.tt.lats[self.dst.stop], self.tt.lons[self.dst.stop])
            stop_of = self.tt.stops
            leg = Leg(
                "walk",
                last,
                last + w,
                stop_of[self.org.stop].id if self.org.stop is not None else None,
                stop_of[self.dst.stop].id if self.dst.stop is not None else None,
                a,
                b,
                d,
            )
            found.append(Journey(last, last + w, 0, [leg]))
        return _pareto(found)

    # -- one RAPTOR run from departure t0 (labels kept from later runs: rRAPTOR) ------------------------------

    def _one(self, t0: int) -> None:
        tt, K = self.tt, self.K
        pats, stop_patterns, fps = tt.patterns, tt.stop_patterns, self.fps
        tau, par, dest, dpar = self.tau, self.par, self.dest, self.dpar
        egress = self.dst.stops
        hail_egress = self.hail_egress

        if self.direct is not None:
            dest[0] = t0 + self.direct[0]
            dpar[0] = None
        marked = set()
        tau0, par0 = tau[0], par[0]
        for s, w in self.org.stops.items():
            if t0 + w < tau0[s]:
                tau0[s] = t0 + w
                par0[s] = (_ACCESS, 0, w)
                marked.add(s)

        for k in range(1, K + 1):
            prev, cur, pk, pprev = tau[k - 1], tau[k], par[k], par[k - 1]
            # τ_k starts as min(τ_k from later departures, τ_{k-1}).
            for s in range(len(cur)):
                if prev[s] < cur[s]:
                    cur[s] = prev[s]
                    pk[s] = pprev[s]
            if dest[k - 1] < dest[k]:
                dest[k] = dest[k - 1]
                dpar[k] = dpar[k - 1]
            queue: dict[int, int] = {}
            for s in marked:
                for pi, pos in stop_patterns[s]:
                    if pos < queue.get(pi, INF):
                        queue[pi] = pos
            # Arrivals by vehicle in this round, kept even when a walk reached the stop earlier: a footpath may
            # only follow a ride, so the walk onwards from a stop must start from its ride arrival.
            ride_arr: dict[int, int] = {}
            ride_par: dict[int, tuple] = {}
            for pi, pos0 in queue.items():
                p = pats[pi]
                pstops, can_board, can_alight, dep_cols = p.stops, p.can_board, p.can_alight, p.dep_cols
                ntrips = len(p.trips)
                he = hail_egress.get(pi)
                trip_at = [-1] * len(pstops) if he else None
                board_at = [-1] * len(pstops) if he else None
                t = -1
                board = -1
                arr_row = dep_row = None
                for pos in range(pos0, len(pstops)):
                    s = pstops[pos]
                    if t >= 0 and can_alight[pos]:
                        a = arr_row[pos]
                        if a < ride_arr.get(s, INF) and a < dest[k]:
                            ride_arr[s] = a
                            ride_par[s] = (_RIDE, k, p, t, board, pos)
                            if a < cur[s]:
                                cur[s] = a
                                pk[s] = ride_par[s]
                        w = egress.get(s)
                        if w is not None and a + w < dest[k]:
                            dest[k] = a + w
                            dpar[k] = (_RIDE, k, p, t, board, pos, w)
                    if can_board[pos]:
                        tp = prev[s]
                        if tp < INF and (t < 0 or tp <= dep_row[pos]):
                            hi = t if t >= 0 else ntrips
                            i = bisect.bisect_left(dep_cols[pos], tp, 0, hi)
                            if i < hi:
                                t, board = i, pos
                                arr_row, dep_row = p.arr[t], p.dep[t]
                    if trip_at is not None:
                        trip_at[pos], board_at[pos] = t, board
                if he:
                    for h in he:
                        t_h = trip_at[h.seg]
                        if t_h >= 0:
                            a = h.time(t_h) + h.walk
                            if a < dest[k]:
                                dest[k] = a
                                dpar[k] = (_RIDE, k, p, t_h, board_at[h.seg], h, h.walk)
            if k == 1:
                self._hail_access(t0, cur, pk, dest, dpar, egress, ride_arr, ride_par)
            # One footpath after the rides of this round (values read before any walk updates them).
            marked = {s for s, a in ride_arr.items() if cur[s] == a}
            for s, a, ride in [(s, a, ride_par[s]) for s, a in ride_arr.items()]:
                for j, w in fps[s]:
                    c = a + w
                    if c < cur[j] and c < dest[k]:
                        cur[j] = c
                        pk[j] = (_WALK, k, s, w, ride)
                        marked.add(j)
            if not marked:
                for kk in range(k + 1, K + 1):
                    if dest[kk - 1] < dest[kk]:
                        dest[kk] = dest[kk - 1]
                        dpar[kk] = dpar[kk - 1]
                break

    def _hail_access(self, t0, cur, pk, dest, dpar, egress, ride_arr, ride_par) -> None:
        """Round 1 only: walk from the origin point to a hail-anywhere shape and flag the bus down there."""
        for h in self.org.hail:
            p = h.pattern
            ready = t0 + h.walk
            n = len(p.trips)
            i = bisect.bisect_left(range(n), ready, key=h.time)
            if i >= n:
                continue
            arr_row = p.arr[i]
            for pos in range(h.seg + 1, len(p.stops)):
                if not p.can_alight[pos]:
                    continue
                s = p.stops[pos]
                a = arr_row[pos]
                if a < ride_arr.get(s, INF) and a < dest[1]:
                    ride_arr[s] = a
                    ride_par[s] = (_RIDE, 1, p, i, h, pos)
                    if a < cur[s]:
                        cur[s] = a
                        pk[s] = ride_par[s]
                w = egress.get(s)
                if w is not None and a + w < dest[1]:
                    dest[1] = a + w
                    dpar[1] = (_RIDE, 1, p, i, h, pos, w)
            for e in self.hail_egress.get(p.index, ()):
                if (e.seg, e.frac) > (h.seg, h.frac):
                    a = e.time(i) + e.walk
                    if a < dest[1]:
                        dest[1] = a
                        dpar[1] = (_RIDE, 1, p, i, h, e, e.walk)

    # -- journey reconstruction --------------------------------------------------------------------------------

    def _journey(self, k: int) -> Journey:
        tt = self.tt
        stops = tt.stops
        legs: list[Leg] = []
        final = self.dpar[k]
        _, rnd, p, t, board, alight, w = final
        ride = self._ride_leg(p, t, board, alight)
        if isinstance(alight, _Hail):
            tail = Leg("walk", ride.arrive, ride.arrive + w, None, None, alight.point, self.dst.point, alight.dist)
        else:
            s = p.stops[alight]
            if self.dst.stop == s:
                tail = None
            else:
                to = self.dst.point or (tt.lats[self.dst.stop], tt.lons[self.dst.stop])
                tail = Leg(
                    "walk",
                    ride.arrive,
                    ride.arrive + w,
                    stops[s].id,
                    stops[self.dst.stop].id if self.dst.stop is not None else None,
                    (tt.lats[s], tt.lons[s]),
                    to,
                    distance_m(tt.lats[s], tt.lons[s], to[0], to[1]),
                )
        if tail is not None:
            legs.append(tail)
        legs.append(ride)
        rides = 1
        label = (rnd, board)
        while True:
            rnd, board = label
            if isinstance(board, _Hail):
                legs.append(
                    Leg("walk", legs[-1].depart - board.walk, legs[-1].depart, None, None, self.org.point,
                        board.point, board.dist)
                )  # fmt: skip
                break
            s = p.stops[board]
            entry = self.par[rnd - 1][s]
            if entry[0] == _ACCESS:
                w = entry[2]
                if self.org.stop != s:
                    fr = self.org.point or (tt.lats[self.org.stop], tt.lons[self.org.stop])
                    legs.append(
                        Leg(
                            "walk",
                            legs[-1].depart - w,
                            legs[-1].depart,
                            stops[self.org.stop].id if self.org.stop is not None else None,
                            stops[s].id,
                            fr,
                            (tt.lats[s], tt.lons[s]),
                            distance_m(fr[0], fr[1], tt.lats[s], tt.lons[s]),
                        )
                    )
                break
            if entry[0] == _WALK:
                _, _, frm, w, ride_entry = entry
                prev_ride = self._ride_leg(ride_entry[2], ride_entry[3], ride_entry[4], ride_entry[5])
                legs.append(
                    Leg(
                        "walk",
                        prev_ride.arrive,
                        prev_ride.arrive + w,
                        stops[frm].id,
                        stops[s].id,
                        (tt.lats[frm], tt.lons[frm]),
                        (tt.lats[s], tt.lons[s]),
                        distance_m(tt.lats[frm], tt.lons[frm], tt.lats[s], tt.lons[s]),
                    )
                )
                entry = ride_entry
            else:
                prev_ride = self._ride_leg(entry[2], entry[3], entry[4], entry[5])
            legs.append(prev_ride)
            rides += 1
            _, rnd, p, t, board, _alight = entry
            label = (rnd, board)
        legs.reverse()
        return Journey(legs[0].depart, self.dest[k], rides, legs)

    def _ride_leg(self, p: Pattern, t: int, board, alight) -> Leg:
        tt = self.tt
        trip = p.trips[t]
        if isinstance(board, _Hail):
            b_time, b_pos, frm, from_stop = board.time(t), board.seg + 1, board.point, None
        else:
            s = p.stops[board]
            b_time, b_pos, frm, from_stop = p.dep[t][board], board + 1, (tt.lats[s], tt.lons[s]), tt.stops[s].id
        if isinstance(alight, _Hail):
            a_time, a_end, to, to_stop = alight.time(t), alight.seg + 1, alight.point, None
        else:
            s = p.stops[alight]
            a_time, a_end, to, to_stop = p.arr[t][alight], alight + 1, (tt.lats[s], tt.lons[s]), tt.stops[s].id
        start = b_pos - 1 if from_stop is not None else b_pos
        passed = [tt.stops[x].id for x in p.stops[start:a_end]]
        return Leg(
            "ride",
            b_time,
            a_time,
            from_stop,
            to_stop,
            frm,
            to,
            0.0,
            p.route.id,
            p.route.short_name or p.route.long_name,
            trip.id,
            trip.headsign,
            from_stop is None,
            to_stop is None,
            passed,
            trip.pickup_type[board] if from_stop is not None and trip.pickup_type else 0,
            trip.drop_off_type[alight] if to_stop is not None and trip.drop_off_type else 0,
            trip.gtfs_id,
        )


def _pareto(journeys: list[Journey]) -> list[Journey]:
    """Drop journeys another one beats: leaves no earlier, arrives no later, no more vehicles (one per triple)."""
    out: list[Journey] = []
    seen = set()
    for j in sorted(journeys, key=lambda j: (-j.depart, j.arrive, j.rides)):
        key = (j.depart, j.arrive, j.rides)
        if key in seen:
            continue
        if any(o.depart >= j.depart and o.arrive <= j.arrive and o.rides <= j.rides for o in out):
            continue
        seen.add(key)
        out.append(j)
    return sorted(out, key=lambda j: (j.depart, j.arrive, j.rides))
