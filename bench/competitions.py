"""Competition pages and the jury aggregate with the MueveTT 2014 demo loaded.

    .venv/bin/python bench/competitions.py [--runs 20]

Fresh SQLite database in a temporary folder, the whole demo, then: the median and 95th percentile
server time and query count of the competition pages (in-process test client), and the time of the
jury aggregate (weighted rubric → Kemeny exact + Copeland + z-scores + agreement) of the first round
(14 teams × 5 jurors, one recusal). The house budget is 200 ms per page.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 20
    os.environ["MUEVE_DATA_DIR"] = tempfile.mkdtemp(prefix="mueve-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mueve.config.settings")
    os.environ.setdefault("MUEVE_DEMO", "1")  # the development secret key: a throwaway database
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    call_command("loaddemo", stdout=open(os.devnull, "w"))
    print(f"whole demo loaded in {time.perf_counter() - started:.1f} s")

    from mueve.competitions.models import Competition, Team
    from mueve.competitions.selectors import round_aggregate

    competition = Competition.objects.get(slug="muevett-2014")
    first = competition.rounds.get(stage="first_selection")
    team = Team.objects.get(competition=competition, name="Despierta")
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        round_aggregate(first)
        timings.append((time.perf_counter() - start) * 1000)
    print(f"jury aggregate, 14 teams × 5 jurors: median {statistics.median(timings):.1f} ms")

    base = f"/competencias/{competition.slug}/"
    pages = [
        ("anon", "/competencias/"),
        ("anon", base),
        ("anon", base + "resultados/"),
        ("anon", base + "resultados.csv"),
        ("anon", f"/api/v1/competitions/{competition.slug}/results"),
        ("gestora", base + "gestion/"),
        ("jurado", f"{base}jurado/{first.pk}/"),
        ("emprendedora", f"{base}equipos/{team.pk}/"),
    ]
    clients = {"anon": Client()}
    for name in ("gestora", "jurado", "emprendedora"):
        clients[name] = Client()
        clients[name].login(username=name, password="mueve2014")
    print(f"{'who':<13} {'page':<50} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    worst = 0.0
    for who, url in pages:
        client = clients[who]
        client.get(url)
        timings = []
        for _ in range(runs):
            reset_queries()
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        queries = len(connection.queries)
        timings.sort()
        median = statistics.median(timings)
        p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
        worst = max(worst, p95)
        print(f"{who:<13} {url[:50]:<50} {response.status_code:>6} {median:>10.1f} {p95:>8.1f} {queries:>8}")
    print(f"worst p95: {worst:.1f} ms (budget 200 ms)")


if __name__ == "__main__":
    main()
