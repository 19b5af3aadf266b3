"""A GeoJSON file checked before it is published (RFC 7946): a FeatureCollection whose features have valid
geometries (or none) with longitude and latitude in range. Errors name the feature (numbered from 1)."""

import json
import math
from pathlib import Path

from django.utils.translation import gettext as _

from mueve.datasets.incoming.errors import MAX_ERRORS, Refused, error

GEOMETRY_TYPES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}


def _positions(coords):
    """Every [lon, lat, ...] position in a coordinates array, however nested."""
    if (
        isinstance(coords, list)
        and coords
        and all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords)
    ):
        yield coords
        return
    if not isinstance(coords, list):
        raise ValueError
    for item in coords:
        yield from _positions(item)


def _geometry_problem(geometry) -> str | None:
    from shapely.geometry import shape

    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        return _("la geometría no es de un tipo GeoJSON (Point, LineString, Polygon, …)")
    parts = geometry.get("geometries") if geometry["type"] == "GeometryCollection" else [geometry]
    if not isinstance(parts, list):
        return _("la colección de geometrías no es una lista")
    for part in parts:
        if not isinstance(part, dict) or part.get("type") not in GEOMETRY_TYPES - {"GeometryCollection"}:
            return _("la geometría no es de un tipo GeoJSON (Point, LineString, Polygon, …)")
        try:
            positions = list(_positions(part.get("coordinates")))
        except (ValueError, RecursionError):
            return _("las coordenadas no son listas de números")
        for position in positions:
            if len(position) < 2 or not all(math.isfinite(c) for c in position):
                return _("una posición no tiene longitud y latitud")
            lon, lat = position[0], position[1]
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                return _("la posición [%(lon)s, %(lat)s] está fuera de rango (longitud ±180, latitud ±90)") % {
                    "lon": lon,
                    "lat": lat,
                }
    try:
        geom = shape(geometry)
    except Exception:  # shapely raises many kinds on malformed coordinates
        return _("la geometría está mal formada")
    if not geom.is_valid:
        from shapely.validation import explain_validity

        return _("la geometría no es válida (%(why)s)") % {"why": explain_validity(geom)}
    return None


def check(path: Path) -> int:
    """Returns the number of features; raises Refused."""
    try:
        with path.open(encoding="utf-8") as f:
            data = json.load(f)
    except UnicodeDecodeError as exc:
        raise Refused.one(_("El GeoJSON debe estar en UTF-8 (RFC 7946).")) from exc
    except (json.JSONDecodeError, RecursionError) as exc:
        where = _(" (línea %(line)d)") % {"line": exc.lineno} if isinstance(exc, json.JSONDecodeError) else ""
        raise Refused.one(_("El archivo no es JSON válido%(where)s.") % {"where": where}) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise Refused.one(_("El GeoJSON debe ser una FeatureCollection (un objeto con «type»: «FeatureCollection»)."))
    features = data.get("features")
    if not isinstance(features, list):
        raise Refused.one(_("La FeatureCollection no tiene una lista «features»."))
    errors, count = [], 0
    for n, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problem = _("no es un Feature")
        elif feature.get("geometry") is None:
            problem = None  # RFC 7946 allows an unlocated feature
        else:
            problem = _geometry_problem(feature["geometry"])
        if problem:
            count += 1
            if len(errors) < MAX_ERRORS:
                errors.append(error(_("Elemento %(n)d: %(problem)s.") % {"n": n, "problem": problem}, row=n))
    if errors:
        raise Refused(errors, count=count)
    return len(features)
