"""Notification fan-out: one report on a street light that 10,000 people adopted, each of them asking for e-mail.

    .venv/bin/python bench/notify_fanout.py                      # SQLite (WAL) in a temporary folder
    .venv/bin/python bench/notify_fanout.py --adopters 2000 --triggers 2
    .venv/bin/python bench/notify_fanout.py --database-url "postgres://postgres@127.0.0.1:5432/mueve_fanout_bench"

Seeds a fresh database (as bench/ingest.py does: SQLite in a temporary folder, or the PostgreSQL database named,
dropped and created again, whose name must end in "_bench") with a street-light service, one light, --adopters
accounts that adopted it and chose e-mail for "incidente cerca de mi adopción", and an Open311 key. Starts a
real SMTP server (aiosmtpd) in this process and `mueve serve` (uvicorn, its intake process, background delivery)
pointed at it, then, over one keep-alive connection:

1. baseline: --requests Open311 POSTs of ordinary reports, away from the light, one after the other, at --rate a
   second (20 by default);
2. --triggers times: one POST of a report on the light (the triggering request), then ordinary POSTs one after
   the other until the SMTP server has received every adopter's e-mail; the time from the triggering request to
   the last e-mail handed to the SMTP server is the fan-out time.

Prints the latencies (median, p99) of the baseline, of the triggering requests, and of the requests made while
the fan-out ran, with their ratios; the fan-out times; and checks that nothing was lost: one notice per adopter
per trigger, every delivery sent, every e-mail received once. The load generator shares the machine with the
server, and this process also runs the SMTP server.
"""

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ingest import (  # noqa: E402 - after the path
    MUEVE,
    Connection,
    _django,
    _free_port,
    _fresh_postgres,
    _seed,
    _wait_until_up,
)

API_KEY = "o311_demo_bench_ingest_key_0000"
LIGHT = (-36.8270, -73.0500)
LIGHTS_SERVICE = "luminaria-apagada"
OTHER_SERVICE = "congestion"


SMTP_SINK = """
import json, signal, sys, threading, time
from aiosmtpd.controller import Controller

class Sink:
    messages = 0
    recipients = {}

    async def handle_DATA(self, server, session, envelope):
        Sink.messages += 1
        for rcpt in envelope.rcpt_tos:
            Sink.recipients[rcpt] = Sink.recipients.get(rcpt, 0) + 1
        return "250 OK"

controller = Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: done.set())
print("ready", flush=True)
done.wait()
controller.stop()
counts = {}
for times in Sink.recipients.values():
    counts[times] = counts.get(times, 0) + 1
print(json.dumps({"messages": Sink.messages, "addresses_by_times": counts}), flush=True)
"""


PUSH_SINK = """
import json, signal, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

received = {"messages": 0}
lock = threading.Lock()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with lock:
            received["messages"] += 1
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: done.set())
print("ready", flush=True)
done.wait()
server.shutdown()
print(json.dumps(received), flush=True)
"""


def _seed_adopters(count: int, push_port: int | None = None) -> None:
    from mueve.accounts.models import Role, User
    from mueve.notifications import kinds
    from mueve.notifications.models import Preference
    from mueve.reports import services
    from mueve.reports.models import Adoption
    from mueve.territory.models import Jurisdiction

    metro = Jurisdiction.objects.get(slug="gran-concepcion")
    lights = services.service_upsert(
        jurisdiction=metro,
        code=LIGHTS_SERVICE,
        name="Luminaria apagada",
        alert_category="security",
        alert_subcategory="streetLight",
        fusion_radius_m=30,
        fusion_window_minutes=60 * 24,
        attributes=[],
    )
    light = services.asset_upsert(
        jurisdiction=metro,
        kind="street_light",
        code="poste-bench",
        name="Poste del banco",
        lat=LIGHT[0],
        lon=LIGHT[1],
        service=lights,
    )
    users = User.objects.bulk_create(
        [
            User(username=f"vecino-{n}", email=f"vecino-{n}@bench.example", role=Role.CITIZEN, password="!")
            for n in range(count)
        ],
        batch_size=2000,
    )
    Adoption.objects.bulk_create([Adoption(asset=light, user=user) for user in users], batch_size=2000)
    channels = [kinds.EMAIL] + ([kinds.PUSH] if push_port else [])
    Preference.objects.bulk_create(
        [
            Preference(user=user, kind=kinds.ADOPTION_INCIDENT, channel=channel, enabled=True)
            for user in users
            for channel in channels
        ],
        batch_size=2000,
    )
    if push_port:
        # One browser key pair for all: each message is still encrypted on its own (a fresh key per message).
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        from mueve.notifications.models import PushSubscription
        from mueve.notifications.webpush import b64url_encode

        public = (
            ec.generate_private_key(ec.SECP256R1())
            .public_key()
            .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        )
        PushSubscription.objects.bulk_create(
            [
                PushSubscription(
                    user=user,
                    endpoint=f"http://127.0.0.1:{push_port}/push/{user.pk}",
                    p256dh=b64url_encode(public),
                    auth=b64url_encode(os.urandom(16)),
                )
                for user in users
            ],
            batch_size=2000,
        )


def _body(service: str, lat: float, lon: float, key: str) -> bytes:
    return urlencode(
        {
            "api_key": API_KEY,
            "service_code": service,
            "lat": f"{lat:.6f}",
            "long": f"{lon:.6f}",
            "description": "Reporte del banco de pruebas",
            "device_id": f"bench-{key}",
            "idempotency_key": key,
        }
    ).encode()


def _quantiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    return statistics.median(ordered), p99


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (name ending _bench); SQLite if empty")
    parser.add_argument("--adopters", type=int, default=10_000)
    parser.add_argument("--triggers", type=int, default=3)
    parser.add_argument("--requests", type=int, default=300, help="ordinary requests in the baseline")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for one fan-out")
    parser.add_argument("--push", action="store_true", help="adopters also chose Web Push (a local push service)")
    parser.add_argument(
        "--rate", type=float, default=20.0, help="ordinary requests a second (0: back to back, as fast as answered)"
    )
    args = parser.parse_args()

    import json

    # The SMTP server in a process of its own, as a mail relay would be: it does not share this one's interpreter.
    smtp_port = _free_port()
    smtp = subprocess.Popen(
        [sys.executable, "-c", SMTP_SINK, str(smtp_port)], stdout=subprocess.PIPE, text=True, cwd=str(ROOT)
    )
    if smtp.stdout.readline().strip() != "ready":
        raise SystemExit("the SMTP server did not start")
    push_port = _free_port() if args.push else None
    pusher = None
    if push_port:
        pusher = subprocess.Popen(
            [sys.executable, "-c", PUSH_SINK, str(push_port)], stdout=subprocess.PIPE, text=True, cwd=str(ROOT)
        )
        if pusher.stdout.readline().strip() != "ready":
            raise SystemExit("the push service did not start")

    data_dir = tempfile.mkdtemp(prefix="mueve-fanout-")
    env = dict(os.environ)
    env.update(
        {
            "MUEVE_DATA_DIR": data_dir,
            "MUEVE_DATABASE_URL": args.database_url,
            "MUEVE_REPORTS_RATE": "1000000/hour",
            "MUEVE_REPORTS_RATE_USER": "1000000/hour",
            "MUEVE_DEMO": "1",
            "MUEVE_EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "MUEVE_NOTIFICATIONS_DELIVERY": "background",
            "MUEVE_PUSH_ALLOW_LOCAL": "1",
            "DJANGO_SETTINGS_MODULE": "mueve.config.settings",
        }
    )
    env.pop("MUEVE_REDIS_URL", None)
    os.environ.update({k: v for k, v in env.items() if k.startswith(("MUEVE_", "DJANGO_"))})
    os.environ.pop("MUEVE_REDIS_URL", None)
    if args.database_url:
        _fresh_postgres(args.database_url)
    _django()
    seed_started = time.perf_counter()
    _seed()
    _seed_adopters(args.adopters, push_port)
    seeded_in = time.perf_counter() - seed_started
    from django.db import connection

    engine = connection.vendor
    connection.close()

    port = _free_port()
    log = open(Path(data_dir) / "server.log", "wb")  # noqa: SIM115 - closed when the server is
    server = subprocess.Popen(
        [MUEVE, "serve", "--no-migrate", "--port", str(port)],
        env=env,
        cwd=str(ROOT),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    rng = random.Random(2014)
    sequence = iter(range(10**9))

    def _sent() -> int:
        from django.db import connection

        from mueve.notifications.models import Delivery

        count = Delivery.objects.filter(status="sent").count()
        connection.close()
        return count

    async def post(conn: Connection, service: str, lat: float, lon: float) -> float:
        key = f"k{next(sequence)}"
        started = time.perf_counter()
        status, payload = await conn.request("POST", "/open311/v2/requests.json", _body(service, lat, lon, key))
        elapsed = time.perf_counter() - started
        if status != 200:
            raise SystemExit(f"POST answered {status}: {payload[:300]!r}")
        return elapsed

    async def ordinary(conn: Connection) -> float:
        # Away from the light (≥ 1 km): no adopter is told. Paced at --rate, as a city's reports arrive.
        started = time.perf_counter()
        elapsed = await post(conn, OTHER_SERVICE, rng.uniform(-36.80, -36.78), rng.uniform(-73.08, -73.06))
        if args.rate > 0:
            await asyncio.sleep(max(0.0, 1.0 / args.rate - (time.perf_counter() - started)))
        return elapsed

    async def drive() -> dict:
        conn = Connection("127.0.0.1", port)
        await conn.open()
        for _warm_up in range(30):
            await ordinary(conn)
        baseline = [await ordinary(conn) for _ in range(args.requests)]
        triggers, during = [], []
        per_trigger = args.adopters * (2 if args.push else 1)
        for n in range(args.triggers):
            expected = per_trigger * (n + 1)
            started = time.perf_counter()
            offset = (n + 1) * 0.00005  # a few metres apart: each its own report on the same light
            triggers.append(await post(conn, LIGHTS_SERVICE, LIGHT[0] + offset, LIGHT[1]))
            deadline = started + args.timeout
            sent = 0
            while sent < expected and time.perf_counter() < deadline:
                during.append(await ordinary(conn))
                if len(during) % 5 == 0:
                    sent = await asyncio.to_thread(_sent)
            if sent < expected:
                raise SystemExit(f"fan-out {n + 1}: {sent} of {expected} deliveries after {args.timeout} s")
        conn.close()
        return {"baseline": baseline, "triggers": triggers, "during": during}

    try:
        _wait_until_up(f"http://127.0.0.1:{port}", server)
        figures = asyncio.run(drive())
        time.sleep(1.0)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
        smtp.terminate()
        received = json.loads(smtp.communicate(timeout=30)[0].strip().splitlines()[-1])
        pushed = {"messages": 0}
        if pusher is not None:
            pusher.terminate()
            pushed = json.loads(pusher.communicate(timeout=30)[0].strip().splitlines()[-1])

    from django.db.models import Count

    from mueve.notifications.models import Delivery, Notification

    notices = Notification.objects.filter(kind="adoption_incident").count()
    by_status = dict(Delivery.objects.values_list("status").order_by().annotate(n=Count("id")))
    repeated = sum(n for times, n in received["addresses_by_times"].items() if int(times) != args.triggers)
    from django.db.models import Max, Min

    from mueve.reports.models import Report

    stages = []
    for report in Report.objects.filter(service__code=LIGHTS_SERVICE).order_by("requested_datetime"):
        told = Notification.objects.filter(ref=f"report:{report.public_id}").aggregate(
            first=Min("created_at"), last=Max("created_at")
        )
        sent = Delivery.objects.filter(notification__ref=f"report:{report.public_id}", status="sent").aggregate(
            first=Min("sent_at"), last=Max("sent_at")
        )
        if told["first"] and sent["last"]:
            stages.append(
                (
                    (told["first"] - report.requested_datetime).total_seconds(),
                    (sent["first"] - told["first"]).total_seconds(),
                    (sent["last"] - sent["first"]).total_seconds(),
                    (sent["last"] - report.requested_datetime).total_seconds(),
                )
            )

    def ms(value: float) -> str:
        return f"{value * 1000:7.1f} ms"

    base_median, base_p99 = _quantiles(figures["baseline"])
    during_median, during_p99 = _quantiles(figures["during"]) if figures["during"] else (0.0, 0.0)
    print(f"database: {engine}; adopters: {args.adopters}; triggers: {args.triggers}; seeded in {seeded_in:.1f} s")
    print(f"baseline POST (no adopter): median {ms(base_median)}, p99 {ms(base_p99)}  ({len(figures['baseline'])})")
    print(
        "triggering POST (on the light): "
        + ", ".join(ms(t).strip() for t in figures["triggers"])
        + f"; the slowest is {max(figures['triggers']) / base_p99:.2f}× the baseline p99"
    )
    print(
        f"POSTs during the fan-out: median {ms(during_median)}, p99 {ms(during_p99)}  ({len(figures['during'])}); "
        f"p99 ratio to baseline {during_p99 / base_p99 if base_p99 else 0:.2f}"
    )
    print(
        "fan-out, the report's arrival to the last delivery handed off (e-mail accepted by the SMTP server, push by "
        "the push service): " + ", ".join(f"{stage[3]:.2f} s" for stage in stages) + "  (aim < 10 s)"
    )
    for n, (to_notices, to_first_mail, mailing, _total) in enumerate(stages, start=1):
        print(
            f"  fan-out {n}: notices stored {to_notices:.2f} s after the report arrived; first delivery "
            f"{to_first_mail:.2f} s later; all deliveries handed off over {mailing:.2f} s"
        )
    print(
        f"nothing lost: notices {notices} (expected {args.adopters * args.triggers}); deliveries {by_status}; "
        f"e-mails received {received['messages']}; pushes received {pushed['messages']}; "
        f"addresses not e-mailed exactly {args.triggers} times: {repeated}"
    )


if __name__ == "__main__":
    main()
