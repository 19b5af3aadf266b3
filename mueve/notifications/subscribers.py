"""What the other apps' events mean for the people who asked to hear about them."""

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from mueve.notifications import kinds, services
from mueve.reports import events as report_events
from mueve.reports.models import Incident, IncidentChange, Report

# Incident actions a reporter hears about.
REPORT_ACTIONS = {"acknowledge", "dispatch", "assign", "resolve", "reject"}
# These already e-mail the reports' own contact address (reports.services.history): no second e-mail to it.
STATUS_ACTIONS = REPORT_ACTIONS - {"assign"}


KINDS = {report_events.INCIDENT_UPDATED}


def on_event(kind: str, payload: dict[str, Any]) -> None:
    """Run by the consumer (consumer.py) for each stored event of KINDS, off the request that published it."""
    if kind == report_events.INCIDENT_UPDATED and payload.get("action") in REPORT_ACTIONS:
        report_update(incident_id=payload["incident"]["id"], action=payload["action"])


def _site_url(path: str) -> str:
    return settings.MUEVE_SITE_URL.rstrip("/") + path


def report_update(*, incident_id: int, action: str) -> None:
    """Each person with an account whose report is in the incident hears what happened, with the public reply."""
    incident = Incident.objects.select_related("agency").filter(pk=incident_id).first()
    if incident is None:
        return
    change = IncidentChange.objects.filter(incident=incident, action=action).order_by("-created_at", "-id").first()
    reply = change.public_reply if change else ""
    reports = list(
        Report.objects.filter(incident=incident, reporter__isnull=False, moderation=Report.Moderation.ACCEPTED)
        .select_related("reporter")
        .order_by("requested_datetime")
    )
    by_user: dict[int, Report] = {}
    for report in reports:
        by_user.setdefault(report.reporter_id, report)
    for report in by_user.values():
        if action == "assign":
            what = _("Su reporte fue asignado a %(agency)s.") % {
                "agency": incident.agency.name if incident.agency else "—"
            }
        else:
            what = report.status_notes or str(Incident.Status(incident.status).label)
        if reply and reply not in what:
            what = f"{what}\n\n{_('Respuesta del organismo:')} {reply}"
        title = _("Su reporte %(id)s: %(status)s") % {
            "id": report.public_id,
            "status": _("asignado") if action == "assign" else Incident.Status(incident.status).label,
        }
        skip = {kinds.EMAIL} if action in STATUS_ACTIONS and report.email else set()
        services.notify(
            user=report.reporter,
            kind=kinds.REPORT_UPDATE,
            context={"title": title, "body": what, "url": _site_url(reverse("reports:track", args=[report.token]))},
            skip_channels=skip,
            ref=f"change:{change.pk}" if change else "",
        )
