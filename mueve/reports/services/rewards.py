"""What a citizen gets back for reporting (Cuido mi Barrio): points once an operator confirms the problem, and
notifications about their reports and adopted assets."""

from django.db import transaction
from django.utils import timezone

from mueve.accounts.models import User
from mueve.reports.models import Incident, Notification, Report, RewardPoint

POINTS_CONFIRMED = 10
POINTS_REPAIR_CONFIRMED = 5


def award_points(incident: Incident) -> int:
    """Points for each citizen with an account whose accepted report is in the incident; once per report."""
    rows = Report.objects.filter(
        incident=incident, reporter__isnull=False, moderation=Report.Moderation.ACCEPTED
    ).values_list("pk", "reporter_id")
    awards = [
        RewardPoint(
            user_id=user_id,
            report_id=report_id,
            points=POINTS_CONFIRMED,
            reason=RewardPoint.Reason.CONFIRMED,
            area_id=incident.area_id,
        )
        for report_id, user_id in rows
    ]
    before = RewardPoint.objects.filter(report__incident=incident, reason=RewardPoint.Reason.CONFIRMED).count()
    RewardPoint.objects.bulk_create(awards, ignore_conflicts=True)
    return RewardPoint.objects.filter(report__incident=incident, reason=RewardPoint.Reason.CONFIRMED).count() - before


def notify_reporters(incident: Incident, message: str) -> None:
    """Each citizen with an account who reported into the incident reads `message` among their notifications."""
    users = set(Report.objects.filter(incident=incident, reporter__isnull=False).values_list("reporter_id", flat=True))
    Notification.objects.bulk_create(
        [
            Notification(user_id=user_id, kind=Notification.Kind.REPORT_STATUS, incident=incident, message=message)
            for user_id in users
        ]
    )


@transaction.atomic
def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
