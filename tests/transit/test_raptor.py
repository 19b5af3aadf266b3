"""The planner against searches simple enough to trust: an exhaustive enumeration of every journey on small random
networks (hypothesis), and a plain time-expanded Dijkstra on the real Cairns feed."""

import heapq
import math
import random

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mueve.transit.raptor import plan
from mueve.transit.samples import CAIRNS_SERVICE_DATE, SampleUnavailable, cairns_zip
from mueve.transit.timetable import Route, Shape, Stop, Timetable, Trip, distance_m, walk_seconds

LAT0, LON0 = -36.82, -73.05
DLAT = 250 / 111_195  # 250 m
DLON = 250 / (111_195 * math.cos(math.radians(LAT0)))
SPEED, MAX_WALK = 1.2, 400.0  # 400 m: only neighbouring grid cells (diagonals too) are walkable


# --- brute force: enumerate every journey ------------------------------------------------------------------------


def _walks(stops, max_walk=MAX_WALK):
    """All pairwise walks within reach, from straight-line distance (no grid, no cleverness)."""
    out = {s.id: {} for s in stops}
    for a in stops:
        for b in stops:
            if a.id != b.id:
                d = distance_m(a.lat, a.lon, b.lat, b.lon)
                if d <= max_walk:
                    out[a.id][b.id] = walk_seconds(d, SPEED)
    return out


def _near(stops, where, walks, *, into, max_walk=MAX_WALK):
    """Stops reachable from (or that reach) an endpoint on foot, with seconds."""
    if isinstance(where, str):
        near = {where: 0}
        for other, w in walks[where].items():  # walks are symmetric
            near.setdefault(other, w)
        return near
    out = {}
    for s in stops:
        d = distance_m(where[0], where[1], s.lat, s.lon)
        if d <= max_walk:
            out[s.id] = walk_seconds(d, SPEED)
    return out


def _direct(stops, origin, destination, walks, max_walk=MAX_WALK):
    by_id = {s.id: s for s in stops}
    if isinstance(origin, str) and isinstance(destination, str):
        return walks[origin].get(destination)
    a = (by_id[origin].lat, by_id[origin].lon) if isinstance(origin, str) else origin
    b = (by_id[destination].lat, by_id[destination].lon) if isinstance(destination, str) else destination
    d = distance_m(a[0], a[1], b[0], b[1])
    return walk_seconds(d, SPEED) if d <= max_walk else None


def all_journeys(stops, trips, origin, destination, t0, max_rides, until=None):
    """Every journey [walk] ride ([walk] ride)* [walk] as (depart, arrive, rides)."""
    walks = _walks(stops)
    access = _near(stops, origin, walks, into=False)
    egress = _near(stops, destination, walks, into=True)
    found = []

    def ride_from(stop, time, rides, depart, access_walk):
        for trip in trips:
            for i, s in enumerate(trip.stop_ids[:-1]):
                if s != stop or trip.departures[i] < time or (trip.pickup_type and trip.pickup_type[i] == 1):
                    continue
                dep = depart
                if rides == 0:
                    dep = trip.departures[i] - access_walk
                    if until is not None and dep > until:
                        continue
                for j in range(i + 1, len(trip.stop_ids)):
                    if trip.drop_off_type and trip.drop_off_type[j] == 1:
                        continue
                    s2, a = trip.stop_ids[j], trip.arrivals[j]
                    if s2 in egress:
                        found.append((dep, a + egress[s2], rides + 1))
                    if rides + 1 < max_rides:
                        ride_from(s2, a, rides + 1, dep, 0)
                        for s3, w in walks[s2].items():
                            ride_from(s3, a + w, rides + 1, dep, 0)

    for s, w in access.items():
        ride_from(s, t0 + w, 0, None, w)
    return found


def brute_front(stops, trips, origin, destination, t0, max_rides):
    walks = _walks(stops)
    direct = _direct(stops, origin, destination, walks)
    best = [math.inf] * (max_rides + 1)
    best[0] = t0 + direct if direct is not None else math.inf
    for _dep, arr, rides in all_journeys(stops, trips, origin, destination, t0, max_rides):
        for k in range(rides, max_rides + 1):
            best[k] = min(best[k], arr)
    for k in range(1, max_rides + 1):
        best[k] = min(best[k], best[k - 1])
    front = [(best[0], 0)] if direct is not None else []
    front += [(best[k], k) for k in range(1, max_rides + 1) if best[k] < best[k - 1]]
    return sorted(front)


def brute_range(stops, trips, origin, destination, t_from, t_until, max_rides):
    """Union of the single-departure fronts over the window, labelled with their departure time, Pareto-filtered.
    The front only changes when t passes a vehicle departure from a stop within walking reach (minus the walk), so
    those times, the window's ends, and one second after each are enough to sample."""
    walks = _walks(stops)
    access = _near(stops, origin, walks, into=False)
    times = {t_from, t_until}
    for trip in trips:
        for i, s in enumerate(trip.stop_ids):
            if s in access:
                for t in (trip.departures[i] - access[s], trip.departures[i] - access[s] + 1):
                    if t_from <= t <= t_until:
                        times.add(t)
    cands = {
        (t, arr, rides)
        for t in times
        for arr, rides in brute_front(stops, trips, origin, destination, t, max_rides)
        if rides > 0
    }
    direct = _direct(stops, origin, destination, walks)
    if direct is not None:  # walking can start any time: listed once, leaving at the end of the window
        cands.add((t_until, t_until + direct, 0))
    return sorted(c for c in cands if not any(o != c and o[0] >= c[0] and o[1] <= c[1] and o[2] <= c[2] for o in cands))


# --- random small networks -------------------------------------------------------------------------------------


@st.composite
def networks(draw):
    n = draw(st.integers(3, 7))
    cells = draw(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=n, max_size=n, unique=True))
    stops = [Stop(f"s{i}", f"Parada {i}", LAT0 + y * DLAT, LON0 + x * DLON) for i, (x, y) in enumerate(cells)]
    routes, trips = [], []
    for r in range(draw(st.integers(2, 6))):
        seq = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=min(5, n), unique=True))
        routes.append(Route(f"r{r}", str(r)))
        rules = draw(st.sampled_from(["open", "open", "restricted"]))
        for k in range(draw(st.integers(1, 4))):
            t = draw(st.integers(0, 2400))
            arr, dep = [], []
            for i in range(len(seq)):
                if i:
                    t += draw(st.integers(60, 600))
                arr.append(t)
                t += draw(st.integers(0, 60))
                dep.append(t)
            pickup = drop = None
            if rules == "restricted":
                pickup = draw(st.lists(st.sampled_from([0, 1]), min_size=len(seq), max_size=len(seq)))
                drop = draw(st.lists(st.sampled_from([0, 1]), min_size=len(seq), max_size=len(seq)))
            trips.append(
                Trip(f"r{r}t{k}", f"r{r}", [f"s{i}" for i in seq], arr, dep, pickup_type=pickup, drop_off_type=drop)
            )
    return stops, routes, trips


@st.composite
def scenarios(draw):
    """A network, and an origin and a destination that differ: stops, or points up to ~350 m from a stop."""
    stops, routes, trips = draw(networks())

    def endpoint():
        stop = stops[draw(st.integers(0, len(stops) - 1))]
        if draw(st.integers(0, 3)) == 0:
            return stop.lat + draw(st.floats(-1, 1)) * DLAT, stop.lon + draw(st.floats(-1, 1)) * DLON
        return stop.id

    origin, destination = endpoint(), endpoint()
    assume(origin != destination)
    return stops, routes, trips, origin, destination


# derandomize: the same examples on every run, so CI cannot pass one day and fail the next.
PROPERTY = settings(max_examples=600, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(case=scenarios(), t0=st.integers(0, 900), transfers=st.integers(0, 3))
def test_pareto_front_equals_exhaustive_search(case, t0, transfers):
    stops, routes, trips, origin, destination = case
    tt = Timetable.build(stops=stops, routes=routes, trips=trips)
    got = sorted(
        (j.arrive, j.rides) for j in plan(tt, origin, destination, t0, max_transfers=transfers, max_walk_m=MAX_WALK)
    )
    assert got == brute_front(stops, trips, origin, destination, t0, transfers + 1)


@settings(PROPERTY, max_examples=300)
@given(case=scenarios(), t0=st.integers(0, 900), window=st.integers(0, 2400), transfers=st.integers(0, 2))
def test_departure_window_equals_exhaustive_search(case, t0, window, transfers):
    stops, routes, trips, origin, destination = case
    tt = Timetable.build(stops=stops, routes=routes, trips=trips)
    journeys = plan(tt, origin, destination, t0, t0 + window, max_transfers=transfers, max_walk_m=MAX_WALK)
    got = sorted((j.depart, j.arrive, j.rides) for j in journeys)
    want = brute_range(stops, trips, origin, destination, t0, t0 + window, transfers + 1)
    # Walking seconds come from the planner's footpath table and from a direct distance here: a walk that lands
    # on a half second can round to the neighbouring second (once seen in a full-suite run: depart 180 vs 181).
    assert [r for _, _, r in got] == [r for _, _, r in want]
    assert all(abs(a - b) <= 1 and abs(c - d) <= 1 for (a, c, _), (b, d, _) in zip(got, want, strict=True))


@settings(PROPERTY, max_examples=200)
@given(case=scenarios(), t0=st.integers(0, 900))
def test_journey_legs_are_consistent(case, t0):
    """Each leg starts after the previous one ends, rides match the trip's times, walks take their time."""
    stops, routes, trips, origin, destination = case
    tt = Timetable.build(stops=stops, routes=routes, trips=trips)
    trip_by_id = {t.id: t for t in trips}
    for j in plan(tt, origin, destination, t0, max_walk_m=MAX_WALK):
        assert j.legs[0].depart == j.depart and j.legs[-1].arrive == j.arrive
        assert j.depart >= t0
        assert sum(leg.kind == "ride" for leg in j.legs) == j.rides
        for a, b in zip(j.legs, j.legs[1:], strict=False):
            assert a.arrive <= b.depart
            assert not (a.kind == b.kind == "walk")
        for leg in j.legs:
            if leg.kind == "walk":
                assert leg.arrive - leg.depart == walk_seconds(leg.distance_m, SPEED)
                assert leg.distance_m <= MAX_WALK
            else:
                trip = trip_by_id[leg.trip_id]
                i, k = trip.stop_ids.index(leg.from_stop), trip.stop_ids.index(leg.to_stop)
                assert i < k and trip.departures[i] == leg.depart and trip.arrivals[k] == leg.arrive


# --- hand-made networks ----------------------------------------------------------------------------------------


def _east(metres: float, north: float = 0.0) -> tuple[float, float]:
    return LAT0 + north / 111_195, LON0 + metres / (111_195 * math.cos(math.radians(LAT0)))


def _road(hail: bool):
    """A straight 4 km road, stops every 2 km; one bus at 08:00 from A."""
    a, b, c = _east(0), _east(2000), _east(4000)
    stops = [Stop("A", "A", *a), Stop("B", "B", *b), Stop("C", "C", *c)]
    mode = 0 if hail else 1
    route = Route("micro", "10", "Centro - Costa", continuous_pickup=mode, continuous_drop_off=mode)
    shape = Shape("road", [a[0], b[0], c[0]], [a[1], b[1], c[1]])
    trip = Trip("m1", "micro", ["A", "B", "C"], [8 * 3600, 8 * 3600 + 600, 8 * 3600 + 1200],
                [8 * 3600, 8 * 3600 + 600, 8 * 3600 + 1200], shape_id="road")  # fmt: skip
    return Timetable.build(stops=stops, routes=[route], trips=[trip], shapes=[shape])


def test_hail_anywhere_boards_and_alights_between_stops():
    tt = _road(hail=True)
    origin, destination = _east(1000, north=100), _east(3000, north=-200)
    [journey] = plan(tt, origin, destination, 7 * 3600)
    walk_in, ride, walk_out = journey.legs
    assert (walk_in.kind, ride.kind, walk_out.kind) == ("walk", "ride", "walk")
    assert ride.hail_board and ride.hail_alight and ride.from_stop is None and ride.to_stop is None
    # Halfway between A (08:00) and B (08:10): the bus passes at 08:05; at 3 km it passes at 08:15.
    assert ride.depart == 8 * 3600 + 300 and ride.arrive == 8 * 3600 + 900
    assert walk_in.arrive == ride.depart and walk_in.depart == ride.depart - walk_seconds(100, 1.2)
    assert round(walk_in.distance_m) == 100 and round(walk_out.distance_m) == 200
    assert journey.arrive == 8 * 3600 + 900 + walk_seconds(200, 1.2)
    assert distance_m(*ride.from_point, *_east(1000)) < 1 and distance_m(*ride.to_point, *_east(3000)) < 1


def test_without_hail_anywhere_the_far_stops_are_out_of_reach():
    tt = _road(hail=False)
    assert plan(tt, _east(1000, north=100), _east(3000, north=-200), 7 * 3600) == []


def test_hail_boarding_then_alighting_at_a_stop():
    tt = _road(hail=True)
    [journey] = plan(tt, _east(1000, north=100), "C", 7 * 3600)
    assert [leg.kind for leg in journey.legs] == ["walk", "ride"]
    assert journey.legs[1].to_stop == "C" and journey.arrive == 8 * 3600 + 1200


def test_hail_point_behind_the_rider_is_not_offered():
    """Boarding at 3 km and alighting at 1 km would mean riding backwards."""
    tt = _road(hail=True)
    assert plan(tt, _east(3000, north=-200), _east(1000, north=100), 7 * 3600) == []


def test_bus_already_gone_means_no_journey():
    tt = _road(hail=True)
    assert plan(tt, _east(1000, north=100), _east(3000), 8 * 3600 + 299) == []


def _two_lines():
    """Line 1 A->B, walk 240 m from B to B2, line 2 B2->C; and a slow direct line A->C."""
    stops = [
        Stop("A", "A", *_east(0)),
        Stop("B", "B", *_east(3000)),
        Stop("B2", "B2", *_east(3000, north=240)),
        Stop("C", "C", *_east(6000, north=240)),
    ]
    routes = [Route("L1", "1"), Route("L2", "2"), Route("L3", "3")]
    h = 3600
    trips = [
        Trip("l1a", "L1", ["A", "B"], [8 * h, 8 * h + 600], [8 * h, 8 * h + 600]),
        Trip("l1b", "L1", ["A", "B"], [8 * h + 900, 8 * h + 1500], [8 * h + 900, 8 * h + 1500]),
        Trip("l2a", "L2", ["B2", "C"], [8 * h + 900, 8 * h + 1500], [8 * h + 900, 8 * h + 1500]),
        Trip("l2b", "L2", ["B2", "C"], [8 * h + 1800, 8 * h + 2400], [8 * h + 1800, 8 * h + 2400]),
        Trip("l3", "L3", ["A", "C"], [8 * h + 100, 8 * h + 2700], [8 * h + 100, 8 * h + 2700]),
    ]
    return Timetable.build(stops=stops, routes=routes, trips=trips)


def test_walking_transfer_between_nearby_stops():
    tt = _two_lines()
    journeys = plan(tt, "A", "C", 8 * 3600)
    assert [(j.rides, j.arrive) for j in journeys] == [(2, 8 * 3600 + 1500), (1, 8 * 3600 + 2700)]
    fast = journeys[0]
    assert [(leg.kind, leg.from_stop, leg.to_stop) for leg in fast.legs] == [
        ("ride", "A", "B"),
        ("walk", "B", "B2"),
        ("ride", "B2", "C"),
    ]
    assert round(fast.legs[1].distance_m) == 240
    assert fast.legs[1].arrive - fast.legs[1].depart == walk_seconds(fast.legs[1].distance_m, 1.2)
    assert fast.transfers == 1
    # No transfers allowed: only the slow direct line.
    assert [(j.rides, j.arrive) for j in plan(tt, "A", "C", 8 * 3600, max_transfers=0)] == [(1, 8 * 3600 + 2700)]
    # Walking 240 m is too far when the limit is 200 m.
    assert [j.rides for j in plan(tt, "A", "C", 8 * 3600, max_walk_m=200)] == [1]


def test_departure_window_lists_each_latest_departure():
    tt = _two_lines()
    h = 3600
    journeys = plan(tt, "A", "C", 8 * h, 8 * h + 30 * 60)
    assert [(j.depart, j.arrive, j.rides) for j in journeys] == [
        (8 * h, 8 * h + 1500, 2),
        (8 * h + 100, 8 * h + 2700, 1),
        (8 * h + 900, 8 * h + 2400, 2),
    ]
    # A window that opens after the first bus leaves only offers the later ones.
    assert [j.depart for j in plan(tt, "A", "C", 8 * h + 60, 8 * h + 30 * 60)] == [8 * h + 100, 8 * h + 900]


def test_bad_queries_are_errors():
    with pytest.raises(KeyError):
        plan(_two_lines(), "A", "nowhere", 0)
    with pytest.raises(ValueError):
        plan(_two_lines(), "A", "C", 8 * 3600, 7 * 3600)
    with pytest.raises(ValueError):
        plan(_two_lines(), "A", "C", 0, max_transfers=-1)


# --- hail-anywhere on random roads, against enumeration ---------------------------------------------------------


@st.composite
def hail_roads(draw):
    """A straight east-west road: a hail-anywhere line H along it and a plain line P on some of its stops, and
    origin/destination points near the road (or a stop)."""
    xs = sorted(draw(st.lists(st.integers(0, 40), min_size=2, max_size=4, unique=True)))
    assume(xs[-1] - xs[0] >= 10)  # at least 1 km of road
    xs = [x * 100.0 for x in xs]
    stops = [Stop(f"h{i}", f"H{i}", *_east(x)) for i, x in enumerate(xs)]
    pickup, drop = draw(st.sampled_from([(0, 0), (0, 1), (1, 0)]))
    routes = [Route("H", "H", continuous_pickup=pickup, continuous_drop_off=drop), Route("P", "P")]
    shape = Shape("road", [s.lat for s in stops], [s.lon for s in stops])
    trips = []
    for k in range(draw(st.integers(1, 4))):
        t = draw(st.integers(0, 2400))
        arr, dep = [], []
        for i in range(len(xs)):
            if i:
                t += draw(st.integers(60, 600))
            arr.append(t)
            t += draw(st.integers(0, 30))
            dep.append(t)
        trips.append(Trip(f"H{k}", "H", [s.id for s in stops], arr, dep, shape_id="road"))
    plain = draw(st.lists(st.integers(0, len(xs) - 1), min_size=2, max_size=len(xs), unique=True))
    for k in range(draw(st.integers(0, 2))):
        t = draw(st.integers(0, 1800))
        arr = []
        for i in range(len(plain)):
            t += draw(st.integers(60, 600)) if i else 0
            arr.append(t)
        trips.append(Trip(f"P{k}", "P", [f"h{i}" for i in plain], arr, list(arr)))

    def point(lo, hi):
        if draw(st.integers(0, 4)) == 0:
            return stops[draw(st.integers(0, len(stops) - 1))].id, None
        x, y = draw(st.integers(lo, hi)) + 0.5, draw(st.integers(-450, 450)) + 0.5
        # Not on the 600 m walking limit itself (to the road or to a stop): the planner measures in a local
        # projection and this test in exact metres, so a point a few cm from the limit could be in for one, out for
        # the other.
        road_x = min(max(x, xs[0]), xs[-1])
        assume(abs(math.hypot(x - road_x, y) - 600) > 3)
        assume(all(abs(math.hypot(x - sx, y) - 600) > 3 for sx in xs))
        return _east(x, north=y), (x, y)

    # Mostly eastbound, the way the line runs, so that riding is often the answer.
    origin, destination = point(-300, 3000), point(1000, 4300)
    assume(origin[0] != destination[0])
    return stops, routes, [shape], trips, xs, (pickup, drop), origin, destination


def _hail_point(xs, xy, allowed):
    """Where a rider at metres (x, y) meets the road: (segment, fraction, walk seconds) or None."""
    if xy is None:
        return None
    x, y = xy
    q = min(max(x, xs[0]), xs[-1])
    d = math.hypot(x - q, y)
    if d > 600 or not allowed:
        return None
    for j in range(len(xs) - 1):
        if xs[j] <= q <= xs[j + 1]:
            return j, (q - xs[j]) / (xs[j + 1] - xs[j]), walk_seconds(d, SPEED)
    return None


def brute_hail_front(stops, trips, xs, rules, origin, destination, t0, max_rides):
    """Enumerate every journey; the hail line can also be boarded / left at the point of the road nearest the
    origin / destination."""
    walks = _walks(stops, 600)
    o_where, o_xy = origin
    d_where, d_xy = destination
    access = _near(stops, o_where, walks, into=False, max_walk=600)
    egress = _near(stops, d_where, walks, into=True, max_walk=600)
    board_pt = _hail_point(xs, o_xy, rules[0] == 0)
    alight_pt = _hail_point(xs, d_xy, rules[1] == 0)

    def at(trip, j, f):
        return trip.departures[j] + round(f * (trip.arrivals[j + 1] - trip.departures[j]))

    found = []

    def ride(trip, start, time_on, rides):
        """On `trip` from position `start` (a stop index, or (j, f) for a hail point)."""
        first = start + 1 if isinstance(start, int) else start[0] + 1
        for k in range(first, len(trip.stop_ids)):
            s, a = trip.stop_ids[k], trip.arrivals[k]
            if s in egress:
                found.append((a + egress[s], rides))
            if rides < max_rides:
                board_from(s, a, rides)
                for s2, w in walks[s].items():
                    board_from(s2, a + w, rides)
        if trip.route_id == "H" and alight_pt is not None:
            j, f, w = alight_pt
            here = (start, 0.0) if isinstance(start, int) else start
            if (j, f) > here:
                found.append((at(trip, j, f) + w, rides))

    def board_from(stop, time, rides):
        for trip in trips:
            for i, s in enumerate(trip.stop_ids[:-1]):
                if s == stop and trip.departures[i] >= time:
                    ride(trip, i, trip.departures[i], rides + 1)

    for s, w in access.items():
        board_from(s, t0 + w, 0)
    if board_pt is not None:
        j, f, w = board_pt
        for trip in trips:
            if trip.route_id == "H" and at(trip, j, f) >= t0 + w:
                ride(trip, (j, f), at(trip, j, f), 1)
    by_id = {s.id: s for s in stops}
    pa = (by_id[o_where].lat, by_id[o_where].lon) if o_xy is None else o_where
    pb = (by_id[d_where].lat, by_id[d_where].lon) if d_xy is None else d_where
    direct = distance_m(*pa, *pb)
    best = [math.inf] * (max_rides + 1)
    best[0] = t0 + walk_seconds(direct, SPEED) if direct <= 600 else math.inf
    if isinstance(o_where, str) and isinstance(d_where, str):
        best[0] = t0 + walks[o_where][d_where] if d_where in walks[o_where] else math.inf
    for arr, rides in found:
        for k in range(rides, max_rides + 1):
            best[k] = min(best[k], arr)
    for k in range(1, max_rides + 1):
        best[k] = min(best[k], best[k - 1])
    front = [(best[0], 0)] if best[0] < math.inf else []
    return sorted(front + [(best[k], k) for k in range(1, max_rides + 1) if best[k] < best[k - 1]])


@settings(PROPERTY, max_examples=600)
@given(case=hail_roads(), t0=st.integers(0, 900), transfers=st.integers(0, 2))
def test_hail_anywhere_front_equals_exhaustive_search(case, t0, transfers):
    stops, routes, shapes, trips, xs, rules, origin, destination = case
    tt = Timetable.build(stops=stops, routes=routes, trips=trips, shapes=shapes)
    got = sorted((j.arrive, j.rides) for j in plan(tt, origin[0], destination[0], t0, max_transfers=transfers))
    want = brute_hail_front(stops, trips, xs, rules, origin, destination, t0, transfers + 1)
    # Metres along the road come from a local projection in the planner and from exact x here: a boarding time
    # can round to the neighbouring second.
    assert [r for _, r in got] == [r for _, r in want]
    assert all(abs(a - b) <= 1 for (a, _), (b, _) in zip(got, want, strict=True))


# --- Cairns against a time-expanded Dijkstra ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def cairns():
    try:
        path = cairns_zip()
    except SampleUnavailable as exc:
        pytest.fail(f"The Cairns GTFS sample is needed and could not be downloaded (network to PyPI?): {exc}")
    return Timetable.from_gtfs_zip(path, CAIRNS_SERVICE_DATE)


def dijkstra_earliest_arrival(tt: Timetable, origin, destination, t0: int, max_walk=600.0) -> float:
    """Earliest arrival on the time-expanded graph: nodes are stop-time events (sit on board from one stop time to
    the next, alight, wait at a stop for a later departure, walk once after alighting). Unlimited transfers."""
    stops = tt.stops
    walks = _walks(stops, max_walk)
    access = _near(stops, origin, walks, into=False, max_walk=max_walk)
    egress = _near(stops, destination, walks, into=True, max_walk=max_walk)
    direct = _direct(stops, origin, destination, walks, max_walk)
    departures = {}  # stop -> sorted [(time, trip, pos)]
    for ti, trip in enumerate(tt.trips):
        for pos, s in enumerate(trip.stop_ids[:-1]):
            if not trip.pickup_type or trip.pickup_type[pos] != 1:
                departures.setdefault(s, []).append((trip.departures[pos], ti, pos))
    for events in departures.values():
        events.sort()
    best = t0 + direct if direct is not None else math.inf
    heap = []  # (time, kind, a, b): kind 0 = waiting at stop a at departure event b; 1 = on trip a at stop time b
    seen = set()

    def wait_at(stop, time):
        events = departures.get(stop, [])
        lo, hi = 0, len(events)
        while lo < hi:
            mid = (lo + hi) // 2
            if events[mid][0] < time:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(events):
            heapq.heappush(heap, (events[lo][0], 0, stop, lo))

    for s, w in access.items():
        wait_at(s, t0 + w)
    while heap:
        time, kind, a, b = heapq.heappop(heap)
        if time >= best:
            break
        if (kind, a, b) in seen:
            continue
        seen.add((kind, a, b))
        if kind == 0:
            events = departures[a]
            _, ti, pos = events[b]
            heapq.heappush(heap, (time, 1, ti, pos))  # board
            if b + 1 < len(events):
                heapq.heappush(heap, (events[b + 1][0], 0, a, b + 1))  # wait for the next one
            continue
        trip = tt.trips[a]
        if kind == 1:  # left stop time b on board: ride to the next one
            heapq.heappush(heap, (trip.arrivals[b + 1], 2, a, b + 1))
            continue
        # kind 2: arrived at stop time b: alight (then walk at most once) or stay on board
        if not trip.drop_off_type or trip.drop_off_type[b] != 1:
            s = trip.stop_ids[b]
            if s in egress:
                best = min(best, time + egress[s])
            wait_at(s, time)
            for s2, w in walks[s].items():
                wait_at(s2, time + w)
        if b + 1 < len(trip.stop_ids):
            heapq.heappush(heap, (trip.departures[b], 1, a, b))
    return best


def test_cairns_matches_time_expanded_dijkstra(cairns):
    rng = random.Random(2014)
    ids = [s.id for s in cairns.stops]
    for _ in range(50):
        o, d = rng.sample(ids, 2)
        if rng.random() < 0.3:  # some queries from a point near a stop (up to ~400 m away)
            s = cairns.stops[rng.randrange(len(ids))]
            o = (s.lat + rng.uniform(-0.003, 0.003), s.lon + rng.uniform(-0.003, 0.003))
        if rng.random() < 0.3:  # and some to one
            s = cairns.stops[rng.randrange(len(ids))]
            d = (s.lat + rng.uniform(-0.003, 0.003), s.lon + rng.uniform(-0.003, 0.003))
        t0 = rng.randrange(5 * 3600, 21 * 3600)
        journeys = plan(cairns, o, d, t0, max_transfers=15)
        got = min((j.arrive for j in journeys), default=math.inf)
        assert got == dijkstra_earliest_arrival(cairns, o, d, t0), (o, d, t0)


def test_cairns_window_query_returns_departures_inside_it(cairns):
    journeys = plan(cairns, "750069", "750311", 7 * 3600, 8 * 3600)
    assert journeys
    assert all(7 * 3600 <= j.depart <= 8 * 3600 for j in journeys)
    departs = [j.depart for j in journeys]
    assert departs == sorted(departs)


def test_journey_as_dict_is_json_ready():
    import json

    [journey] = plan(_road(hail=True), _east(1000, north=100), "C", 7 * 3600)
    data = json.loads(json.dumps(journey.as_dict()))
    assert data["rides"] == 1 and data["transfers"] == 0 and data["arrive"] == 8 * 3600 + 1200
    assert [leg["kind"] for leg in data["legs"]] == ["walk", "ride"] and data["legs"][1]["hail_board"] is True


def test_a_ride_then_a_walk_counts_even_where_walking_from_the_origin_was_faster():
    # Shrunk from a clean-clone CI run of test_departure_window_equals_exhaustive_search: s4 is reached on foot from
    # the origin at 618 and by r0t0 at 619; only the ride may be followed by the walk to s6 (295 s), which catches
    # r1t1 there at exactly 914. The planner used to keep only the earlier (walking) arrival at s4 and lost it.
    at = {
        "s0": (-36.81775, -73.05),
        "s1": (-36.82, -73.04157),
        "s2": (-36.8155, -73.04157),
        "s3": (-36.82, -73.05),
        "s4": (-36.81775, -73.04438),
        "s5": (-36.82, -73.04438),
        "s6": (-36.8155, -73.04719),
    }
    stops = [Stop(i, i, *ll) for i, ll in at.items()]
    trips = [
        Trip("r0t0", "r0", ["s0", "s1", "s2", "s4", "s5"], [111, 171, 263, 619, 679], [111, 171, 323, 619, 679]),
        Trip("r1t1", "r1", ["s6", "s3", "s1", "s0"], [854, 1378, 1498, 1558], [914, 1438, 1498, 1558]),
    ]
    tt = Timetable.build(stops=stops, routes=[Route("r0"), Route("r1")], trips=trips)
    destination = at["s3"]
    assert brute_front(stops, trips, "s2", destination, 323, 3) == [(1378, 2)]
    got = sorted((j.arrive, j.rides) for j in plan(tt, "s2", destination, 323, max_transfers=2, max_walk_m=MAX_WALK))
    assert got == [(1378, 2)]
