"""The device registry: the owner organization provisions a device and gets its secret once, and revokes it."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.sensors import broker, events
from mueve.sensors.models import Device

SECRET_PREFIX = "dev_"


def _refresh_broker_after_commit() -> None:
    transaction.on_commit(broker.refresh)


@transaction.atomic
def device_provision(
    *, actor, uid: str, name: str, kind: str, owner, jurisdiction, lat: float, lon: float, asset=None
) -> tuple[Device, str]:
    """Registers a device and returns it with its secret (shown once: only hashes are kept)."""
    ensure_perm(actor, "sensors.manage_devices", owner)
    errors: dict[str, list[str]] = {}
    uid = slugify(uid or "")[:64]
    if not uid:
        errors["uid"] = [_("Indique un identificador (letras, números y guiones).")]
    elif Device.objects.filter(uid=uid).exists():
        errors["uid"] = [_("Ya existe un dispositivo con ese identificador.")]
    if kind not in Device.Kind.values:
        errors["kind"] = [_("Tipo de dispositivo desconocido.")]
    if errors:
        raise ValidationError(errors)
    secret = SECRET_PREFIX + secrets.token_urlsafe(24)
    device = Device(
        uid=uid,
        name=(name or "").strip() or uid,
        kind=kind,
        owner=owner,
        jurisdiction=jurisdiction,
        lat=lat,
        lon=lon,
        asset=asset,
        key_hash=Device.hash_key(secret),
        key_prefix=secret[:10],
        broker_hash=broker.broker_hash(secret),
    )
    device.full_clean()
    device.save()
    publish(events.DEVICE_CHANGED, events.device_payload(device))
    _refresh_broker_after_commit()
    return device, secret


@transaction.atomic
def device_revoke(*, actor, device: Device, reason: str = "") -> Device:
    ensure_perm(actor, "sensors.manage_devices", device.owner)
    device.status = Device.Status.REVOKED
    device.status_reason = (reason or _("Revocado por su organización."))[:200]
    device.save(update_fields=["status", "status_reason", "updated_at"])
    publish(events.DEVICE_CHANGED, events.device_payload(device))
    _refresh_broker_after_commit()
    return device


@transaction.atomic
def device_quarantine(*, device: Device, reason: str) -> Device:
    """The platform itself stops taking a device's data (a flood), and tells its owner's people."""
    updated = Device.objects.filter(pk=device.pk, status=Device.Status.ACTIVE).update(
        status=Device.Status.QUARANTINED, status_reason=reason[:200], updated_at=timezone.now()
    )
    if updated:
        device.status = Device.Status.QUARANTINED
        device.status_reason = reason[:200]
        publish(events.DEVICE_QUARANTINED, events.device_payload(device))
        _refresh_broker_after_commit()
    return device


@transaction.atomic
def device_reinstate(*, actor, device: Device) -> Device:
    ensure_perm(actor, "sensors.manage_devices", device.owner)
    if device.status == Device.Status.REVOKED:
        raise ValidationError({"status": [_("Un dispositivo revocado no vuelve: dé de alta uno nuevo.")]})
    device.status = Device.Status.ACTIVE
    device.status_reason = ""
    device.save(update_fields=["status", "status_reason", "updated_at"])
    publish(events.DEVICE_CHANGED, events.device_payload(device))
    _refresh_broker_after_commit()
    return device


def device_for_key(key: str) -> Device | None:
    """The active device whose secret this is (HTTP ingest)."""
    if not key or not key.startswith(SECRET_PREFIX):
        return None
    return Device.objects.select_related("jurisdiction").filter(key_hash=Device.hash_key(key)).first()
