"""Photos and texts before publication: what the public may see, and the operators' moderation queue."""

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _lazy

from mueve.reports.models import (
    Report,
    ReportPhoto,
    ReportStatusChange,
    Review,
)
from mueve.reports.selectors.reference import PRIVATE_REPORT_FIELDS

# What the public reads in place of a description that waits for, or failed, moderation.
TEXT_PLACEHOLDERS = {
    Review.PENDING: _lazy("Descripción en revisión"),
    Review.REJECTED: _lazy("Descripción no publicada por moderación"),
}


def report_photo_by_token(token: str) -> ReportPhoto | None:
    return ReportPhoto.objects.select_related("report").filter(token=token).first()


def photo_url(photo: ReportPhoto) -> str:
    """The address of a photo (path only). The photo view decides who may fetch it and how it may be cached."""
    return reverse("reports:photo", args=[photo.token])


def photo_is_public(photo: ReportPhoto) -> bool:
    """Approved by an operator, and of a report the public may see (not rejected nor suspected spam)."""
    return photo.review == Review.APPROVED and photo.report.moderation == Report.Moderation.ACCEPTED


def report_public_photos(report: Report) -> list[ReportPhoto]:
    """The photos of `report` anyone may see (uses a `photos` prefetch when there is one)."""
    if report.moderation != Report.Moderation.ACCEPTED:
        return []
    return [photo for photo in report.photos.all() if photo.review == Review.APPROVED]


def report_pending_photo_count(report: Report) -> int:
    return sum(1 for photo in report.photos.all() if photo.review == Review.PENDING)


def report_photo_urls(report: Report) -> list[str]:
    """For operators (the control centre): the addresses of every photo of `report` not rejected, approved or still
    waiting, oldest first. Waiting ones are served only to operators, never cached."""
    return [photo_url(photo) for photo in report.photos.all() if photo.review != Review.REJECTED]


def report_photo_urls_by_report(report_ids: list[int]) -> dict[int, list[str]]:
    """`report_photo_urls` for many reports in one query (an incident's reports): {report id: [addresses]}."""
    urls: dict[int, list[str]] = {pk: [] for pk in report_ids}
    photos = (
        ReportPhoto.objects.filter(report_id__in=report_ids)
        .exclude(review=Review.REJECTED)
        .order_by("created_at", "id")
        .values_list("report_id", "token")
    )
    for report_id, token in photos:
        urls[report_id].append(reverse("reports:photo", args=[token]))
    return urls


def report_public_description(report: Report) -> str:
    """The description as the public may read it: the text once approved (or when the service does not moderate
    text), else a placeholder in Spanish; empty stays empty."""
    if not report.description:
        return ""
    placeholder = TEXT_PLACEHOLDERS.get(report.description_review)
    return str(placeholder) if placeholder is not None else report.description


def _waiting_for_moderation() -> Q:
    return (
        Q(description_review=Review.PENDING)
        | Q(photos__review=Review.PENDING)
        | Q(feedback__comment_review=Review.PENDING)
    )


def _within(reports: QuerySet, jurisdictions: frozenset[int] | None, field: str = "jurisdiction_id") -> QuerySet:
    """`reports` in `jurisdictions` (accounts.scopes.jurisdiction_filter of whoever reads; None: every one)."""
    return reports if jurisdictions is None else reports.filter(**{f"{field}__in": jurisdictions})


def moderation_queue(*, limit: int = 50, jurisdictions: frozenset[int] | None = None) -> list[Report]:
    """Reports whose text, a photo, or the comment of a «no, no quedó resuelto» waits for an operator, oldest
    first, with their waiting photos and the feedback (of `jurisdictions` only, for a scoped operator)."""
    waiting = _waiting_for_moderation()
    ids = (
        _within(Report.objects.filter(waiting), jurisdictions)
        .order_by("requested_datetime", "id")
        .values_list("id", flat=True)
        .distinct()[:limit]
    )
    return list(
        Report.objects.filter(pk__in=list(ids))
        .select_related("service", "jurisdiction", "feedback")
        .defer(*PRIVATE_REPORT_FIELDS)
        .prefetch_related(
            Prefetch("photos", queryset=ReportPhoto.objects.filter(review=Review.PENDING), to_attr="waiting_photos")
        )
        .order_by("requested_datetime", "id")
    )


def report_for_moderation(public_id: str) -> Report | None:
    return Report.objects.select_related("service").defer(*PRIVATE_REPORT_FIELDS).filter(public_id=public_id).first()


def moderation_queue_count(*, jurisdictions: frozenset[int] | None = None) -> int:
    waiting = _within(Report.objects.filter(_waiting_for_moderation()), jurisdictions)
    return waiting.values("id").distinct().count()


def moderation_decisions(
    *, limit: int = 30, jurisdictions: frozenset[int] | None = None
) -> QuerySet[ReportStatusChange]:
    """The latest decisions on reports' texts and photos, newest first: who, when, what, why, and an edited text's
    before and after (for operators only; of `jurisdictions` only, for a scoped operator)."""
    decisions = _within(ReportStatusChange.objects.all(), jurisdictions, "report__jurisdiction_id")
    return (
        decisions.filter(field__in=["description", "photo", "feedback_comment"])
        .select_related("report", "changed_by")
        .only(
            "field",
            "from_value",
            "to_value",
            "notes",
            "changed_at",
            "data",
            "report__public_id",
            "changed_by__username",
        )
        .order_by("-changed_at", "-id")[:limit]
    )
