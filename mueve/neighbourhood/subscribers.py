"""What other apps' events mean here: a new report on an adopted light or stop is told to its adopters."""

from typing import Any

from mueve.neighbourhood import services
from mueve.reports import events as report_events
from mueve.reports.models import Report


def on_event(kind: str, payload: dict[str, Any]) -> None:
    if kind == report_events.REPORT_SUBMITTED:
        report = (
            Report.objects.select_related("service")
            .filter(public_id=payload.get("public_id"), asset__isnull=False)
            .first()
        )
        if report is not None:
            services.adopters_notify(report=report)
