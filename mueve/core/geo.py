"""Geographic helpers shared by every app: WGS84 validation, H3 cells, distances in metres.

Distances use a sphere of the Earth's mean radius: at city scale the error against the ellipsoid is a few
tenths of a percent, well under GPS noise. The planar helpers use the same sphere, so an offset measured on
a local projection agrees with `haversine_m` over the same points.
"""

import math

import h3

# Resolution 9 cells are ~0.1 km²: fine enough to cluster reports on one block.
DEFAULT_H3_RESOLUTION = 9

EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius
M_PER_DEG_LAT = EARTH_RADIUS_M * math.pi / 180  # ≈ 111 195 m


def validate_lat_lon(lat: float, lon: float) -> None:
    if not -90.0 <= lat <= 90.0:
        raise ValueError("latitude out of range")
    if not -180.0 <= lon <= 180.0:
        raise ValueError("longitude out of range")


def h3_cell(lat: float, lon: float, resolution: int = DEFAULT_H3_RESOLUTION) -> str:
    validate_lat_lon(lat, lon)
    return h3.latlng_to_cell(lat, lon, resolution)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    # Rounding can push `a` a hair past 1 for antipodal points, and asin would then raise.
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def m_per_deg_lon(lat: float) -> float:
    """Metres per degree of longitude at `lat`: the x scale of a local equirectangular projection."""
    return M_PER_DEG_LAT * math.cos(math.radians(lat))
