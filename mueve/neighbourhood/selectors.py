"""Reads of Cuida tu Luz and Cuido mi Barrio: assets to adopt, one's adoptions and badges, the public ranking per
area and month, the municipality's overview of adopted and orphan assets and time to repair."""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mueve.accounts.models import User
from mueve.accounts.scopes import jurisdiction_filter, scope_of
from mueve.members.models import MemberSettings
from mueve.neighbourhood.models import Reward, RewardGrant
from mueve.reports.models import Adoption, Asset, Incident, Report, RewardPoint
from mueve.reports.selectors import public_name, repair_to_confirm
from mueve.territory.models import Area, Jurisdiction
from mueve.territory.selectors import areas_containing_points, jurisdiction_list

PAGE_SIZE = 25


def assets(*, q: str = "", kind: str = "") -> QuerySet[Asset]:
    """Active lights and stops, with how many people adopted each; `q` searches the name or the code."""
    found = Asset.objects.filter(active=True).annotate(adopters=Count("adoptions"))
    if q:
        found = found.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if kind in Asset.Kind.values:
        found = found.filter(kind=kind)
    return found.order_by("kind", "name", "pk")


def asset_get(*, pk: int) -> Asset | None:
    return Asset.objects.filter(pk=pk, active=True).annotate(adopters=Count("adoptions")).first()


def assets_for_map(*, user: User | None = None) -> list[dict]:
    """Every active asset as a point, adopted or orphan (and whether it is the visitor's). No adopter's identity."""
    mine = set()
    if user is not None and user.is_authenticated:
        mine = set(Adoption.objects.filter(user=user).values_list("asset_id", flat=True))
    rows = Asset.objects.filter(active=True).annotate(adopters=Count("adoptions")).order_by("pk")
    return [
        {
            "id": a.pk,
            "kind": a.kind,
            "kind_label": str(Asset.Kind(a.kind).label),
            "name": a.name,
            "lat": a.lat,
            "lon": a.lon,
            "adopted": a.adopters > 0,
            "mine": a.pk in mine,
        }
        for a in rows
    ]


def adoption_of(*, user: User, asset: Asset) -> Adoption | None:
    if user is None or not user.is_authenticated:
        return None
    return Adoption.objects.filter(user=user, asset=asset).select_related("given_name").first()


def asset_reports(*, asset: Asset, limit: int = 10) -> list[Report]:
    """The latest reports on the asset, public fields only (service, date, state)."""
    return list(
        Report.objects.filter(asset=asset, moderation=Report.Moderation.ACCEPTED)
        .select_related("service", "incident")
        .only("public_id", "token", "requested_datetime", "status", "service__name", "incident__status")
        .order_by("-requested_datetime")[:limit]
    )


@dataclass
class MyAdoption:
    adoption: Adoption
    given_name: str
    open_reports: int
    repair: Incident | None


def my_adoptions(*, user: User) -> list[MyAdoption]:
    adoptions = list(
        Adoption.objects.filter(user=user).select_related("asset", "given_name").order_by("-created_at", "-pk")
    )
    open_counts = dict(
        Report.objects.filter(asset__in=[a.asset_id for a in adoptions], incident__status__in=Incident.ACTIVE_STATUSES)
        .values("asset_id")
        .annotate(n=Count("pk"))
        .values_list("asset_id", "n")
    )
    result = []
    for adoption in adoptions:
        named = getattr(adoption, "given_name", None)
        result.append(
            MyAdoption(
                adoption=adoption,
                given_name=named.name if named else "",
                open_reports=open_counts.get(adoption.asset_id, 0),
                repair=repair_to_confirm(asset=adoption.asset),
            )
        )
    return result


# --- Cuido mi Barrio: points and badges -------------------------------------------------------------------------


def points_of(*, user: User) -> int:
    return RewardPoint.objects.filter(user=user).aggregate(total=Sum("points"))["total"] or 0


GUARDIAN_DAYS = 30


@dataclass(frozen=True)
class Badge:
    key: str
    label: str
    description: str
    earned_on: date | None  # None: not earned yet


def badges_for(*, user: User) -> list[Badge]:
    """The badges, each earned or not, from what the person did (nothing stored that could disagree with it)."""
    confirmed = list(
        RewardPoint.objects.filter(user=user, reason=RewardPoint.Reason.CONFIRMED)
        .order_by("created_at", "pk")
        .values_list("created_at", flat=True)[:5]
    )
    repair = (
        RewardPoint.objects.filter(user=user, reason=RewardPoint.Reason.REPAIR_CONFIRMED)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    guardian_since = (
        Adoption.objects.filter(user=user, asset__kind=Asset.Kind.STREET_LIGHT)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    guardian_on = None
    if guardian_since is not None and guardian_since + timedelta(days=GUARDIAN_DAYS) <= timezone.now():
        guardian_on = timezone.localdate(guardian_since + timedelta(days=GUARDIAN_DAYS))

    def day(moment: datetime | None) -> date | None:
        return timezone.localdate(moment) if moment else None

    return [
        Badge(
            "first-confirmed",
            str(_("Primer reporte confirmado")),
            str(_("Un operador confirmó un problema que usted reportó.")),
            day(confirmed[0] if confirmed else None),
        ),
        Badge(
            "five-confirmed",
            str(_("Cinco reportes confirmados")),
            str(_("Cinco problemas distintos que usted reportó fueron confirmados.")),
            day(confirmed[4] if len(confirmed) >= 5 else None),
        ),
        Badge(
            "repair-confirmed",
            str(_("Reparación verificada")),
            str(_("Confirmó que se reparó la luz o el paradero que cuida.")),
            day(repair),
        ),
        Badge(
            "guardian-30",
            str(_("Guardián/a de una luz")),
            str(_("Cuida una luminaria desde hace al menos 30 días.")),
            guardian_on,
        ),
    ]


# --- the public ranking ------------------------------------------------------------------------------------------


def parse_month(value: str) -> date | None:
    """'2026-12' → the first day of that month; None when it is not a month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        return None


def month_bounds(month: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(month.replace(day=1), time.min, tzinfo=tz)
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start, datetime.combine(following, time.min, tzinfo=tz)


@dataclass
class RankingRow:
    position: int
    display_name: str
    points: int
    is_me: bool = False


def ranking(*, area: Area, month: date, limit: int = 20, viewer: User | None = None) -> list[RankingRow]:
    """Neighbours of `area` by the points they earned in `month`. Whoever opted out of public rankings is left
    out (their points still count for them); names are the person's chosen alias, or first name and initial, never
    the full name."""
    start, end = month_bounds(month)
    rows = list(
        RewardPoint.objects.filter(area=area, created_at__gte=start, created_at__lt=end)
        .exclude(user__member_settings__public_ranking_opt_out=True)
        .values("user_id")
        .annotate(total=Sum("points"))
        .order_by("-total", "user_id")[:limit]
    )
    users = User.objects.in_bulk([row["user_id"] for row in rows])
    aliases = dict(
        MemberSettings.objects.filter(user_id__in=list(users))
        .exclude(public_alias="")
        .values_list("user_id", "public_alias")
    )
    viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
    return [
        RankingRow(
            position=i,
            display_name=aliases.get(row["user_id"]) or public_name(users[row["user_id"]]),
            points=row["total"],
            is_me=row["user_id"] == viewer_id,
        )
        for i, row in enumerate(rows, start=1)
    ]


def ranking_areas() -> QuerySet[Area]:
    return Area.objects.filter(pk__in=RewardPoint.objects.values("area_id")).order_by("name")


def ranking_months(*, area: Area | None = None) -> list[date]:
    points = RewardPoint.objects.all() if area is None else RewardPoint.objects.filter(area=area)
    months = {timezone.localdate(moment).replace(day=1) for moment in points.values_list("created_at", flat=True)}
    months.add(timezone.localdate().replace(day=1))
    return sorted(months, reverse=True)


# --- the municipality's overview ---------------------------------------------------------------------------------


@dataclass
class AreaRow:
    area: str
    assets: int
    adopted: int
    orphan: int
    repairs: int
    median_hours: float | None


@dataclass
class AdoptionOverview:
    by_kind: list[tuple[str, int, int]]  # (kind label, adopted, orphan)
    areas: list[AreaRow]
    orphans: list[Asset]


def overview_jurisdictions(allowed: frozenset[int] | None) -> list[Jurisdiction]:
    """The jurisdictions whose overview a person may open: `allowed` (accounts.scopes.jurisdiction_filter), or every
    one (None)."""
    found = jurisdiction_list()
    return list(found if allowed is None else found.filter(pk__in=allowed))


def adoption_overview(*, jurisdictions: frozenset[int] | None = None, orphan_limit: int = 50) -> AdoptionOverview:
    """Adopted and orphan assets per kind and per area, and the median time from report to repair per area (the
    incidents on an asset that closed as fixed), in `jurisdictions` (None: every one)."""
    adopted_q = Exists(Adoption.objects.filter(asset=OuterRef("pk")))
    found = Asset.objects.filter(active=True)
    if jurisdictions is not None:
        found = found.filter(jurisdiction_id__in=jurisdictions)
    rows = list(found.annotate(is_adopted=adopted_q).order_by("kind", "name"))
    by_kind = []
    for kind in Asset.Kind:
        of_kind = [a for a in rows if a.kind == kind]
        adopted = sum(1 for a in of_kind if a.is_adopted)
        by_kind.append((str(kind.label), adopted, len(of_kind) - adopted))
    containing = areas_containing_points([(a.lat, a.lon) for a in rows])
    per_area: dict[str, list[int]] = {}
    for asset, areas in zip(rows, containing, strict=True):
        smallest = min(areas, key=lambda a: (a.max_lat - a.min_lat) * (a.max_lon - a.min_lon)) if areas else None
        counts = per_area.setdefault(smallest.name if smallest else str(_("Sin área")), [0, 0])
        counts[0] += 1
        counts[1] += 1 if asset.is_adopted else 0
    durations: dict[str, list[float]] = {}
    incidents = Incident.objects.all()
    if jurisdictions is not None:
        incidents = incidents.filter(jurisdiction_id__in=jurisdictions)
    repaired = (
        incidents.filter(
            status=Incident.Status.RESOLVED, resolution=Incident.Resolution.FIXED, reports__asset__isnull=False
        )
        .distinct()
        .select_related("area")
        .only("opened_at", "closed_at", "area__name")
    )
    for incident in repaired:
        if incident.closed_at is None:
            continue
        name = incident.area.name if incident.area else str(_("Sin área"))
        hours = (incident.closed_at - incident.opened_at).total_seconds() / 3600
        durations.setdefault(name, []).append(hours)
    areas = [
        AreaRow(
            area=name,
            assets=per_area.get(name, [0, 0])[0],
            adopted=per_area.get(name, [0, 0])[1],
            orphan=per_area.get(name, [0, 0])[0] - per_area.get(name, [0, 0])[1],
            repairs=len(durations.get(name, [])),
            median_hours=round(statistics.median(durations[name]), 1) if durations.get(name) else None,
        )
        for name in sorted(set(per_area) | set(durations))
    ]
    orphans = [a for a in rows if not a.is_adopted][:orphan_limit]
    return AdoptionOverview(by_kind=by_kind, areas=areas, orphans=orphans)


# --- Cuido mi Barrio: the municipality's rewards ---------------------------------------------------------------


def rewards(*, user: User | None = None, active_only: bool = False) -> QuerySet[Reward]:
    """The rewards `user` manages (accounts.scopes: their jurisdictions' only; the national level's every one, the
    national ones too); every reward when no user is given. With how many times each was granted."""
    found = Reward.objects.select_related("jurisdiction").annotate(granted=Count("grants"))
    if user is not None:
        allowed = jurisdiction_filter(user)
        if allowed is not None:
            found = found.filter(jurisdiction_id__in=allowed)
    return found.filter(active=True) if active_only else found


def reward_get(*, user: User, pk: int) -> Reward | None:
    """One reward `user` manages; None for another jurisdiction's (or a national one, for scoped staff)."""
    return rewards(user=user).filter(pk=pk).first()


def reward_jurisdictions(*, user: User) -> QuerySet[Jurisdiction]:
    """Where `user` may offer a reward."""
    allowed = jurisdiction_filter(user)
    found = jurisdiction_list()
    return found if allowed is None else found.filter(pk__in=allowed)


def reward_grants(*, user: User | None = None, limit: int = 100) -> QuerySet[RewardGrant]:
    """Who received the rewards `user` manages (every grant when no user is given), latest first."""
    found = RewardGrant.objects.select_related("reward", "reward__jurisdiction", "user", "granted_by")
    if user is not None:
        allowed = jurisdiction_filter(user)
        if allowed is not None:
            found = found.filter(reward__jurisdiction_id__in=allowed)
    return found[:limit]


def participation_jurisdictions(*, user: User | None) -> frozenset[int]:
    """The jurisdictions where a person takes part: where they reported, adopted a light or stop, received a reward,
    or hold a scoped role. Empty for a visitor and for someone who has not taken part anywhere yet."""
    if user is None or not user.is_authenticated:
        return frozenset()
    reported = Report.objects.filter(reporter=user).values_list("jurisdiction_id", flat=True).distinct()
    adopted = Adoption.objects.filter(user=user).values_list("asset__jurisdiction_id", flat=True).distinct()
    granted = RewardGrant.objects.filter(user=user).values_list("reward__jurisdiction_id", flat=True).distinct()
    found = {*reported, *adopted, *granted}
    scope = scope_of(user)
    if not scope.platform:
        found |= scope.jurisdiction_ids
    found.discard(None)
    return frozenset(found)


def rewards_offered_to(*, user: User | None) -> QuerySet[Reward]:
    """The active rewards a person may aim for: the national ones and those of the jurisdictions where they take
    part. Someone who takes part nowhere yet (a visitor too) sees every jurisdiction's offer, each with its place."""
    found = Reward.objects.filter(active=True).select_related("jurisdiction")
    where = participation_jurisdictions(user=user)
    if where:
        found = found.filter(Q(jurisdiction__isnull=True) | Q(jurisdiction_id__in=where))
    return found.order_by("jurisdiction__name", "name")


def grants_of(*, user: User) -> QuerySet[RewardGrant]:
    return RewardGrant.objects.filter(user=user).select_related("reward")
