"""Reads of the reports app. Public selectors never load the reporter's contact fields."""

import math
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import h3
from django.conf import settings
from django.db.models import Max, Prefetch, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from mueve.accounts.models import User
from mueve.core.geo import DEFAULT_H3_RESOLUTION, h3_cell, haversine_m
from mueve.reports.models import (
    Adoption,
    ApiKey,
    Asset,
    Incident,
    Report,
    ReportFeedback,
    ReportPhoto,
    ReportStatusChange,
    Review,
    RewardPoint,
    RoutingRule,
    Service,
    ServiceAttribute,
)
from mueve.territory.models import Area, Jurisdiction

# Cells' edges vary around the average across the globe (±25% is conservative for H3): the lookup uses the
# longest edge for how far a point may sit from its cell's centre and the shortest for how far each ring reaches.
_EDGE_AVG_M = h3.average_hexagon_edge_length(DEFAULT_H3_RESOLUTION, unit="m")
_EDGE_MAX_M = _EDGE_AVG_M * 1.25
_EDGE_MIN_M = _EDGE_AVG_M * 0.75


def cells_within(lat: float, lon: float, radius_m: float) -> list[str]:
    """Every h3 cell (at core.geo's resolution) holding a point within `radius_m` of (lat, lon): a grid_disk
    around the point's cell. Ring k's centres are at least k·1.5·edge from the centre cell's centre, and the
    point and the target may each sit up to one edge from their cells' centres, hence
    k = ceil((r + 2·edge_max) / (1.5·edge_min)): 4 rings (61 cells) for 250 m."""
    rings = max(1, math.ceil((radius_m + 2 * _EDGE_MAX_M) / (1.5 * _EDGE_MIN_M)))
    return list(h3.grid_disk(h3_cell(lat, lon), rings))


PRIVATE_REPORT_FIELDS = ("first_name", "last_name", "email", "phone", "device_id", "account_id", "idempotency_key")


# Reference data every Open311 POST needs (jurisdiction, API key, service with its questions) is kept in memory
# for a few seconds: a report then costs no query for it. This process forgets at once when a service changes
# (services call forget_reference_data); other processes see a change or a new key within the TTL, a revoked key
# within API_KEY_TTL_SECONDS.
REFERENCE_TTL_SECONDS = 10.0
_reference: dict[tuple, tuple[float, object]] = {}


_generation = [0]  # bumped by every forget: a load that overlapped one is not kept


def _remembered(key: tuple, load, ttl: float = REFERENCE_TTL_SECONDS):
    now = time.monotonic()
    hit = _reference.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    generation = _generation[0]
    value = load()
    # A miss is not kept (a service created a moment later works at once), nor a value read while a change was
    # being committed (it may be the old row: a revoked key would live on).
    if value is not None and generation == _generation[0]:
        if len(_reference) > 10_000:
            _reference.clear()
        _reference[key] = (now + ttl, value)
    return value


def forget_reference_data() -> None:
    _generation[0] += 1
    _reference.clear()


def active_routing_rules(jurisdiction_id: int) -> list[RoutingRule]:
    """A jurisdiction's active routing rules with their agencies and the agencies they also notify (reference
    data: shared for seconds, read them, never change them)."""
    return _remembered(
        ("rules", jurisdiction_id),
        lambda: list(
            RoutingRule.objects.filter(jurisdiction_id=jurisdiction_id, active=True)
            .select_related("agency")
            .prefetch_related("also_notify")
        ),
    )


def open311_jurisdiction(slug: str | None) -> Jurisdiction | None:
    """The jurisdiction an Open311 call addresses: the given slug, or by default the first
    metropolitan area (then any jurisdiction) that offers active services. None when there is none."""
    return _remembered(("jurisdiction", slug or ""), lambda: _open311_jurisdiction(slug))


def _open311_jurisdiction(slug: str | None) -> Jurisdiction | None:
    served = Jurisdiction.objects.filter(services__active=True).distinct()
    if slug:
        return served.filter(slug=slug).first()
    return (
        served.filter(kind=Jurisdiction.Kind.METROPOLITAN_AREA).order_by("name").first()
        or served.order_by("name").first()
    )


def catalogue_changed_at() -> datetime | None:
    """When the service catalogue last changed (Open311 discovery's `changeset`)."""
    return Service.objects.aggregate(latest=Max("updated_at"))["latest"]


def service_list(*, jurisdiction: Jurisdiction) -> QuerySet[Service]:
    return Service.objects.filter(jurisdiction=jurisdiction, active=True).order_by("order", "name")


def service_definition(*, jurisdiction: Jurisdiction, code: str) -> Service | None:
    attributes = ServiceAttribute.objects.order_by("order", "code").prefetch_related("values")
    return (
        Service.objects.filter(jurisdiction=jurisdiction, code=code, active=True)
        .select_related("jurisdiction")
        .prefetch_related(Prefetch("attributes", queryset=attributes))
        .first()
    )


def service_for_submission(*, jurisdiction: Jurisdiction, code: str) -> Service | None:
    """The service a report is sent to (inactive ones included, so the service can say why it refuses).
    Shared by the requests of the next seconds: read it, never change it."""
    return _remembered(("service", jurisdiction.pk, code), lambda: _service_for_submission(jurisdiction, code))


def _service_for_submission(jurisdiction: Jurisdiction, code: str) -> Service | None:
    attributes = ServiceAttribute.objects.prefetch_related("values")
    return (
        Service.objects.filter(jurisdiction=jurisdiction, code=code)
        .select_related("jurisdiction")
        .prefetch_related(Prefetch("attributes", queryset=attributes))
        .first()
    )


# A revoked key must stop working in every process within a second: keys are remembered for less than that.
API_KEY_TTL_SECONDS = 0.5


def api_key_for(*, key: str) -> ApiKey | None:
    """The approved key matching `key`, or None (unknown, still requested, revoked, or the demo's outside demo
    mode)."""
    if not key or (key.startswith(ApiKey.DEMO_PREFIX) and not settings.MUEVE_DEMO):
        return None
    hashed = ApiKey.hash_key(key)
    return _remembered(("api_key", hashed), lambda: _approved_key(hashed), ttl=API_KEY_TTL_SECONDS)


def _approved_key(hashed: str) -> ApiKey | None:
    return ApiKey.objects.filter(key_hash=hashed, status=ApiKey.Status.APPROVED).first()


def _public_reports(jurisdiction: Jurisdiction) -> QuerySet[Report]:
    return (
        Report.objects.filter(jurisdiction=jurisdiction)
        # Suspected spam waits for a moderator before anyone outside sees its text or photos.
        .exclude(moderation__in=[Report.Moderation.REJECTED, Report.Moderation.SUSPECTED])
        .select_related("service", "agency_responsible")
        .defer(*PRIVATE_REPORT_FIELDS)
    )


def report_public_search(
    *,
    jurisdiction: Jurisdiction,
    public_ids: list[str] | None = None,
    service_codes: list[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    statuses: list[str] | None = None,
) -> QuerySet[Report]:
    """Reports as Open311 `GET requests` lists them, newest first. Given ids override every other filter."""
    reports = _public_reports(jurisdiction)
    if public_ids:
        return reports.filter(public_id__in=public_ids).order_by("-requested_datetime", "-id")
    if service_codes:
        reports = reports.filter(service__code__in=service_codes)
    if start is not None:
        reports = reports.filter(requested_datetime__gte=start)
    if end is not None:
        reports = reports.filter(requested_datetime__lte=end)
    if statuses:
        reports = reports.filter(status__in=statuses)
    return reports.order_by("-requested_datetime", "-id")


def report_public_detail(*, jurisdiction: Jurisdiction, public_id: str) -> Report | None:
    return _public_reports(jurisdiction).filter(public_id=public_id).first()


def report_by_token(*, jurisdiction: Jurisdiction, token: str) -> Report | None:
    return _public_reports(jurisdiction).filter(token=token).first()


# --- Incidents -----------------------------------------------------------------------------------------------


def incidents_nearby(
    *, service: Service, lat: float, lon: float, radius_m: float = 250, now: datetime | None = None
) -> list[Incident]:
    """Active incidents of `service` whose centroid is within `radius_m` (each with `.distance_m`), nearest first.
    With `now`, only those whose last report is within the service's fusion window of it. Uses the fusion index
    over an h3 grid_disk, not a scan."""
    incidents = Incident.objects.filter(
        service=service, status__in=Incident.ACTIVE_STATUSES, h3_cell__in=cells_within(lat, lon, radius_m)
    ).select_related("service", "agency")
    if now is not None:
        incidents = incidents.filter(last_report_at__gte=now - timedelta(minutes=service.fusion_window_minutes))
    found = []
    for incident in incidents:
        incident.distance_m = haversine_m(lat, lon, incident.lat, incident.lon)
        if incident.distance_m <= radius_m:
            found.append(incident)
    return sorted(found, key=lambda i: (i.distance_m, -i.pk))


def incident_public_dict(incident: Incident) -> dict:
    """An incident as public feeds and events show it: JSON-safe, never any reporter's data."""

    def iso(moment):
        return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None

    service = incident.service
    return {
        "id": incident.pk,
        "jurisdiction_id": incident.jurisdiction_id,
        "service_code": service.code,
        "service_name": service.name,
        "group": service.group,
        "alert_category": service.alert_category,
        "alert_subcategory": service.alert_subcategory,
        "lat": round(incident.lat, 6),
        "lon": round(incident.lon, 6),
        "h3_cell": incident.h3_cell,
        "severity": incident.severity,
        "status": incident.status,
        "status_label": str(incident.get_status_display()),
        "resolution": incident.resolution,
        "report_count": incident.report_count,
        "confidence": round(incident.confidence, 4),
        "priority": incident.priority,
        "agency": incident.agency.name if incident.agency_id else "",
        "agency_slug": incident.agency.slug if incident.agency_id else "",
        "area": incident.area.name if incident.area_id else "",
        "address_string": incident.address_string,
        "opened_at": iso(incident.opened_at),
        "last_report_at": iso(incident.last_report_at),
        "acknowledged_at": iso(incident.acknowledged_at),
        "closed_at": iso(incident.closed_at),
        "duplicate_of": incident.duplicate_of_id,
    }


def incident_detail(*, pk: int) -> Incident | None:
    return (
        Incident.objects.select_related("service", "agency", "area", "jurisdiction", "duplicate_of")
        .filter(pk=pk)
        .first()
    )


@dataclass
class TimelineEntry:
    at: datetime
    label: str
    note: str


def report_public_timeline(report: Report) -> list[TimelineEntry]:
    """The public status history of a report, in Spanish, oldest first (for the tracking page)."""
    entries = []
    for change in ReportStatusChange.objects.filter(report=report, public=True).order_by("changed_at", "id"):
        if change.field == "incident":
            label = Incident.Status(change.to_value).label if change.to_value in Incident.Status.values else ""
        elif change.to_value == Report.Status.OPEN:
            label = _("Recibido")
        else:
            label = _("Cerrado")
        entries.append(TimelineEntry(at=change.changed_at, label=str(label), note=change.notes))
    return entries


def report_feedback(report: Report) -> ReportFeedback | None:
    """The reporter's answer to «¿Quedó resuelto?», if any."""
    return ReportFeedback.objects.filter(report=report).first()


def feedback_public_comment(feedback: ReportFeedback) -> str:
    """The comment as the public may read it: once approved, else a placeholder (as a report's description)."""
    if not feedback.comment:
        return ""
    if feedback.comment_review == Review.APPROVED:
        return feedback.comment
    if feedback.comment_review == Review.PENDING:
        return str(_("Comentario en revisión: se publica cuando un operador lo apruebe."))
    return str(_("Comentario no publicado por moderación."))


def feedback_answers_by_report(report_ids: list[int]) -> dict[int, dict[str, str]]:
    """For operators: {report id: {"question", "answer"}} of the reports' «¿Quedó resuelto?», comment included."""
    question = _("¿Quedó resuelto? (respuesta de quien reportó)")
    answers = {}
    for row in ReportFeedback.objects.filter(report_id__in=report_ids):
        parts = [_("Sí") if row.fixed else _("No"), row.comment]
        answers[row.report_id] = {"question": question, "answer": ": ".join(part for part in parts if part)}
    return answers


# --- Assets, adoption, rewards ---------------------------------------------------------------------------------


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


# --- Photos and text before publication -------------------------------------------------------------------------

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


def api_key_list() -> QuerySet[ApiKey]:
    return ApiKey.objects.select_related("approved_by").order_by("status", "-created_at")


# Pictograms (inline SVG, reports/_icon.html) are decoration: every button also says the category's name in words.
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
