"""The 911-R dispatcher's lookup with 100,000 rural places: each kind of search timed in-process through Django's
test client (the whole middleware stack, the JSON API, no network).

    .venv/bin/python bench/rural_lookup.py                 # SQLite in a temporary folder, 100,000 places
    .venv/bin/python bench/rural_lookup.py --places 20000 --runs 50

Builds a fresh SQLite database, migrates it, seeds 60 roads in three communes and the places along them (bulk
insert: the tagging checks are not what is measured), then prints the median and 95th percentile of each search
(short code + locality, road + km, description words, nearest to a rough position), in ms. Aim: p95 under 50 ms.
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
WORDS = [
    "casa",
    "azul",
    "puente",
    "parrón",
    "escuela",
    "portón",
    "verde",
    "adobe",
    "bosque",
    "curva",
    "canal",
    "capilla",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--places", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    os.environ["MUEVE_DATA_DIR"] = tempfile.mkdtemp(prefix="mueve-rural-bench-")
    os.environ["MUEVE_DATABASE_URL"] = ""
    os.environ.pop("MUEVE_REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mueve.config.settings")
    os.environ.setdefault("MUEVE_DEMO", "1")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from mueve.accounts.models import Role
    from mueve.accounts.services import user_create
    from mueve.core.geo import M_PER_DEG_LAT
    from mueve.core.text import fold
    from mueve.demo import rural, territory
    from mueve.rural_addresses import olc, roads, selectors, services
    from mueve.rural_addresses.models import RuralPlace, RuralRoad

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", interactive=False, verbosity=0)
    territory.load()
    rural.load()  # six demo roads; more roads alike below
    rng = random.Random(131)
    base = list(RuralRoad.objects.all())
    for i in range(54):
        model = base[i % len(base)]
        points = [[lon + 0.01 * (i // 6 + 1), lat] for lon, lat in model.geometry]
        services.road_upsert(jurisdiction=model.jurisdiction, code=f"X-{i}", name=f"Camino X-{i}", geometry=points)
    all_roads = [(road, roads.validate_geometry(road.geometry)) for road in RuralRoad.objects.all()]
    started = time.perf_counter()
    batch = []
    existing = RuralPlace.objects.count()
    for n in range(args.places - existing):
        road, points = all_roads[n % len(all_roads)]
        km = rng.uniform(0, road.length_km)
        lat, lon = roads.point_at(points, km)
        lat += rng.uniform(-60, 60) / M_PER_DEG_LAT
        text = " ".join(rng.sample(WORDS, 4)).capitalize()
        batch.append(
            RuralPlace(
                road=road, jurisdiction_id=road.jurisdiction_id, lat=lat, lon=lon, plus_code=olc.encode(lat, lon),
                km=km, offset_m=30, description=text, search_text=fold(text), status="verified", generated=True,
            )
        )  # fmt: skip
        if len(batch) == 5000:
            RuralPlace.objects.bulk_create(batch)
            batch = []
    RuralPlace.objects.bulk_create(batch)
    seeded = time.perf_counter() - started
    print(
        f"SQLite; {os.cpu_count()} CPUs; {RuralPlace.objects.count():,} places on {len(all_roads)} roads "
        f"(seeded in {seeded:.0f} s); {args.runs} timed requests of each kind",
        flush=True,
    )

    user = user_create(username="samu", password="bench-password-131", role=Role.EMERGENCY)
    client = Client()
    client.force_login(user)
    sample = list(RuralPlace.objects.order_by("?")[: args.runs])

    def short_code(p):
        short, locality = selectors.short_code(p)
        return {"code": short, "locality": locality}

    kinds = {
        "short code + locality": short_code,
        "road + km": lambda p: {"road": p.road.code, "km": round(p.km, 1)},
        "description words": lambda p: {"q": " ".join(p.description.split()[:2])},
        "nearest to a position": lambda p: {"lat": p.lat + 0.003, "lon": p.lon},
    }
    everything = []
    for label, params in kinds.items():
        client.get("/api/v1/rural/lookup", params(sample[0]))
        times = []
        for place in sample:
            query = params(place)
            t0 = time.perf_counter()
            response = client.get("/api/v1/rural/lookup", query)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (label, query, response.content[:200])
        everything += times
        q = statistics.quantiles(times, n=20)
        print(f"  {label:24s} median {statistics.median(times):6.1f} ms   p95 {q[18]:6.1f} ms")
    q = statistics.quantiles(everything, n=20)
    print(f"  {'all':24s} median {statistics.median(everything):6.1f} ms   p95 {q[18]:6.1f} ms   (aim < 50 ms)")


if __name__ == "__main__":
    main()
