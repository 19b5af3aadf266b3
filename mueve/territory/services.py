import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.validation import explain_validity

from mueve.core.permissions import ensure_perm
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
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, ShapelyError) as exc:
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


# A region's areas arrive as a file through a form: a generous bound for communes' outlines, far below what would
# strain the request or the session that keeps the file between the wizard's steps.
MAX_AREAS_BYTES = 2 * 1024 * 1024


def areas_geojson_check(text: str, *, name_property: str = "name") -> list[str]:
    """The names of the areas in a GeoJSON FeatureCollection of Polygons and MultiPolygons, each with a name;
    raises ValidationError under "file" (every problem, in Spanish) otherwise. Writes nothing."""
    if len(text.encode("utf-8")) > MAX_AREAS_BYTES:
        raise ValidationError({"file": [_("El archivo pasa de %(mb)d MB.") % {"mb": MAX_AREAS_BYTES // (1024 * 1024)}]})
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        line = getattr(exc, "lineno", 1)
        raise ValidationError({"file": [_("No es JSON válido (línea %(line)s).") % {"line": line}]}) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValidationError({"file": [_("Se esperaba un GeoJSON de tipo FeatureCollection.")]})
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise ValidationError({"file": [_("El archivo no tiene polígonos.")]})
    problems: list[str] = []
    names: list[str] = []
    for index, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(_("Elemento %(n)d: no es un Feature.") % {"n": index})
            continue
        props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        raw_name = props.get(name_property)
        name = raw_name.strip() if isinstance(raw_name, str) else ""
        if not name:
            problems.append(
                _("Elemento %(n)d: falta la propiedad «%(prop)s» (un texto).") % {"n": index, "prop": name_property}
            )
        elif name in names:
            problems.append(_("Elemento %(n)d: el nombre «%(name)s» se repite.") % {"n": index, "name": name})
        try:
            _checked_geometry(feature.get("geometry"), "geometry")
        except ValidationError as exc:
            for message in exc.message_dict.get("geometry", []):
                problems.append(_("Elemento %(n)d: %(why)s") % {"n": index, "why": message})
        names.append(name)
    if problems:
        raise ValidationError({"file": problems})
    return names


@transaction.atomic
def jurisdiction_open(
    *,
    actor,
    name: str,
    slug: str,
    kind: str,
    center_lat: float | None,
    center_lon: float | None,
    areas_geojson: str,
    default_zoom: int = 12,
    parent: Jurisdiction | None = None,
) -> Jurisdiction:
    """A new jurisdiction with its areas, all or nothing. Unlike `jurisdiction_upsert`, an existing slug is an error:
    opening a region never rewrites another one."""
    ensure_perm(actor, "territory.manage_territory")
    errors: dict[str, list[str]] = {}
    slug = (slug or "").strip()
    if Jurisdiction.objects.filter(slug=slug).exists():
        errors["slug"] = [_("Ya existe una jurisdicción con ese identificador.")]
    if (center_lat is None) != (center_lon is None):
        errors["center_lat"] = [_("Indique la latitud y la longitud del centro, o ninguna.")]
    elif center_lat is not None and not (-90 <= center_lat <= 90 and -180 <= center_lon <= 180):
        errors["center_lat"] = [_("Coordenadas fuera de rango.")]
    try:
        areas_geojson_check(areas_geojson)
    except ValidationError as exc:
        errors["areas"] = exc.message_dict["file"]
    jurisdiction = Jurisdiction(
        slug=slug,
        name=(name or "").strip(),
        kind=kind,
        parent=parent,
        center_lat=center_lat,
        center_lon=center_lon,
        default_zoom=default_zoom,
    )
    try:
        jurisdiction.full_clean(validate_unique=False)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    jurisdiction.save()
    areas_load_geojson(jurisdiction=jurisdiction, text=areas_geojson)
    return jurisdiction


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
