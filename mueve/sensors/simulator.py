"""Simulated readings for the demo's devices (`manage.py simulatesensors`): what a street light and a traffic
counter would send, through the same `ingest_batch` as real devices, so the rules run on them as on real data.

Street lights: about 70 W and 12 lx below them at night, 0 W by day (off) with daylight illuminance; a light in
`outages` reports 0 W and 0.5 lx at night. Traffic counters: speed, occupancy and flow that follow the rush hours
of the local clock, with some noise; a counter in `jams` reports a jam (8 km/h, 92 % occupancy)."""

import json
import random
from datetime import datetime, timedelta

from django.utils import timezone

from mueve.sensors.models import Device
from mueve.sensors.services.ingest import Message, Outcome, ingest_batch
from mueve.sensors.solar import is_night

SIMULATED_KINDS = [Device.Kind.STREET_LIGHT, Device.Kind.TRAFFIC_COUNTER]


def _light(device: Device, at: datetime, outage: bool, rng: random.Random) -> dict:
    if is_night(device.lat, device.lon, at):
        if outage:
            return {"power": 0, "illuminance": 0.5}
        return {"power": round(70 + rng.uniform(-2, 2), 1), "illuminance": round(12 + rng.uniform(-1, 1), 1)}
    return {"power": 0, "illuminance": round(rng.uniform(8_000, 40_000))}


def _counter(at: datetime, jam: bool, rng: random.Random) -> dict:
    if jam:
        return {"averageVehicleSpeed": 8, "occupancy": 92, "intensity": 300}
    hour = timezone.localtime(at).hour
    rush = 1.0 if hour in (7, 8, 13, 18, 19) else 0.5 if 6 <= hour <= 21 else 0.1
    return {
        "averageVehicleSpeed": round(45 - 20 * rush + rng.uniform(-4, 4), 1),
        "occupancy": round(10 + 50 * rush + rng.uniform(-5, 5), 1),
        "intensity": round(200 + 1400 * rush + rng.uniform(-50, 50)),
    }


def simulate(
    *,
    devices,
    at: datetime | None = None,
    minutes: int = 1,
    outages: set[str] = frozenset(),
    jams: set[str] = frozenset(),
    seed: int | None = None,
) -> Outcome:
    """One reading a minute for each device over the `minutes` up to `at` (now), stored as one batch."""
    at = (at or timezone.now()).replace(microsecond=0)
    rng = random.Random(seed)
    messages = []
    for device in devices:
        for back in range(minutes - 1, -1, -1):
            moment = at - timedelta(minutes=back)
            if device.kind == Device.Kind.STREET_LIGHT:
                values = _light(device, moment, device.uid in outages, rng)
            else:
                values = _counter(moment, device.uid in jams, rng)
            body = {**values, "observedAt": moment.isoformat()}
            messages.append(Message(device_uid=device.uid, payload=json.dumps(body), via="http"))
    return ingest_batch(messages)
