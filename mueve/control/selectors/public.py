"""What the public reads of the incidents: the public map and its GeoJSON, the CAP alerts, the public areas."""

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from mueve.control.selectors.operators import (
    _SEVERITY_LABELS,
    _STATUS_LABELS,
    ACTIVE,
    BBox,
    _iso_in,
    incidents_in_bbox,
)
from mueve.reports.models import Incident
from mueve.territory.models import Area


def _public_queryset(
    *,
    ids: list[int] | None = None,
    bbox: BBox | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    area: Area | None = None,
    area_id: int | None = None,
    category: str = "",
    statuses: tuple[str, ...] | None = None,
    severities: tuple[str, ...] | None = None,
    active_only: bool = False,
) -> QuerySet[Incident]:
    """The public's incidents, newest first. Rejected ones (spam, invalid) never appear."""
    incidents = Incident.objects.exclude(status=Incident.Status.REJECTED)
    if area_id is not None:
        incidents = incidents.filter(area_id=area_id)
    if category:
        incidents = incidents.filter(service__code=category)
    if statuses:
        incidents = incidents.filter(status__in=statuses)
    if ids is not None:
        incidents = incidents.filter(pk__in=ids)
    if bbox is not None:
        incidents = incidents_in_bbox(bbox, incidents)
    if since is not None:
        incidents = incidents.filter(last_report_at__gte=since)
    if until is not None:
        incidents = incidents.filter(opened_at__lte=until)
    if area is not None:
        incidents = incidents.filter(area=area)
    if severities:
        incidents = incidents.filter(severity__in=severities)
    if active_only:
        incidents = incidents.filter(status__in=ACTIVE)
    return incidents.order_by("-last_report_at", "-id")


def public_incidents(*, limit: int = 1000, **filters) -> list[Incident]:
    """Incidents for the public feeds (Atom, CAP), as model instances; `_public_queryset` takes the filters."""
    incidents = (
        _public_queryset(**filters)
        .select_related("service", "agency", "area", "jurisdiction")
        .only(
            *(
                "id lat lon h3_cell severity status report_count confidence address_string opened_at "
                "last_report_at closed_at updated_at acknowledged_at dispatched_at jurisdiction__slug "
                "jurisdiction__name service__code service__name service__group service__alert_category "
                "service__alert_subcategory agency__name area__name area__code area__id alert_sent_at"
            ).split()
        )
    )
    return list(incidents[:limit])


# What a public map point carries, read as plain values: building a thousand model instances (and their service,
# agency and area) took longer than the query itself.
_FEATURE_FIELDS = (
    "id lat lon service__code service__name service__group severity status report_count confidence "
    "agency__name area__name address_string opened_at last_report_at closed_at alert_sent_at"
).split()


def public_features(*, limit: int = 1000, **filters) -> list[dict]:
    """The public map's GeoJSON features (the same filters as `public_incidents`), newest first."""
    rows = _public_queryset(**filters).values_list(*_FEATURE_FIELDS)[:limit]
    severity_labels = {key: str(label) for key, label in _SEVERITY_LABELS.items()}
    status_labels = {key: str(label) for key, label in _STATUS_LABELS.items()}
    iso = _iso_in(timezone.get_current_timezone())
    return [
        {
            "type": "Feature",
            "id": pk,
            "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            "properties": {
                "id": pk,
                "service_code": code,
                "service_name": name,
                "group": group,
                "severity": severity,
                "severity_label": severity_labels.get(severity, severity),
                "status": status,
                "status_label": status_labels.get(status, status),
                "report_count": report_count,
                "confidence": round(confidence, 3),
                "agency": agency,
                "area": area,
                "address_string": address,
                "opened_at": iso(opened_at),
                "last_report_at": iso(last_report_at),
                "closed_at": iso(closed_at),
                # A CAP alert is out: an operator confirmed the incident (never one unverified report).
                "alert": alert_sent_at is not None and status in ACTIVE,
            },
        }
        for (
            pk,
            lat,
            lon,
            code,
            name,
            group,
            severity,
            status,
            report_count,
            confidence,
            agency,
            area,
            address,
            opened_at,
            last_report_at,
            closed_at,
            alert_sent_at,
        ) in rows
    ]


CAP_CLOSED_KEPT = timedelta(days=1)  # how long a closed incident's Update/Cancel stays in the CAP index


def _cap_queryset() -> QuerySet[Incident]:
    return Incident.objects.filter(alert_sent_at__isnull=False).select_related("service", "area", "jurisdiction")


def cap_incident(pk: int) -> Incident | None:
    """An incident whose CAP alert went out (whatever its state now: a closed one answers its Update or Cancel)."""
    return _cap_queryset().filter(pk=pk).first()


def cap_incidents(*, limit: int = 100, now: datetime | None = None) -> list[Incident]:
    """The CAP index: active confirmed incidents, and those closed within CAP_CLOSED_KEPT, newest first."""
    recent = (now or timezone.now()) - CAP_CLOSED_KEPT
    incidents = _cap_queryset().filter(Q(status__in=ACTIVE) | Q(closed_at__gte=recent))
    return list(incidents.order_by("-updated_at", "-id")[:limit])


def public_areas() -> QuerySet[Area]:
    return Area.objects.defer("geometry").order_by("name")


def area_by_code(code: str) -> Area | None:
    return Area.objects.defer("geometry").filter(code=code).first()
