"""Geographic helpers shared by every app: WGS84 validation and H3 cells."""

import h3

# Resolution 9 cells are ~0.1 km²: fine enough to cluster reports on one block.
DEFAULT_H3_RESOLUTION = 9


def validate_lat_lon(lat: float, lon: float) -> None:
    if not -90.0 <= lat <= 90.0:
        raise ValueError("latitude out of range")
    if not -180.0 <= lon <= 180.0:
        raise ValueError("longitude out of range")


def h3_cell(lat: float, lon: float, resolution: int = DEFAULT_H3_RESOLUTION) -> str:
    validate_lat_lon(lat, lon)
    return h3.latlng_to_cell(lat, lon, resolution)
