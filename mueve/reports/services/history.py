"""What a change to an incident leaves behind: the operators' log of the incident, and for each of its reports the
public status history, the status notes Open311 shows, and an e-mail to the citizens who asked for one. A change
starts from the incident `locked`."""

import os

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.reports.models import Incident, IncidentChange, Report, ReportStatusChange

Status = Incident.Status


def public_note(status: str, note: str, resolution: str = "") -> str:
    """What the citizen reads on the tracking page and in Open311 `status_notes`: the status in words, then the
    operator's public reply (`note` here; never the internal note)."""
    defaults = {
        Status.OPEN: _("El reporte está abierto."),
        Status.ACKNOWLEDGED: _("El organismo responsable recibió el reporte."),
        Status.DISPATCHED: _("Un equipo va en camino o está trabajando en el lugar."),
        Status.RESOLVED: _("El problema fue resuelto."),
        Status.REJECTED: _("El reporte fue revisado y descartado."),
    }
    text = defaults.get(status, "")
    if resolution == Incident.Resolution.DUPLICATE:
        text = _("Es un duplicado de otro incidente ya reportado.")
    elif resolution == Incident.Resolution.MERGED:
        text = _("Se unió a otro incidente que trata del mismo problema.")
    note = (note or "").strip()
    return f"{text} {note}".strip()


def locked(incident: Incident) -> Incident:
    """The incident read again under a row lock, for a change that must not interleave with another."""
    return (
        Incident.objects.select_for_update(of=("self",))
        .select_related("service", "agency", "jurisdiction")
        .get(pk=incident.pk)
    )


def log_change(
    incident: Incident,
    action: str,
    from_status: str,
    to_status: str,
    note: str,
    actor: User | None,
    data=None,
    *,
    public_reply: str = "",
) -> IncidentChange:
    """One line of the incident's log (operators and auditors read it; `data` holds the action's details). `note`
    is internal; `public_reply` is what was told to the reporters."""
    return IncidentChange.objects.create(
        incident=incident,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=(note or "").strip(),
        public_reply=(public_reply or "").strip(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        data=data or {},
    )


def set_report_state(
    reports, incident: Incident, status: str, *, note: str, actor: User | None, from_status: str = ""
) -> None:
    """Propagates an incident status to reports: Open311 status (open/closed), status_notes, and a public
    ReportStatusChange (field "incident", values are incident statuses) for the tracking page."""
    reports = list(reports)
    if not reports:
        return
    now = timezone.now()
    open311_status = Report.Status.OPEN if status in Incident.ACTIVE_STATUSES else Report.Status.CLOSED
    changes = [
        ReportStatusChange(
            report=report,
            field="incident",
            from_value=from_status,
            to_value=status,
            notes=note,
            public=True,
            changed_by=actor if actor is not None and actor.is_authenticated else None,
            changed_at=now,
        )
        for report in reports
    ]
    ReportStatusChange.objects.bulk_create(changes)
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(
        status=open311_status, status_notes=note, updated_datetime=now
    )
    for report in reports:
        report.status, report.status_notes, report.updated_datetime = open311_status, note, now
    _email_updates(reports, Incident.Status(status).label, note)


def _email_updates(reports: list[Report], label: str, note: str) -> None:
    """Citizens who left an email (they ticked "Quiero recibir novedades") are told, after commit."""
    recipients = [(r.email, r.token, r.public_id) for r in reports if r.email]
    if not recipients:
        return
    site = str(getattr(settings, "MUEVE_SITE_URL", "") or os.environ.get("MUEVE_SITE_URL", "http://localhost:8000"))

    def send() -> None:
        for email, token, public_id in recipients:
            link = site.rstrip("/") + reverse("reports:track", args=[token])
            body = _("Su reporte %(id)s cambió de estado: %(label)s.\n\n%(note)s\n\nSígalo en %(link)s") % {
                "id": public_id,
                "label": label,
                "note": note,
                "link": link,
            }
            # A mail server that is down must not undo or break the operator's action.
            send_mail(
                _("Novedades de su reporte %(id)s") % {"id": public_id},
                body,
                None,
                [email],
                fail_silently=True,
            )

    transaction.on_commit(send)
