"""i-BiciPark reads: the public free-slot list (no personal data), a slot's page, the security desk's alarms."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from mueve.sensors.bicipark.models import Parking, Rack, Slot, TheftAlarm
from mueve.sensors.models import Device
from mueve.stakeholders.models import Organization


def racks_public() -> list[dict]:
    """Every rack with its free slots: a slot is free when its sensor works and no bicycle is checked into it.
    Only the rack's own data: never who parked, nor when."""
    occupied = Parking.objects.filter(slot=OuterRef("pk"), unlocked_at__isnull=True)
    counts = {
        row["rack_id"]: row
        for row in Slot.objects.annotate(busy=Exists(occupied))
        .values("rack_id")
        .annotate(
            total=Count("id"),
            free=Count("id", filter=Q(busy=False, device__status=Device.Status.ACTIVE)),
        )
    }
    rows = []
    for rack in Rack.objects.select_related("organization").order_by("name"):
        row = counts.get(rack.pk, {"total": 0, "free": 0})
        rows.append(
            {
                "slug": rack.slug,
                "name": rack.name,
                "address": rack.address,
                "building": rack.organization.name,
                "lat": rack.lat,
                "lon": rack.lon,
                "total": row["total"],
                "free": row["free"],
            }
        )
    return rows


def slot_by_code(code: str) -> Slot | None:
    return Slot.objects.select_related("rack__organization", "device").filter(code=code).first()


def open_parking(slot: Slot) -> Parking | None:
    return Parking.objects.filter(slot=slot, unlocked_at__isnull=True).first()


def desk_organization(slug: str) -> Organization | None:
    return Organization.objects.filter(slug=slug, bike_racks__isnull=False).distinct().first()


def organization_by_id(pk: int) -> Organization | None:
    return Organization.objects.filter(pk=pk).first()


def desk_alarms(organization: Organization, *, closed_limit: int = 50) -> tuple[list[dict], list[dict]]:
    """(open alarms, recently closed alarms) of the organization's racks, newest first, as alarm_state dicts."""
    qs = TheftAlarm.objects.filter(rack__organization=organization).select_related(
        "rack", "slot", "closed_by", "snapshot"
    )
    open_ = [_state(a) for a in qs.filter(status=TheftAlarm.Status.OPEN).order_by("-triggered_at", "-id")]
    closed = [_state(a) for a in qs.exclude(status=TheftAlarm.Status.OPEN).order_by("-closed_at", "-id")[:closed_limit]]
    return open_, closed


def desk_racks(organization: Organization):
    return Rack.objects.filter(organization=organization).order_by("name")


def alarm_state(alarm_id: int, organization_id: int | None = None) -> dict | None:
    """An alarm as the security desk shows it (the page and its live stream alike), or None."""
    qs = TheftAlarm.objects.select_related("rack", "slot", "closed_by", "snapshot")
    if organization_id is not None:
        qs = qs.filter(rack__organization_id=organization_id)
    alarm = qs.filter(pk=alarm_id).first()
    return _state(alarm) if alarm else None


def _state(alarm: TheftAlarm) -> dict:
    closer = alarm.closed_by
    return {
        "id": alarm.pk,
        "status": alarm.status,
        "status_label": str(alarm.get_status_display()),
        "rack": alarm.rack.name,
        "slot": alarm.slot.number,
        "triggered_at": timezone.localtime(alarm.triggered_at).isoformat(),
        "triggered_text": timezone.localtime(alarm.triggered_at).strftime("%d-%m-%Y %H:%M:%S"),
        "weight_before": round(alarm.weight_before, 1),
        "weight_after": round(alarm.weight_after, 1),
        "snapshot_url": reverse("bicipark:snapshot", args=[alarm.snapshot_id]) if alarm.snapshot_id else "",
        "close_url": reverse("bicipark:alarm_close", args=[alarm.pk]),
        "closed_by": (closer.get_full_name() or closer.username) if closer else "",
        "closed_text": timezone.localtime(alarm.closed_at).strftime("%d-%m-%Y %H:%M") if alarm.closed_at else "",
        "reason": alarm.reason,
    }


def alarm_for_desk(alarm_id: int) -> TheftAlarm | None:
    return TheftAlarm.objects.select_related("rack__organization").filter(pk=alarm_id).first()


def snapshot_for_desk(snapshot_id: int):
    from mueve.sensors.bicipark.models import Snapshot

    return Snapshot.objects.select_related("rack__organization").filter(pk=snapshot_id).first()
