from django.db.models import Count, QuerySet

from mueve.accounts.scopes import jurisdiction_filter
from mueve.sensors.models import Device, Reading, RejectedReading


def devices_for(user) -> QuerySet[Device]:
    """The devices a person manages or watches: their organization's, or (managers) those of their scope."""
    qs = Device.objects.select_related("owner", "jurisdiction", "asset")
    if not user.has_perm("sensors.view_devices"):
        return qs.none()
    if user.role in ("official", "operator") and not user.is_superuser:
        qs = qs.filter(owner_id=user.organization_id)
    ids = jurisdiction_filter(user)
    if ids is not None:
        qs = qs.filter(jurisdiction_id__in=ids)
    return qs.order_by("jurisdiction__name", "uid")


def rejected_counts(devices) -> dict[int, dict[str, int]]:
    """Refused input per device and reason (the owner's view of what their devices send wrong)."""
    counts: dict[int, dict[str, int]] = {}
    for row in RejectedReading.objects.filter(device__in=devices).values("device_id", "reason").annotate(n=Count("id")):
        counts.setdefault(row["device_id"], {})[row["reason"]] = row["n"]
    return counts


def latest_readings(device: Device, limit: int = 20):
    return Reading.objects.filter(device=device).order_by("-time")[:limit]
