"""Incidents as the public and the operators read them, the public timeline of a report, and the citizens'
«¿Quedó resuelto?» answers."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.core.geo import haversine_m
from mueve.reports.models import (
    Incident,
    Report,
    ReportFeedback,
    ReportStatusChange,
    Review,
    Service,
)
from mueve.reports.selectors.reference import cells_within


def incidents_nearby(
    *, service: Service, lat: float, lon: float, radius_m: float = 250, now: datetime | None = None
) -> list[Incident]:
    """Active incidents of `service` whose centroid is within `radius_m` (each with `.distance_m`), nearest first.
    With `now`, only those whose last report is within the service's fusion window of it. Uses the fusion index
    over an h3 grid_disk, not a scan."""
    incidents = Incident.objects.filter(
        service=service, status__in=Incident.ACTIVE_STATUSES, h3_cell__in=cells_within(lat, lon, radius_m)
    ).select_related("service", "agency")
    if now is not None:
        incidents = incidents.filter(last_report_at__gte=now - timedelta(minutes=service.fusion_window_minutes))
    found = []
    for incident in incidents:
        incident.distance_m = haversine_m(lat, lon, incident.lat, incident.lon)
        if incident.distance_m <= radius_m:
            found.append(incident)
    return sorted(found, key=lambda i: (i.distance_m, -i.pk))


def incident_public_dict(incident: Incident) -> dict:
    """An incident as public feeds and events show it: JSON-safe, never any reporter's data."""

    def iso(moment):
        return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None

    service = incident.service
    return {
        "id": incident.pk,
        "jurisdiction_id": incident.jurisdiction_id,
        "service_code": service.code,
        "service_name": service.name,
        "group": service.group,
        "alert_category": service.alert_category,
        "alert_subcategory": service.alert_subcategory,
        "lat": round(incident.lat, 6),
        "lon": round(incident.lon, 6),
        "h3_cell": incident.h3_cell,
        "severity": incident.severity,
        "status": incident.status,
        "status_label": str(incident.get_status_display()),
        "resolution": incident.resolution,
        "report_count": incident.report_count,
        "confidence": round(incident.confidence, 4),
        "priority": incident.priority,
        "agency": incident.agency.name if incident.agency_id else "",
        "agency_slug": incident.agency.slug if incident.agency_id else "",
        "area": incident.area.name if incident.area_id else "",
        "address_string": incident.address_string,
        "opened_at": iso(incident.opened_at),
        "last_report_at": iso(incident.last_report_at),
        "acknowledged_at": iso(incident.acknowledged_at),
        "closed_at": iso(incident.closed_at),
        "duplicate_of": incident.duplicate_of_id,
    }


def incident_detail(*, pk: int) -> Incident | None:
    return (
        Incident.objects.select_related("service", "agency", "area", "jurisdiction", "duplicate_of")
        .filter(pk=pk)
        .first()
    )


@dataclass
class TimelineEntry:
    at: datetime
    label: str
    note: str


def report_public_timeline(report: Report) -> list[TimelineEntry]:
    """The public status history of a report, in Spanish, oldest first (for the tracking page)."""
    entries = []
    for change in ReportStatusChange.objects.filter(report=report, public=True).order_by("changed_at", "id"):
        if change.field == "incident":
            label = Incident.Status(change.to_value).label if change.to_value in Incident.Status.values else ""
        elif change.to_value == Report.Status.OPEN:
            label = _("Recibido")
        else:
            label = _("Cerrado")
        entries.append(TimelineEntry(at=change.changed_at, label=str(label), note=change.notes))
    return entries


def report_feedback(report: Report) -> ReportFeedback | None:
    """The reporter's answer to «¿Quedó resuelto?», if any."""
    return ReportFeedback.objects.filter(report=report).first()


def feedback_public_comment(feedback: ReportFeedback) -> str:
    """The comment as the public may read it: once approved, else a placeholder (as a report's description)."""
    if not feedback.comment:
        return ""
    if feedback.comment_review == Review.APPROVED:
        return feedback.comment
    if feedback.comment_review == Review.PENDING:
        return str(_("Comentario en revisión: se publica cuando un operador lo apruebe."))
    return str(_("Comentario no publicado por moderación."))


def feedback_answers_by_report(report_ids: list[int]) -> dict[int, dict[str, str]]:
    """For operators: {report id: {"question", "answer"}} of the reports' «¿Quedó resuelto?», comment included."""
    question = _("¿Quedó resuelto? (respuesta de quien reportó)")
    answers = {}
    for row in ReportFeedback.objects.filter(report_id__in=report_ids):
        parts = [_("Sí") if row.fixed else _("No"), row.comment]
        answers[row.report_id] = {"question": question, "answer": ": ".join(part for part in parts if part)}
    return answers
