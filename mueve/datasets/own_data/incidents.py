"""Citizen incidents: the public incident feed of the control centre as a daily CSV and GeoJSON (both also in the
datastore as one table), beside the live Open311 API and the live public GeoJSON.

The rows are the public map's features (control.selectors.public_features), so the rules of the public feed hold
here too: rejected incidents never appear, and an incident carries no reporter's name, contact, description or
photo, only what fusion made public (centroid, service, status, counts, address, agency, area). Incidents whose
every report a moderator took out (report_count 0) are left out as well: nothing public stands behind them.
"""

import json
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from mueve.control import selectors as control_selectors
from mueve.core import csvio
from mueve.datasets.models import Distribution, Periodicity, Theme
from mueve.datasets.own_data.base import (
    GeneratedFile,
    Link,
    Spec,
    busiest_agency,
    configured_organization,
    lead_organization,
    site_url,
)
from mueve.reports import selectors as report_selectors
from mueve.reports.models import Incident

PREFIX = "incidents"
GENERATOR = "incidents"

# CSV column (and datastore field) -> (GeoJSON property, datastore type). Latitude and longitude come from the
# geometry.
COLUMNS = [
    ("id", "id", "int"),
    ("servicio_codigo", "service_code", "text"),
    ("servicio", "service_name", "text"),
    ("grupo", "group", "text"),
    ("gravedad", "severity", "text"),
    ("gravedad_texto", "severity_label", "text"),
    ("estado", "status", "text"),
    ("estado_texto", "status_label", "text"),
    ("reportes", "report_count", "int"),
    ("confianza", "confidence", "numeric"),
    ("organismo", "agency", "text"),
    ("area", "area", "text"),
    ("direccion", "address_string", "text"),
    ("latitud", None, "numeric"),
    ("longitud", None, "numeric"),
    ("abierto", "opened_at", "timestamp"),
    ("ultimo_reporte", "last_report_at", "timestamp"),
    ("cerrado", "closed_at", "timestamp"),
    ("alerta", "alert", "bool"),
]
FIELDS = [{"id": name, "type": kind} for name, _prop, kind in COLUMNS]


def features() -> list[dict]:
    """The public feed's features, newest first, without those no accepted report stands behind."""
    found = control_selectors.public_features(limit=settings.MUEVE_OWN_DATA_INCIDENTS_MAX)
    return [f for f in found if f["properties"]["report_count"] > 0]


def _row(feature: dict) -> tuple:
    lon, lat = feature["geometry"]["coordinates"]
    props = feature["properties"]
    position = {"latitud": lat, "longitud": lon}
    return tuple(position[name] if prop is None else props[prop] for name, prop, _kind in COLUMNS)


def spec(generator: str = GENERATOR) -> Spec | None:
    if generator != GENERATOR:
        return None
    publisher = _publisher()
    if publisher is None:
        return None
    found = features()
    rows = [_row(f) for f in found]
    header = [name for name, _p, _k in COLUMNS]
    csv_text = "\ufeff" + csvio.write_rows([header, *rows])
    geojson = {"type": "FeatureCollection", "features": found}
    jurisdiction = report_selectors.open311_jurisdiction(None)
    open311 = reverse("open311:requests", kwargs={"fmt": "json"})
    if jurisdiction is not None:
        open311 += f"?jurisdiction_id={jurisdiction.slug}"
    csv_note = _("Separado por punto y coma, con coma decimal y codificado en UTF-8 (con BOM), como lo abre Excel.")
    return Spec(
        generator=GENERATOR,
        title=_("Incidentes reportados por la ciudadanía"),
        slug="incidentes-ciudadanos",
        description=_(
            "Incidentes de la vía pública (accidentes, baches, semáforos, luminarias, paraderos…) que la plataforma "
            "formó al fusionar los reportes ciudadanos, con su servicio, gravedad, estado, número de reportes, "
            "organismo a cargo, lugar y fechas. Son los mismos datos que publica el mapa público de incidentes: no "
            "incluyen nombres, contactos, descripciones ni fotos de quienes reportan. Los archivos se regeneran "
            "cada día; la API Open311 y el GeoJSON en vivo dan el estado actual."
        ),
        publisher=publisher,
        keyword=_("incidentes, reportes ciudadanos, tránsito, Open311, vía pública"),
        themes=",".join([Theme.TRAN, Theme.REGI, Theme.JUST]),
        periodicity=Periodicity.DAILY,
        jurisdiction=jurisdiction,
        bbox=_bbox(rows),
        temporal=_temporal(rows),
        landing_page=site_url(reverse("control:public_map")),
        keep_publisher=not settings.MUEVE_OWN_DATA_INCIDENTS_PUBLISHER,
        distributions=[
            GeneratedFile(
                position=0,
                title=_("Incidentes (CSV diario)"),
                description=csv_note,
                format="CSV",
                filename="incidentes-ciudadanos.csv",
                content=csv_text.encode("utf-8"),
                fields=FIELDS,
                rows=rows,
            ),
            GeneratedFile(
                position=1,
                title=_("Incidentes (GeoJSON diario)"),
                description=_("Un punto por incidente (WGS84), con las mismas propiedades que el mapa público."),
                format="GEOJSON",
                filename="incidentes-ciudadanos.geojson",
                content=json.dumps(geojson, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
            ),
            Link(
                position=2,
                title=_("API Open311 GeoReport v2 (solicitudes)"),
                description=_(
                    "Las solicitudes ciudadanas una por una, en vivo, según la especificación GeoReport v2 "
                    "(discovery.json, services.json, requests.json). Leer no requiere clave; enviar, sí."
                ),
                kind=Distribution.Kind.API,
                format="JSON",
                url=site_url(open311),
            ),
            Link(
                position=3,
                title=_("Incidentes en vivo (GeoJSON)"),
                description=_("El mapa público de incidentes en este momento (los mil más recientes)."),
                kind=Distribution.Kind.FEED,
                format="GEOJSON",
                url=site_url(reverse("control:public_geojson")),
            ),
        ],
    )


def keys() -> list[str]:
    return [GENERATOR]


def changed_since(generator: str, moment: datetime) -> bool:
    return Incident.objects.filter(updated_at__gt=moment).exists()


def _publisher():
    return (
        configured_organization(settings.MUEVE_OWN_DATA_INCIDENTS_PUBLISHER)
        or busiest_agency(Incident.objects.exclude(status=Incident.Status.REJECTED))
        or lead_organization()
    )


NAMES = [name for name, _p, _k in COLUMNS]


def _bbox(rows: list[tuple]) -> tuple[float, float, float, float] | None:
    if not rows:
        return None
    lats = [row[NAMES.index("latitud")] for row in rows]
    lons = [row[NAMES.index("longitud")] for row in rows]
    return (min(lons), min(lats), max(lons), max(lats))


def _temporal(rows: list[tuple]):
    opened = [datetime.fromisoformat(row[NAMES.index("abierto")]) for row in rows if row[NAMES.index("abierto")]]
    last = [
        datetime.fromisoformat(row[NAMES.index("ultimo_reporte")]) for row in rows if row[NAMES.index("ultimo_reporte")]
    ]
    if not opened:
        return (None, None)
    return (min(opened).date(), max(last or opened).date())
