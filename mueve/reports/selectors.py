"""Reads of the reports app. Public selectors never load the reporter's contact fields."""

from datetime import datetime

from django.db.models import Max, Prefetch, QuerySet

from mueve.reports.models import ApiKey, Report, Service, ServiceAttribute
from mueve.territory.models import Jurisdiction

PRIVATE_REPORT_FIELDS = ("first_name", "last_name", "email", "phone", "device_id", "account_id", "idempotency_key")


def open311_jurisdiction(slug: str | None) -> Jurisdiction | None:
    """The jurisdiction an Open311 call addresses: the given slug, or by default the first
    metropolitan area (then any jurisdiction) that offers active services. None when there is none."""
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
    """The service a report is sent to (inactive ones included, so the service can say why it refuses)."""
    attributes = ServiceAttribute.objects.prefetch_related("values")
    return (
        Service.objects.filter(jurisdiction=jurisdiction, code=code)
        .select_related("jurisdiction")
        .prefetch_related(Prefetch("attributes", queryset=attributes))
        .first()
    )


def api_key_for(*, key: str) -> ApiKey | None:
    """The approved key matching `key`, or None (unknown, still requested, or revoked)."""
    if not key:
        return None
    return ApiKey.objects.filter(key_hash=ApiKey.hash_key(key), status=ApiKey.Status.APPROVED).first()


def _public_reports(jurisdiction: Jurisdiction) -> QuerySet[Report]:
    return (
        Report.objects.filter(jurisdiction=jurisdiction)
        .exclude(moderation=Report.Moderation.REJECTED)
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
