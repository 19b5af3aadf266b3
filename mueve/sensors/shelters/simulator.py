"""Simulated readings of the demo's smart shelters (`manage.py simulateshelters`): what their sensors would send,
through the same `ingest_batch` as real devices. Each minute, Wi-Fi sessions and USB charges begun in it (more at
rush hours of the local clock), and small vibrations on the glass and roof (a bus passing, under the hit threshold);
a sensor in `blows` reports a blow instead (an impact well over the threshold, and a broken glass on a glass panel)."""

import json
import random
from datetime import datetime, timedelta

from django.utils import timezone

from mueve.sensors.services.ingest import Message, Outcome, ingest_batch
from mueve.sensors.shelters.models import ModuleSensor, ShelterModule
from mueve.sensors.shelters.services import impact_threshold

Kind = ShelterModule.Kind


def _values(kind: str, at: datetime, blow: bool, rng: random.Random) -> dict:
    hour = timezone.localtime(at).hour
    busy = 1.0 if hour in (7, 8, 13, 18, 19) else 0.5 if 6 <= hour <= 22 else 0.05
    if kind == Kind.WIFI:
        return {"wifiSessions": sum(rng.random() < 0.3 * busy for _ in range(3))}
    if kind == Kind.USB:
        return {"usbCharges": int(rng.random() < 0.12 * busy)}
    if kind in (Kind.GLASS, Kind.ROOF):
        if blow:
            values = {"impact": round(impact_threshold() * 1.8, 1)}
            return {**values, "glassBreak": 1} if kind == Kind.GLASS else values
        return {"impact": round(rng.uniform(0.2, 3.0), 1)}
    return {}


def simulate_shelters(
    *, mounts=None, at: datetime | None = None, minutes: int = 1, blows: set[str] = frozenset(), seed: int | None = None
) -> Outcome:
    """One reading a minute for each mounted sensor over the `minutes` up to `at` (now), stored as one batch; a
    sensor in `blows` is hit at the last minute only."""
    at = (at or timezone.now()).replace(second=0, microsecond=0)
    rng = random.Random(seed)
    mounts = mounts if mounts is not None else ModuleSensor.objects.select_related("module", "device")
    messages = []
    for mount in mounts:
        if mount.device.status != mount.device.Status.ACTIVE:
            continue
        for back in range(minutes - 1, -1, -1):
            moment = at - timedelta(minutes=back)
            values = _values(mount.module.kind, moment, back == 0 and mount.device.uid in blows, rng)
            if values:
                body = {**values, "observedAt": moment.isoformat()}
                messages.append(Message(device_uid=mount.device.uid, payload=json.dumps(body), via="http"))
    return ingest_batch(messages)
