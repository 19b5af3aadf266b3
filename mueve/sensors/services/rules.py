"""Evaluating the sensor rules (sensors.Rule) over readings.

After each ingest batch commits, `rules_on_stored` evaluates only the rules of the (device, metric) pairs just
stored. A threshold rule fires once when its condition has held, reading after reading, for its minutes: from the
first reading that met it after the last one that did not, up to the latest. It ends (the firing, never the
incident) at the first reading that no longer meets it. A night-only rule counts only readings taken between
sunset and sunrise at the device (mueve.sensors.solar). An absence rule fires from `rules_evaluate_absence`
(the periodic `manage.py evaluatesensorrules`) when the metric has sent nothing for its minutes, and ends with
the next reading.

A state-machine rule (kind «states») keeps each device's state (RuleState) and walks the new readings of its
metrics in time order: a transition applies from its state when a reading compares true, or when it fell by more
than `drop` since the metric's previous reading. Entering the alarm state fires; leaving it ends the firing. Its
readings are taken in order from the last one evaluated: a late reading older than that one does not move it.

A firing of a rule whose action is to open an incident submits a report through the reports' intake, as a citizen
would (source «sensor», no personal data), so it fuses with citizens' reports of the same light or place.
"""

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from mueve.sensors.models import Device, Reading, Rule, RuleFiring, RuleState, compare
from mueve.sensors.solar import is_night

log = logging.getLogger(__name__)
EVIDENCE_READINGS = 30  # at most this many readings are kept as a firing's evidence
UNMET = {
    "<": lambda v: Q(value__gte=v),
    "<=": lambda v: Q(value__gt=v),
    ">": lambda v: Q(value__lte=v),
    ">=": lambda v: Q(value__lt=v),
    "==": lambda v: ~Q(value=v),
}


def _rules_for(device: Device, metric: str, kind: str):
    rules = Rule.objects.filter(
        Q(device=device) | Q(device__isnull=True, device_kind=device.kind),
        jurisdiction_id=device.jurisdiction_id,
        kind=kind,
        active=True,
    ).select_related("service", "jurisdiction")
    if kind == Rule.Kind.STATES:
        return [rule for rule in rules if metric in rule.metrics]
    return rules.filter(metric=metric)


STATE_READINGS = 500  # at most this many new readings walked per evaluation (the rest wait for the next batch)


def _states(rule: Rule, device: Device) -> RuleFiring | None:
    machine = rule.states
    current, _created = RuleState.objects.get_or_create(
        rule=rule, device=device, defaults={"state": machine["initial"]}
    )
    readings = Reading.objects.filter(device=device, metric__in=rule.metrics)
    if current.last_time is not None:
        readings = readings.filter(time__gt=current.last_time)
    fired = None
    walked = []
    for reading in readings.order_by("time", "id")[:STATE_READINGS]:
        previous = current.last_values.get(reading.metric)
        walked.append(reading)
        for t in machine["transitions"]:
            if t["from"] != current.state or t["metric"] != reading.metric:
                continue
            if "drop" in t:
                met = previous is not None and previous - reading.value > t["drop"]
            else:
                met = compare(reading.value, t["op"], t["value"])
            if not met:
                continue
            was_alarm = current.state == machine["alarm"]
            current.state = t["to"]
            if current.state == machine["alarm"] and not was_alarm:
                evidence = {
                    "condition": rule.condition_text(),
                    "metric": reading.metric,
                    "readings": _evidence_rows(walked[-EVIDENCE_READINGS:]),
                }
                fired = _fire(rule, device, started_at=reading.time, evidence=evidence) or fired
            elif was_alarm and current.state != machine["alarm"]:
                _end(_open_firing(rule, device), reading.time)
            break
        current.last_values[reading.metric] = reading.value
        current.last_time = reading.time
    current.save()
    return fired


def _met(rule: Rule, device: Device, reading: Reading) -> bool:
    if not rule.holds(reading.value):
        return False
    return not rule.night_only or is_night(device.lat, device.lon, reading.time)


def _open_firing(rule: Rule, device: Device) -> RuleFiring | None:
    return RuleFiring.objects.filter(rule=rule, device=device, ended_at__isnull=True).first()


def _end(firing: RuleFiring | None, when: datetime) -> None:
    if firing is not None:
        firing.ended_at = when
        firing.save(update_fields=["ended_at"])


def _evidence_rows(readings) -> list[dict]:
    return [{"time": r.time.isoformat(), "value": r.value, "unit": r.unit} for r in readings]


def _threshold(rule: Rule, device: Device) -> RuleFiring | None:
    readings = Reading.objects.filter(device=device, metric=rule.metric)
    latest = readings.order_by("-time").first()
    if latest is None:
        return None
    firing = _open_firing(rule, device)
    if not _met(rule, device, latest):
        _end(firing, latest.time)
        return None
    if firing is not None:
        return None  # still holding: fired already
    unmet = readings.filter(UNMET[rule.operator](rule.value), time__lte=latest.time).order_by("-time").first()
    held = readings.filter(time__lte=latest.time)
    if unmet is not None:
        held = held.filter(time__gt=unmet.time)
    held = list(held.order_by("time"))
    if rule.night_only:
        # Back from the latest, the unbroken run of night readings (a day-time zero breaks the run).
        run = []
        for reading in reversed(held):
            if not is_night(device.lat, device.lon, reading.time):
                break
            run.append(reading)
        held = list(reversed(run))
    if not held or latest.time - held[0].time < timedelta(minutes=rule.minutes):
        return None
    evidence = {
        "condition": rule.condition_text(),
        "metric": rule.metric,
        "readings": _evidence_rows(held[-EVIDENCE_READINGS:]),
    }
    return _fire(rule, device, started_at=latest.time, evidence=evidence)


def _fire(rule: Rule, device: Device, *, started_at: datetime, evidence: dict) -> RuleFiring | None:
    try:
        with transaction.atomic():
            firing = RuleFiring.objects.create(rule=rule, device=device, started_at=started_at, evidence=evidence)
    except IntegrityError:
        return None  # another evaluation fired it at the same moment
    if rule.action == Rule.Action.OPEN_INCIDENT and rule.service_id is not None:
        _submit_report(firing)
    return firing


def _submit_report(firing: RuleFiring) -> None:
    from mueve.reports.models import Report
    from mueve.reports.services import report_submit

    rule, device = firing.rule, firing.device
    asset = device.asset if device.asset_id and device.asset.jurisdiction_id == rule.service.jurisdiction_id else None
    report = report_submit(
        service=rule.service,
        lat=device.lat,
        lon=device.lon,
        asset=asset,
        description=rule.description or f"{rule.name}: {rule.condition_text()}",
        device_id=f"mueve-sensor:{device.uid}",
        source=Report.Source.SENSOR,
        idempotency_key=f"sensor-firing:{firing.pk}",
    )
    report.refresh_from_db(fields=["incident"])
    firing.incident_id = report.incident_id
    firing.evidence = {**firing.evidence, "report": report.public_id}
    firing.save(update_fields=["incident", "evidence"])


def rules_on_stored(pairs: set[tuple[int, str]]) -> int:
    """Evaluates the rules of the (device id, metric) pairs just stored; returns how many firings began."""
    fired = 0
    walked: set[tuple[int, int]] = set()
    devices = Device.objects.select_related("asset").in_bulk({device_id for device_id, _metric in pairs})
    for device_id, metric in sorted(pairs):
        device = devices.get(device_id)
        if device is None:
            continue
        try:
            with transaction.atomic():
                for rule in _rules_for(device, metric, Rule.Kind.THRESHOLD):
                    fired += _threshold(rule, device) is not None
                for rule in _rules_for(device, metric, Rule.Kind.ABSENCE):
                    _end(_open_firing(rule, device), timezone.now())
                for rule in _rules_for(device, metric, Rule.Kind.STATES):
                    if (rule.pk, device_id) not in walked:  # one walk per batch, whichever of its metrics came
                        walked.add((rule.pk, device_id))
                        fired += _states(rule, device) is not None
        except Exception:
            # The readings are stored already: a failing rule is logged, and the next batch evaluates it again.
            log.exception("sensor rules: evaluation failed for device %s, metric %s", device_id, metric)
    return fired


def rules_evaluate_absence(*, now: datetime | None = None) -> int:
    """The absence rules over every active device they cover; returns how many firings began."""
    now = now or timezone.now()
    fired = 0
    for rule in Rule.objects.filter(kind=Rule.Kind.ABSENCE, active=True).select_related("service", "device"):
        devices = Device.objects.filter(jurisdiction_id=rule.jurisdiction_id, status=Device.Status.ACTIVE)
        devices = devices.filter(pk=rule.device_id) if rule.device_id else devices.filter(kind=rule.device_kind)
        last = dict(
            Reading.objects.filter(device__in=devices, metric=rule.metric)
            .values("device_id")
            .annotate(top=Max("time"))
            .values_list("device_id", "top")
        )
        open_ids = set(RuleFiring.objects.filter(rule=rule, ended_at__isnull=True).values_list("device_id", flat=True))
        for device in devices.select_related("asset"):
            since = last.get(device.pk) or device.created_at
            if device.pk in open_ids or now - since < timedelta(minutes=rule.minutes):
                continue
            if rule.night_only and not is_night(device.lat, device.lon, now):
                continue
            evidence = {
                "condition": rule.condition_text(),
                "metric": rule.metric,
                "last_reading": last[device.pk].isoformat() if device.pk in last else None,
                "readings": [],
            }
            with transaction.atomic():
                fired += _fire(rule, device, started_at=now, evidence=evidence) is not None
    return fired
