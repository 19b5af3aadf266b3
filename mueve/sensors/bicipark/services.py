"""i-BiciPark writes: check a bicycle in and unlock it, raise a theft alarm from the slot's weight, keep the
camera's snapshots, and close an alarm.

The theft check runs as an `on_stored` hook of sensor ingest (mueve.sensors.services.ingest): right after the
batch that stored a slot's weight reading commits, in the same process, so the alarm (Web Push to the owner, the
event on the security desk's stream) leaves within the same request as the reading.

A theft: the slot holds a checked-in bicycle that its owner has not unlocked, and its newest weight reading (taken
after the check-in) is at least MUEVE_BICIPARK_DROP_KG below the heaviest reading since shortly before the check-in
(the bicycle may be set down just before or after the QR is scanned).
"""

import io
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.notifications import kinds
from mueve.notifications.services import notify, preference_set
from mueve.sensors.bicipark import events
from mueve.sensors.bicipark.models import Parking, Rack, Slot, Snapshot, TheftAlarm
from mueve.sensors.models import Device, Reading

log = logging.getLogger(__name__)
WEIGHT = "weight"
# Readings this long before the check-in count as the bicycle's weight (set down, then the QR scanned).
BEFORE_CHECK_IN = timedelta(minutes=5)
CHECK_ATTEMPTS = 8


def _setting(name: str, default):
    return getattr(settings, name, default)


def drop_kg() -> float:
    return float(_setting("MUEVE_BICIPARK_DROP_KG", 5.0))


def snapshot_window() -> timedelta:
    """How far from the weight drop a camera picture still counts as the picture of the trigger."""
    return timedelta(seconds=_setting("MUEVE_BICIPARK_SNAPSHOT_WINDOW_SECONDS", 30))


def snapshot_max_bytes() -> int:
    return int(_setting("MUEVE_BICIPARK_SNAPSHOT_MAX_BYTES", 2 * 1024 * 1024))


# --- the cyclist --------------------------------------------------------------------------------------------------


@transaction.atomic
def slot_check_in(*, cyclist: User, slot: Slot, push: bool = False) -> Parking:
    """The cyclist leaves a bicycle in a free slot (scanning its QR). With `push`, the alarm also goes to their
    phones by Web Push (their yes to that channel for this kind of notice)."""
    if cyclist is None or not cyclist.is_authenticated or not cyclist.is_active:
        raise PermissionDenied
    if slot.device.status != Device.Status.ACTIVE:
        raise ValidationError({"slot": [_("Este puesto está fuera de servicio: use otro.")]})
    if Parking.objects.filter(slot=slot, unlocked_at__isnull=True).exists():
        raise ValidationError({"slot": [_("Este puesto ya está ocupado: use otro.")]})
    try:
        with transaction.atomic():
            parking = Parking.objects.create(slot=slot, cyclist=cyclist, checked_in_at=timezone.now())
    except IntegrityError as exc:  # someone checked in at the same moment
        raise ValidationError({"slot": [_("Este puesto ya está ocupado: use otro.")]}) from exc
    if push:
        preference_set(user=cyclist, kind=kinds.BIKE_THEFT, channel=kinds.PUSH, enabled=True)
    return parking


@transaction.atomic
def slot_unlock(*, cyclist: User, slot: Slot) -> Parking:
    """The owner takes the bicycle away: only the account that checked it in may."""
    parking = Parking.objects.select_for_update().filter(slot=slot, unlocked_at__isnull=True).first()
    if parking is None:
        raise ValidationError({"slot": [_("No hay una bicicleta estacionada en este puesto.")]})
    ensure_perm(cyclist, "bicipark.unlock", parking)
    parking.unlocked_at = timezone.now()
    parking.save(update_fields=["unlocked_at"])
    return parking


# --- the theft check (ingest's on_stored hook) ---------------------------------------------------------------------


def theft_check(pairs: set[tuple[int, str]]) -> list[TheftAlarm]:
    """Called after each committed ingest batch with its (device id, metric) pairs: raises the alarms they show.

    The readings are already committed when this runs, so a failure here would lose the alarm for good (ingest
    only logs a failing hook): a database that is busy (SQLite's single writer under heavy ingest) is waited out
    and the check tried again, a few times."""
    device_ids = {device_id for device_id, metric in pairs if metric == WEIGHT}
    if not device_ids:
        return []
    for attempt in range(CHECK_ATTEMPTS):
        try:
            return _theft_check(device_ids)
        except OperationalError:
            if attempt == CHECK_ATTEMPTS - 1:
                raise
            log.warning("bicipark: database busy during the theft check; trying again", exc_info=True)
            time.sleep(0.05 * (attempt + 1))
    return []


def _theft_check(device_ids: set[int]) -> list[TheftAlarm]:
    parkings = Parking.objects.filter(unlocked_at__isnull=True, slot__device_id__in=device_ids).select_related(
        "slot__rack", "slot__device", "cyclist"
    )
    raised = []
    for parking in parkings:
        latest = (
            Reading.objects.filter(device_id=parking.slot.device_id, metric=WEIGHT, time__gte=parking.checked_in_at)
            .order_by("-time")
            .first()
        )
        if latest is None:
            continue
        before = Reading.objects.filter(
            device_id=parking.slot.device_id,
            metric=WEIGHT,
            time__gte=parking.checked_in_at - BEFORE_CHECK_IN,
            time__lt=latest.time,
        ).aggregate(top=Max("value"))["top"]
        if before is None or before - latest.value < drop_kg():
            continue
        alarm = alarm_raise(parking=parking, triggered_at=latest.time, before=before, after=latest.value)
        if alarm is not None:
            raised.append(alarm)
    return raised


def _nearest_snapshot(rack: Rack, moment) -> Snapshot | None:
    window = snapshot_window()
    candidates = Snapshot.objects.filter(rack=rack, taken_at__gte=moment - window, taken_at__lte=moment + window)
    return min(candidates.only("id", "taken_at"), key=lambda s: abs(s.taken_at - moment), default=None)


def alarm_raise(*, parking: Parking, triggered_at, before: float, after: float) -> TheftAlarm | None:
    """Opens the alarm (one open alarm per bicycle: a second drop while it is open adds nothing), tells the owner
    (in-app, and Web Push if they said yes to it), and puts it on the security desk's stream. None when open."""
    rack = parking.slot.rack
    try:
        with transaction.atomic():
            alarm = TheftAlarm.objects.create(
                parking=parking,
                slot=parking.slot,
                rack=rack,
                triggered_at=triggered_at,
                weight_before=before,
                weight_after=after,
                snapshot=_nearest_snapshot(rack, triggered_at),
            )
            local = timezone.localtime(triggered_at)
            notify(
                user=parking.cyclist,
                kind=kinds.BIKE_THEFT,
                context={
                    "title": _("¡Alerta! Alguien retira su bicicleta"),
                    "body": _(
                        "El puesto %(slot)s de %(rack)s perdió el peso de su bicicleta a las %(time)s sin que usted "
                        "la desbloqueara. Avisamos a la seguridad del edificio."
                    )
                    % {"slot": parking.slot.number, "rack": rack.name, "time": local.strftime("%H:%M:%S")},
                    "url": _absolute(reverse("bicipark:slot", args=[parking.slot.code])),
                },
                ref=f"bicipark-alarm:{alarm.pk}",
            )
            publish(events.ALARM_RAISED, events.alarm_payload(alarm))
    except IntegrityError:
        return None  # this bicycle's alarm is already open
    return alarm


def _absolute(path: str) -> str:
    site = (getattr(settings, "MUEVE_SITE_URL", "") or "").rstrip("/")
    return site + path


# --- the camera ---------------------------------------------------------------------------------------------------

_SIGNATURES = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n"}
_PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
MAX_PIXELS = 20_000_000


def _image_checked(data: bytes) -> tuple[str, int, int]:
    """(content type, width, height) of a JPEG or PNG, decoded by Pillow; ValidationError in Spanish otherwise."""
    if not data:
        raise ValidationError({"image": [_("La imagen está vacía.")]})
    if len(data) > snapshot_max_bytes():
        raise ValidationError(
            {"image": [_("La imagen pesa más de %(mb)s MB.") % {"mb": snapshot_max_bytes() // (1024 * 1024)}]}
        )
    content_type = next((t for t, sig in _SIGNATURES.items() if data.startswith(sig)), None)
    if content_type is None:
        raise ValidationError({"image": [_("Solo se aceptan imágenes JPEG o PNG.")]})
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[content_type]]) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError({"image": [_("La imagen tiene demasiados píxeles.")]})
            image.load()  # decodes every pixel: a truncated or corrupt file fails here
            return content_type, image.width, image.height
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError({"image": [_("La imagen está dañada o no se puede leer.")]}) from exc


@transaction.atomic
def snapshot_store(*, device: Device, data: bytes) -> Snapshot:
    """Keeps a picture from a rack's camera (checked: JPEG or PNG, size, decodable) and attaches it to the rack's
    open alarms whose trigger it is near to, unless the picture they have is nearer (the camera often posts just
    after the drop)."""
    if device.status != Device.Status.ACTIVE:
        raise PermissionDenied
    rack = Rack.objects.filter(camera=device).first()
    if device.kind != Device.Kind.CAMERA or rack is None:
        raise ValidationError({"device": [_("Este dispositivo no es la cámara de un bicicletero.")]})
    content_type, width, height = _image_checked(data)
    now = timezone.now()
    snapshot = Snapshot.objects.create(
        rack=rack, device=device, taken_at=now, content_type=content_type, image=data, width=width, height=height
    )
    window = snapshot_window()
    attached = []
    for alarm in TheftAlarm.objects.select_related("rack", "snapshot").filter(
        rack=rack, status=TheftAlarm.Status.OPEN, triggered_at__gte=now - window, triggered_at__lte=now + window
    ):
        kept = alarm.snapshot
        if kept is not None and abs(kept.taken_at - alarm.triggered_at) <= abs(now - alarm.triggered_at):
            continue  # the picture it has is nearer the trigger
        alarm.snapshot = snapshot
        alarm.save(update_fields=["snapshot"])
        attached.append(alarm)
    for alarm in attached:
        publish(events.ALARM_UPDATED, events.alarm_payload(alarm))
    return snapshot


# --- the security desk --------------------------------------------------------------------------------------------


@transaction.atomic
def alarm_close(*, actor: User, alarm: TheftAlarm, outcome: str, reason: str = "") -> TheftAlarm:
    """Security staff of the building close an alarm as a theft or as a false alarm (which needs a reason). A theft
    frees the slot (the bicycle is gone); after a false alarm the bicycle stays checked in."""
    ensure_perm(actor, "bicipark.watch_desk", alarm.rack.organization)
    alarm = TheftAlarm.objects.select_for_update(of=("self",)).select_related("rack", "parking").get(pk=alarm.pk)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if alarm.status != TheftAlarm.Status.OPEN:
        errors["outcome"] = [_("Esta alarma ya fue cerrada.")]
    elif outcome not in (TheftAlarm.Status.THEFT, TheftAlarm.Status.FALSE_ALARM):
        errors["outcome"] = [_("Indique si fue un robo o una falsa alarma.")]
    elif outcome == TheftAlarm.Status.FALSE_ALARM and not reason:
        errors["reason"] = [_("Explique por qué es una falsa alarma.")]
    if len(reason) > 1000:
        errors["reason"] = [_("El motivo no puede pasar de 1000 caracteres.")]
    if errors:
        raise ValidationError(errors)
    alarm.status = outcome
    alarm.reason = reason
    alarm.closed_by = actor
    alarm.closed_at = timezone.now()
    alarm.save(update_fields=["status", "reason", "closed_by", "closed_at"])
    if outcome == TheftAlarm.Status.THEFT and alarm.parking.unlocked_at is None:
        alarm.parking.unlocked_at = alarm.closed_at
        alarm.parking.save(update_fields=["unlocked_at"])
    publish(events.ALARM_CLOSED, events.alarm_payload(alarm))
    return alarm


# --- setting racks up (the demo loader, the admin) ----------------------------------------------------------------


@transaction.atomic
def rack_install(
    *,
    actor: User,
    slug: str,
    name: str,
    organization,
    jurisdiction,
    lat: float,
    lon: float,
    slots: int,
    address: str = "",
    camera: bool = True,
) -> tuple[Rack, dict[str, str]]:
    """A rack with `slots` weight sensors and (optionally) a camera, all provisioned as devices of the building's
    organization. Returns the rack and the devices' secrets (uid → secret), shown once."""
    from mueve.sensors.services.devices import device_provision

    secrets: dict[str, str] = {}
    rack = Rack.objects.create(
        slug=slug, name=name, address=address, organization=organization, jurisdiction=jurisdiction, lat=lat, lon=lon
    )
    common = {"actor": actor, "owner": organization, "jurisdiction": jurisdiction, "lat": lat, "lon": lon}
    if camera:
        device, secrets[f"{slug}-camara"] = device_provision(
            uid=f"{slug}-camara", name=_("Cámara de %(rack)s") % {"rack": name}, kind=Device.Kind.CAMERA, **common
        )
        rack.camera = device
        rack.save(update_fields=["camera"])
    for number in range(1, slots + 1):
        uid = f"{slug}-{number}"
        device, secrets[uid] = device_provision(
            uid=uid,
            name=_("Puesto %(n)s de %(rack)s") % {"n": number, "rack": name},
            kind=Device.Kind.BIKE_RACK_SLOT,
            **common,
        )
        Slot.objects.create(rack=rack, number=number, code=uid, device=device)
    return rack, secrets
