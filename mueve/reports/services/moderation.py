"""Moderation: a moderator accepts, suspects or rejects a report, which puts it into an incident or takes it out."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.reports import events
from mueve.reports.models import Report, ReportStatusChange
from mueve.reports.services.fusion import fuse_one, recount
from mueve.reports.services.history import locked
from mueve.reports.services.processing import process_batch


@transaction.atomic
def report_moderate(*, report: Report, moderation: str, actor: User, note: str = "") -> Report:
    """Accepts, suspects or rejects a report (audited, not public). Accepting a suspected report fuses it into an
    incident; rejecting one takes it out of its incident."""
    ensure_perm(actor, "reports.moderate_report", report)
    if moderation not in Report.Moderation.values:
        raise ValidationError({"moderation": [_("Estado de moderación desconocido.")]})
    report = Report.objects.select_for_update().select_related("service").get(pk=report.pk)
    before = report.moderation
    if before == moderation:
        return report
    report.moderation = moderation
    report.updated_datetime = timezone.now()
    update = ["moderation", "updated_datetime"]
    if moderation == Report.Moderation.REJECTED:
        report.status = Report.Status.CLOSED
        update.append("status")
    report.save(update_fields=update)
    ReportStatusChange.objects.create(
        report=report,
        field="moderation",
        from_value=before,
        to_value=moderation,
        notes=(note or "").strip(),
        public=False,
        changed_by=actor,
    )
    if report.intake_pending:
        # Not yet processed (we hold its row, so no worker has it): process it now, with the moderator's decision
        # standing over the burst check; the worker will find nothing left to do.
        process_batch([report], check_bursts=False)
    elif moderation == Report.Moderation.ACCEPTED and report.incident_id is None:
        if report.status == Report.Status.CLOSED:
            report.status = Report.Status.OPEN
            report.save(update_fields=["status"])
        fuse_one(report)
    elif moderation != Report.Moderation.ACCEPTED and report.incident_id is not None:
        incident = locked(report.incident)
        Report.objects.filter(pk=report.pk).update(incident=None)
        report.incident = None
        recount(incident)
        incident.save()
        publish(events.INCIDENT_UPDATED, events.incident_payload(incident, "report_removed", actor))
    publish(events.REPORT_MODERATED, events.report_moderated_payload(report))
    return report
