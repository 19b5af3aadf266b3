"""The catalog's search selector (datasets.selectors.search.search, which /datos/ and the CKAN API's package_search
call) with 10,000 published datasets: full text, facets with counts, paging and sorting.

    .venv/bin/python bench/catalog_search.py [--datasets 10000] [--queries 300]
    MUEVE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/mueve_bench_search .venv/bin/python bench/catalog_search.py

SQLite: a fresh database in a temporary folder. PostgreSQL: the database named by MUEVE_DATABASE_URL is dropped and
created afresh. Migrations run first (not timed). Times are per call, in-process, with the five facets counted.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = (
    "tránsito semáforos buses paraderos recorridos flota viajes encuesta incidentes obras vialidad ciclovías "
    "peatones aforos velocidad congestión estacionamientos taxis colectivos tren horarios tarifas accidentes "
    "emisiones ruido calidad aire comunas población hogares empleo salud educación"
).split()


def fresh_database() -> None:
    url = os.environ.get("MUEVE_DATABASE_URL", "")
    if not url:
        os.environ["MUEVE_DATA_DIR"] = tempfile.mkdtemp(prefix="mueve-bench-search-")
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def populate(n: int, rng: random.Random) -> None:
    from mueve.datasets.models import Dataset, Distribution, Theme
    from mueve.datasets.models.vocab import LICENSES
    from mueve.stakeholders.models import Level, Organization, Sector

    orgs = Organization.objects.bulk_create(
        [
            Organization(name=f"Institución {i}", slug=f"inst-{i}", sector=Sector.GOVERNMENT, level=Level.REGIONAL)
            for i in range(50)
        ]
    )
    licences = list(LICENSES)
    formats = ["CSV", "JSON", "GEOJSON", "XLSX", "PDF", "SHP", "GTFS", "XML"]
    datasets = []
    for i in range(n):
        words = rng.sample(WORDS, 6)
        org = rng.choice(orgs)
        title = f"{words[0].capitalize()} y {words[1]} {i}"
        datasets.append(
            Dataset(
                title=title,
                slug=f"ds-{i}",
                status=Dataset.Status.PUBLISHED if i % 10 else Dataset.Status.INVENTORIED,
                publisher=org,
                keyword=", ".join(words[2:4]),
                themes=",".join(rng.sample(Theme.values, rng.randint(1, 3))),
                format=rng.choice(formats),
                license=rng.choice(licences),
                access_rights=rng.choice(["public", "public", "registered", "restricted"]),
                search_text=" ".join([title, " ".join(words[2:]), org.name]),
            )
        )
    Dataset.objects.bulk_create(datasets, batch_size=1000)
    distributions = []
    for dataset in Dataset.objects.only("pk"):
        for k in range(rng.randint(0, 3)):
            code = rng.choice(formats)
            distributions.append(
                Distribution(dataset_id=dataset.pk, title=f"Recurso {k}", format=code, access_url="https://x.cl/")
            )
    Distribution.objects.bulk_create(distributions, batch_size=2000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def queries(count: int, rng: random.Random) -> list[dict]:
    from mueve.datasets.models import Theme

    out = []
    for i in range(count):
        kind = i % 5
        q = "" if kind == 0 else " ".join(rng.sample(WORDS, 1 if kind < 3 else 2))
        filters = {}
        if kind in (2, 4):
            filters["theme"] = [rng.choice(Theme.values)]
        if kind == 4:
            filters["format"] = [rng.choice(["CSV", "JSON"])]
            filters["publisher"] = [f"inst-{rng.randrange(50)}"]
        sort = rng.choice(["relevance", "title", "modified"])
        out.append({"q": q, "filters": filters, "sort": sort, "start": rng.choice([0, 0, 20, 100]), "rows": 20})
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", type=int, default=10000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    fresh_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mueve.config.settings")
    os.environ.setdefault("MUEVE_SECRET_KEY", "bench-only-" + "x" * 40)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    start = time.perf_counter()
    populate(args.datasets, rng)
    print(f"{connection.vendor}: {args.datasets} datasets loaded in {time.perf_counter() - start:.1f} s")

    from mueve.datasets.selectors.search import search

    work = queries(args.queries, rng)
    for params in work[:20]:  # warm-up
        search(**params)
    by_kind: dict[str, list[float]] = {}
    for i, params in enumerate(work):
        t = time.perf_counter()
        search(**params)
        elapsed = (time.perf_counter() - t) * 1000
        label = ["no query", "one word", "word + theme", "two words", "words + 3 facets"][i % 5]
        by_kind.setdefault(label, []).append(elapsed)
        by_kind.setdefault("all", []).append(elapsed)
    for label, times in by_kind.items():
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(f"  {label:18s} n={len(times):4d}  p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms")


if __name__ == "__main__":
    main()
