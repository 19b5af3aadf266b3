"""Sustained Open311 ingest throughput, against the same server's cheapest endpoint, with a real server process.

    .venv/bin/python bench/ingest.py                                  # SQLite (WAL) in a temporary folder
    .venv/bin/python bench/ingest.py --database-url "postgres://postgres@127.0.0.1:5432/mueve_a_bench?pool=true"
    .venv/bin/python bench/ingest.py --seconds 20 --clients 16
    .venv/bin/python bench/ingest.py --reference /open311/v2/discovery.json   # also a GET making one small query

Builds a fresh database (SQLite in a temporary folder, or the PostgreSQL database named in --database-url,
dropped and created again: its name must end in "_bench"), migrates it and seeds a jurisdiction with its
communes, a service (congestion: 250 m / 2 h fusion) and an approved Open311 key, then starts `mueve serve`
(uvicorn) on a free port and drives it with --clients keep-alive HTTP/1.1 connections from one asyncio loop:

1. baseline: GET --baseline-path (default /healthz: the server's no-op, through the same middleware, no database)
   for --seconds;
2. ingest: POST /open311/v2/requests.json for --seconds, every request a new report (its own device id and
   idempotency key, a point spread over Gran Concepción so some reports fuse into incidents); then it waits until
   the intake worker has processed every accepted report (fusion, routing, events), so a backlog cannot pass
   for throughput;
3. retries: 200 POSTs reusing idempotency keys already accepted (a phone retrying after a lost answer).
4. with --reference PATH (repeatable): GET PATH for --seconds, printed with its ratio to the baseline, as a yardstick
   (e.g. /open311/v2/discovery.json makes one small query: what a single query costs on this stack and machine).

Prints requests per second of both phases and their ratio, the server's CPU time per request in each phase (from
/proc: steadier than rates on a shared machine; the report's includes its processing), then checks in the
database: one row per accepted POST (no report lost), no duplicates, retries answered with the original ids,
nothing left in the intake queue, and every report with an incident counted exactly once (sum of report_count).
The load generator shares the machine with the server.
Rate limits are set out of the way (MUEVE_REPORTS_RATE=1000000/hour) but still checked on every POST.
"""

import argparse
import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MUEVE = str(ROOT / ".venv" / "bin" / "mueve")
API_KEY = "o311_demo_bench_ingest_key_0000"  # a fixed key is a demo key: the server runs in demo mode
SERVICE = "congestion"
BOX = (-36.93, -36.71, -73.13, -73.02)  # Gran Concepción: lat min/max, lon min/max


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fresh_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.endswith("_bench"):
        raise SystemExit("--database-url: the database name must end in _bench (it is dropped and created)")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres", query="")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mueve.config.settings")
    import django

    django.setup()


def _seed() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from mueve.accounts.models import Role
    from mueve.accounts.services import user_create
    from mueve.api import services as api_services
    from mueve.demo import territory
    from mueve.reports import services
    from mueve.territory.models import Jurisdiction

    territory.load()  # the communes' areas: incidents get an area and routing looks them up
    metro = Jurisdiction.objects.get(slug="gran-concepcion")
    services.service_upsert(
        jurisdiction=metro,
        code=SERVICE,
        name="Congestión",
        alert_category="traffic",
        alert_subcategory="trafficJam",
        fusion_radius_m=250,
        fusion_window_minutes=120,
        attributes=[],
    )
    manager = user_create(username="gestora-bench", password="bench-ingest-2014", role=Role.MANAGER)
    application = api_services.application_add(actor=manager, name="bench", contact_email="bench@example.org")
    api_key, _key = api_services.key_create(application=application, actor=manager, key=API_KEY)
    api_services.key_quota_set(api_key=api_key, actor=manager, per_minute=10**8, per_day=10**9)


class Connection:
    """One keep-alive HTTP/1.1 connection (enough HTTP for this server's answers: Content-Length bodies)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
        if method == "POST":
            head += f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + body)
        await self.writer.drain()
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = 0
        for line in lines[1:]:
            if line.lower().startswith("content-length:"):
                length = int(line.split(":", 1)[1])
        payload = await self.reader.readexactly(length) if length else b""
        return status, payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def _report_body(rng: random.Random, key: str) -> bytes:
    lat = rng.uniform(BOX[0], BOX[1])
    lon = rng.uniform(BOX[2], BOX[3])
    return urlencode(
        {
            "api_key": API_KEY,
            "service_code": SERVICE,
            "lat": f"{lat:.6f}",
            "long": f"{lon:.6f}",
            "description": "Tránsito detenido (bench)",
            "device_id": f"bench-{key}",
            "idempotency_key": key,
        }
    ).encode()


async def _phase(host, port, clients: int, seconds: float, make_request) -> dict:
    """Each client sends its next request as soon as the previous answer arrived, until time runs out."""
    connections = [Connection(host, port) for _ in range(clients)]
    await asyncio.gather(*(c.open() for c in connections))
    stats = {"ok": 0, "errors": 0, "statuses": {}, "accepted": []}
    deadline = time.perf_counter() + seconds

    async def loop(index: int, conn: Connection) -> None:
        sequence = 0
        while time.perf_counter() < deadline:
            method, path, body, key = make_request(index, sequence)
            sequence += 1
            status, payload = await conn.request(method, path, body)
            stats["statuses"][status] = stats["statuses"].get(status, 0) + 1
            if status == 200:
                stats["ok"] += 1
                if key is not None:
                    stats["accepted"].append((key, payload))
            else:
                stats["errors"] += 1

    started = time.perf_counter()
    await asyncio.gather(*(loop(i, c) for i, c in enumerate(connections)))
    stats["elapsed"] = time.perf_counter() - started
    for conn in connections:
        conn.close()
    return stats


def _cpu_by_process(session_id: int) -> dict[int, float]:
    """User + system CPU seconds of each process in the server's session (uvicorn, its workers, the intake
    process), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session_id:  # field 6 of stat, the session id, after "pid (comm) state ppid pgrp"
            found[int(entry)] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return found


def _cpu_seconds(session_id: int) -> float:
    return sum(_cpu_by_process(session_id).values())


def _start_profilers(session_id: int, folder: str, seconds: float) -> list[subprocess.Popen]:
    """py-spy on each of the server's processes (uvicorn, the intake child) for the ingest phase."""
    spy = Path(sys.executable).with_name("py-spy")
    Path(folder).mkdir(parents=True, exist_ok=True)
    return [
        subprocess.Popen(
            [
                str(spy),
                "record",
                "--pid",
                str(pid),
                "--duration",
                str(max(1, int(seconds) - 1)),
                "--rate",
                "250",
                "--format",
                "raw",
                "--nonblocking",
                "--gil",
                "--output",
                str(Path(folder) / f"{pid}.raw"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid in _cpu_by_process(session_id)  # the session's processes
    ]


def _wait_until_processed(expected: int, timeout: float = 120) -> None:
    """Until every accepted report left the intake queue (or the timeout): throughput that leaves a backlog is not
    sustained."""
    from django.db import connection

    from mueve.reports.models import Report

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Report.objects.filter(intake_pending=True).exists() and Report.objects.count() >= expected:
            break
        time.sleep(0.05)
    connection.close()


def _wait_until_up(base: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(base + "/open311/v2/discovery.json", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not start in time")


def main() -> None:
    import json

    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (name ending _bench); SQLite if empty")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--baseline-path", default="/healthz")
    parser.add_argument(
        "--reference",
        action="append",
        default=[],
        metavar="PATH",
        help="also GET this path for --seconds (repeatable), printed with its ratio to the baseline: e.g. "
        "/open311/v2/discovery.json, one small query, to see what a single database round trip costs here",
    )
    parser.add_argument("--settings", default="mueve.config.settings", help="Django settings module of the server")
    parser.add_argument(
        "--profile",
        default="",
        help="folder: py-spy profiles (raw; threads holding the GIL) of the server's processes in the ingest phase",
    )
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="mueve-ingest-")
    env = dict(os.environ)
    env.update(
        {
            "MUEVE_DATA_DIR": data_dir,
            "MUEVE_DATABASE_URL": args.database_url,
            "MUEVE_REPORTS_RATE": "1000000/hour",
            "MUEVE_REPORTS_RATE_USER": "1000000/hour",
            "MUEVE_DEMO": "1",
            "DJANGO_SETTINGS_MODULE": args.settings,
        }
    )
    env.pop("MUEVE_REDIS_URL", None)  # the per-process cache: no shared Redis between benchmark runs
    os.environ.update({k: v for k, v in env.items() if k.startswith(("MUEVE_", "DJANGO_"))})
    os.environ.pop("MUEVE_REDIS_URL", None)
    if args.database_url:
        _fresh_postgres(args.database_url)
    _django()
    _seed()
    from django.db import connection

    engine = connection.vendor
    connection.close()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = Path(data_dir) / "server.log"
    log = open(log_path, "wb")  # noqa: SIM115 - closed when the server is
    server = subprocess.Popen(
        [MUEVE, "serve", "--no-migrate", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        cwd=str(ROOT),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_until_up(base, server)
        host = "127.0.0.1"

        def baseline_request(_index, _sequence):
            return "GET", args.baseline_path, b"", None

        rng = random.Random(2014)

        def ingest_request(index, sequence):
            key = f"c{index}-r{sequence}"
            return "POST", "/open311/v2/requests.json", _report_body(rng, key), key

        def timed(request):
            """A second of warm-up, then --seconds of `request`: (the phase's figures, the server's CPU seconds)."""
            asyncio.run(_phase(host, port, args.clients, 1.0, request))
            cpu_start = _cpu_seconds(server.pid)
            stats = asyncio.run(_phase(host, port, args.clients, args.seconds, request))
            return stats, _cpu_seconds(server.pid) - cpu_start

        baseline, cpu_baseline = timed(baseline_request)
        references = []
        for path in args.reference:

            def get(_index, _sequence, path=path):
                return "GET", path, b"", None

            references.append((path, *timed(get)))
        split_start = _cpu_by_process(server.pid)
        cpu_start = sum(split_start.values())
        profilers = _start_profilers(server.pid, args.profile, args.seconds) if args.profile else []
        ingest = asyncio.run(_phase(host, port, args.clients, args.seconds, ingest_request))
        # The intake worker may still be fusing the last reports: wait for it, and count its CPU.
        drain_started = time.perf_counter()
        _wait_until_processed(len(ingest["accepted"]))
        ingest["drain"] = time.perf_counter() - drain_started
        ingest["elapsed"] += ingest["drain"]  # the rate counts until the last report was processed
        split_end = _cpu_by_process(server.pid)
        cpu_ingest = sum(split_end.values()) - cpu_start
        split = {pid: cpu - split_start.get(pid, 0.0) for pid, cpu in split_end.items()}
        for profiler in profilers:
            profiler.wait()
        accepted = ingest["accepted"]
        sample = random.Random(7).sample(accepted, min(200, len(accepted)))
        retry_rng = random.Random(99)
        retry_answers = {}

        def retry_request(index, sequence):
            key, _payload = sample[(index * 1000 + sequence) % len(sample)]
            return "POST", "/open311/v2/requests.json", _report_body(retry_rng, key), key

        if sample:
            retries = asyncio.run(_phase(host, port, min(args.clients, 4), 2.0, retry_request))
            for key, payload in retries["accepted"]:
                retry_answers.setdefault(key, set()).add(json.loads(payload)[0]["service_request_id"])
        else:
            retries = {"ok": 0, "errors": 0}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()

    from django.db.models import Sum

    from mueve.reports.models import Incident, Report

    answered = {key: json.loads(payload)[0]["service_request_id"] for key, payload in accepted}
    rows = dict(Report.objects.filter(source="open311").values_list("idempotency_key", "public_id"))
    lost = [key for key in answered if key not in rows]
    mismatched = [key for key, public_id in answered.items() if rows.get(key) != public_id]
    extra = len(rows) - len(answered)
    retry_wrong = [k for k, ids in retry_answers.items() if ids != {answered[k]}]
    counted = Incident.objects.aggregate(total=Sum("report_count"))["total"] or 0
    in_incidents = Report.objects.filter(incident__isnull=False).count()
    pending_after = Report.objects.filter(intake_pending=True).count()

    base_rate = baseline["ok"] / baseline["elapsed"]
    ingest_rate = ingest["ok"] / ingest["elapsed"]
    print(f"database: {engine}; uvicorn workers: {args.workers}; clients: {args.clients}; seconds: {args.seconds:g}")
    print(
        f"baseline GET {args.baseline_path}: {base_rate:8.1f} req/s  ({baseline['ok']} ok, {baseline['errors']} errors)"
    )
    print(
        f"ingest   POST /open311/v2/requests.json: {ingest_rate:8.1f} req/s  "
        f"({ingest['ok']} ok, {ingest['errors']} errors; the last one processed {ingest['drain']:.2f} s after the "
        "last answer, counted in)"
    )
    for path, stats, cpu in references:
        rate = stats["ok"] / stats["elapsed"]
        print(
            f"reference GET {path}: {rate:8.1f} req/s  ({stats['ok']} ok, {stats['errors']} errors); "
            f"ratio to baseline {rate / base_rate:.2f}; server CPU {cpu / max(stats['ok'], 1) * 1000:.2f} ms a request"
        )
    print(f"ratio ingest / baseline: {ingest_rate / base_rate:.2f}  (aim ≥ 0.50)")
    cpu_per_base = cpu_baseline / max(baseline["ok"], 1) * 1000
    cpu_per_report = cpu_ingest / max(ingest["ok"], 1) * 1000
    print(
        f"server CPU per request: baseline {cpu_per_base:.2f} ms, report {cpu_per_report:.2f} ms "
        f"(accepting and processing, until the intake queue was empty); CPU ratio {cpu_per_base / cpu_per_report:.2f}"
    )
    shares = ", ".join(
        f"{'uvicorn' if pid == server.pid else f'process {pid}'} {cpu:.1f} s "
        f"({cpu / ingest['elapsed'] * 100:.0f}% of a core)"
        for pid, cpu in sorted(split.items())
    )
    print(f"server CPU in the ingest phase, by process: {shares}")
    print(f"reports still waiting for the intake worker at the end: {pending_after}")
    print(
        f"reports stored: {len(rows)} for {len(answered)} accepted POSTs; lost {len(lost)}, extra {extra}, "
        f"wrong id {len(mismatched)}; retries {retries['ok']} answered, {len(retry_wrong)} with another id"
    )
    print(
        f"incidents: {Incident.objects.count()}; sum of report_count {counted} = reports in incidents {in_incidents}: "
        f"{'yes' if counted == in_incidents else 'NO'}"
    )
    if baseline["errors"] or ingest["errors"]:
        print(f"statuses: baseline {baseline['statuses']}, ingest {ingest['statuses']}; server log: {log_path}")
    if lost or extra or mismatched or retry_wrong or counted != in_incidents or ingest["errors"] or pending_after:
        print("FAILED: see the counts above", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
