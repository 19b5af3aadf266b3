"""Small plane geometry on WGS84 polylines (local equirectangular projection: fine at city scale)."""

import math
from dataclasses import dataclass

from mueve.core.geo import M_PER_DEG_LAT, haversine_m, m_per_deg_lon


@dataclass(frozen=True)
class Projection:
    along_m: float  # distance from the start of the polyline to the projected point
    offset_m: float  # distance from the point to the polyline
    lat: float
    lon: float


def cumulative_m(path: list[tuple[float, float]]) -> list[float]:
    out, total = [0.0], 0.0
    for (a_lat, a_lon), (b_lat, b_lon) in zip(path, path[1:], strict=False):
        total += haversine_m(a_lat, a_lon, b_lat, b_lon)
        out.append(total)
    return out


def project(path: list[tuple[float, float]], lat: float, lon: float, cum: list[float] | None = None) -> Projection:
    """The point of `path` nearest to (lat, lon), with its distance along the path."""
    if cum is None:
        cum = cumulative_m(path)
    kx = m_per_deg_lon(lat)
    best: Projection | None = None
    for i in range(len(path) - 1):
        (a_lat, a_lon), (b_lat, b_lon) = path[i], path[i + 1]
        ax, ay = (a_lon - lon) * kx, (a_lat - lat) * M_PER_DEG_LAT
        bx, by = (b_lon - lon) * kx, (b_lat - lat) * M_PER_DEG_LAT
        dx, dy = bx - ax, by - ay
        seg2 = dx * dx + dy * dy
        t = 0.0 if seg2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / seg2))
        px, py = ax + t * dx, ay + t * dy
        off = math.hypot(px, py)
        if best is None or off < best.offset_m:
            best = Projection(
                along_m=cum[i] + t * (cum[i + 1] - cum[i]),
                offset_m=off,
                lat=a_lat + t * (b_lat - a_lat),
                lon=a_lon + t * (b_lon - a_lon),
            )
    if best is None:  # a single point
        return Projection(0.0, haversine_m(lat, lon, path[0][0], path[0][1]), path[0][0], path[0][1])
    return best


def project_each(
    path: list[tuple[float, float]], lat: float, lon: float, cum: list[float] | None = None
) -> list[Projection]:
    """The nearest point of each segment of `path`, for callers that choose between passes where a path comes near
    the point twice (a loop, a street run both ways). `project` keeps its own loop: it runs per incident and route."""
    if cum is None:
        cum = cumulative_m(path)
    kx = m_per_deg_lon(lat)
    out: list[Projection] = []
    for i in range(len(path) - 1):
        (a_lat, a_lon), (b_lat, b_lon) = path[i], path[i + 1]
        ax, ay = (a_lon - lon) * kx, (a_lat - lat) * M_PER_DEG_LAT
        bx, by = (b_lon - lon) * kx, (b_lat - lat) * M_PER_DEG_LAT
        dx, dy = bx - ax, by - ay
        seg2 = dx * dx + dy * dy
        t = 0.0 if seg2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / seg2))
        out.append(
            Projection(
                along_m=cum[i] + t * (cum[i + 1] - cum[i]),
                offset_m=math.hypot(ax + t * dx, ay + t * dy),
                lat=a_lat + t * (b_lat - a_lat),
                lon=a_lon + t * (b_lon - a_lon),
            )
        )
    return out


def point_at(path: list[tuple[float, float]], along_m: float, cum: list[float] | None = None) -> tuple[float, float]:
    """The point `along_m` metres from the start of `path` (clamped to its ends)."""
    if cum is None:
        cum = cumulative_m(path)
    if along_m <= 0:
        return path[0]
    if along_m >= cum[-1]:
        return path[-1]
    lo, hi = 0, len(cum) - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if cum[mid] <= along_m:
            lo = mid
        else:
            hi = mid
    seg = cum[hi] - cum[lo]
    t = 0.0 if seg == 0 else (along_m - cum[lo]) / seg
    (a_lat, a_lon), (b_lat, b_lon) = path[lo], path[hi]
    return a_lat + t * (b_lat - a_lat), a_lon + t * (b_lon - a_lon)


def bearing_deg(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dl = math.radians(b[1] - a[1])
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360) % 360
