"""Night or day at a place and moment: the sun's elevation from NOAA's solar position equations (the fractional-
year approximation of the General Solar Position Calculations note), good to a few minutes around sunrise and
sunset, which is what a street light's rule needs. Night is the sun below -0.833° (the refraction-corrected
horizon that sunrise and sunset are defined by)."""

import math
from datetime import UTC, datetime

HORIZON_DEGREES = -0.833


def solar_elevation(lat: float, lon: float, when: datetime) -> float:
    """The sun's elevation in degrees above the horizon at (lat, lon) at the aware datetime `when`."""
    moment = when.astimezone(UTC)
    start = datetime(moment.year, 1, 1, tzinfo=UTC)
    days_in_year = 366 if (datetime(moment.year + 1, 1, 1, tzinfo=UTC) - start).days == 366 else 365
    day = (moment - start).days
    hours = moment.hour + moment.minute / 60 + moment.second / 3600
    gamma = 2 * math.pi / days_in_year * (day + (hours - 12) / 24)
    eqtime = 229.18 * (
        0.000075
        + 0.001868 * math.cos(gamma)
        - 0.032077 * math.sin(gamma)
        - 0.014615 * math.cos(2 * gamma)
        - 0.040849 * math.sin(2 * gamma)
    )
    decl = (
        0.006918
        - 0.399912 * math.cos(gamma)
        + 0.070257 * math.sin(gamma)
        - 0.006758 * math.cos(2 * gamma)
        + 0.000907 * math.sin(2 * gamma)
        - 0.002697 * math.cos(3 * gamma)
        + 0.00148 * math.sin(3 * gamma)
    )
    true_solar_minutes = hours * 60 + eqtime + 4 * lon
    hour_angle = math.radians(true_solar_minutes / 4 - 180)
    phi = math.radians(lat)
    cos_zenith = math.sin(phi) * math.sin(decl) + math.cos(phi) * math.cos(decl) * math.cos(hour_angle)
    zenith = math.degrees(math.acos(max(-1.0, min(1.0, cos_zenith))))
    return 90 - zenith


def is_night(lat: float, lon: float, when: datetime) -> bool:
    return solar_elevation(lat, lon, when) < HORIZON_DEGREES
