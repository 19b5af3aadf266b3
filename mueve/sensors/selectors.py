from datetime import datetime

from django.db.models import Count, QuerySet

from mueve.accounts.scopes import jurisdiction_filter
from mueve.sensors.metrics import METRICS, retention_table
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


def devices_with_rejections(user) -> list[Device]:
    """devices_for(user), each with `rejections`: [(reason label, count)] of what it sent that was refused."""
    devices = list(devices_for(user))
    counts = rejected_counts(devices)
    labels = dict(RejectedReading.Reason.choices)
    for device in devices:
        device.rejections = [(labels.get(r, r), n) for r, n in sorted(counts.get(device.pk, {}).items())]
    return devices


def temporal_readings(
    device: Device,
    *,
    metrics: set[str] | None = None,
    after: datetime | None = None,
    after_inclusive: bool = False,
    before: datetime | None = None,
    last_n: int = 0,
    limit: int = 1000,
) -> dict[str, list[Reading]]:
    """A device's readings per metric in a time range, oldest first (the NGSI-LD temporal query): the last
    `last_n` of each metric when given, else the first `limit`. Metrics without readings in the range are left out.

    One query per metric, each an ordered scan of the (device, metric, time) index that stops at its limit (and on
    PostgreSQL reads only the monthly partitions the range touches): a device's month of readings is never read
    whole to find which metrics it has."""
    readings = Reading.objects.filter(device=device)
    if after is not None:
        readings = readings.filter(time__gte=after) if after_inclusive else readings.filter(time__gt=after)
    if before is not None:
        readings = readings.filter(time__lt=before)
    found = {}
    for metric in sorted(metrics if metrics is not None else METRICS):
        rows = readings.filter(metric=metric)
        if last_n:
            picked = list(rows.order_by("-time")[:last_n])[::-1]
        else:
            picked = list(rows.order_by("time")[:limit])
        if picked:
            found[metric] = picked
    return found


def retention_per_metric() -> list[dict]:
    """How long each metric's raw readings and summaries are kept (mueve prunesensors applies it)."""
    return retention_table()


def latest_readings(device: Device, limit: int = 20):
    return Reading.objects.filter(device=device).order_by("-time")[:limit]


def firings_for(user, *, active: bool | None = None, limit: int = 100):
    """The rule firings a control-centre person may see: their jurisdictions' (every one, unscoped)."""
    from mueve.sensors.models import RuleFiring

    qs = RuleFiring.objects.select_related("rule", "device", "incident", "rule__jurisdiction")
    ids = jurisdiction_filter(user)
    if ids is not None:
        qs = qs.filter(rule__jurisdiction_id__in=ids)
    if active is not None:
        qs = qs.filter(ended_at__isnull=active)
    return qs.order_by("-started_at", "-id")[:limit]


def rules_for(user):
    from mueve.sensors.models import Rule

    qs = Rule.objects.select_related("jurisdiction", "device", "service")
    ids = jurisdiction_filter(user)
    if ids is not None:
        qs = qs.filter(jurisdiction_id__in=ids)
    return qs.order_by("jurisdiction__name", "name")


def incident_sensor_evidence(incident) -> list[dict]:
    """What sensors said about an incident: each firing that opened or joined it, with its readings (for the
    control centre's incident panel, beside the citizens' reports)."""
    from mueve.sensors.metrics import METRICS
    from mueve.sensors.models import RuleFiring

    rows = []
    for firing in RuleFiring.objects.filter(incident=incident).select_related("rule", "device").order_by("started_at"):
        metric = METRICS.get(firing.rule.metric)
        rows.append(
            {
                "device": firing.device.uid,
                "device_name": firing.device.name,
                "rule": firing.rule.name,
                "condition": firing.evidence.get("condition", ""),
                "metric_label": metric.label if metric else firing.rule.metric,
                "started_at": firing.started_at.isoformat(),
                "ended_at": firing.ended_at.isoformat() if firing.ended_at else None,
                "readings": firing.evidence.get("readings", []),
            }
        )
    from mueve.sensors.shelters.selectors import incident_hit_evidence

    return rows + incident_hit_evidence(incident)
