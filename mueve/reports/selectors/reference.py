"""Reference data (kept in memory a few seconds for the Open311 intake), the h3 lookup of what is near a point,
and the public Open311 reads. Public selectors never load the reporter's contact fields."""

import math
import time
from datetime import datetime

import h3
from django.db.models import Max, Prefetch, QuerySet

from mueve.core.geo import DEFAULT_H3_RESOLUTION, h3_cell
from mueve.reports.models import (
    Report,
    RoutingRule,
    Service,
    ServiceAttribute,
)
from mueve.territory.models import Jurisdiction

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


# Reference data every Open311 POST needs (jurisdiction, service with its questions) is kept in memory for a few
# seconds: a report then costs no query for it. This process forgets at once when a service changes (services call
# forget_reference_data); other processes see a change within the TTL. (The API key is mueve.api.keys'.)
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
    # being committed (it may be the old row).
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


# Pictograms (inline SVG, reports/_icon.html) are decoration: every button also says the category's name in words.
