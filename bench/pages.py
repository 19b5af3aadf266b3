"""Server time of the main pages with the Gran Concepción demo loaded.

    .venv/bin/python bench/pages.py [--runs 30] [--database-url postgres://...]

Builds a fresh database (SQLite in a temporary folder unless --database-url is given), loads the
demo, warms each page once, then requests it --runs times in-process through Django's test
client and prints the median and 95th percentile of the server time and the SQL query count.
The issue's budget is 200 ms server time per page.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _fresh_postgres_database(url: str) -> str:
    """Creates an empty database beside the one named in `url` (dropping an old bench copy)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = (parts.path.lstrip("/") or "mueve") + "_bench"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path="/" + name))


def _grow(n: int) -> None:
    """More data of the same shape, through the services, to see how pages scale."""
    from mueve.accounts.models import User
    from mueve.challenges.models import Kind, Status
    from mueve.challenges.services import challenge_create, challenge_transition
    from mueve.programs.models import Program
    from mueve.stakeholders.models import Level, Sector
    from mueve.stakeholders.services import organization_create

    manager = User.objects.get(username="gestora")
    program = Program.objects.get(slug="smart-city-gran-concepcion")
    sectors, levels = list(Sector.values), list(Level.values)
    for i in range(n):
        org = organization_create(
            name=f"Organización de prueba {i}",
            sector=sectors[i % len(sectors)],
            level=levels[i % len(levels)],
            actor=manager,
        )
        challenge = challenge_create(
            actor=manager,
            program=program,
            title=f"¿Cómo resolver el problema número {i} del transporte?",
            owner=org,
            kind=Kind.ABSTRACT if i % 2 else Kind.CONCRETE,
        )
        challenge_transition(actor=manager, challenge=challenge, to_status=Status.VALIDATED)
        challenge_transition(actor=manager, challenge=challenge, to_status=Status.PUBLISHED)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--scale", type=int, default=0, help="also add this many organizations and challenges (a larger city)"
    )
    args = parser.parse_args()

    os.environ["MUEVE_DATA_DIR"] = tempfile.mkdtemp(prefix="mueve-bench-")
    if args.database_url:
        os.environ["MUEVE_DATABASE_URL"] = _fresh_postgres_database(args.database_url)
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
    settings.DEBUG = True  # to count queries
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", interactive=False, verbosity=0)
    call_command("loaddemo", stdout=open(os.devnull, "w"))

    if args.scale:
        started = time.perf_counter()
        _grow(args.scale)
        print(f"added {args.scale} organizations and {args.scale} challenges in {time.perf_counter() - started:.1f} s")

    from mueve.challenges.models import Challenge
    from mueve.stakeholders.models import Organization

    challenge = Challenge.objects.filter(status__in=["published", "addressing", "solved"]).order_by("id").first()
    organization = Organization.objects.get(slug="uoct")
    pages = [
        ("anon", "/"),
        ("anon", "/programas/"),
        ("anon", "/programas/smart-city-gran-concepcion/"),
        ("anon", "/desafios/"),
        ("anon", f"/desafios/{challenge.slug}/"),
        ("anon", "/actores/"),
        ("anon", f"/actores/{organization.slug}/"),
        ("anon", "/actores/mapa/smart-city-gran-concepcion/"),
        ("anon", "/territorio/"),
        ("gestora", "/desafios/"),
        ("gestora", "/desafios/nuevo/"),
        # The ministry's view: every region side by side, in a fixed number of queries (mueve/portal/selectors.py).
        ("gestora", "/ministerio/"),
        ("anon", "/api/v1/programs/"),
        ("anon", "/api/v1/programs/smart-city-gran-concepcion"),
        ("anon", "/api/v1/challenges/"),
        ("anon", "/api/v1/organizations/"),
    ]
    clients = {"anon": Client(), "gestora": Client()}
    clients["gestora"].login(username="gestora", password="mueve2014")

    engine = connection.vendor
    print(f"database: {engine}; runs per page: {args.runs}")
    print(f"{'who':<8} {'page':<48} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    worst = 0.0
    for who, url in pages:
        client = clients[who]
        response = client.get(url)  # warm caches and templates
        timings = []
        for _ in range(args.runs):
            reset_queries()
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        queries = len(connection.queries)
        timings.sort()
        median = statistics.median(timings)
        p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
        worst = max(worst, p95)
        print(f"{who:<8} {url[:48]:<48} {response.status_code:>6} {median:>10.1f} {p95:>8.1f} {queries:>8}")
    print(f"worst p95: {worst:.1f} ms (budget 200 ms)")


if __name__ == "__main__":
    main()
