"""What other apps' events mean here (run by the notifications app's consumer, off the request): a report on an
adopted light or stop is told to its adopters, once it is accepted; a repair one adopter confirms is told to the
others."""

from typing import Any

from mueve.neighbourhood import services
from mueve.reports import events as report_events
from mueve.reports.models import IncidentChange, Report

KINDS = {report_events.REPORT_SUBMITTED, report_events.REPORT_MODERATED, report_events.INCIDENT_UPDATED}


def on_event(kind: str, payload: dict[str, Any]) -> None:
    if kind in (report_events.REPORT_SUBMITTED, report_events.REPORT_MODERATED):
        # A report held for moderation is told when a moderator accepts it (adopters_notify checks it is).
        report = (
            Report.objects.select_related("service", "asset")
            .filter(public_id=payload.get("public_id"), asset__isnull=False)
            .first()
        )
        if report is not None:
            services.adopters_notify(report=report)
    elif kind == report_events.INCIDENT_UPDATED and payload.get("action") == "repair_confirmed":
        change = (
            IncidentChange.objects.filter(incident_id=payload["incident"]["id"], action="repair_confirmed")
            .order_by("-created_at", "-id")
            .first()
        )
        if change is not None:
            services.repair_confirmed_notify(change=change)
