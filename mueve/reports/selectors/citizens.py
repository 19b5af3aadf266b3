"""What a citizen reads: the assets near them, their adoptions and points (Cuido mi Barrio), their tracking
pages, the icons of the services, and the repair an adopter may confirm."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mueve.accounts.models import User
from mueve.core.geo import haversine_m
from mueve.reports.models import (
    Adoption,
    Asset,
    Incident,
    Report,
    RewardPoint,
)
from mueve.reports.selectors.incidents import report_public_timeline
from mueve.reports.selectors.reference import PRIVATE_REPORT_FIELDS, cells_within
from mueve.territory.models import Area, Jurisdiction


def assets_nearby(*, lat: float, lon: float, radius_m: float = 300, kind: str | None = None) -> list[Asset]:
    assets = Asset.objects.filter(active=True, h3_cell__in=cells_within(lat, lon, radius_m)).select_related("service")
    if kind:
        assets = assets.filter(kind=kind)
    found = []
    for asset in assets:
        asset.distance_m = haversine_m(lat, lon, asset.lat, asset.lon)
        if asset.distance_m <= radius_m:
            found.append(asset)
    return sorted(found, key=lambda a: a.distance_m)


def adoptions_for(*, user: User) -> QuerySet[Adoption]:
    """The assets a citizen adopted ("mis adopciones"), with their active incidents counted."""
    return Adoption.objects.filter(user=user).select_related("asset", "asset__service").order_by("asset__name")


def user_points(*, user: User) -> int:
    return RewardPoint.objects.filter(user=user).aggregate(total=Sum("points"))["total"] or 0


@dataclass
class RankingRow:
    position: int
    user_id: int
    display_name: str
    points: int


def public_name(user: User) -> str:
    """A citizen's name as rankings show it: first name and initial, never the email or the username."""
    first = (user.first_name or "").strip()
    last = (user.last_name or "").strip()
    if first:
        return f"{first} {last[:1]}." if last else first
    return _("Vecino/a %(n)s") % {"n": user.pk}


def neighbourhood_ranking(*, area: Area, limit: int = 20) -> list[RankingRow]:
    """Citizens of a neighbourhood (the area their confirmed reports fell in) by points."""
    rows = (
        RewardPoint.objects.filter(area=area)
        .values("user_id")
        .annotate(total=Sum("points"))
        .order_by("-total", "user_id")[:limit]
    )
    users = User.objects.in_bulk([row["user_id"] for row in rows])
    return [
        RankingRow(
            position=i, user_id=row["user_id"], display_name=public_name(users[row["user_id"]]), points=row["total"]
        )
        for i, row in enumerate(rows, start=1)
    ]


def ranking_areas(*, jurisdiction: Jurisdiction | None = None) -> QuerySet[Area]:
    """Areas where someone earned points (to choose a neighbourhood's ranking)."""
    areas = Area.objects.filter(pk__in=RewardPoint.objects.values("area_id"))
    return areas.filter(jurisdiction=jurisdiction) if jurisdiction is not None else areas


# --- the citizen's pages -------------------------------------------------------------------------------------


def tracking_token_for(code: str) -> str | None:
    """The tracking token of the report a citizen typed: its public number (any case) or its token."""
    report = (
        Report.objects.filter(public_id=code.upper()).only("token").first()
        or Report.objects.filter(token=code).only("token").first()
    )
    return report.token if report is not None else None


def reports_of(user, *, limit: int = 20) -> list[Report]:
    """A signed-in citizen's latest reports, for the landing page."""
    return list(
        Report.objects.filter(reporter=user)
        .select_related("service", "incident")
        .only("public_id", "token", "status", "requested_datetime", "service__name", "incident__status")[:limit]
    )


def report_for_tracking(token: str) -> Report | None:
    """The report behind a tracking page, without its reporter's personal data."""
    return (
        Report.objects.select_related("service", "incident", "agency_responsible")
        .defer(*PRIVATE_REPORT_FIELDS)
        .filter(token=token)
        .first()
    )


ICONS = {
    "accidente-transito": "crash",
    "congestion": "car",
    "semaforo-falla": "signal",
    "obstruccion-via": "barrier",
    "anegamiento": "flood",
    "luminaria-apagada": "bulb",
    "paradero-vandalizado": "bus_stop",
    "senal-danada": "warning",
    "bache": "pothole",
}
CATEGORY_ICONS = {"traffic": "car", "naturalDisaster": "flood", "weather": "flood"}


def service_icon(*, code: str, alert_category: str = "") -> str:
    """The pictogram of a category (a name of reports/_icon.html): its own, else its CAP category's, else a pin."""
    return ICONS.get(code) or CATEGORY_ICONS.get(alert_category, "pin")


def report_tracking_state(token: str) -> dict | None:
    """What a report's tracking page shows that can change (status, reports of the same problem, the agency, the
    public history), as the page's live stream sends it: built from public fields only, never the raw event (which
    names operators) nor the reporter's data. None when no report has this token."""
    report = report_for_tracking(token)
    if report is None:
        return None
    incident = report.incident
    if incident is not None:
        status, label = incident.status, str(incident.get_status_display())
        agency = incident.agency.name if incident.agency_id else ""
        count = incident.report_count
    else:
        status, label = report.status, str(report.get_status_display())
        agency = report.agency_responsible.name if report.agency_responsible_id else ""
        count = 0
    return {
        "public_id": report.public_id,
        "incident_id": report.incident_id,
        "status": status,
        "status_label": label,
        "agency": agency,
        "count_text": ngettext("%(count)s reporte", "%(count)s reportes", count) % {"count": count} if count else "",
        "history": [
            {
                "at": timezone.localtime(change.at).isoformat(timespec="seconds"),
                "at_text": date_format(timezone.localtime(change.at), r"j \d\e F, H:i"),
                "label": change.label,
                "note": change.note,
            }
            for change in report_public_timeline(report)
        ],
    }


REPAIR_CONFIRM_WINDOW = timedelta(days=30)


def repair_to_confirm(*, asset) -> Incident | None:
    """The latest incident on the asset resolved within REPAIR_CONFIRM_WINDOW and not yet confirmed by an adopter:
    what `services.asset_confirm_repair` confirms, and what the adopter's pages offer to confirm."""
    return (
        Incident.objects.filter(
            reports__asset=asset,
            status=Incident.Status.RESOLVED,
            closed_at__gte=timezone.now() - REPAIR_CONFIRM_WINDOW,
        )
        .exclude(changes__action="repair_confirmed")
        .order_by("-closed_at")
        .first()
    )
