"""Sensor readings over MQTT, end to end, against Mosquitto's own publish -> subscribe rate in the same run.

    .venv/bin/python bench/sensors.py                                    # SQLite (WAL) in a temporary folder
    .venv/bin/python bench/sensors.py --devices 100 --readings 50000
    .venv/bin/python bench/sensors.py --database-url "postgres://postgres@127.0.0.1:5432/mueve_sensors_bench"

Seeds a fresh database with --devices street-light devices (provisioned through the platform's service, so each
has its own secret and ACL line), starts Mosquitto (Debian's) on a free port with the configuration the platform
generates, and publishes --readings QoS 1 readings (JSON attributes, one reading each, each at its own time), from
one MQTT client per device, each on its own topic, as fast as the broker acknowledges them. Twice:

1. broker alone: a plain paho subscriber (QoS 1) counts the messages; the rate is messages over the time from the
   first publish to the last message received;
2. end to end: the platform's subscriber (mueve.sensors.mqtt, batches acknowledged after commit) stores them; the
   rate is readings over the time from the first publish to the last reading committed.

Prints both rates and their ratio (the aim: end to end at least half the broker's own rate), and checks that every
reading was stored exactly once. The per-device rate limit is raised for the run (the flood guard is not what is
measured). Publishers, broker, subscriber and database share the machine's cores.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ingest import _django, _free_port, _fresh_postgres  # noqa: E402 - after the path

MOSQUITTO = "/usr/sbin/mosquitto"


def seed_owner():
    """Migrates the fresh database and makes the jurisdiction and the organization that own the bench's devices
    (bench/sensors_temporal.py uses it too). Returns (jurisdiction, organization)."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from mueve.stakeholders.models import Level, Organization, Sector
    from mueve.territory.models import Jurisdiction
    from mueve.territory.services import jurisdiction_upsert

    metro = jurisdiction_upsert(
        slug="gran-concepcion",
        name="Gran Concepción",
        kind=Jurisdiction.Kind.METROPOLITAN_AREA,
        center_lat=-36.82,
        center_lon=-73.05,
        default_zoom=12,
    )
    owner = Organization.objects.create(
        name="Municipalidad de Concepción", slug="muni-concepcion", sector=Sector.GOVERNMENT, level=Level.LOCAL
    )
    return metro, owner


def _seed(devices: int) -> list[tuple]:
    from mueve.accounts.models import Role
    from mueve.accounts.services import user_create
    from mueve.sensors.services.devices import device_provision

    metro, owner = seed_owner()
    actor = user_create(username="bench-manager", password="x" * 20, role=Role.MANAGER)
    made = []
    for i in range(devices):
        device, secret = device_provision(
            actor=actor,
            uid=f"luz-{i:04d}",
            name=f"Luminaria {i}",
            kind="street_light",
            owner=owner,
            jurisdiction=metro,
            lat=-36.82,
            lon=-73.05,
        )
        made.append((device.uid, device.topic, secret))
    return made


def _publish_all(port: int, devices: list[tuple], per_device: int, run: int) -> float:
    """Publishes per_device readings from each device (one client each, in parallel threads); returns the
    monotonic time of the first publish."""
    import json

    import paho.mqtt.client as mqtt
    from django.utils import timezone

    base = timezone.now().replace(microsecond=0)
    clients = []
    for uid, _topic, secret in devices:
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"{uid}-{run}", clean_session=True)
        client.username_pw_set(uid, secret)
        client.max_inflight_messages_set(200)
        client.max_queued_messages_set(0)
        client.connect("127.0.0.1", port)
        client.loop_start()
        clients.append(client)
    start = time.monotonic()

    def send(client, topic):
        infos = []
        for i in range(per_device):
            at = (base - timezone.timedelta(milliseconds=run * 10_000_000 + i)).isoformat()
            infos.append(client.publish(topic, json.dumps({"power": i % 200, "observedAt": at}), qos=1))
        for info in infos:
            info.wait_for_publish(timeout=120)

    threads = [threading.Thread(target=send, args=(c, d[1])) for c, d in zip(clients, devices, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for client in clients:
        client.disconnect()
        client.loop_stop()
    return start


def broker_alone(port: int, devices, per_device: int) -> float:
    import paho.mqtt.client as mqtt

    from mueve.sensors import broker

    total = per_device * len(devices)
    received = 0
    done = threading.Event()
    last = [0.0]

    def on_message(client, userdata, msg):
        nonlocal received
        received += 1
        if received >= total:
            last[0] = time.monotonic()
            done.set()

    counter = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-counter", clean_session=True)
    counter.username_pw_set(*broker.platform_credentials())
    counter.on_message = on_message
    counter.connect("127.0.0.1", port)
    counter.subscribe("mueve/+/+/attrs", qos=1)
    counter.loop_start()
    time.sleep(0.5)
    start = _publish_all(port, devices, per_device, run=1)
    done.wait(300)
    counter.disconnect()
    counter.loop_stop()
    if received < total:
        raise SystemExit(f"broker alone: {received} of {total} received")
    return total / (last[0] - start)


def end_to_end(port: int, devices, per_device: int) -> tuple[float, int]:
    from mueve.sensors.models import Reading
    from mueve.sensors.mqtt import Subscriber

    total = per_device * len(devices)
    before = Reading.objects.count()
    sub = Subscriber(url=f"mqtt://127.0.0.1:{port}").start()
    sub.connected.wait(10)
    time.sleep(0.5)
    start = _publish_all(port, devices, per_device, run=2)
    deadline = time.monotonic() + 600
    while sub.stored < total and time.monotonic() < deadline:
        time.sleep(0.01)
    finished = time.monotonic()
    sub.stop()
    stored = Reading.objects.count() - before
    return total / (finished - start), stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--readings", type=int, default=20_000, help="readings per run, spread over the devices")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    per_device = max(1, args.readings // args.devices)
    with tempfile.TemporaryDirectory(prefix="mueve-sensors-bench-") as tmp:
        os.environ["MUEVE_DATA_DIR"] = tmp
        os.environ.setdefault("MUEVE_DEMO", "1")
        os.environ["MUEVE_SENSORS_MAX_READINGS_PER_MINUTE"] = "100000000"
        os.environ["MUEVE_MQTT_PASSWORD"] = "bench-platform-secret"
        if args.database_url:
            _fresh_postgres(args.database_url)
            os.environ["MUEVE_DATABASE_URL"] = args.database_url
        _django()
        from django.db import connection

        from mueve.sensors import broker

        devices = _seed(args.devices)
        port = _free_port()
        conf = broker.write_files(Path(tmp) / "broker", port=port, persistence=False)
        proc = subprocess.Popen([MOSQUITTO, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(0.5)
            total = per_device * args.devices
            print(f"database: {connection.vendor}; {args.devices} devices x {per_device} = {total} QoS 1 readings")
            raw = broker_alone(port, devices, per_device)
            print(f"Mosquitto alone, publish -> subscribe: {raw:,.0f} messages/s")
            e2e, stored = end_to_end(port, devices, per_device)
            print(f"end to end, publish -> stored:        {e2e:,.0f} readings/s")
            print(f"ratio end to end / broker alone: {e2e / raw:.2f} (aim: at least 0.5)")
            print(f"stored {stored} of {total} ({'none lost, none twice' if stored == total else 'MISMATCH'})")
        finally:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    main()
