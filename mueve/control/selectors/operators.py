"""What the control centre's operators read: the dashboard's incidents, filters and map view, the map's viewport,
and an incident's triage (its reports, history, handling agencies)."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.core.geo import DEFAULT_H3_RESOLUTION, M_PER_DEG_LAT
from mueve.reports import selectors as report_selectors
from mueve.reports.models import Incident, Report, ServiceAttribute, Severity
from mueve.stakeholders.models import Organization
from mueve.territory.models import Area

SEVERITY_RANK = {
    Severity.INFORMATIONAL: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.CRITICAL: 4,
}
HIGH_SEVERITIES = (Severity.HIGH, Severity.CRITICAL)
ACTIVE = tuple(Incident.ACTIVE_STATUSES)
Jurisdictions = frozenset[int] | None


def _within(queryset: QuerySet, jurisdictions: Jurisdictions, field: str = "jurisdiction_id") -> QuerySet:
    return queryset if jurisdictions is None else queryset.filter(**{f"{field}__in": jurisdictions})


QUEUE_LIMIT = 500
_SEVERITY_LABELS = dict(Severity.choices)
_STATUS_LABELS = dict(Incident.Status.choices)
TIME_WINDOWS = {"1h": 1, "6h": 6, "24h": 24, "7d": 24 * 7, "30d": 24 * 30}


@dataclass
class IncidentFilters:
    municipality: int | None = None  # territory Area id
    category: str = ""  # service code
    status: str = ""  # a status, "active" (default) or "all"
    agency: int | None = None
    window: str = ""  # a TIME_WINDOWS key
    q: str = ""  # an incident number or part of an address

    @classmethod
    def from_query(cls, data) -> tuple["IncidentFilters", dict[str, list[str]]]:
        """Filters from GET parameters; unknown values are reported (in Spanish) rather than ignored."""
        errors: dict[str, list[str]] = {}
        filters = cls()

        def number(name: str) -> int | None:
            raw = (data.get(name) or "").strip()
            if not raw:
                return None
            if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
                errors.setdefault(name, []).append(_("Elija un valor de la lista."))
                return None
            return int(raw)

        filters.municipality = number("municipality")
        filters.agency = number("agency")
        filters.category = (data.get("category") or "").strip()[:40]
        status = (data.get("status") or "active").strip()
        if status not in {"active", "all", *Incident.Status.values}:
            errors.setdefault("status", []).append(_("Estado desconocido."))
            status = "active"
        filters.status = status
        window = (data.get("window") or "").strip()
        if window and window not in TIME_WINDOWS:
            errors.setdefault("window", []).append(_("Periodo desconocido."))
            window = ""
        filters.window = window
        filters.q = (data.get("q") or "").strip()[:120]
        return filters, errors


def _priority_expression():
    """Queue order: A's stored priority when there is one, then severity, reports and age."""
    return Case(
        *[When(severity=value, then=Value(rank)) for value, rank in SEVERITY_RANK.items()],
        default=Value(2),
        output_field=IntegerField(),
    )


def incident_queryset(
    filters: IncidentFilters | None = None, *, now: datetime | None = None, jurisdictions: Jurisdictions = None
) -> QuerySet[Incident]:
    filters = filters or IncidentFilters(status="active")
    incidents = _within(Incident.objects.all(), jurisdictions).annotate(severity_rank=_priority_expression())
    if filters.status == "active" or not filters.status:
        incidents = incidents.filter(status__in=ACTIVE)
    elif filters.status != "all":
        incidents = incidents.filter(status=filters.status)
    if filters.municipality:
        incidents = incidents.filter(area_id=filters.municipality)
    if filters.category:
        incidents = incidents.filter(service__code=filters.category)
    if filters.agency:
        incidents = incidents.filter(agency_id=filters.agency)
    if filters.window:
        since = (now or timezone.now()) - timedelta(hours=TIME_WINDOWS[filters.window])
        incidents = incidents.filter(last_report_at__gte=since)
    if filters.q:
        number = filters.q.lstrip("#")
        if number.isascii() and number.isdigit() and len(number) < 12:
            incidents = incidents.filter(Q(pk=int(number)) | Q(address_string__icontains=filters.q))
        else:
            incidents = incidents.filter(address_string__icontains=filters.q)
    return incidents.order_by("-priority", "-severity_rank", "-report_count", "opened_at", "id")


def _iso_in(zone):
    def iso(moment: datetime | None) -> str | None:
        return moment.astimezone(zone).isoformat() if moment else None

    return iso


# What the dashboard shows of an incident, read as plain values: 500 model instances with their service, agency
# and area cost several times the query.
_ROW_FIELDS = (
    "id service__code service__name service__group lat lon h3_cell severity status report_count confidence "
    "priority agency__name agency_id area__name address_string opened_at last_report_at acknowledged_at closed_at"
).split()


def incident_rows(ids: list[int]) -> list[dict]:
    """The dashboard's rows of these incidents (the same keys as reports' public incident dict), in this order."""
    severity_labels = {key: str(label) for key, label in _SEVERITY_LABELS.items()}
    status_labels = {key: str(label) for key, label in _STATUS_LABELS.items()}
    iso = _iso_in(timezone.get_current_timezone())
    found = {row["id"]: row for row in Incident.objects.filter(pk__in=ids).values(*_ROW_FIELDS)}
    return [
        {
            "id": row["id"],
            "service": {"code": row["service__code"], "name": row["service__name"], "group": row["service__group"]},
            "lat": round(row["lat"], 6),
            "lon": round(row["lon"], 6),
            "h3_cell": row["h3_cell"],
            "severity": row["severity"],
            "severity_label": severity_labels.get(row["severity"], row["severity"]),
            "status": row["status"],
            "status_label": status_labels.get(row["status"], row["status"]),
            "report_count": row["report_count"],
            "confidence": round(row["confidence"], 3),
            "priority": round(row["priority"], 3),
            "agency": row["agency__name"],
            "agency_id": row["agency_id"],
            "area": row["area__name"],
            "address_string": row["address_string"],
            "opened_at": iso(row["opened_at"]),
            "last_report_at": iso(row["last_report_at"]),
            "acknowledged_at": iso(row["acknowledged_at"]),
            "closed_at": iso(row["closed_at"]),
        }
        for row in (found[pk] for pk in ids if pk in found)
    ]


def incident_row(incident: Incident) -> dict:
    """One incident's dashboard row, read fresh (after a triage action, for the detail panel)."""
    return incident_rows([incident.pk])[0]


def dashboard_incidents(filters: IncidentFilters | None = None, *, jurisdictions: Jurisdictions = None) -> list[dict]:
    # The order first, on the incident table alone (an index walk); then the rows with their joins: asked for
    # together, SQLite's planner started from the services and sorted every active incident.
    ids = incident_queryset(filters, jurisdictions=jurisdictions).values_list("id", flat=True)[:QUEUE_LIMIT]
    return incident_rows(list(ids))


def unacknowledged_count(*, jurisdictions: Jurisdictions = None) -> int:
    return _within(Incident.objects.filter(status=Incident.Status.OPEN), jurisdictions).count()


def filter_choices(*, jurisdictions: Jurisdictions = None) -> dict:
    from mueve.reports.models import Service

    if jurisdictions is None:
        handling = Q(incidents__isnull=False) | Q(report_services__isnull=False)
    else:
        handling = Q(incidents__jurisdiction_id__in=jurisdictions)
        handling |= Q(report_services__jurisdiction_id__in=jurisdictions)
    services = _within(Service.objects.filter(active=True), jurisdictions)
    return {
        "municipalities": list(_within(Area.objects.all(), jurisdictions).order_by("name").values_list("id", "name")),
        "categories": list(services.order_by("name").values_list("code", "name").distinct()),
        "agencies": list(Organization.objects.filter(handling).distinct().order_by("name").values_list("id", "name")),
        "statuses": [("active", _("Activos")), ("all", _("Todos")), *Incident.Status.choices],
        "windows": [
            ("", _("Cualquier momento")),
            ("1h", _("Última hora")),
            ("6h", _("Últimas 6 horas")),
            ("24h", _("Últimas 24 horas")),
            ("7d", _("Últimos 7 días")),
            ("30d", _("Últimos 30 días")),
        ],
    }


def map_view(*, jurisdictions: Jurisdictions = None) -> tuple[list[float], int]:
    """Where the operators' map opens: on the one jurisdiction a scoped operator holds (when it has a centre), else
    on Gran Concepción, the platform's first city."""
    from mueve.territory.models import Jurisdiction

    default = ([-36.82, -73.06], 12)
    if not jurisdictions or len(jurisdictions) != 1:
        return default
    place = Jurisdiction.objects.filter(pk__in=jurisdictions, center_lat__isnull=False, center_lon__isnull=False)
    row = place.values_list("center_lat", "center_lon", "default_zoom").first()
    return ([row[0], row[1]], row[2]) if row else default


def agencies_for_assignment() -> QuerySet[Organization]:
    return Organization.objects.order_by("name")


def handling_agencies(incident: Incident) -> list[dict]:
    """The agencies that handle this incident's service, the likeliest first: the one it has now, those the
    jurisdiction's active routing rules for the service name (and tell), the service's default agency, then
    those that took incidents of the service before. The assignment menu offers these before any other."""
    from mueve.reports.models import RoutingRule

    ordered: list[int] = []

    def add(*ids) -> None:
        ordered.extend(pk for pk in ids if pk is not None and pk not in ordered)

    add(incident.agency_id)
    rules = RoutingRule.objects.filter(
        jurisdiction_id=incident.jurisdiction_id, service_id=incident.service_id, active=True
    ).order_by("order", "id")
    for rule in rules.prefetch_related("also_notify"):
        add(rule.agency_id, *(agency.pk for agency in rule.also_notify.all()))
    add(incident.service.agency_id)
    add(
        *Incident.objects.filter(service_id=incident.service_id, agency__isnull=False)
        .values_list("agency_id", flat=True)
        .distinct()[:10]
    )
    names = dict(Organization.objects.filter(pk__in=ordered).values_list("pk", "name"))
    return [{"id": pk, "name": names[pk]} for pk in ordered if pk in names]


# --- Viewport (map) ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BBox:
    south: float
    west: float
    north: float
    east: float


def parse_bbox(raw: str) -> BBox:
    """`west,south,east,north` in WGS84 degrees (the GeoJSON/OGC order); ValueError with a Spanish message."""
    parts = [p.strip() for p in (raw or "").split(",")]
    if len(parts) != 4:
        raise ValueError(_("bbox debe tener cuatro números: oeste,sur,este,norte."))
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError as exc:
        raise ValueError(_("bbox debe tener cuatro números: oeste,sur,este,norte.")) from exc
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise ValueError(_("bbox debe tener números finitos."))
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise ValueError(_("bbox fuera de rango: longitudes entre -180 y 180, latitudes entre -90 y 90."))
    if south > north or west > east:
        raise ValueError(_("bbox invertida: el sur debe ser menor que el norte y el oeste menor que el este."))
    return BBox(south=south, west=west, north=north, east=east)


# A city-sized viewport is a few hundred resolution-9 cells: an IN list on the indexed h3_cell column is
# far cheaper than a lat/lon range scan (incidents have no spatial index). Larger viewports use the range.
MAX_VIEWPORT_CELLS = 1500
CELL_MARGIN_DEG = 0.004  # > one res-9 edge (~200 m): cells whose centre is just outside still count


def _viewport_cells(bbox: BBox) -> list[str] | None:
    import h3

    lat_span = bbox.north - bbox.south + 2 * CELL_MARGIN_DEG
    lon_span = (bbox.east - bbox.west + 2 * CELL_MARGIN_DEG) * math.cos(math.radians((bbox.north + bbox.south) / 2))
    if lat_span * lon_span * (M_PER_DEG_LAT / 1000) ** 2 / 0.105 > MAX_VIEWPORT_CELLS:  # km² / res-9 cell area
        return None
    south, north = max(-90.0, bbox.south - CELL_MARGIN_DEG), min(90.0, bbox.north + CELL_MARGIN_DEG)
    west, east = max(-180.0, bbox.west - CELL_MARGIN_DEG), min(180.0, bbox.east + CELL_MARGIN_DEG)
    polygon = h3.LatLngPoly([(south, west), (south, east), (north, east), (north, west)])
    return list(h3.polygon_to_cells(polygon, DEFAULT_H3_RESOLUTION))


def incidents_in_bbox(bbox: BBox, base: QuerySet[Incident] | None = None) -> QuerySet[Incident]:
    incidents = base if base is not None else Incident.objects.all()
    cells = _viewport_cells(bbox)
    if cells is not None:
        incidents = incidents.filter(h3_cell__in=cells)
    # The exact test still applies: a cell on the edge is partly outside the box.
    return incidents.filter(lat__gte=bbox.south, lat__lte=bbox.north, lon__gte=bbox.west, lon__lte=bbox.east)


def incident_for_triage(pk: int) -> Incident | None:
    """An incident with what its row shows (service, agency, area)."""
    return Incident.objects.select_related("service", "agency", "area").filter(pk=pk).first()


def _answers(service_id: int, attributes: dict, questions: dict) -> list[dict]:
    """A report's answers as the operator reads them: the question, then the answer's label ("Apagado", not its key)."""
    if service_id not in questions:
        found = (
            ServiceAttribute.objects.filter(service_id=service_id).prefetch_related("values").order_by("order", "id")
        )
        questions[service_id] = {a.code: (a.description, {v.key: v.name for v in a.values.all()}) for a in found}
    asked = questions[service_id]
    answers = []
    for code, value in (attributes or {}).items():
        question, labels = asked.get(code, (code, {}))
        values = value if isinstance(value, list) else [value]
        answers.append({"question": question, "answer": ", ".join(str(labels.get(v, v)) for v in values)})
    return answers


def incident_reports(incident: Incident) -> list[dict]:
    """The reports fused into an incident, oldest first: what an operator needs to judge it (the whole description,
    the answers, the photos), no reporter's personal data."""
    reports = list(
        Report.objects.filter(incident=incident)
        .order_by("requested_datetime", "id")
        .only(*"id service_id public_id requested_datetime description address_string lat lon attributes".split())
    )
    # Every photo not rejected, waiting ones too: their addresses answer operators only (see reports' moderation).
    photos = {
        report_id: [{"url": url} for url in urls]
        for report_id, urls in report_selectors.report_photo_urls_by_report([r.pk for r in reports]).items()
    }
    questions: dict[int, dict] = {}
    # The reporters' «¿Quedó resuelto?» among the answers (operators read the comment, moderated or not).
    feedback = report_selectors.feedback_answers_by_report([r.pk for r in reports])
    return [
        {
            "public_id": report.public_id,
            "requested_datetime": timezone.localtime(report.requested_datetime).isoformat(),
            "description": report.description,
            "address_string": report.address_string,
            "lat": report.lat,
            "lon": report.lon,
            "answers": _answers(report.service_id, report.attributes, questions)
            + ([feedback[report.pk]] if report.pk in feedback else []),
            "photos": photos.get(report.pk, []),
        }
        for report in reports
    ]


def incident_history(incident: Incident) -> list[dict]:
    """The operators' log of an incident, oldest first: each action with its internal note and its public reply."""
    rows = incident.changes.order_by("created_at", "id").values(
        "action", "from_status", "to_status", "note", "public_reply", "created_at", "actor__username"
    )
    return [
        {**row, "actor": row.pop("actor__username"), "created_at": timezone.localtime(row["created_at"]).isoformat()}
        for row in rows
    ]


def incident_by_id(pk: int) -> Incident | None:
    return Incident.objects.filter(pk=pk).first()


def agency_by_id(pk: int) -> Organization | None:
    return Organization.objects.filter(pk=pk).first()


def reports_of_incident(incident: Incident, public_ids: list[str]) -> list[Report]:
    """Those of `public_ids` that belong to `incident` (an operator splitting it)."""
    return list(Report.objects.filter(incident=incident, public_id__in=public_ids))
