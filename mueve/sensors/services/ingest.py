"""Storing readings: many messages per transaction, each reading once, bad input kept apart.

`ingest_batch` is what both ingest paths call: the MQTT subscriber with the messages it received together (and it
acknowledges them to the broker only after the batch is committed, so a crash loses nothing: the broker sends them
again, and the repeated readings are ignored by (device, metric, time)), and HTTP ingest with one message.

Accepted times: from MUEVE_SENSORS_LATE_HOURS before now (out-of-order readings, e.g. a device that was offline
and flushes its buffer) to MUEVE_SENSORS_FUTURE_SECONDS after it (clock skew). Anything else is refused with its
reason, as are unknown devices, revoked or quarantined ones, and a device that sends more than
MUEVE_SENSORS_MAX_READINGS_PER_MINUTE: past that it is refused, and past QUARANTINE_FACTOR times that it is
quarantined and its owner told.

Once a batch is committed, the functions registered with `on_stored` are called with the (device id, metric)
pairs it stored (the sensor rules evaluate those, and only those: see mueve.sensors.services.rules; the NGSI-LD
subscriptions notify on them: mueve.sensors.ngsild.notify). A failing hook is logged; it never undoes the readings.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Min, Sum
from django.db.models.functions import TruncHour, TruncMinute
from django.utils import timezone

from mueve.core.cache import count_hits
from mueve.sensors.models import Device, Reading, RejectedReading, Rollup
from mueve.sensors.services.devices import device_quarantine
from mueve.sensors.services.parsing import Problem, Value, parse
from mueve.sensors.services.storage import partitions_for

log = logging.getLogger(__name__)
Reason = RejectedReading.Reason
QUARANTINE_FACTOR = 5
PAYLOAD_KEPT = 2000  # characters of a refused message kept for its owner to see

StoredHook = Callable[[set[tuple[int, str]]], object]
_stored_hooks: list[StoredHook] = []


def on_stored(hook: StoredHook) -> StoredHook:
    """Registers `hook(pairs)`, called after each committed batch with the (device id, metric) pairs it stored
    (also usable as a decorator; registering the same function twice keeps one)."""
    if hook not in _stored_hooks:
        _stored_hooks.append(hook)
    return hook


def _run_stored_hooks(pairs: set[tuple[int, str]]) -> None:
    for hook in list(_stored_hooks):
        try:
            hook(pairs)
        except Exception:
            log.exception("sensors ingest: on_stored hook %r failed", hook)


@dataclass(frozen=True)
class Message:
    device_uid: str
    payload: bytes | str
    via: str  # "mqtt" or "http"
    topic_jurisdiction: str = ""  # the jurisdiction slug of the MQTT topic, which must be the device's


@dataclass
class Outcome:
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)


def _setting(name: str, default):
    return getattr(settings, name, default)


def _rate_exceeded(device: Device, readings: int, now) -> tuple[bool, bool]:
    """(refused, quarantine) for `readings` more from this device in the current minute, counted in the cache so
    that every server process and the subscriber share the count (Redis when configured)."""
    limit = _setting("MUEVE_SENSORS_MAX_READINGS_PER_MINUTE", 600)
    key = f"sensors:rate:{device.pk}:{device.key_prefix}:{int(now.timestamp()) // 60}"
    (count,) = count_hits(cache, [(key, 120)], amount=readings)
    return count > limit, count > limit * QUARANTINE_FACTOR


def _payload_text(payload) -> str:
    if isinstance(payload, bytes):
        payload = payload.decode("utf-8", errors="replace")
    return payload[:PAYLOAD_KEPT]


def _reject(rows: list, *, device, uid, via, problems, payload):
    text = _payload_text(payload)
    for problem in problems:
        rows.append(
            RejectedReading(
                device=device,
                device_uid=uid[:200],
                via=via,
                reason=problem.reason,
                detail=problem.detail[:300],
                payload=text,
            )
        )


# Readings of one batch usually span seconds: their summaries are recomputed with one grouped query for the whole
# batch. A batch spanning longer (a device flushing hours of buffer) is summarised per device and metric instead,
# so that one late reading never makes the query read everyone's hours.
ONE_QUERY_SPAN = timedelta(minutes=30)


def _grouped(model_rows, *, keys, span_start, span_end, time_field, trunc, aggregates):
    """[(device_id, metric, bucket, values)] of `model_rows` for `keys` ((device, metric) pairs) in the span."""
    qs = model_rows.filter(
        device_id__in={d for d, _m in keys},
        metric__in={m for _d, m in keys},
        **{f"{time_field}__gte": span_start, f"{time_field}__lt": span_end},
    )
    rows = qs.annotate(bucket=trunc(time_field)).values("device_id", "metric", "bucket").annotate(**aggregates)
    return [r for r in rows if (r["device_id"], r["metric"]) in keys]


def _summaries(touched, *, source, time_field, trunc, floor, step, aggregates, grain):
    made = []
    low = min(lo for lo, _hi in touched.values())
    high = max(hi for _lo, hi in touched.values())
    if high - low <= ONE_QUERY_SPAN:
        groups = [(set(touched), floor(low), floor(high) + step)]
    else:
        groups = [({key}, floor(lo), floor(hi) + step) for key, (lo, hi) in touched.items()]
    for keys, span_start, span_end in groups:
        for row in _grouped(
            source,
            keys=keys,
            span_start=span_start,
            span_end=span_end,
            time_field=time_field,
            trunc=trunc,
            aggregates=aggregates,
        ):
            made.append(
                Rollup(
                    device_id=row["device_id"],
                    metric=row["metric"],
                    grain=grain,
                    start=row["bucket"],
                    count=row["n"],
                    minimum=row["lo"],
                    maximum=row["hi"],
                    total=row["total"],
                )
            )
    _upsert(made)


def _rollup(touched: dict[tuple[int, str], tuple]) -> None:
    """Recomputes the minute and hour summaries the new readings fall in, from the readings themselves (so a
    late reading corrects its minute and hour, and a repeated one changes nothing)."""
    if not touched:
        return
    _summaries(
        touched,
        source=Reading.objects.all(),
        time_field="time",
        trunc=TruncMinute,
        floor=lambda t: t.replace(second=0, microsecond=0),
        step=timedelta(minutes=1),
        aggregates={"n": Count("id"), "lo": Min("value"), "hi": Max("value"), "total": Sum("value")},
        grain=Rollup.Grain.MINUTE,
    )
    _summaries(
        touched,
        source=Rollup.objects.filter(grain=Rollup.Grain.MINUTE),
        time_field="start",
        trunc=TruncHour,
        floor=lambda t: t.replace(minute=0, second=0, microsecond=0),
        step=timedelta(hours=1),
        aggregates={"n": Sum("count"), "lo": Min("minimum"), "hi": Max("maximum"), "total": Sum("total")},
        grain=Rollup.Grain.HOUR,
    )


def _upsert(rows: list[Rollup]) -> None:
    if rows:
        Rollup.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["device", "metric", "grain", "start"],
            update_fields=["count", "minimum", "maximum", "total"],
        )


def ingest_batch(messages: list[Message]) -> Outcome:
    """Stores the readings of `messages` in one transaction and returns what happened to them."""
    outcome = Outcome()
    if not messages:
        return outcome
    now = timezone.now()
    earliest = now - timedelta(hours=_setting("MUEVE_SENSORS_LATE_HOURS", 24 * 7))
    latest = now + timedelta(seconds=_setting("MUEVE_SENSORS_FUTURE_SECONDS", 300))
    devices = {
        d.uid: d for d in Device.objects.select_related("jurisdiction").filter(uid__in={m.device_uid for m in messages})
    }
    rejected: list[RejectedReading] = []
    candidates: dict[tuple[int, str, object], Value] = {}
    seen_devices: dict[int, Device] = {}
    quarantine: dict[int, Device] = {}
    for message in messages:
        device = devices.get(message.device_uid)
        if device is None:
            _reject(
                rejected,
                device=None,
                uid=message.device_uid,
                via=message.via,
                problems=[Problem(Reason.UNKNOWN_DEVICE, "")],
                payload=message.payload,
            )
            continue
        if device.status != Device.Status.ACTIVE or device.pk in quarantine:
            _reject(
                rejected,
                device=device,
                uid=device.uid,
                via=message.via,
                problems=[Problem(Reason.NOT_ACTIVE, device.get_status_display())],
                payload=message.payload,
            )
            continue
        if message.topic_jurisdiction and message.topic_jurisdiction != device.jurisdiction.slug:
            _reject(
                rejected,
                device=device,
                uid=device.uid,
                via=message.via,
                problems=[Problem(Reason.MALFORMED, "tema de otra jurisdicción")],
                payload=message.payload,
            )
            continue
        values, problems = parse(message.payload, now=now)
        good = []
        for value in values:
            if earliest <= value.time <= latest:
                good.append(value)
            else:
                problems.append(Problem(Reason.TIME, value.time.isoformat()))
        if good:
            refused, flood = _rate_exceeded(device, len(good), now)
            if refused:
                problems.append(Problem(Reason.RATE, f"{len(good)} lecturas sobre el límite por minuto"))
                good = []
                if flood:
                    quarantine[device.pk] = device
        if problems:
            _reject(
                rejected, device=device, uid=device.uid, via=message.via, problems=problems, payload=message.payload
            )
        for value in good:
            candidates.setdefault((device.pk, value.metric, value.time), value)
        if good:
            seen_devices[device.pk] = device
    outcome.rejected = len(rejected)
    outcome.problems = [Problem(r.reason, r.detail) for r in rejected]
    if candidates:
        partitions_for({t for _d, _m, t in candidates})
    with transaction.atomic():
        if candidates:
            existing = set()
            times = [t for _d, _m, t in candidates]
            if max(times) - min(times) <= ONE_QUERY_SPAN:
                existing.update(
                    Reading.objects.filter(
                        device_id__in={d for d, _m, _t in candidates}, time__gte=min(times), time__lte=max(times)
                    ).values_list("device_id", "metric", "time")
                )
            else:
                by_device: dict[int, set] = defaultdict(set)
                for device_id, _metric, time in candidates:
                    by_device[device_id].add(time)
                for device_id, device_times in by_device.items():
                    existing.update(
                        Reading.objects.filter(device_id=device_id, time__in=list(device_times)).values_list(
                            "device_id", "metric", "time"
                        )
                    )
            new = [
                Reading(device_id=key[0], metric=key[1], time=key[2], value=v.value, unit=v.unit)
                for key, v in candidates.items()
                if key not in existing
            ]
            Reading.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
            outcome.stored = len(new)
            outcome.duplicates = len(candidates) - len(new)
            touched: dict[tuple[int, str], tuple] = {}
            for reading in new:
                key = (reading.device_id, reading.metric)
                low, high = touched.get(key, (reading.time, reading.time))
                touched[key] = (min(low, reading.time), max(high, reading.time))
            _rollup(touched)
            if touched and _stored_hooks:
                pairs = set(touched)
                transaction.on_commit(lambda: _run_stored_hooks(pairs))
            Device.objects.filter(pk__in=list(seen_devices)).update(last_seen_at=now)
        if rejected:
            RejectedReading.objects.bulk_create(rejected, batch_size=500)
        for device in quarantine.values():
            limit = _setting("MUEVE_SENSORS_MAX_READINGS_PER_MINUTE", 600) * QUARANTINE_FACTOR
            device_quarantine(device=device, reason=f"Exceso de envíos: más de {limit} lecturas por minuto.")
            outcome.quarantined.append(device.uid)
    return outcome
