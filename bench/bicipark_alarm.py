"""i-BiciPark alarm latency: from a slot's weight-drop reading posted (HTTP ingest) to the alarm on the security
desk's live stream, while other devices keep up a background load of readings.

    .venv/bin/python bench/bicipark_alarm.py                         # 200 alarms, 2,000 readings/s behind them
    .venv/bin/python bench/bicipark_alarm.py --alarms 100 --background 1000 --workers 2

A real site (tests.realtime.servers.LiveSite: a fresh SQLite database, `mueve serve` over uvicorn). Seeded with a
rack of --alarms slots, each with a bicycle checked in, the building's guard (with a session, whose cookie opens the
desk's stream), and --devices street-light sensors for the background. Background threads post SenML batches of
--batch readings for their sensors, paced to --background readings per second in all. Once it runs, each slot in
turn gets its bicycle's weight (14 kg) and then the drop (0.3 kg); the latency is from just before the drop's POST
is sent to the moment the desk stream delivers that slot's alarm. Prints p50, p99 and the maximum, and the
background rate actually achieved (the server shares the machine's cores with the load generator).
"""

import argparse
import http.client
import json
import os
import secrets
import statistics
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.realtime.servers import LiveSite  # noqa: E402 - after the path


def seed() -> None:
    """Runs in the site's own process (LiveSite's seed_with)."""
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from mueve.accounts.models import Role
    from mueve.accounts.services import user_create
    from mueve.sensors.bicipark.models import Slot
    from mueve.sensors.bicipark.services import rack_install, slot_check_in
    from mueve.sensors.models import Device
    from mueve.sensors.services.devices import device_provision
    from mueve.stakeholders.models import Level, Organization, Sector
    from mueve.territory.models import Jurisdiction
    from mueve.territory.services import jurisdiction_upsert

    alarms, devices = int(os.environ["BENCH_ALARMS"]), int(os.environ["BENCH_DEVICES"])
    metro = jurisdiction_upsert(
        slug="gran-concepcion", name="Gran Concepción", kind=Jurisdiction.Kind.METROPOLITAN_AREA
    )
    udec = Organization.objects.create(
        name="Universidad de Concepción", slug="udec", sector=Sector.ACADEMIA, level=Level.LOCAL
    )
    guard = user_create(username="guardia", password="bench-guardia-2026", role=Role.OPERATOR, organization=udec)
    cyclist = user_create(username="ciclista", password="bench-ciclista-2026", role=Role.CITIZEN)
    _rack, secrets = rack_install(
        actor=guard, slug="bench", name="Bicicletero", organization=udec, jurisdiction=metro,
        lat=-36.829, lon=-73.036, slots=alarms,
    )  # fmt: skip
    for slot in Slot.objects.all():
        slot_check_in(cyclist=cyclist, slot=slot)
    background = {}
    for n in range(devices):
        _device, background[f"luz-{n}"] = device_provision(
            actor=guard, uid=f"luz-{n}", name=f"Luz {n}", kind=Device.Kind.STREET_LIGHT, owner=udec,
            jurisdiction=metro, lat=-36.82, lon=-73.05,
        )  # fmt: skip
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(guard.pk)
    session[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    session[HASH_SESSION_KEY] = guard.get_session_auth_hash()
    session.create()
    out = {
        "slots": secrets,
        "background": background,
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
    }
    Path(os.environ["MUEVE_DATA_DIR"], "bench.json").write_text(json.dumps(out))
    print(json.dumps({"api_key": "", "operator_token": ""}))


def _post(conn: http.client.HTTPConnection, secret: str, body) -> int:
    try:
        return _send(conn, secret, body)
    except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
        conn.close()  # the server closed an idle keep-alive connection: open a new one
        return _send(conn, secret, body)


def _send(conn: http.client.HTTPConnection, secret: str, body) -> int:
    conn.request(
        "POST",
        "/sensores/ingesta/",
        body=json.dumps(body),
        headers={"Content-Type": "application/json", "Authorization": f"Device {secret}"},
    )
    response = conn.getresponse()
    response.read()
    return response.status


def _post_until_taken(conn, secret: str, body, retries: list) -> None:
    """A device retries what the server could not take (503: SQLite's write lock waited out); counted."""
    for _attempt in range(50):
        status = _post(conn, secret, body)
        if status == 202:
            return
        assert status == 503, status
        retries[0] += 1
        time.sleep(0.05)
    raise RuntimeError("the server kept answering 503")


def _background(port: int, devices: dict[str, str], rate: float, batch: int, stop: threading.Event, counts: list):
    """Posts SenML batches for `devices` in turn at `rate` readings per second (each reading its own time)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.monotonic()
    sent = 0
    base = datetime.now(UTC) - timedelta(minutes=2)
    step = 0
    items = list(devices.items())
    while not stop.is_set():
        uid, secret = items[step % len(items)]
        first = base.timestamp() + (step // len(items)) * batch * 0.001
        records = [{"bt": first, "bu": "W", "n": "power", "v": 40.0}]
        records += [{"n": "power", "t": k * 0.001, "v": 40.0 + k % 7} for k in range(1, batch)]
        if _post(conn, secret, records) == 202:
            sent += batch
            counts[0] += batch
        step += 1
        ahead = sent / rate - (time.monotonic() - start)
        if ahead > 0:
            stop.wait(ahead)


def _desk_reader(port: int, cookie: str, arrived: dict[int, float], ready: threading.Event, stop: threading.Event):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", "/bicipark/seguridad/udec/en-vivo/", headers={"Cookie": cookie, "Accept": "text/event-stream"})
    response = conn.getresponse()
    assert response.status == 200, response.status
    ready.set()
    while not stop.is_set():
        line = response.readline()
        if not line:
            return
        if line.startswith(b"data: "):
            state = json.loads(line[6:])
            if state.get("status") == "open":
                arrived.setdefault(state["slot"], time.perf_counter())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--alarms", type=int, default=200)
    parser.add_argument("--background", type=float, default=2000, help="background readings per second")
    parser.add_argument("--devices", type=int, default=20)
    parser.add_argument("--batch", type=int, default=100, help="readings per background POST")
    parser.add_argument("--senders", type=int, default=4, help="background sender threads")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mueve.config.settings")
    os.environ.setdefault("MUEVE_DATA_DIR", str(ROOT / "var"))
    os.environ.setdefault("MUEVE_SECRET_KEY", secrets.token_urlsafe(40))
    import django

    django.setup()

    env = {
        "BENCH_ALARMS": str(args.alarms),
        "BENCH_DEVICES": str(args.devices),
        "MUEVE_SENSORS_MAX_READINGS_PER_MINUTE": str(10**9),
        "MUEVE_WORKERS": str(args.workers),
    }
    with LiveSite(extra_env=env, seed_with="from bench.bicipark_alarm import seed; seed()") as site:
        site.start(1)
        data = json.loads((Path(site.tmp) / "bench.json").read_text())
        port = site.ports[0]
        arrived: dict[int, float] = {}
        ready, stop = threading.Event(), threading.Event()
        threading.Thread(target=_desk_reader, args=(port, data["cookie"], arrived, ready, stop), daemon=True).start()
        ready.wait(30)

        counts = [0]
        devices = list(data["background"].items())
        senders = []
        for index in range(args.senders):
            share = dict(devices[index :: args.senders])
            thread = threading.Thread(
                target=_background,
                args=(port, share, args.background / args.senders, args.batch, stop, counts),
                daemon=True,
            )
            thread.start()
            senders.append(thread)
        time.sleep(3)  # the background load settles
        load_start, load_count = time.monotonic(), counts[0]

        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        sent_at: dict[int, float] = {}
        retries = [0]
        for number in range(1, args.alarms + 1):
            secret = data["slots"][f"bench-{number}"]
            now = datetime.now(UTC)
            _post_until_taken(conn, secret, {"weight": 14.0, "observedAt": now.isoformat()}, retries)
            drop = {"weight": 0.3, "observedAt": (now + timedelta(milliseconds=500)).isoformat()}
            sent_at[number] = time.perf_counter()
            _post_until_taken(conn, secret, drop, retries)
            deadline = time.perf_counter() + 15
            while number not in arrived and time.perf_counter() < deadline:
                time.sleep(0.001)
            if number % 25 == 0:
                print(f"  {number} alarms sent, {len(arrived)} arrived", file=sys.stderr, flush=True)
        load_rate = (counts[0] - load_count) / (time.monotonic() - load_start)
        stop.set()

    missing = [n for n in sent_at if n not in arrived]
    latencies = sorted((arrived[n] - sent_at[n]) * 1000 for n in sent_at if n in arrived)
    p99 = latencies[min(len(latencies) - 1, int(round(0.99 * len(latencies))) - 1)] if latencies else float("nan")
    print(f"alarms: {len(latencies)} of {len(sent_at)} reached the desk stream (missing: {missing})")
    print(f"alarm-path POSTs retried after a 503: {retries[0]}")
    print(f"background: {load_rate:,.0f} readings/s achieved (asked {args.background:,.0f}/s)")
    print(
        f"alarm latency, drop POSTed -> desk stream: p50 {statistics.median(latencies):.1f} ms, "
        f"p99 {p99:.1f} ms, max {latencies[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
