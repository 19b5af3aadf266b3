"""Do the expensive documents starve everyone else? Open311 POST latency with and without anonymous clients
fetching every expensive document at once, on a real server process.

    .venv/bin/python bench/documents.py                       # 15 s idle, 15 s under load, 8 clients
    .venv/bin/python bench/documents.py --seconds 30 --clients 16
    .venv/bin/python bench/documents.py --no-rate-limit      # every fetch answered: storage alone must hold

Starts one `mueve serve` (SQLite, the whole demo loaded, not in demo mode) and posts Open311 reports one after
the other for --seconds on the idle server, then again while --clients anonymous clients (one address, as a
crowd behind one NAT or one scraper) fetch every programme's dossier page and PDF in a loop, and again while the
same clients fetch /healthz (the floor: what any clients in a tight loop cost). Prints the POST p50/p99 of each
phase, the ratios of the p99s, and what the document clients were answered (200 served from storage, 429
rate-limited, 503 still being prepared). The load generator shares the machine.
"""

import argparse
import collections
import json
import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.realtime.servers import LiveSite, post_report  # noqa: E402

SEED = """
from django.core.management import call_command
import django, json
django.setup()
call_command("loaddemo", verbosity=0)
from mueve.programs.models import Program
from tests.realtime.servers import seed
seed()
"""
LIST_PROGRAMMES = """
import django, json
django.setup()
from mueve.programs.models import Program
print(json.dumps(list(Program.objects.filter(is_public=True).values_list("slug", flat=True))))
"""


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _post_for(base: str, api_key: str, seconds: float) -> list[float]:
    took = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        post_report(base, api_key)
        took.append(time.monotonic() - started)
        time.sleep(0.02)
    return took


def _fetch_loop(urls: list[str], stop: threading.Event, answers: collections.Counter) -> None:
    while not stop.is_set():
        for url in urls:
            try:
                with urllib.request.urlopen(url, timeout=60) as response:
                    response.read()
                    answers[response.status] += 1
            except urllib.error.HTTPError as error:
                error.read()
                answers[error.code] += 1
            if stop.is_set():
                return


def _under_load(base: str, api_key: str, urls: list[str], args) -> tuple[list[float], collections.Counter]:
    stop, answers = threading.Event(), collections.Counter()
    clients = [
        threading.Thread(target=_fetch_loop, args=(urls, stop, answers), daemon=True) for _ in range(args.clients)
    ]
    for client in clients:
        client.start()
    took = _post_for(base, api_key, args.seconds)
    stop.set()
    for client in clients:
        client.join(60)
    return took, answers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--no-rate-limit", action="store_true", help="anonymous document fetches unlimited: storage alone must hold"
    )
    args = parser.parse_args()

    import subprocess

    # This process reads settings only to find the shared schema cache (under var/).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mueve.config.settings")
    os.environ.setdefault("MUEVE_DEMO", "1")
    from tests.realtime.servers import PYTHON

    # Citizens' report limits off: the poster is one address sending hundreds of reports.
    extra = {"MUEVE_REPORTS_RATE": "1000000/hour", "MUEVE_REPORTS_RATE_USER": "1000000/hour", "MUEVE_DEMO": "0"}
    if args.no_rate_limit:
        extra["MUEVE_DOCUMENTS_RATE"] = "off"
    with LiveSite(extra_env=extra, seed_with=SEED) as site:
        out = subprocess.run(
            [PYTHON, "-c", LIST_PROGRAMMES], env=site.env, cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
        slugs = json.loads(out.strip().splitlines()[-1])
        site.start(1)
        base = site.urls[0]
        urls = [
            f"{base}/talleres/programa/{slug}/{document}" for slug in slugs for document in ("informe/", "informe.pdf")
        ]
        _post_for(base, site.api_key, 2)  # warm-up: first requests pay one-off costs
        idle = _post_for(base, site.api_key, args.seconds)

        loaded, answers = _under_load(base, site.api_key, urls, args)
        # The floor: the same clients on the cheapest page there is. What they cost the server and this machine
        # (the load generator runs here too) whatever they ask for.
        floor, _ = _under_load(base, site.api_key, [f"{base}/healthz"], args)

    idle_p99, loaded_p99 = _percentile(idle, 0.99), _percentile(loaded, 0.99)
    print(f"documents: {len(urls)} ({len(slugs)} public programmes × page and PDF), {args.clients} anonymous clients")
    print(f"idle:    {len(idle)} POSTs, p50 {statistics.median(idle) * 1000:.1f} ms, p99 {idle_p99 * 1000:.1f} ms")
    print(
        f"loaded:  {len(loaded)} POSTs, p50 {statistics.median(loaded) * 1000:.1f} ms, p99 {loaded_p99 * 1000:.1f} ms"
    )
    floor_p99 = _percentile(floor, 0.99)
    print(f"healthz: {len(floor)} POSTs, p50 {statistics.median(floor) * 1000:.1f} ms, p99 {floor_p99 * 1000:.1f} ms")
    print(f"p99 ratio (loaded / idle): {loaded_p99 / idle_p99:.2f}")
    print(f"p99 ratio (loaded / same clients on /healthz): {loaded_p99 / floor_p99:.2f}")
    print("document answers: " + ", ".join(f"{status}: {count}" for status, count in sorted(answers.items())))


if __name__ == "__main__":
    main()
