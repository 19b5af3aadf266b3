"""Timetable parsing (GTFS zip with csv) and the compiled structures the planner relies on."""

import math
import random
import zipfile
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mueve.transit.raptor import plan
from mueve.transit.samples import CAIRNS_SERVICE_DATE, SampleUnavailable, cairns_zip
from mueve.transit.timetable import (
    Route,
    Shape,
    Stop,
    Timetable,
    Trip,
    distance_m,
    interpolate_times,
    parse_time,
    walk_seconds,
)

LAT0, LON0 = -36.82, -73.05
M_LON = 1 / (111_195 * math.cos(math.radians(LAT0)))


def east(m):
    return LON0 + m * M_LON


def write_feed(path, files: dict[str, str], bom: bool = True):
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in files.items():
            data = text.strip().replace("\n", "\r\n") + "\r\n"
            zf.writestr(name, ("\ufeff" if bom else "") + data)
    return path


BASE = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,Buses,https://example.org,America/Santiago",
    "stops.txt": (
        "stop_id,stop_name,stop_lat,stop_lon,location_type\n"
        f"S1,Uno,{LAT0},{east(0)},0\n"
        f"S2,Dos,{LAT0},{east(1000)},\n"
        f"S3,Tres,{LAT0},{east(3000)},0\n"
        f"ST,Estación,{LAT0},{east(0)},1"
    ),
    "routes.txt": (
        "route_id,route_short_name,route_long_name,route_type,continuous_pickup,continuous_drop_off\n"
        "R1,10,Centro,3,0,0\n"
        "R2,20,Costa,3,,"
    ),
    "calendar.txt": (
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "WK,1,1,1,1,1,0,0,20240101,20241231\n"
        "SA,0,0,0,0,0,1,0,20240101,20241231"
    ),
    "calendar_dates.txt": "service_id,date,exception_type\nWK,20240501,2\nSA,20240501,1",
    "trips.txt": (
        "route_id,service_id,trip_id,trip_headsign,shape_id\n"
        "R1,WK,T1,Tres,SH1\n"
        "R1,SA,T2,Tres,SH1\n"
        "R2,WK,NIGHT,Tres,\n"
        "R2,WK,FREQ,Tres,"
    ),
    "stop_times.txt": (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence,shape_dist_traveled,continuous_pickup\n"
        "T1,08:00:00,08:00:00,S1,1,0,\n"
        "T1,,,S2,2,1.0,1\n"
        "T1,08:30:00,08:30:00,S3,3,3.0,\n"
        "T2,09:00:00,09:00:00,S1,1,0,\n"
        "T2,09:10:00,09:11:00,S2,2,1.0,\n"
        "T2,09:30:00,09:30:00,S3,3,3.0,\n"
        "NIGHT,23:50:00,23:50:00,S1,1,,\n"
        "NIGHT,24:20:00,24:20:00,S3,2,,\n"
        "FREQ,06:00:00,06:00:00,S1,1,,\n"
        "FREQ,06:10:00,06:10:00,S3,2,,"
    ),
    "frequencies.txt": "trip_id,start_time,end_time,headway_secs\nFREQ,06:00:00,07:00:00,900",
    "shapes.txt": (
        "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence,shape_dist_traveled\n"
        f"SH1,{LAT0},{east(0)},1,0\n"
        f"SH1,{LAT0},{east(1500)},2,1.5\n"
        f"SH1,{LAT0},{east(3000)},3,3.0"
    ),
}


@pytest.fixture
def feed(tmp_path):
    return write_feed(tmp_path / "feed.zip", BASE)


def by_id(tt):
    return {t.id: t for t in tt.trips}


def test_weekday_reads_stops_routes_and_services(feed):
    tt = Timetable.from_gtfs_zip(feed, "20240506")  # a Monday
    assert [s.id for s in tt.stops] == ["S1", "S2", "S3"]  # the station (location_type 1) is not a stop
    assert tt.routes["R1"].continuous_pickup == 0 and tt.routes["R2"].continuous_pickup == 1
    trips = by_id(tt)
    assert "T1" in trips and "T2" not in trips
    assert trips["T1"].headsign == "Tres" and trips["T1"].shape_id == "SH1"


def test_untimed_stop_time_is_interpolated_by_shape_distance(feed):
    t1 = by_id(Timetable.from_gtfs_zip(feed, "20240506"))["T1"]
    # S2 is 1 of 3 km along: a third of the 30 minutes.
    assert t1.arrivals == [8 * 3600, 8 * 3600 + 600, 8 * 3600 + 1800]
    assert t1.departures[1] == 8 * 3600 + 600


def test_per_stop_time_continuous_pickup_overrides_the_route(feed):
    t1 = by_id(Timetable.from_gtfs_zip(feed, "20240506"))["T1"]
    assert t1.continuous_pickup == [None, 1, None]


def test_calendar_dates_remove_and_add_services(feed):
    trips = by_id(Timetable.from_gtfs_zip(feed, date(2024, 5, 1)))  # a Wednesday, holiday: Saturday service
    assert "T2" in trips and "T1" not in trips


def test_times_past_midnight_and_yesterdays_late_trip(feed):
    monday = by_id(Timetable.from_gtfs_zip(feed, "20240506"))
    assert monday["NIGHT"].arrivals == [23 * 3600 + 50 * 60, 24 * 3600 + 20 * 60]
    tuesday = by_id(Timetable.from_gtfs_zip(feed, "20240507"))
    # Monday's 23:50 trip still runs at 00:20 on Tuesday, expressed in Tuesday's seconds.
    assert tuesday["NIGHT@-1"].arrivals == [-10 * 60, 20 * 60]
    # Saturday has no NIGHT trip, so Sunday has no leftover either.
    assert not any(t.startswith("NIGHT") for t in by_id(Timetable.from_gtfs_zip(feed, "20240512")))


def test_frequencies_are_expanded_into_trips(feed):
    trips = by_id(Timetable.from_gtfs_zip(feed, "20240506"))
    starts = sorted(t.departures[0] for tid, t in trips.items() if tid.startswith("FREQ"))
    assert starts == [6 * 3600, 6 * 3600 + 900, 6 * 3600 + 1800, 6 * 3600 + 2700]
    assert all(t.arrivals[-1] - t.departures[0] == 600 for tid, t in trips.items() if tid.startswith("FREQ"))


def test_without_byte_order_mark_too(tmp_path):
    tt = Timetable.from_gtfs_zip(write_feed(tmp_path / "f.zip", BASE, bom=False), "20240506")
    assert len(tt.stops) == 3


def test_shapes_measure_metres_and_convert_gtfs_distances(feed):
    tt = Timetable.from_gtfs_zip(feed, "20240506")
    shape = tt.shapes["SH1"]
    assert shape.dist_m[-1] == pytest.approx(3000, abs=1)
    assert shape.metres_at(1.0) == pytest.approx(1000, abs=1)


def test_planning_on_a_parsed_feed_uses_the_hail_anywhere_route(feed):
    tt = Timetable.from_gtfs_zip(feed, "20240506")
    # 2 km along the road, 100 m north: 1 km from both S2 and S3, so only hailing the bus works. R1 allows
    # continuous pickup on its route but stop time S2 says "1" (no) for the S2-S3 segment: boarding there is
    # not allowed, alighting is.
    point = (LAT0 + 100 / 111_195, east(2000))
    assert plan(tt, point, "S3", 7 * 3600) == []
    [journey] = plan(tt, "S1", point, 7 * 3600)
    ride = journey.legs[0]
    assert ride.hail_alight and ride.depart == 8 * 3600 and ride.arrive == 8 * 3600 + 1200
    assert journey.arrive == ride.arrive + walk_seconds(100, 1.2)


def test_parse_time_and_interpolation_helpers():
    assert parse_time("25:01:02") == 25 * 3600 + 62 and parse_time(" ") is None
    assert interpolate_times([0, None, None, 300], [0, 1, 2, 3]) == [0, 100, 200, 300]
    assert interpolate_times([0, None, 100], [5, 5, 5]) == [0, 50, 100]  # no distances: equal spacing
    with pytest.raises(ValueError):
        interpolate_times([None, 5], [0, 1])


def test_build_names_the_bad_trip():
    stops = [Stop("a", "A", 0, 0), Stop("b", "B", 0, 0.01)]
    routes = [Route("r")]
    with pytest.raises(ValueError, match="trip x: unknown stop c"):
        Timetable.build(stops=stops, routes=routes, trips=[Trip("x", "r", ["a", "c"], [0, 1], [0, 1])])
    with pytest.raises(ValueError, match="trip x: unknown route q"):
        Timetable.build(stops=stops, routes=routes, trips=[Trip("x", "q", ["a", "b"], [0, 1], [0, 1])])
    with pytest.raises(ValueError, match="trip x: needs"):
        Timetable.build(stops=stops, routes=routes, trips=[Trip("x", "r", ["a"], [0], [0])])


def test_overtaking_trips_go_to_separate_patterns():
    """An express that leaves later but arrives earlier would break the 'earliest departure = earliest arrival'
    assumption; the compiler splits it off, and the planner still finds it."""
    stops = [Stop("a", "A", LAT0, east(0)), Stop("b", "B", LAT0, east(5000)), Stop("c", "C", LAT0, east(10000))]
    trips = [
        Trip("slow", "r", ["a", "b", "c"], [0, 1000, 2000], [0, 1000, 2000]),
        Trip("express", "r", ["a", "b", "c"], [100, 500, 900], [100, 500, 900]),
    ]
    tt = Timetable.build(stops=stops, routes=[Route("r")], trips=trips)
    tt.compile()
    assert len(tt.patterns) == 2
    assert [(j.arrive, j.legs[0].trip_id) for j in plan(tt, "a", "c", 0)] == [(900, "express")]


@settings(max_examples=30, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000), radius=st.sampled_from([100.0, 300.0, 600.0, 1200.0]))
def test_grid_footpaths_equal_all_pairs(seed, radius):
    rng = random.Random(seed)
    stops = [Stop(f"s{i}", "", LAT0 + rng.uniform(0, 0.03), LON0 + rng.uniform(0, 0.03)) for i in range(80)]
    tt = Timetable.build(stops=stops, routes=[], trips=[])
    out, incoming = tt.footpaths(radius, 1.2)
    got = {(i, j, w) for i, edges in enumerate(out) for j, w in edges}
    want = {
        (i, j, walk_seconds(distance_m(a.lat, a.lon, b.lat, b.lon), 1.2))
        for i, a in enumerate(stops)
        for j, b in enumerate(stops)
        if i != j and distance_m(a.lat, a.lon, b.lat, b.lon) <= radius
    }
    assert got == want
    assert {(i, j, w) for j, edges in enumerate(incoming) for i, w in edges} == want


def test_explicit_footpaths_replace_the_walking_radius():
    stops = [Stop("a", "A", LAT0, east(0)), Stop("b", "B", LAT0, east(50)), Stop("c", "C", LAT0, east(5000))]
    tt = Timetable.build(stops=stops, routes=[], trips=[], footpaths=[("a", "c", 120)])
    out, _ = tt.footpaths(600, 1.2)
    assert out == [[(2, 120)], [], []]


def test_shape_without_points_has_zero_length():
    assert Shape("x", [LAT0], [LON0]).dist_m == [0.0]


def test_cairns_feed_parses_into_a_consistent_day():
    try:
        path = cairns_zip()
    except SampleUnavailable as exc:
        pytest.fail(f"The Cairns GTFS sample is needed and could not be downloaded (network to PyPI?): {exc}")
    tt = Timetable.from_gtfs_zip(path, CAIRNS_SERVICE_DATE)
    assert len(tt.stops) > 400 and len(tt.trips) > 500 and len(tt.routes) > 20
    for trip in tt.trips:
        times = [x for pair in zip(trip.arrivals, trip.departures, strict=False) for x in pair]
        assert times == sorted(times), trip.id
    tt.compile()
    for p in tt.patterns:  # the bisect in the planner needs every column sorted
        assert all(col == sorted(col) for col in p.dep_cols)
