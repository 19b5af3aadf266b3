"""Which eyes can look at a point: the fixed cameras that cover it, else the nearest drone that can fly there.

Pure: plain values in, plain values out (no database), so the property tests can throw any geometry at it.

A drone is offered only when
- its straight flight base → point → base, plus `HOVER_MIN` on the scene, fits in its endurance less a reserve of
  `RESERVE_FRACTION` (batteries lose capacity with cold and wind; a pilot never plans to land on the last percent);
- neither leg crosses, touches or starts inside a no-fly zone (segment–polygon intersection with shapely).
The rings are in [lon, lat]; for the few kilometres a city drone flies, a straight line in lon/lat is the same line
as on a local flat map (the projection is affine there), so intersections are computed in lon/lat, distances with
the haversine.
"""

import math
from dataclasses import dataclass, field

from shapely.geometry import LineString, Point, Polygon
from shapely.validation import make_valid

from mueve.core.geo import haversine_m

RESERVE_FRACTION = 0.2
HOVER_MIN = 5.0


@dataclass(frozen=True)
class CameraSpec:
    id: int
    lat: float
    lon: float
    range_m: float = 150.0
    bearing_deg: float = 0.0
    fov_deg: float = 360.0
    coverage: tuple[tuple[float, float], ...] = ()  # [lon, lat] ring; wins over the sector when given


@dataclass(frozen=True)
class DroneSpec:
    id: int
    lat: float
    lon: float
    speed_mps: float
    endurance_min: float
    available: bool = True


@dataclass(frozen=True)
class ZoneSpec:
    id: int
    name: str
    ring: tuple[tuple[float, float], ...]  # [lon, lat]


@dataclass(frozen=True)
class DroneOffer:
    drone_id: int
    distance_m: float
    flight_minutes: float  # there and back, plus the time on the scene


@dataclass
class Plan:
    cameras: list[int] = field(default_factory=list)
    drone: DroneOffer | None = None
    # Why each drone that was considered is not offered: (drone id, reason code).
    refused: list[tuple[int, str]] = field(default_factory=list)


REASON_UNAVAILABLE = "unavailable"
REASON_ENDURANCE = "endurance"
REASON_NO_FLY = "no_fly"


def bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial great-circle bearing from point 1 to point 2, degrees clockwise from north in [0, 360)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dlon = math.radians(lon2 - lon1)
    y = math.sin(dlon) * math.cos(phi2)
    x = math.cos(phi1) * math.sin(phi2) - math.sin(phi1) * math.cos(phi2) * math.cos(dlon)
    return math.degrees(math.atan2(y, x)) % 360


def _polygon(ring) -> Polygon | None:
    if len(ring) < 3:
        return None
    polygon = Polygon([(float(lon), float(lat)) for lon, lat in ring])
    return polygon if polygon.is_valid else make_valid(polygon)


def camera_covers(camera: CameraSpec, lat: float, lon: float) -> bool:
    if camera.coverage:
        polygon = _polygon(camera.coverage)
        return polygon is not None and polygon.covers(Point(lon, lat))
    if haversine_m(camera.lat, camera.lon, lat, lon) > camera.range_m:
        return False
    if camera.fov_deg >= 360:
        return True
    off = abs((bearing_deg(camera.lat, camera.lon, lat, lon) - camera.bearing_deg + 180) % 360 - 180)
    return off <= camera.fov_deg / 2


def round_trip_minutes(drone: DroneSpec, lat: float, lon: float) -> float:
    distance = haversine_m(drone.lat, drone.lon, lat, lon)
    return 2 * distance / drone.speed_mps / 60 + HOVER_MIN


def endurance_budget(drone: DroneSpec) -> float:
    return drone.endurance_min * (1 - RESERVE_FRACTION)


def path_crosses(ring, lat1: float, lon1: float, lat2: float, lon2: float) -> bool:
    """Whether the straight path between the two points crosses, touches or lies in the zone."""
    polygon = _polygon(ring)
    if polygon is None:
        return False
    if (lat1, lon1) == (lat2, lon2):
        return polygon.intersects(Point(lon1, lat1))
    return polygon.intersects(LineString([(lon1, lat1), (lon2, lat2)]))


def drone_refusal(drone: DroneSpec, lat: float, lon: float, zones: list[ZoneSpec]) -> str | None:
    """Why this drone may not fly to the point (a REASON_* code), or None when it may."""
    if not drone.available:
        return REASON_UNAVAILABLE
    if drone.speed_mps <= 0 or round_trip_minutes(drone, lat, lon) > endurance_budget(drone):
        return REASON_ENDURANCE
    # The way back is the same straight segment, so one check covers both legs.
    if any(path_crosses(zone.ring, drone.lat, drone.lon, lat, lon) for zone in zones):
        return REASON_NO_FLY
    return None


def plan(lat: float, lon: float, *, cameras: list[CameraSpec], drones: list[DroneSpec], zones: list[ZoneSpec]) -> Plan:
    """The covering cameras (nearest first); the nearest drone that may fly there, only when no camera covers."""
    result = Plan()
    covering = [c for c in cameras if camera_covers(c, lat, lon)]
    covering.sort(key=lambda c: (haversine_m(c.lat, c.lon, lat, lon), c.id))
    result.cameras = [c.id for c in covering]
    for drone in sorted(drones, key=lambda d: (haversine_m(d.lat, d.lon, lat, lon), d.id)):
        reason = drone_refusal(drone, lat, lon, zones)
        if reason is not None:
            result.refused.append((drone.id, reason))
            continue
        if result.drone is None:
            result.drone = DroneOffer(
                drone_id=drone.id,
                distance_m=haversine_m(drone.lat, drone.lon, lat, lon),
                flight_minutes=round_trip_minutes(drone, lat, lon),
            )
    return result
