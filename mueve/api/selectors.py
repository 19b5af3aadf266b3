"""Reads of the developer portal. A person sees only their own applications and keys (someone else's is a 404);
managers see every key to review."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from mueve.accounts.models import User
from mueve.api import usage
from mueve.api.models import ApiKey, Application, KeyUsage


def applications_of(*, user: User) -> QuerySet[Application]:
    keys = ApiKey.objects.order_by("-created_at", "-pk")
    return (
        Application.objects.filter(owner=user)
        .select_related("organization")
        .prefetch_related(Prefetch("keys", queryset=keys))
        .order_by("name", "pk")
    )


def keys_of(*, user: User) -> QuerySet[ApiKey]:
    """Every key of the person's applications (their own data download lists them, never the key itself)."""
    return ApiKey.objects.filter(application__owner=user).select_related("application").order_by("created_at", "pk")


def own_key(*, user: User, pk: int) -> ApiKey | None:
    """One of the person's keys; None for anyone else's (the view answers 404, telling nothing of it)."""
    return ApiKey.objects.select_related("application").filter(pk=pk, application__owner=user).first()


def keys_for_review() -> QuerySet[ApiKey]:
    """Every key, those waiting first, for the managers' page."""
    return ApiKey.objects.select_related("application", "application__owner", "application__organization").order_by(
        "status", "-created_at", "-pk"
    )


@dataclass(frozen=True)
class UsageHour:
    hour: datetime
    counts: dict[str, int]
    total: int


@dataclass(frozen=True)
class KeyUsageSummary:
    hours: list[UsageHour]
    totals: dict[str, int]
    total: int


def key_usage(*, api_key: ApiKey, hours: int = 48) -> KeyUsageSummary:
    """Requests per hour and surface over the last `hours`, oldest first, after moving the counts still in the
    cache into the database (so the page shows every request made so far)."""
    usage.flush(api_key)
    end = timezone.now().replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(hours=hours - 1)
    rows = KeyUsage.objects.filter(api_key=api_key, hour__gte=start).values_list("hour", "surface", "count")
    by_hour: dict[datetime, dict[str, int]] = {}
    for hour, surface, count in rows:
        by_hour.setdefault(hour, {})[surface] = count
    surfaces = list(KeyUsage.Surface.values)
    series = []
    for index in range(hours):
        hour = start + timedelta(hours=index)
        counts = {surface: by_hour.get(hour, {}).get(surface, 0) for surface in surfaces}
        series.append(UsageHour(hour=hour, counts=counts, total=sum(counts.values())))
    totals = dict(
        KeyUsage.objects.filter(api_key=api_key)
        .values_list("surface")
        .annotate(total=Sum("count"))
        .values_list("surface", "total")
    )
    totals = {surface: totals.get(surface, 0) for surface in surfaces}
    return KeyUsageSummary(hours=series, totals=totals, total=sum(totals.values()))
