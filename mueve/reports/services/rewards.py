"""What a citizen gets back for reporting (Cuido mi Barrio): points once an operator confirms the problem. (The
notices about their reports and adopted assets are the notifications app's.)"""

from mueve.accounts.models import User
from mueve.reports.models import Incident, Report, RewardPoint

POINTS_CONFIRMED = 10
POINTS_REPAIR_CONFIRMED = 5


def award_points(incident: Incident, *, actor: User | None = None) -> int:
    """Points for each citizen with an account whose accepted report is in the incident an operator confirmed.

    Nothing to farm: one award per person and incident (a second report of the same problem, or one merged in
    from a duplicate, earns nothing more), none to the operator confirming their own report, none for a rejected
    incident, and awarding again for the same event gives nothing (one row per report and reason)."""
    # The stored status, not the caller's copy: a rejected incident never pays, however it is handed in.
    if Incident.objects.filter(pk=incident.pk, status=Incident.Status.REJECTED).exists():
        return 0
    already = set(
        RewardPoint.objects.filter(report__incident=incident, reason=RewardPoint.Reason.CONFIRMED).values_list(
            "user_id", flat=True
        )
    )
    rows = (
        Report.objects.filter(incident=incident, reporter__isnull=False, moderation=Report.Moderation.ACCEPTED)
        .order_by("requested_datetime", "pk")
        .values_list("pk", "reporter_id")
    )
    awards: dict[int, RewardPoint] = {}
    for report_id, user_id in rows:
        if user_id in already or user_id in awards or (actor is not None and user_id == actor.pk):
            continue
        awards[user_id] = RewardPoint(
            user_id=user_id,
            report_id=report_id,
            points=POINTS_CONFIRMED,
            reason=RewardPoint.Reason.CONFIRMED,
            area_id=incident.area_id,
        )
    before = RewardPoint.objects.filter(report__incident=incident, reason=RewardPoint.Reason.CONFIRMED).count()
    RewardPoint.objects.bulk_create(list(awards.values()), ignore_conflicts=True)
    return RewardPoint.objects.filter(report__incident=incident, reason=RewardPoint.Reason.CONFIRMED).count() - before


def settle_points(incident: Incident) -> int:
    """After a rejection or a merge: a rejected incident keeps no points, and whoever now holds two awards for
    the same incident (their duplicates were merged into it) keeps the first. Returns how many were taken back."""
    confirmed = RewardPoint.objects.filter(report__incident=incident, reason=RewardPoint.Reason.CONFIRMED)
    if Incident.objects.filter(pk=incident.pk, status=Incident.Status.REJECTED).exists():
        removed, _rows = confirmed.delete()
        return removed
    seen: set[int] = set()
    extra = []
    for pk, user_id in confirmed.order_by("created_at", "pk").values_list("pk", "user_id"):
        if user_id in seen:
            extra.append(pk)
        seen.add(user_id)
    removed, _rows = RewardPoint.objects.filter(pk__in=extra).delete()
    return removed
