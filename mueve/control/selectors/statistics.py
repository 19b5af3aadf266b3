"""The control centre's statistics: counts and times to acknowledge and resolve, per period."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count
from django.db.models.functions import TruncHour
from django.utils.translation import gettext as _

from mueve.control.selectors.operators import Jurisdictions, _within
from mueve.reports.models import Incident, Report


def _percentile(sorted_values: list[float], fraction: float) -> float | None:
    if not sorted_values:
        return None
    index = max(0, math.ceil(fraction * len(sorted_values)) - 1)
    return sorted_values[index]


@dataclass
class Statistics:
    since: datetime
    until: datetime
    reports_per_hour: list[tuple[datetime, int]]
    by_category: list[tuple[str, int]]
    by_municipality: list[tuple[str, int]]
    by_agency: list[tuple[str, int]]
    acknowledge_minutes: dict  # {"median", "p90", "count"}
    resolve_minutes: dict
    total_reports: int
    total_incidents: int


def statistics(*, since: datetime, until: datetime, jurisdictions: Jurisdictions = None) -> Statistics:
    reports = _within(Report.objects.all(), jurisdictions)
    reports = reports.filter(requested_datetime__gte=since, requested_datetime__lt=until).exclude(
        moderation=Report.Moderation.REJECTED
    )
    hours: dict[datetime, int] = {}
    start = since.replace(minute=0, second=0, microsecond=0)
    hour_count = min(int((until - start).total_seconds() // 3600) + 1, 24 * 31)
    for index in range(hour_count):
        hours[start + timedelta(hours=index)] = 0
    per_hour = (
        reports.annotate(hour=TruncHour("requested_datetime", tzinfo=since.tzinfo))
        .values("hour")
        .annotate(n=Count("id"))
        .values_list("hour", "n")
    )
    for hour, count in per_hour:
        if hour in hours:
            hours[hour] += count
    by_category = [
        (row["service__name"], row["n"])
        for row in reports.values("service__name").annotate(n=Count("id")).order_by("-n", "service__name")
    ]
    incidents = _within(Incident.objects.filter(opened_at__gte=since, opened_at__lt=until), jurisdictions)
    by_municipality = [
        (row["incident__area__name"] or _("Sin comuna"), row["n"])
        for row in reports.values("incident__area__name").annotate(n=Count("id")).order_by("-n")
    ]
    by_agency = [
        (row["agency__name"] or _("Sin asignar"), row["n"])
        for row in incidents.values("agency__name").annotate(n=Count("id")).order_by("-n", "agency__name")
    ]
    ack = sorted(
        (a - o).total_seconds() / 60
        for o, a in incidents.filter(acknowledged_at__isnull=False).values_list("opened_at", "acknowledged_at")
    )
    resolved = sorted(
        (c - o).total_seconds() / 60
        for o, c in incidents.filter(status=Incident.Status.RESOLVED, closed_at__isnull=False).values_list(
            "opened_at", "closed_at"
        )
    )
    return Statistics(
        since=since,
        until=until,
        reports_per_hour=list(hours.items()),
        by_category=by_category,
        by_municipality=by_municipality,
        by_agency=by_agency,
        acknowledge_minutes={
            "median": _percentile(ack, 0.5),
            "p90": _percentile(ack, 0.9),
            "count": len(ack),
        },
        resolve_minutes={
            "median": _percentile(resolved, 0.5),
            "p90": _percentile(resolved, 0.9),
            "count": len(resolved),
        },
        total_reports=sum(hours.values()),
        total_incidents=incidents.count(),
    )
