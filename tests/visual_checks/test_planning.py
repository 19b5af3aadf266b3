"""The planner's promises, on any geometry: a drone is never offered through a no-fly zone or beyond its endurance;
and it is offered when nothing stands in the way (so the first two cannot pass by never offering anything)."""

import math

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon

from mueve.core.geo import haversine_m
from mueve.visual_checks import planning

# Gran Concepción, give or take 15 km.
lats = st.floats(min_value=-36.95, max_value=-36.65)
lons = st.floats(min_value=-73.25, max_value=-72.90)


@st.composite
def drones(draw):
    return planning.DroneSpec(
        id=draw(st.integers(1, 10_000)),
        lat=draw(lats),
        lon=draw(lons),
        speed_mps=draw(st.floats(min_value=3, max_value=25)),
        endurance_min=draw(st.floats(min_value=5, max_value=60)),
        available=draw(st.booleans()),
    )


@st.composite
def zones(draw):
    """A convex or concave ring around a centre: a star polygon with 3–8 vertices."""
    lat, lon = draw(lats), draw(lons)
    n = draw(st.integers(3, 8))
    radii = draw(st.lists(st.floats(min_value=0.001, max_value=0.05), min_size=n, max_size=n))
    ring = [
        (lon + r * math.cos(2 * math.pi * i / n), lat + r * math.sin(2 * math.pi * i / n)) for i, r in enumerate(radii)
    ]
    return planning.ZoneSpec(id=draw(st.integers(1, 10_000)), name="zona", ring=tuple(ring))


def _path_touches(zone: planning.ZoneSpec, a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Independent of the planner: 2,001 points along the segment, each tested against the polygon."""
    polygon = Polygon(zone.ring)
    for k in range(2001):
        t = k / 2000
        if polygon.covers(Point(a[1] + t * (b[1] - a[1]), a[0] + t * (b[0] - a[0]))):
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(
    lat=lats,
    lon=lons,
    fleet=st.lists(drones(), min_size=1, max_size=6, unique_by=lambda d: d.id),
    no_fly=st.lists(zones(), max_size=4),
)
def test_an_offered_drone_flies_clear_of_zones_and_within_endurance(lat, lon, fleet, no_fly):
    plan = planning.plan(lat, lon, cameras=[], drones=fleet, zones=no_fly)
    if plan.drone is None:
        return
    drone = next(d for d in fleet if d.id == plan.drone.drone_id)
    assert drone.available
    there_and_back = 2 * haversine_m(drone.lat, drone.lon, lat, lon) / drone.speed_mps / 60
    assert there_and_back + planning.HOVER_MIN <= drone.endurance_min * (1 - planning.RESERVE_FRACTION) + 1e-9
    for zone in no_fly:
        assert not _path_touches(zone, (drone.lat, drone.lon), (lat, lon))


@settings(max_examples=200, deadline=None)
@given(
    lat=lats,
    lon=lons,
    fleet=st.lists(drones(), min_size=1, max_size=6, unique_by=lambda d: d.id),
    no_fly=st.lists(zones(), max_size=4),
)
def test_the_offer_is_the_nearest_drone_that_may_fly(lat, lon, fleet, no_fly):
    plan = planning.plan(lat, lon, cameras=[], drones=fleet, zones=no_fly)
    allowed = [d for d in fleet if planning.drone_refusal(d, lat, lon, no_fly) is None]
    if not allowed:
        assert plan.drone is None
        return
    nearest = min(haversine_m(d.lat, d.lon, lat, lon) for d in allowed)
    assert plan.drone is not None
    assert math.isclose(plan.drone.distance_m, nearest)


@settings(max_examples=200, deadline=None)
@given(drone=drones(), bearing=st.floats(0, 360), metres=st.floats(10, 3000))
def test_a_reachable_point_with_no_zone_is_offered(drone, bearing, metres):
    assume(drone.available)
    # A point `metres` away: offered exactly when the round trip fits the budget.
    lat = drone.lat + metres * math.cos(math.radians(bearing)) / 111_195
    lon = drone.lon + metres * math.sin(math.radians(bearing)) / (111_195 * math.cos(math.radians(drone.lat)))
    plan = planning.plan(lat, lon, cameras=[], drones=[drone], zones=[])
    fits = planning.round_trip_minutes(drone, lat, lon) <= planning.endurance_budget(drone)
    assert (plan.drone is not None) == fits


def test_a_zone_between_base_and_incident_refuses_the_drone():
    drone = planning.DroneSpec(id=1, lat=-36.80, lon=-73.10, speed_mps=15, endurance_min=40)
    wall = planning.ZoneSpec(
        id=1, name="muro", ring=((-73.09, -36.81), (-73.08, -36.81), (-73.08, -36.79), (-73.09, -36.79))
    )
    plan = planning.plan(-36.80, -73.06, cameras=[], drones=[drone], zones=[wall])
    assert plan.drone is None and plan.refused == [(1, planning.REASON_NO_FLY)]
    beside = planning.plan(-36.78, -73.10, cameras=[], drones=[drone], zones=[wall])
    assert beside.drone is not None and beside.drone.drone_id == 1


def test_cameras_cover_their_sector_or_polygon():
    north = planning.CameraSpec(id=1, lat=-36.8270, lon=-73.0503, range_m=200, bearing_deg=0, fov_deg=90)
    assert planning.camera_covers(north, -36.8260, -73.0503)  # 110 m north
    assert not planning.camera_covers(north, -36.8280, -73.0503)  # 110 m south: behind it
    assert not planning.camera_covers(north, -36.8240, -73.0503)  # 330 m north: out of range
    square = planning.CameraSpec(
        id=2, lat=0, lon=0, coverage=((-73.06, -36.83), (-73.04, -36.83), (-73.04, -36.82), (-73.06, -36.82))
    )
    assert planning.camera_covers(square, -36.825, -73.05)
    assert not planning.camera_covers(square, -36.835, -73.05)
    plan = planning.plan(-36.8260, -73.0503, cameras=[square, north], drones=[], zones=[])
    assert plan.cameras == [1, 2]  # nearest first
