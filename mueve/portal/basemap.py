"""The vector base map every page's map draws under its tiles, or alone on a closed network: the served areas'
boundaries and landmarks (territory) and the transit lines and stops (transit), as one GeoJSON document.

Built from two apps, so it lives on the top floor. It is cached under the versions of both sources: an edited
area or a new feed import is served at once, and otherwise the document is built once per process cache."""

import json

from django.core.cache import cache

from mueve.territory import selectors as territory_selectors
from mueve.transit import selectors as transit_selectors

CACHE_SECONDS = 3600
AREA_TOLERANCE = 0.0001  # degrees, ≈ 10 m: invisible at city zoom, a fraction of the bytes


def base_map_document() -> tuple[bytes, str]:
    """The GeoJSON FeatureCollection (bytes) and its version (for the ETag)."""
    version = f"{territory_selectors.areas_version()}|{transit_selectors.base_map_version()}"
    key = "portal:basemap:" + version
    body = cache.get(key)
    if body is None:
        features = territory_selectors.area_features(tolerance=AREA_TOLERANCE)
        features += territory_selectors.landmark_features()
        features += transit_selectors.base_map_features()
        body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()
        cache.set(key, body, CACHE_SECONDS)
    return body, version
