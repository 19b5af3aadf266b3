"""The catalog's CKAN API under a large catalog: `package_search` over 10,000 published datasets and
`datastore_search` over a 1,000,000-row resource, each timed in-process through Django's test client (the whole
middleware stack and the JSON, no network).

    .venv/bin/python bench/catalog.py                                   # SQLite in a temporary folder
    .venv/bin/python bench/catalog.py --database-url postgres://postgres@127.0.0.1:5432/mueve_catalog_bench
    .venv/bin/python bench/catalog.py --datasets 2000 --rows 100000 --runs 50   # a quicker look

Builds a fresh database (SQLite in a temporary folder, or the PostgreSQL database named in --database-url, dropped
and created again: its name must end in "_bench"), migrates it, then for each measurement seeds what it needs and
prints the median and 95th percentile of each kind of request, then of all of them together. Aims (issue 21):
package_search p95 under 50 ms; datastore_search p95 under 100 ms with a filter and a sort.

One function per measurement (`measure_*`), each with its own seeding (`seed_*`): a new measurement (harvesting
1,000 datasets) is one more pair and one more line in MEASUREMENTS.
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

THEMES = ["TRAN", "REGI", "ENVI", "ECON", "GOVE", "SOCI", "TECH", "HEAL"]
WORDS = [
    "tránsito", "buses", "paraderos", "ciclovías", "semáforos", "congestión", "accidentes", "colectivos",
    "velocidad", "conteos", "calidad del aire", "ruido", "patentes", "presupuesto", "licitaciones", "población",
    "censo", "hospitales", "atenciones", "sensores", "estacionamientos", "taxis", "peatones", "rutas",
]  # fmt: skip
LICENSES = ["CC-BY-4.0", "CC-BY-4.0", "CC0-1.0", "ODbL-1.0", "CC-BY-SA-4.0", ""]
ACCESS = ["public"] * 6 + ["registered", "restricted", "non_public"]
FORMATS = ["CSV", "CSV", "JSON", "GEOJSON", "XLSX", "PDF", "ZIP", "GTFS"]


def _fresh_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.endswith("_bench"):
        raise SystemExit("--database-url: the database name must end in _bench (it is dropped and created)")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres", query="")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _timed(client, requests: list[tuple[str, str, dict]], runs: int) -> dict[str, list[float]]:
    """Each (label, action, parameters) POSTed as ckanapi does, once to warm up and then `runs` times in turn;
    milliseconds per label. Every answer must be a success: a fast error is no figure."""
    times: dict[str, list[float]] = {label: [] for label, _a, _p in requests}
    for _label, action, data in requests:
        _call(client, action, data)
    for _ in range(runs):
        for label, action, data in requests:
            started = time.perf_counter()
            _call(client, action, data)
            times[label].append((time.perf_counter() - started) * 1000)
    return times


def _call(client, action: str, data: dict) -> dict:
    answer = client.post(f"/api/3/action/{action}", data=json.dumps(data), content_type="application/json")
    body = answer.json()
    if answer.status_code != 200 or not body.get("success"):
        raise SystemExit(f"{action} {data} answered {answer.status_code}: {body}")
    return body["result"]


def _report(title: str, times: dict[str, list[float]], aim_ms: float) -> None:
    print(f"\n{title}")
    print(f"  {'request':<58} {'median':>8} {'p95':>8}")
    everything = []
    for label, values in times.items():
        everything += values
        print(f"  {label:<58} {statistics.median(values):8.1f} {_p95(values):8.1f}")
    p95 = _p95(everything)
    print(f"  {'all of them':<58} {statistics.median(everything):8.1f} {p95:8.1f}   aim p95 < {aim_ms:.0f} ms: "
          f"{'met' if p95 < aim_ms else 'NOT met'}")  # fmt: skip


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


# --- package_search ------------------------------------------------------------------------------------------------


def seed_catalog(datasets: int) -> None:
    """`datasets` published datasets from 40 publishers, each with one to three distributions, in bulk."""
    from mueve.datasets.models import Dataset, Distribution
    from mueve.datasets.services import search_text
    from mueve.stakeholders.models import Level, Organization, Sector

    rng = random.Random(2014)
    publishers = Organization.objects.bulk_create(
        Organization(
            name=f"Institución {i:02d}",
            acronym=f"I{i:02d}",
            slug=f"institucion-{i:02d}",
            sector=Sector.GOVERNMENT,
            level=Level.REGIONAL,
        )  # fmt: skip
        for i in range(40)
    )
    start = datetime(2014, 1, 1, tzinfo=UTC)
    batch = []
    for i in range(datasets):
        words = rng.sample(WORDS, 3)
        dataset = Dataset(
            title=f"{words[0].capitalize()} de {words[1]} {i:05d}",
            slug=f"conjunto-{i:05d}",
            description=f"Registros de {words[0]}, {words[1]} y {words[2]} en el Gran Concepción.",
            status=Dataset.Status.PUBLISHED,
            publisher=publishers[rng.randrange(len(publishers))],
            keyword=", ".join(words),
            themes=",".join(rng.sample(THEMES, rng.randint(1, 2))),
            license=rng.choice(LICENSES),
            access_rights=rng.choice(ACCESS),
            accrual_periodicity="monthly",
            issued=start + timedelta(hours=i),
        )
        dataset.search_text = search_text(dataset)
        batch.append(dataset)
    Dataset.objects.bulk_create(batch, batch_size=1000)
    distributions = [
        Distribution(
            dataset=d,
            title=f"Archivo {k + 1}",
            format=rng.choice(FORMATS),
            position=k,
            access_url=f"https://datos.example.cl/{d.slug}/{k}",
        )  # fmt: skip
        for d in Dataset.objects.only("pk", "slug")
        for k in range(rng.randint(1, 3))
    ]
    Distribution.objects.bulk_create(distributions, batch_size=2000)
    # A bulk load leaves the planner without statistics until autovacuum or the next ANALYZE: a catalog that grew
    # over time has them.
    _analyze()


def measure_package_search(client, runs: int) -> dict[str, list[float]]:
    facets = ["organization", "groups", "tags", "res_format", "license_id"]
    requests = [
        ("all, 5 facets, rows 10 (the search page)", "package_search", {"facet.field": facets}),
        ("q=buses, 5 facets", "package_search", {"q": "buses", "facet.field": facets}),
        ("q=calidad del aire, fq organization + groups", "package_search",
         {"q": "calidad del aire", "fq": "organization:institucion-07 groups:envi"}),
        ("fq tags:sensores, sort metadata_modified desc", "package_search",
         {"fq": "tags:sensores", "sort": "metadata_modified desc"}),
        ("fq res_format:CSV, sort title_string asc, start 5000", "package_search",
         {"fq": "res_format:CSV", "sort": "title_string asc", "start": 5000}),
        ("harvester page: rows 100, sort id asc, start 2000", "package_search",
         {"rows": 100, "start": 2000, "sort": "id asc"}),
        ("package_show by name", "package_show", {"id": "conjunto-00321"}),
    ]  # fmt: skip
    return _timed(client, requests, runs)


# --- datastore_search ----------------------------------------------------------------------------------------------

LINES = [f"L{n:03d}" for n in range(200)]


def seed_datastore(rows: int):
    """One public dataset whose CSV resource holds `rows` bus trips in the datastore."""
    from mueve.datasets import datastore
    from mueve.datasets.models import Dataset, Distribution
    from mueve.stakeholders.models import Organization

    dataset = Dataset.objects.create(
        title="Viajes de buses", slug="viajes-de-buses", status=Dataset.Status.PUBLISHED, access_rights="public",
        publisher=Organization.objects.order_by("pk").first(),
    )  # fmt: skip
    distribution = Distribution.objects.create(dataset=dataset, title="Viajes", format="CSV")
    fields = [
        {"id": "linea", "type": "text"},
        {"id": "hora", "type": "int"},
        {"id": "velocidad", "type": "numeric"},
        {"id": "subidas", "type": "int"},
        {"id": "accesible", "type": "bool"},
        {"id": "medido", "type": "timestamp"},
    ]
    rng = random.Random(2014)
    start = datetime(2014, 3, 1, tzinfo=UTC)

    def trips():
        for i in range(rows):
            moment = start + timedelta(seconds=i * 7)
            yield (LINES[rng.randrange(len(LINES))], moment.hour, round(rng.uniform(5, 60), 2),
                   rng.randrange(0, 40), rng.random() < 0.7, moment)  # fmt: skip

    started = time.perf_counter()
    from django.db import connection

    if connection.vendor == "sqlite":  # stored as ISO text there
        loaded = datastore.load(distribution, fields, ((*t[:5], t[5].isoformat()) for t in trips()))
    else:
        loaded = datastore.load(distribution, fields, trips())
    _analyze()
    print(f"  loaded {loaded:,} rows into the datastore in {time.perf_counter() - started:.1f} s", flush=True)
    distribution.refresh_from_db()
    return distribution


def measure_datastore_search(client, runs: int, distribution) -> dict[str, list[float]]:
    rid = str(distribution.uuid)
    requests = [
        ("filter linea (1 of 200), sort velocidad desc", "datastore_search",
         {"resource_id": rid, "filters": {"linea": "L042"}, "sort": "velocidad desc"}),
        ("filter hora=\"8\" (typed), sort medido desc", "datastore_search",
         {"resource_id": rid, "filters": {"hora": "8"}, "sort": "medido desc"}),
        ("filter linea in 3 + accesible, sort subidas desc, velocidad", "datastore_search",
         {"resource_id": rid, "filters": {"linea": ["L001", "L100", "L199"], "accesible": True},
          "sort": "subidas desc, velocidad"}),
        ("filter linea, sort velocidad, offset 2000", "datastore_search",
         {"resource_id": rid, "filters": {"linea": "L007"}, "sort": "velocidad", "offset": 2000}),
    ]  # fmt: skip
    return _timed(client, requests, runs)


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (name ending _bench); SQLite if empty")
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the datastore resource")
    parser.add_argument("--runs", type=int, default=100, help="timed requests of each kind")
    parser.add_argument("--only", choices=["package_search", "datastore_search"], default=None)
    args = parser.parse_args()

    os.environ["MUEVE_DATA_DIR"] = tempfile.mkdtemp(prefix="mueve-catalog-bench-")
    os.environ["MUEVE_DATABASE_URL"] = args.database_url
    os.environ.pop("MUEVE_REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mueve.config.settings")
    os.environ.setdefault("MUEVE_DEMO", "1")  # the development secret key: a throwaway database
    if args.database_url:
        _fresh_postgres(args.database_url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", interactive=False, verbosity=0)
    backend = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(f"{backend}; {os.cpu_count()} CPUs; {args.runs} timed requests of each kind", flush=True)
    client = Client()

    started = time.perf_counter()
    seed_catalog(args.datasets)
    print(f"  seeded {args.datasets:,} datasets in {time.perf_counter() - started:.1f} s", flush=True)
    if args.only in (None, "package_search"):
        for seconds, what in ((0, "facets counted on every request"), (60, "facet counts cached (the default)")):
            settings.MUEVE_CKAN_FACET_CACHE_SECONDS = seconds
            times = measure_package_search(client, args.runs)
            _report(f"package_search, {args.datasets:,} published datasets ({backend}), {what}, ms", times, 50)
    if args.only in (None, "datastore_search"):
        distribution = seed_datastore(args.rows)
        times = measure_datastore_search(client, args.runs, distribution)
        _report(f"datastore_search, {args.rows:,} rows, limit 100 ({backend}), ms", times, 100)


if __name__ == "__main__":
    main()
