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


def devices_with_rejections(user) -> list[Device]:
    """devices_for(user), each with `rejections`: [(reason label, count)] of what it sent that was refused."""
    devices = list(devices_for(user))
    counts = rejected_counts(devices)
    labels = dict(RejectedReading.Reason.choices)
    for device in devices:
        device.rejections = [(labels.get(r, r), n) for r, n in sorted(counts.get(device.pk, {}).items())]
    return devices


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
