"""The reporter's «¿Quedó resuelto?»: once per report, within `MUEVE_REOPEN_DAYS` of the incident's resolution.
«No» reopens the incident through `incident_reopen`, with the citizen's comment and photo."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.core.text import too_long
from mueve.reports.models import Incident, Report, ReportFeedback, Review
from mueve.reports.photos import process_photo, report_photo_attach
from mueve.reports.services.incidents import incident_reopen

COMMENT_MAX = 1000


def reopen_days() -> int:
    return int(getattr(settings, "MUEVE_REOPEN_DAYS", 30))


def feedback_refusal(report: Report, *, now=None) -> str:
    """Why `report`'s reporter may not answer now (a sentence in Spanish), or "" when they may."""
    incident = report.incident
    if report.moderation == Report.Moderation.REJECTED or incident is None:
        return _("Este reporte no admite la pregunta «¿Quedó resuelto?».")
    if ReportFeedback.objects.filter(report=report).exists():
        return _("Usted ya respondió si el problema quedó resuelto. Gracias.")
    if incident.status != Incident.Status.RESOLVED:
        return _("El problema aún no figura como resuelto; podrá responder cuando lo esté.")
    closed = incident.closed_at or incident.updated_at
    if (now or timezone.now()) > closed + timedelta(days=reopen_days()):
        return _("Pasaron más de %(days)s días desde que se resolvió: ya no se puede reabrir desde aquí.") % {
            "days": reopen_days()
        }
    return ""


@transaction.atomic
def report_feedback_answer(*, report: Report, fixed: bool, comment: str = "", photo=None) -> ReportFeedback:
    """Records the reporter's answer. Raises ValidationError with `code="refused"` when the answer is not allowed
    (already answered, out of the window), and field errors (`comment`, `photo`) for bad input; nothing is stored
    then."""
    # Only the report row: its incident is a nullable join, which PostgreSQL will not lock (FOR UPDATE ... OF).
    report = Report.objects.select_for_update(of=("self",)).select_related("incident", "service").get(pk=report.pk)
    refusal = feedback_refusal(report)
    if refusal:
        raise ValidationError(refusal, code="refused")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError({"comment": [too_long(COMMENT_MAX, len(comment))]})
    processed = process_photo(photo) if photo else None  # raises {"photo": [...]} before anything is stored
    review = Review.PENDING if report.service.moderate_text and comment else Review.APPROVED
    feedback = ReportFeedback(
        report=report, incident=report.incident, fixed=fixed, comment=comment, comment_review=review
    )
    if processed is not None:
        feedback.photo = report_photo_attach(report=report, processed=processed)
    feedback.save()
    if not fixed:
        # The comment reaches the other reporters only when it needs no moderation; operators always read it.
        incident_reopen(
            incident=report.incident,
            note=comment,
            public_reply=comment if review == Review.APPROVED else "",
        )
    return feedback
