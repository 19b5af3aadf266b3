"""Report → dashboard latency of the live stream, with real server processes.

    .venv/bin/python bench/live.py                                   # SQLite, 1 process
    .venv/bin/python bench/live.py --database-url postgres://postgres@127.0.0.1:5432/mueve_c_bench \\
        --redis-url redis://127.0.0.1:6379/5 --processes 2           # PostgreSQL + Redis, 2 processes
    .venv/bin/python bench/live.py --max-clients                     # + the largest client count with p99 < 1 s

Starts `mueve serve` processes on a fresh database (seeded with one service, an Open311 key and an
operator token), connects --clients Server-Sent Events clients (spread over the processes) to the
control stream, then posts Open311 reports at a steady --rate for --seconds (spread over the
processes too). Latency is measured per (client, report): from the moment the POST was sent to the
moment that client read the report's `reports.report_submitted` event — so it includes the whole
submission (validation, fusion, routing, commit), not just the fan-out. Prints p50/p99/max, lost
and duplicated deliveries, then where the time went (sent → accepted → event stored → dashboard, from the
database's timestamps). --max-clients then doubles the clients (one process) until p99 ≥ 1 s.

Before the measured reports, --warmup seconds (default 2) of reports at the same rate are posted and delivered,
and not counted: a fresh process's first reports pay one-off costs (a first batch took 300 ms where the next
took 20 ms), which are not the steady state the figures describe.

The load generator runs on the same machine, so its own CPU use counts against the servers.
"""

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.realtime.servers import SERVICE_CODE, LiveSite  # noqa: E402

KIND = b'"kind":"reports.report_submitted"'
PUBLIC_ID = b'"public_id":"'


class Client:
    """One SSE connection; records when each report's event arrived (bytes search: cheap per message)."""

    def __init__(self, base: str, token: str):
        self.base = urlsplit(base)
        self.token = token
        self.arrivals: dict[str, float] = {}
        self.duplicates = 0
        self.ready = asyncio.Event()
        self.failed = ""

    async def run(self) -> None:
        try:
            reader, writer = await asyncio.open_connection(self.base.hostname, self.base.port)
        except OSError as exc:
            self.failed = str(exc)
            self.ready.set()
            return
        writer.write(
            (
                "GET /tiempo-real/stream/?topics=control HTTP/1.1\r\n"
                f"Host: {self.base.hostname}\r\nAuthorization: Bearer {self.token}\r\n"
                "Accept: text/event-stream\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            self.failed = head.split(b"\r\n", 1)[0].decode()
            self.ready.set()
            return
        self.ready.set()
        tail = b""
        try:
            while True:
                chunk = await reader.read(65536)
                if not chunk:
                    return
                now = time.time()
                data = tail + chunk
                last = data.rfind(b"\n\n")
                if last < 0:
                    tail = data
                    continue
                complete, tail = data[:last], data[last + 2 :]
                position = 0
                while True:
                    # PostgreSQL's jsonb reorders keys: find the kind, then the id inside the same message.
                    found = complete.find(KIND, position)
                    if found < 0:
                        break
                    message_start = max(0, complete.rfind(b"\n\n", 0, found))
                    message_end = complete.find(b"\n\n", found)
                    message_end = len(complete) if message_end < 0 else message_end
                    begin = complete.find(PUBLIC_ID, message_start, message_end)
                    if begin >= 0:
                        begin += len(PUBLIC_ID)
                        public_id = complete[begin : complete.index(b'"', begin)].decode()
                        if public_id in self.arrivals:
                            self.duplicates += 1
                        else:
                            self.arrivals[public_id] = now
                    position = message_end
        finally:
            writer.close()


class Poster:
    """Keeps one HTTP/1.1 connection to a server and posts Open311 reports on it."""

    def __init__(self, base: str, api_key: str):
        self.base = urlsplit(base)
        self.api_key = api_key
        self.reader = self.writer = None
        self.answered: list[float] = []  # ms from sending each POST to its answer

    async def post(self, n: int) -> tuple[float, str]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.base.hostname, self.base.port)
        lat = -36.95 + (n % 97) * 0.003
        lon = -73.20 + (n // 97 % 97) * 0.003
        body = urlencode(
            {
                "api_key": self.api_key,
                "service_code": SERVICE_CODE,
                "lat": f"{lat:.6f}",
                "long": f"{lon:.6f}",
                "description": f"Reporte de carga {n}",
                "device_id": uuid.uuid4().hex,
            }
        ).encode()
        sent = time.time()
        self.writer.write(
            (
                "POST /open311/v2/requests.json HTTP/1.1\r\n"
                f"Host: {self.base.hostname}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            + body
        )
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        payload = await self.reader.readexactly(length)
        if b" 200 " not in head.split(b"\r\n", 1)[0] and b" 201 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(head.split(b"\r\n", 1)[0].decode() + " " + payload[:200].decode(errors="replace"))
        self.answered.append((time.time() - sent) * 1000)
        marker = b'"service_request_id": "' if b'"service_request_id": "' in payload else b'"service_request_id":"'
        begin = payload.index(marker) + len(marker)
        return sent, payload[begin : payload.index(b'"', begin)].decode()


def publisher(total: int, rate: float, out: str) -> None:
    """Runs in a configured Django process: publishes `total` events at `rate`, each in its own transaction,
    and writes when each one was committed (the fan-out alone, without the cost of a report submission)."""
    import json

    import django

    django.setup()
    from django.db import transaction

    from mueve.core.events import publish

    sent = {}
    start = time.time()
    for n in range(total):
        delay = start + n / rate - time.time()
        if delay > 0:
            time.sleep(delay)
        public_id = f"P{n:08d}"
        with transaction.atomic():
            publish("reports.report_submitted", {"public_id": public_id, "bench": True})
        sent[public_id] = time.time()
    Path(out).write_text(json.dumps(sent))


async def _publish_events(site, total: int, rate: float) -> dict[str, float]:
    import json
    import tempfile

    out = tempfile.mktemp(suffix=".json")
    code = f"from bench.live import publisher; publisher({total}, {rate}, {out!r})"
    process = await asyncio.create_subprocess_exec(sys.executable, "-c", code, env=site.env, cwd=str(ROOT))
    await process.wait()
    return json.loads(Path(out).read_text())


async def measure(
    urls: list[str],
    token: str,
    api_key: str,
    *,
    clients: int,
    rate: float,
    seconds: float,
    warmup: float = 0.0,
    site=None,
) -> dict:
    sse = [Client(urls[i % len(urls)], token) for i in range(clients)]
    tasks = [asyncio.create_task(c.run()) for c in sse]
    await asyncio.wait_for(asyncio.gather(*(c.ready.wait() for c in sse)), 120)
    failed = [c.failed for c in sse if c.failed]
    await asyncio.sleep(1.0)
    posters = [Poster(urls[i % len(urls)], api_key) for i in range(16 * len(urls))]
    errors: list[str] = []
    free = asyncio.Queue()
    for poster in posters:
        free.put_nowait(poster)

    async def one(n: int, sent: dict[str, float]) -> None:
        poster = await free.get()
        try:
            moment, public_id = await poster.post(n)
            sent[public_id] = moment
        except Exception as exc:  # noqa: BLE001 — counted and printed
            errors.append(str(exc))
            poster.writer = None
        finally:
            free.put_nowait(poster)

    async def steady(first: int, total: int, sent: dict[str, float]) -> float:
        """Posts `total` reports at `rate`; returns the rate achieved."""
        in_flight: set[asyncio.Task] = set()
        start = time.time()
        for n in range(total):
            delay = start + n / rate - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            task = asyncio.create_task(one(first + n, sent))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
        await asyncio.gather(*in_flight)
        return len(sent) / (time.time() - start)

    async def delivered(sent: dict[str, float]) -> None:
        deadline = time.time() + 15
        while time.time() < deadline and any(len(c.arrivals) < len(sent) for c in sse if not c.failed):
            await asyncio.sleep(0.2)

    warm = int(rate * warmup) if site is None else 0
    if warm:
        # The first reports of a fresh process pay its one-off costs (polygons prepared, caches filled, code paths
        # run for the first time): the steady state is measured after them.
        warm_sent: dict[str, float] = {}
        await steady(0, warm, warm_sent)
        await delivered(warm_sent)
        for client in sse:
            client.arrivals.clear()
            client.duplicates = 0
        for poster in posters:
            poster.answered.clear()
    sent: dict[str, float] = {}
    total = int(rate * seconds)
    if site is not None:  # --source publish
        sent.update(await _publish_events(site, total, rate))
        # the publisher's own pace, without its start-up time
        achieved = (len(sent) - 1) / (max(sent.values()) - min(sent.values())) if len(sent) > 1 else float("nan")
    else:
        achieved = await steady(warm, total, sent)
    await delivered(sent)
    for task in tasks:
        task.cancel()
    latencies = []
    lost = 0
    for client in sse:
        if client.failed:
            continue
        for public_id, moment in sent.items():
            arrived = client.arrivals.get(public_id)
            if arrived is None:
                lost += 1
            else:
                latencies.append((arrived - moment) * 1000)
    latencies.sort()
    answered = sorted(ms for poster in posters for ms in poster.answered)

    def pct(p: float, values: list[float] = latencies) -> float:
        return values[min(len(values) - 1, int(p * len(values)))] if values else float("nan")

    return {
        "clients": clients,
        "connected": clients - len(failed),
        "reports": len(sent),
        "post_errors": len(errors),
        "first_error": errors[0] if errors else "",
        "rate": achieved,
        "p50": pct(0.50),
        "p99": pct(0.99),
        "max": latencies[-1] if latencies else float("nan"),
        "mean": statistics.fmean(latencies) if latencies else float("nan"),
        "post_p50": pct(0.50, answered),
        "post_p99": pct(0.99, answered),
        "lost": lost,
        "duplicates": sum(c.duplicates for c in sse),
        "sent": sent,
        "arrivals": [c.arrivals for c in sse if not c.failed],
    }


STORED = """
import json, sys
import django
django.setup()
from mueve.realtime.models import Event
from mueve.reports.models import Report
ids = json.loads(sys.stdin.read())
accepted = dict(Report.objects.filter(public_id__in=ids).values_list("public_id", "requested_datetime"))
out = {}
for event in Event.objects.filter(kind="reports.report_submitted").only("payload", "created_at").iterator():
    public_id = event.payload["public_id"]
    if public_id in accepted:
        out[public_id] = [accepted[public_id].timestamp(), event.created_at.timestamp()]
print(json.dumps(out))
"""


def stages(site, r: dict) -> None:
    """Where the time goes, per report: POST sent → accepted (the report's requested_datetime), accepted → its event
    stored by the intake (event created_at: the wait for more reports, fusion, routing), stored → each dashboard
    (commit, wake-up, the hub's read, the fan-out). One clock: the load generator and the servers share the
    machine."""
    import json
    import subprocess

    if not r["sent"]:
        return
    out = subprocess.run(
        [sys.executable, "-c", STORED],
        input=json.dumps(list(r["sent"])),
        env=site.env,
        cwd=str(ROOT),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    times = json.loads(out.strip().splitlines()[-1])
    to_accept, to_store, to_client = [], [], []
    for public_id, sent in r["sent"].items():
        if public_id not in times:
            continue
        accepted, stored = times[public_id]
        to_accept.append((accepted - sent) * 1000)
        to_store.append((stored - accepted) * 1000)
        to_client += [(arrivals[public_id] - stored) * 1000 for arrivals in r["arrivals"] if public_id in arrivals]

    def pcts(values: list[float]) -> str:
        values.sort()
        if not values:
            return "n/a"
        p99 = values[min(len(values) - 1, int(0.99 * len(values)))]
        return f"p50 {values[len(values) // 2]:.0f} ms, p99 {p99:.0f} ms"

    print(f"  sent → accepted: {pcts(to_accept)}; accepted → event stored: {pcts(to_store)}", flush=True)
    print(f"  event stored → dashboard: {pcts(to_client)}", flush=True)


def show(label: str, r: dict) -> None:
    print(
        f"{label}: {r['connected']}/{r['clients']} clients, {r['reports']} reports at {r['rate']:.0f}/s "
        f"(post errors {r['post_errors']}) → latency p50 {r['p50']:.0f} ms, p99 {r['p99']:.0f} ms, "
        f"max {r['max']:.0f} ms; lost {r['lost']}, duplicated {r['duplicates']}",
        flush=True,
    )
    if r["post_p50"] == r["post_p50"]:  # not NaN: reports were POSTed
        print(f"  POST answered: p50 {r['post_p50']:.0f} ms, p99 {r['post_p99']:.0f} ms", flush=True)
    if r["first_error"]:
        print("  first POST error:", r["first_error"][:300])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--max-clients", action="store_true")
    parser.add_argument(
        "--warmup",
        type=float,
        default=2.0,
        help="seconds of reports at --rate posted and delivered before the measured ones (not counted)",
    )
    parser.add_argument(
        "--source",
        choices=["open311", "publish"],
        default="open311",
        help="open311: POST reports (end to end); publish: a separate process publishes events directly "
        "(the stream's own latency, from commit to client)",
    )
    args = parser.parse_args()
    backend = "PostgreSQL" if args.database_url else "SQLite"
    if args.redis_url:
        backend += " + Redis"
    env = {"MUEVE_REPORTS_RATE": "100000000/second", "MUEVE_REALTIME_KEEPALIVE": "15"}
    with LiveSite(database_url=args.database_url, redis_url=args.redis_url, extra_env=env) as site:
        site.start(args.processes)
        print(f"{backend}, {args.processes} process(es), cpu count {os.cpu_count()}", flush=True)
        result = asyncio.run(
            measure(
                site.urls,
                site.operator_token,
                site.api_key,
                clients=args.clients,
                rate=args.rate,
                seconds=args.seconds,
                warmup=args.warmup,
                site=site if args.source == "publish" else None,
            )
        )
        show(f"steady {args.rate:.0f} {'reports' if args.source == 'open311' else 'events'}/s", result)
        if args.source == "open311":
            stages(site, result)
        if args.max_clients:
            clients, best = args.clients, None
            while True:
                r = asyncio.run(
                    measure(
                        site.urls[:1],
                        site.operator_token,
                        site.api_key,
                        clients=clients,
                        rate=args.rate,
                        seconds=10,
                        warmup=args.warmup,
                        site=site if args.source == "publish" else None,
                    )
                )
                show(f"one process, {clients} clients", r)
                if r["p99"] >= 1000 or r["connected"] < clients or r["lost"]:
                    break
                best = clients
                clients *= 2
            print(f"largest client count on one process with p99 < 1 s: {best} (next step failed)")


if __name__ == "__main__":
    main()
