"""Where a point lies along a road: the road is a polyline of (lon, lat) vertices, the place is projected onto its
nearest segment, and its "km" is the length of road from the first vertex to that projection.

Lengths are great-circle (core.geo.haversine_m) between vertices; the projection onto a segment uses a local
equirectangular plane around the segment, which at a rural road's segment length (hundreds of metres) differs from
the sphere by far less than GPS noise. Pure: no Django models.
"""

import math
from dataclasses import dataclass

from mueve.core.geo import M_PER_DEG_LAT, haversine_m, m_per_deg_lon


class GeometryError(ValueError):
    pass


@dataclass(frozen=True)
class Projection:
    km: float  # length of road from its start to the projected point
    offset_m: float  # distance from the point to the road
    lat: float  # the projected point, on the road
    lon: float
    segment: int


def validate_geometry(points) -> list[tuple[float, float]]:
    """[[lon, lat], ...] with at least two points inside the world, as tuples; GeometryError otherwise."""
    if not isinstance(points, list | tuple) or len(points) < 2:
        raise GeometryError("a road needs at least two points")
    cleaned = []
    for point in points:
        if not isinstance(point, list | tuple) or len(point) != 2:
            raise GeometryError("each point is [longitude, latitude]")
        lon, lat = point
        if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in (lon, lat)):
            raise GeometryError("coordinates must be numbers")
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise GeometryError("coordinates out of range")
        cleaned.append((float(lon), float(lat)))
    return cleaned


def cumulative_m(points) -> list[float]:
    """Distance from the start at each vertex, in metres."""
    total = [0.0]
    for (lon1, lat1), (lon2, lat2) in zip(points, points[1:], strict=False):
        total.append(total[-1] + haversine_m(lat1, lon1, lat2, lon2))
    return total


def length_km(points) -> float:
    return cumulative_m(points)[-1] / 1000


def project(points, lat: float, lon: float, cumulative: list[float] | None = None) -> Projection:
    """The point's projection on the nearest segment of the road."""
    cumulative = cumulative or cumulative_m(points)
    best: Projection | None = None
    kx = m_per_deg_lon(lat)
    for i, ((lon1, lat1), (lon2, lat2)) in enumerate(zip(points, points[1:], strict=False)):
        # Plane coordinates in metres, with the segment's start at the origin.
        dx, dy = (lon2 - lon1) * kx, (lat2 - lat1) * M_PER_DEG_LAT
        px, py = (lon - lon1) * kx, (lat - lat1) * M_PER_DEG_LAT
        span = dx * dx + dy * dy
        t = 0.0 if span == 0 else max(0.0, min(1.0, (px * dx + py * dy) / span))
        on_lat, on_lon = lat1 + t * (lat2 - lat1), lon1 + t * (lon2 - lon1)
        offset = haversine_m(lat, lon, on_lat, on_lon)
        if best is None or offset < best.offset_m:
            along = cumulative[i] + t * (cumulative[i + 1] - cumulative[i])
            best = Projection(km=along / 1000, offset_m=offset, lat=on_lat, lon=on_lon, segment=i)
    assert best is not None
    return best


def point_at(points, km: float, cumulative: list[float] | None = None) -> tuple[float, float]:
    """(lat, lon) of the point `km` along the road (clamped to its ends)."""
    cumulative = cumulative or cumulative_m(points)
    target = max(0.0, min(km * 1000, cumulative[-1]))
    for i in range(len(points) - 1):
        if cumulative[i + 1] >= target:
            span = cumulative[i + 1] - cumulative[i]
            t = 0.0 if span == 0 else (target - cumulative[i]) / span
            (lon1, lat1), (lon2, lat2) = points[i], points[i + 1]
            return lat1 + t * (lat2 - lat1), lon1 + t * (lon2 - lon1)
    lon, lat = points[-1]
    return lat, lon
