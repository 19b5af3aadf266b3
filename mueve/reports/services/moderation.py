"""Moderation: a moderator accepts, suspects or rejects a report, which puts it into an incident or takes it out;
and, before the public sees them, approves, edits, blurs or rejects a report's text and photos (the queue of the
control centre). Every decision is a private row of the report's audit trail (`ReportStatusChange`)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.core.text import too_long
from mueve.reports import events
from mueve.reports.models import Report, ReportFeedback, ReportPhoto, ReportStatusChange, Review
from mueve.reports.photos import blur_photo
from mueve.reports.services.fusion import fuse_one, recount
from mueve.reports.services.history import locked
from mueve.reports.services.processing import process_batch
from mueve.reports.services.submission import DESCRIPTION_MAX


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


# --- Before publication: a report's text and photos ------------------------------------------------------------

TEXT = "description"
PHOTO = "photo"
FEEDBACK = "feedback_comment"
REASON_MAX = 500


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": [_("Indique el motivo del rechazo.")]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [too_long(REASON_MAX, len(reason))]})
    return reason


def _record(*, report: Report, field: str, before: str, after: str, actor: User, note: str, data: dict) -> None:
    ReportStatusChange.objects.create(
        report=report,
        field=field,
        from_value=before,
        to_value=after,
        notes=note,
        public=False,
        changed_by=actor,
        data=data,
    )


def _locked_photo(photo: ReportPhoto) -> ReportPhoto:
    photo = ReportPhoto.objects.select_for_update().select_related("report").get(pk=photo.pk)
    if photo.review != Review.PENDING:
        raise ValidationError({"photo": [_("Esta foto ya fue moderada.")]})
    return photo


def _delete_file_after_commit(storage, name: str) -> None:
    # Removed only once the decision is stored: a rolled-back decision must still find its photo.
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def report_photo_approve(*, photo: ReportPhoto, actor: User, note: str = "") -> ReportPhoto:
    """Publishes a photo waiting for moderation as it is."""
    ensure_perm(actor, "reports.moderate_content", photo)
    note = _reason(note, required=False)
    photo = _locked_photo(photo)
    photo.review = Review.APPROVED
    photo.save(update_fields=["review"])
    _record(
        report=photo.report,
        field=PHOTO,
        before=Review.PENDING,
        after="approved",
        actor=actor,
        note=note,
        data={"photo": photo.token},
    )
    return photo


@transaction.atomic
def report_photo_blur(
    *, photo: ReportPhoto, actor: User, regions: list[tuple[int, int, int, int]] | None = None, note: str = ""
) -> ReportPhoto:
    """Blurs a photo waiting for moderation (all of it, or the given regions: x, y, width, height in its pixels),
    publishes the blurred copy, and deletes the original from storage: nothing unblurred is left to leak."""
    ensure_perm(actor, "reports.moderate_content", photo)
    note = _reason(note, required=False)
    photo = _locked_photo(photo)
    with photo.image.open("rb") as original:
        data = original.read()
    content = blur_photo(data, photo.content_type, regions)
    old_name = photo.image.name
    photo.image.save(content.name, content, save=False)
    # Storage is not transactional: if the row cannot be stored, the new file goes and the original stays.
    try:
        photo.review = Review.APPROVED
        photo.size_bytes = len(content)
        photo.save(update_fields=["image", "review", "size_bytes"])
        _record(
            report=photo.report,
            field=PHOTO,
            before=Review.PENDING,
            after="blurred",
            actor=actor,
            note=note,
            data={"photo": photo.token, "regions": [list(region) for region in regions or []] or "all"},
        )
    except BaseException:
        photo.image.storage.delete(photo.image.name)
        raise
    _delete_file_after_commit(photo.image.storage, old_name)
    return photo


@transaction.atomic
def report_photo_reject(*, photo: ReportPhoto, actor: User, reason: str) -> ReportPhoto:
    """Refuses a photo: it is never published, its address answers 404, and its file is deleted from storage. The
    row stays, without its file, for the audit trail."""
    ensure_perm(actor, "reports.moderate_content", photo)
    reason = _reason(reason, required=True)
    photo = _locked_photo(photo)
    old_name = photo.image.name
    photo.review = Review.REJECTED
    photo.image = ""
    photo.size_bytes = 0
    photo.save(update_fields=["review", "image", "size_bytes"])
    _record(
        report=photo.report,
        field=PHOTO,
        before=Review.PENDING,
        after="rejected",
        actor=actor,
        note=reason,
        data={"photo": photo.token},
    )
    _delete_file_after_commit(photo.image.storage, old_name)
    return photo


def _locked_report(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("service").get(pk=report.pk)


@transaction.atomic
def report_text_approve(*, report: Report, actor: User, note: str = "") -> Report:
    """Publishes a report's description that waited for moderation."""
    ensure_perm(actor, "reports.moderate_content", report)
    note = _reason(note, required=False)
    report = _locked_report(report)
    if report.description_review != Review.PENDING:
        raise ValidationError({"description": [_("Esta descripción ya fue moderada.")]})
    report.description_review = Review.APPROVED
    report.save(update_fields=["description_review"])
    _record(report=report, field=TEXT, before=Review.PENDING, after="approved", actor=actor, note=note, data={})
    return report


@transaction.atomic
def report_text_reject(*, report: Report, actor: User, reason: str) -> Report:
    """Keeps a report's description from the public for good (operators still read it)."""
    ensure_perm(actor, "reports.moderate_content", report)
    reason = _reason(reason, required=True)
    report = _locked_report(report)
    if report.description_review != Review.PENDING:
        raise ValidationError({"description": [_("Esta descripción ya fue moderada.")]})
    report.description_review = Review.REJECTED
    report.save(update_fields=["description_review"])
    _record(report=report, field=TEXT, before=Review.PENDING, after="rejected", actor=actor, note=reason, data={})
    return report


@transaction.atomic
def report_text_edit(*, report: Report, actor: User, text: str, note: str = "") -> Report:
    """Replaces a report's description (to take out a name, a phone number, an insult) and publishes it. The text
    before the edit is kept only in the audit trail, which operators see."""
    ensure_perm(actor, "reports.moderate_content", report)
    note = _reason(note, required=False)
    text = (text or "").strip()
    if len(text) > DESCRIPTION_MAX:
        raise ValidationError({"text": [too_long(DESCRIPTION_MAX, len(text))]})
    report = _locked_report(report)
    before_text = report.description
    before_review = report.description_review
    if before_review == Review.REJECTED:
        raise ValidationError({"description": [_("Esta descripción fue rechazada: no se publica.")]})
    report.description = text
    report.description_review = Review.APPROVED
    report.updated_datetime = timezone.now()
    report.save(update_fields=["description", "description_review", "updated_datetime"])
    _record(
        report=report,
        field=TEXT,
        before=before_review,
        after="edited",
        actor=actor,
        note=note,
        data={"before": before_text, "after": text},
    )
    return report


@transaction.atomic
def report_feedback_comment_decide(*, report: Report, actor: User, approve: bool, note: str = "") -> ReportFeedback:
    """Publishes, or keeps from the public for good, what a citizen wrote when they said their report's problem
    was not solved (the «¿Quedó resuelto?» answer that reopened it). Operators read it either way."""
    ensure_perm(actor, "reports.moderate_content", report)
    note = _reason(note, required=not approve)
    report = _locked_report(report)
    feedback = ReportFeedback.objects.select_for_update().filter(report=report).first()
    if feedback is None or feedback.comment_review != Review.PENDING:
        raise ValidationError({"feedback": [_("Este comentario ya fue moderado.")]})
    feedback.comment_review = Review.APPROVED if approve else Review.REJECTED
    feedback.save(update_fields=["comment_review"])
    after = "approved" if approve else "rejected"
    _record(report=report, field=FEEDBACK, before=Review.PENDING, after=after, actor=actor, note=note, data={})
    return feedback
