"""Asset adoption (Cuida tu Luz, Refugio Inteligente): the street lights and bus stops a citizen adopts, reports
matched to the asset nearby, the adopters told of them, and an adopter confirming a repair."""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.events import publish
from mueve.core.geo import h3_cell, haversine_m
from mueve.core.permissions import ensure_perm
from mueve.reports import events
from mueve.reports.models import Adoption, Asset, Incident, Report, RewardPoint, Service
from mueve.reports.selectors import cells_within, repair_to_confirm
from mueve.reports.services.history import log_change
from mueve.reports.services.rewards import POINTS_REPAIR_CONFIRMED
from mueve.reports.services.validation import check_location
from mueve.territory.models import Jurisdiction

ASSET_RADIUS_M = 30


ASSET_SERVICES_CACHE_KEY = "mueve:reports:asset-services"
ASSET_SERVICES_TTL = 30  # seconds: a new asset's first reports may miss it that long on other processes


def _services_with_assets() -> set[int]:
    found = cache.get(ASSET_SERVICES_CACHE_KEY)
    if found is None:
        found = set(Asset.objects.filter(active=True, service__isnull=False).values_list("service_id", flat=True))
        cache.set(ASSET_SERVICES_CACHE_KEY, found, ASSET_SERVICES_TTL)
    return found


def asset_near(service: Service, lat: float, lon: float) -> Asset | None:
    """The nearest active asset of the report's service within 30 m (h3 ring lookup, not a scan)."""
    if service.pk not in _services_with_assets():
        return None  # most services have no assets: no query per report
    cells = cells_within(lat, lon, ASSET_RADIUS_M)
    best = None
    for asset in Asset.objects.filter(service=service, active=True, h3_cell__in=cells):
        distance = haversine_m(lat, lon, asset.lat, asset.lon)
        if distance <= ASSET_RADIUS_M and (best is None or distance < best[0]):
            best = (distance, asset)
    return best[1] if best else None


@transaction.atomic
def asset_upsert(
    *,
    jurisdiction: Jurisdiction,
    kind: str,
    code: str,
    name: str,
    lat: float,
    lon: float,
    service: Service | None = None,
    active: bool = True,
    actor: User | None = None,
) -> Asset:
    if actor is not None:
        ensure_perm(actor, "reports.manage_services", jurisdiction)
    errors: dict[str, list[str]] = {}
    check_location(lat, lon, "", "", errors, jurisdiction_id=jurisdiction.pk)
    if service is not None and service.jurisdiction_id != jurisdiction.pk:
        errors.setdefault("service", []).append(_("El servicio es de otra jurisdicción."))
    if errors:
        raise ValidationError(errors)
    asset = Asset.objects.filter(jurisdiction=jurisdiction, code=code).first() or Asset(
        jurisdiction=jurisdiction, code=code
    )
    asset.kind, asset.name, asset.lat, asset.lon = kind, (name or "").strip(), lat, lon
    asset.h3_cell = h3_cell(lat, lon)
    asset.service, asset.active = service, active
    asset.full_clean()
    asset.save()
    # Now (this process) and after commit (in case a concurrent reader cached the old set meanwhile).
    cache.delete(ASSET_SERVICES_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(ASSET_SERVICES_CACHE_KEY))
    return asset


@transaction.atomic
def asset_adopt(*, asset: Asset, user: User) -> Adoption:
    """A signed-in citizen adopts an asset (again: nothing changes)."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    if not asset.active:
        raise ValidationError({"asset": [_("Este activo ya no se puede adoptar.")]})
    adoption, created = Adoption.objects.get_or_create(asset=asset, user=user)
    if created:
        publish(events.ASSET_ADOPTED, events.adoption_payload(asset, user))
    return adoption


@transaction.atomic
def asset_unadopt(*, asset: Asset, user: User) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    deleted, _rows = Adoption.objects.filter(asset=asset, user=user).delete()
    if deleted:
        publish(events.ASSET_UNADOPTED, events.adoption_payload(asset, user))


@transaction.atomic
def asset_confirm_repair(*, asset: Asset, user: User, note: str = "") -> Incident:
    """An adopter confirms that the latest incident resolved on their asset is really fixed (logged on the
    incident; the adopter earns a few points, once). The other adopters hear of it from the event."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    if not Adoption.objects.filter(asset=asset, user=user).exists():
        raise PermissionDenied
    incident = repair_to_confirm(asset=asset)
    if incident is None:
        raise ValidationError({"asset": [_("No hay una reparación reciente por confirmar en este activo.")]})
    log_change(incident, "repair_confirmed", incident.status, incident.status, note, user, {"asset": asset.code})
    report = Report.objects.filter(incident=incident, asset=asset).order_by("-requested_datetime").first()
    # Confirming the repair of a problem one reported oneself is a self-confirmation: logged, but no points.
    own_report = Report.objects.filter(incident=incident, reporter=user).exists()
    RewardPoint.objects.bulk_create(
        []
        if own_report
        else [
            RewardPoint(
                user=user,
                report=report,
                points=POINTS_REPAIR_CONFIRMED,
                reason=RewardPoint.Reason.REPAIR_CONFIRMED,
                area_id=incident.area_id,
            )
        ],
        ignore_conflicts=True,
    )
    # The adopter is a citizen: the operators' stream gets the fact, not who they are.
    publish(events.INCIDENT_UPDATED, events.incident_payload(incident, "repair_confirmed", None))
    return incident
