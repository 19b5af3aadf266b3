import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.validation import explain_validity

from mueve.territory.models import Area, Jurisdiction, Landmark

POLYGON_TYPES = {"Polygon", "MultiPolygon"}


@transaction.atomic
def jurisdiction_upsert(
    *,
    slug: str,
    name: str,
    kind: str,
    parent: Jurisdiction | None = None,
    center_lat: float | None = None,
    center_lon: float | None = None,
    default_zoom: int = 12,
) -> Jurisdiction:
    jurisdiction = Jurisdiction.objects.filter(slug=slug).first() or Jurisdiction(slug=slug)
    jurisdiction.name = name
    jurisdiction.kind = kind
    jurisdiction.parent = parent
    jurisdiction.center_lat = center_lat
    jurisdiction.center_lon = center_lon
    jurisdiction.default_zoom = default_zoom
    jurisdiction.full_clean()
    jurisdiction.save()
    return jurisdiction


def _checked_geometry(geometry: Any, label: str):
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGON_TYPES:
        raise ValidationError({label: [_("La geometría debe ser Polygon o MultiPolygon.")]})
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise ValidationError({label: [_("Geometría ilegible: %(err)s") % {"err": exc}]}) from exc
    if geom.is_empty or not geom.is_valid:
        raise ValidationError({label: [_("Geometría inválida: %(why)s") % {"why": explain_validity(geom)}]})
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    if not (-90 <= min_lat <= max_lat <= 90 and -180 <= min_lon <= max_lon <= 180):
        raise ValidationError({label: [_("Coordenadas fuera de WGS84 (¿lon/lat invertidas o proyectadas?).")]})
    return geom


@transaction.atomic
def areas_load_geojson(
    *,
    jurisdiction: Jurisdiction,
    text: str,
    name_property: str = "name",
    code_property: str = "code",
    approximate: bool = False,
    source: str = "",
) -> list[Area]:
    """Loads every polygon feature of a FeatureCollection; all or nothing, errors name the feature."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError({"file": [_("No es JSON válido (línea %(line)s).") % {"line": exc.lineno}]}) from exc
    if not isinstance(data, dict):
        raise ValidationError({"file": [_("Se esperaba un objeto GeoJSON.")]})
    if data.get("type") == "Feature":
        features = [data]
    elif data.get("type") == "FeatureCollection":
        features = data.get("features") or []
    else:
        raise ValidationError({"file": [_("Se esperaba un Feature o FeatureCollection.")]})
    errors: dict[str, list[str]] = {}
    pending = []
    for index, feature in enumerate(features, start=1):
        label = f"feature_{index}"
        props = (feature or {}).get("properties") or {}
        name = str(props.get(name_property) or "").strip()
        if not name:
            errors.setdefault(label, []).append(_("Falta la propiedad '%(prop)s'.") % {"prop": name_property})
            continue
        try:
            geom = _checked_geometry((feature or {}).get("geometry"), label)
        except ValidationError as exc:
            for key, msgs in exc.message_dict.items():
                errors.setdefault(key, []).extend(msgs)
            continue
        pending.append((name, str(props.get(code_property) or ""), feature["geometry"], geom.bounds))
    if errors:
        raise ValidationError(errors)
    if not pending:
        raise ValidationError({"file": [_("El archivo no tiene polígonos.")]})
    areas = []
    for name, code, geometry, (min_lon, min_lat, max_lon, max_lat) in pending:
        area, _created = Area.objects.update_or_create(
            jurisdiction=jurisdiction,
            name=name,
            defaults={
                "code": code,
                "geometry": geometry,
                "min_lat": min_lat,
                "min_lon": min_lon,
                "max_lat": max_lat,
                "max_lon": max_lon,
                "approximate": approximate,
                "source": source,
            },
        )
        areas.append(area)
    return areas


@transaction.atomic
def landmark_upsert(
    *,
    name: str,
    lat: float,
    lon: float,
    kind: str = Landmark.Kind.LANDMARK,
    jurisdiction: Jurisdiction | None = None,
    description: str = "",
    approximate: bool = False,
    source: str = "",
) -> Landmark:
    """Creates or updates the landmark of that name and kind (loading a list twice adds nothing)."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError({"lat": [_("Coordenadas fuera de rango.")]})
    landmark = Landmark.objects.filter(name=name, kind=kind).first() or Landmark(name=name, kind=kind)
    landmark.lat, landmark.lon = lat, lon
    landmark.jurisdiction = jurisdiction
    landmark.description = description
    landmark.approximate = approximate
    landmark.source = source
    landmark.full_clean()
    landmark.save()
    return landmark
