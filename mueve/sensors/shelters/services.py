"""Writes of Refugio Inteligente: shelters and their modules, the sensors mounted on them, the modules' condition,
and the hits that impact and glass-break sensors report.

`shelters_on_stored` is registered with the ingest's `on_stored` hooks (SensorsConfig.ready): after a batch
commits it looks, for the impact and glass-break metrics just stored from a mounted sensor, at readings over the
threshold that left no ShelterHit yet (a repeated reading is stored once, so it is seen once). Each becomes a
hit on its module, which turns damaged. The first hit while no vandalism incident of the shelter is active submits
a report through the reports' intake (source «sensor», the module named in its text, the shelter's adoptable bus
stop as its asset), so it fuses with what citizens report there, and the incident is assigned to the shelter's
maintainer; later hits while that incident is active are added to it as evidence, never as new incidents.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mueve.core.permissions import ensure_perm
from mueve.sensors.models import Device, Reading
from mueve.sensors.shelters.models import ModuleConditionChange, ModuleSensor, Shelter, ShelterHit, ShelterModule

log = logging.getLogger(__name__)
HIT_METRICS = ("impact", "glassBreak")
Condition = ShelterModule.Condition


def impact_threshold() -> float:
    """m/s² from which an impact counts as a hit (a kick or a thrown stone, not a bus passing by)."""
    return float(getattr(settings, "MUEVE_SHELTER_IMPACT_MS2", 30.0))


def _threshold(metric: str) -> float:
    return impact_threshold() if metric == "impact" else 1.0  # glassBreak: 1 is a break


# --- shelters and modules (the demo and the admin) -------------------------------------------------------------------


@transaction.atomic
def shelter_upsert(
    *,
    jurisdiction,
    code: str,
    name: str,
    lat: float,
    lon: float,
    maintainer,
    service,
    smart_since: date,
    feed=None,
    stop_id: str = "",
    asset=None,
) -> Shelter:
    """Creates or updates the shelter `code` of the jurisdiction."""
    errors: dict[str, list[str]] = {}
    if service.jurisdiction_id != jurisdiction.pk:
        errors["service"] = [_("El servicio es de otra jurisdicción.")]
    if asset is not None and asset.jurisdiction_id != jurisdiction.pk:
        errors["asset"] = [_("El paradero es de otra jurisdicción.")]
    if feed is not None and stop_id and not feed.stops.filter(stop_id=stop_id).exists():
        errors["stop_id"] = [_("Esa parada no está en el feed.")]
    if errors:
        raise ValidationError(errors)
    shelter = Shelter.objects.filter(jurisdiction=jurisdiction, code=slugify(code)).first() or Shelter(
        jurisdiction=jurisdiction, code=slugify(code)
    )
    shelter.name, shelter.lat, shelter.lon = name, lat, lon
    shelter.maintainer, shelter.service, shelter.smart_since = maintainer, service, smart_since
    shelter.feed, shelter.stop_id, shelter.asset = feed, stop_id, asset
    shelter.full_clean()
    shelter.save()
    return shelter


@transaction.atomic
def module_upsert(*, shelter: Shelter, code: str, kind: str, name: str) -> ShelterModule:
    module = ShelterModule.objects.filter(shelter=shelter, code=slugify(code)).first() or ShelterModule(
        shelter=shelter, code=slugify(code)
    )
    module.kind, module.name = kind, name
    module.full_clean()
    module.save()
    return module


@transaction.atomic
def module_mount(*, module: ShelterModule, device: Device) -> ModuleSensor:
    """Mounts `device` on `module` (moving it from another module if it was on one)."""
    if device.jurisdiction_id != module.shelter.jurisdiction_id:
        raise ValidationError({"device": [_("El dispositivo es de otra jurisdicción.")]})
    mount, _created = ModuleSensor.objects.update_or_create(device=device, defaults={"module": module})
    return mount


def _change(module: ShelterModule, to: str, *, at, note: str, hit=None, actor=None) -> ModuleConditionChange | None:
    if module.condition == to:
        return None
    change = ModuleConditionChange.objects.create(
        module=module, from_condition=module.condition, to_condition=to, at=at, note=note[:300], hit=hit, actor=actor
    )
    module.condition, module.condition_since = to, at
    module.save(update_fields=["condition", "condition_since", "updated_at"])
    return change


@transaction.atomic
def module_set_condition(*, module: ShelterModule, condition: str, actor, note: str = "") -> ShelterModule:
    """The maintainer records a module's condition (repaired, damaged, out of service)."""
    ensure_perm(actor, "sensors.manage_shelters", module.shelter)
    if condition not in Condition.values:
        raise ValidationError({"condition": [_("Estado desconocido.")]})
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationError({"note": [_("El motivo admite hasta 300 caracteres.")]})
    module = ShelterModule.objects.select_for_update().get(pk=module.pk)
    _change(module, condition, at=timezone.now(), note=note, actor=actor)
    return module


# --- hits ------------------------------------------------------------------------------------------------------------


def _hit_text(hit: ShelterHit) -> str:
    if hit.metric == "glassBreak":
        what = _("rotura de vidrio")
    else:
        what = _("impacto de %(v)s m/s²") % {"v": f"{hit.value:g}"}
    return _("%(what)s en el módulo «%(module)s»") % {"what": what, "module": hit.module.name}


def _active_incident(shelter: Shelter):
    from mueve.reports.models import Incident

    hit = (
        ShelterHit.objects.filter(shelter=shelter, incident__status__in=Incident.ACTIVE_STATUSES)
        .select_related("incident")
        .order_by("-time", "-id")
        .first()
    )
    return hit.incident if hit is not None else None


def _report(hit: ShelterHit):
    """Submits the hit as a report through the reports' intake; the incident it opened or joined."""
    from mueve.reports.models import Report
    from mueve.reports.services import report_submit
    from mueve.reports.services.routing import assign

    shelter = hit.shelter
    asset = shelter.asset if shelter.asset_id and shelter.asset.active else None
    report = report_submit(
        service=shelter.service,
        lat=shelter.lat,
        lon=shelter.lon,
        asset=asset,
        description=_("Vandalismo en el refugio %(shelter)s: %(what)s, según su sensor.")
        % {"shelter": shelter.name, "what": _hit_text(hit)},
        device_id=f"mueve-sensor:{hit.device.uid}",
        source=Report.Source.SENSOR,
        idempotency_key=f"shelter-hit:{hit.pk}",
        requested_at=hit.time,
    )
    report.refresh_from_db(fields=["incident"])
    incident = report.incident
    if incident is not None and incident.agency_id != shelter.maintainer_id and incident.is_active:
        assign(
            incident,
            agency=shelter.maintainer,
            rule=None,
            reason=_("Mantenedor del refugio %(shelter)s") % {"shelter": shelter.name},
            actor=None,
        )
    return incident


def shelter_hit_record(*, module: ShelterModule, device: Device, reading: Reading) -> ShelterHit | None:
    """One hit on `module` from `reading`: the module damaged, and the shelter's vandalism incident opened (the
    first hit) or given this one as evidence. None when the reading was recorded already."""
    with transaction.atomic():
        shelter = (
            Shelter.objects.select_for_update(of=("self",))
            .select_related("service", "maintainer", "asset")
            .get(pk=module.shelter_id)
        )
        try:
            with transaction.atomic():
                hit = ShelterHit.objects.create(
                    shelter=shelter,
                    module=module,
                    device=device,
                    metric=reading.metric,
                    value=reading.value,
                    unit=reading.unit,
                    time=reading.time,
                )
        except IntegrityError:
            return None
        hit.shelter, hit.module, hit.device = shelter, module, device
        module = ShelterModule.objects.select_for_update().get(pk=module.pk)
        hit.module = module
        if module.condition == Condition.OK:
            _change(module, Condition.DAMAGED, at=reading.time, note=_hit_text(hit), hit=hit)
        incident = _active_incident(shelter)
        if incident is None:
            incident = _report(hit)
            hit.opened_incident = incident is not None
        hit.incident = incident
        hit.save(update_fields=["incident", "opened_incident"])
    return hit


def shelters_on_stored(pairs: set[tuple[int, str]]) -> int:
    """The ingest hook: hits among the impact and glass-break readings just stored from mounted sensors; returns
    how many hits were recorded."""
    wanted = {(d, m) for d, m in pairs if m in HIT_METRICS}
    if not wanted:
        return 0
    mounts = {
        m.device_id: m
        for m in ModuleSensor.objects.select_related("module", "device").filter(device_id__in={d for d, _m in wanted})
    }
    since = timezone.now() - timedelta(hours=getattr(settings, "MUEVE_SENSORS_LATE_HOURS", 24 * 7) + 1)
    recorded = 0
    for device_id, metric in sorted(wanted):
        mount = mounts.get(device_id)
        if mount is None:
            continue
        new = (
            Reading.objects.filter(device_id=device_id, metric=metric, value__gte=_threshold(metric), time__gte=since)
            .filter(
                ~Exists(
                    ShelterHit.objects.filter(device_id=device_id, metric=metric, time=OuterRef("time")).values("pk")
                )
            )
            .order_by("time")
        )
        for reading in new:
            try:
                recorded += shelter_hit_record(module=mount.module, device=mount.device, reading=reading) is not None
            except Exception:
                # The reading is stored: a failing report is logged, and the next batch of the device retries it.
                log.exception("shelters: hit from device %s (%s) could not be recorded", device_id, metric)
    return recorded
