"""Map viewport query and statistics page with 1,000,000 generated reports.

    .venv/bin/python bench/viewport.py [--reports 1000000] [--database-url postgres://.../mueve_c_viewport]

Builds a fresh database (SQLite in a temporary folder unless --database-url names a PostgreSQL
database, which is dropped and created), bulk-inserts GENERATED reports over the last 7 days in the
Gran Concepción area, fused four to an incident (bulk inserts, not the services: a million reports
through the full submission path would take hours), then times in-process:
- the map's viewport query: the public GeoJSON feed's active incidents in a random city-sized bbox
  (about 3 × 3 km), as features, and the same through HTTP (the whole uncached response);
- the operators' map/queue state (active incidents by priority);
- the statistics page (last 24 h) through Django's test client, as an operator.
Prints p50/p95 over --runs runs. Aim: viewport query under 100 ms.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(database_url: str, reuse: str = "") -> None:
    if reuse:  # a data folder (SQLite) or database URL from an earlier run: time the queries again
        if "://" in reuse:
            os.environ["MUEVE_DATABASE_URL"] = reuse
        else:
            os.environ["MUEVE_DATA_DIR"] = reuse
    elif database_url:
        from tests.realtime.servers import recreate_postgres

        recreate_postgres(database_url)
        os.environ["MUEVE_DATABASE_URL"] = database_url
    else:
        os.environ["MUEVE_DATA_DIR"] = tempfile.mkdtemp(prefix="mueve-viewport-")
        os.environ.pop("MUEVE_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mueve.config.settings")
    os.environ.setdefault("MUEVE_DEMO", "1")  # the development secret key: a throwaway database
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _generate(total: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from mueve.core.geo import h3_cell
    from mueve.reports import services
    from mueve.reports.models import Incident, Report
    from mueve.territory.models import Jurisdiction
    from mueve.territory.services import jurisdiction_upsert

    metro = jurisdiction_upsert(
        slug="gran-concepcion", name="Gran Concepción", kind=Jurisdiction.Kind.METROPOLITAN_AREA
    )
    catalogue = [
        services.service_upsert(
            jurisdiction=metro,
            code=code,
            name=name,
            alert_category="traffic",
            default_severity=severity,
            attributes=[],
        )
        for code, name, severity in [
            ("accidente", "Accidente de tránsito", "high"),
            ("congestion", "Congestión", "medium"),
            ("semaforo", "Semáforo con falla", "high"),
            ("luminaria", "Luminaria apagada", "low"),
            ("bache", "Bache", "low"),
        ]
    ]
    rng = random.Random(2014)
    now = timezone.now()
    statuses = ["open", "acknowledged", "dispatched", "resolved", "resolved", "resolved", "rejected"]
    per_incident = 4
    batch = 5000
    made = 0
    started = time.perf_counter()
    while made < total:
        incidents, reports = [], []
        for _ in range(min(batch, total - made) // per_incident or 1):
            service = rng.choice(catalogue)
            lat, lon = -36.83 + rng.uniform(-0.12, 0.12), -73.05 + rng.uniform(-0.12, 0.12)
            opened = now - timedelta(seconds=rng.uniform(0, 7 * 86400))
            status = rng.choice(statuses)
            closed = opened + timedelta(minutes=rng.uniform(5, 600)) if status in ("resolved", "rejected") else None
            incidents.append(
                Incident(
                    jurisdiction=metro,
                    service=service,
                    h3_cell=h3_cell(lat, lon),
                    lat=lat,
                    lon=lon,
                    report_count=per_incident,
                    source_count=per_incident,
                    confidence=0.9,
                    severity=service.default_severity,
                    priority=rng.uniform(0, 10),
                    status=status,
                    opened_at=opened,
                    last_report_at=opened + timedelta(minutes=30),
                    acknowledged_at=opened + timedelta(minutes=rng.uniform(1, 60)) if status != "open" else None,
                    closed_at=closed,
                )
            )
        with transaction.atomic():
            Incident.objects.bulk_create(incidents, batch_size=2000)
            for incident in incidents:
                for k in range(per_incident):
                    n = made + len(reports)
                    reports.append(
                        Report(
                            public_id=f"G{n:09d}",
                            token=f"generated-{n}",
                            jurisdiction=metro,
                            service=incident.service,
                            lat=incident.lat,
                            lon=incident.lon,
                            h3_cell=incident.h3_cell,
                            description="[Generado] reporte de carga",
                            severity=incident.severity,
                            source=Report.Source.GENERATED,
                            requested_datetime=incident.opened_at + timedelta(minutes=10 * k),
                            updated_datetime=incident.opened_at + timedelta(minutes=10 * k),
                            incident=incident,
                        )
                    )
            Report.objects.bulk_create(reports, batch_size=2000)
        made += len(reports)
        if made % 100_000 < batch:
            print(f"  {made:,} reports ({time.perf_counter() - started:.0f} s)", flush=True)


def _time(fn, runs: int) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.95 * len(samples)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--reuse", default="", help="the data folder or database URL of an earlier run")
    args = parser.parse_args()
    _setup(args.database_url, args.reuse)
    from django.db import connection

    from mueve.reports.models import Report

    if not args.reuse:
        print(f"{connection.vendor}: generating {args.reports:,} reports in {os.environ.get('MUEVE_DATA_DIR')}…")
        _generate(args.reports)
        with connection.cursor() as cursor:
            # The planner's statistics, as PostgreSQL's autovacuum keeps them for a live database: right after a
            # bulk load it would otherwise plan for the empty tables it last saw.
            cursor.execute("ANALYZE")
    print(f"{connection.vendor}: {Report.objects.count():,} reports", flush=True)

    from mueve.accounts.models import Role
    from mueve.accounts.services import user_create
    from mueve.control import selectors

    rng = random.Random(7)

    def random_bbox():
        lat, lon = -36.83 + rng.uniform(-0.1, 0.1), -73.05 + rng.uniform(-0.1, 0.1)
        return selectors.BBox(south=lat - 0.0135, west=lon - 0.017, north=lat + 0.0135, east=lon + 0.017)

    def viewport():
        return selectors.public_features(bbox=random_bbox(), active_only=True, limit=1000)

    sizes = [len(viewport()) for _ in range(5)]
    p50, p95 = _time(viewport, args.runs)
    print(
        f"viewport query (the map's GeoJSON features, active, ~3×3 km bbox, {min(sizes)}–{max(sizes)} features): "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms"
    )
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    public = Client()
    feed = reverse("control:public_geojson")

    def geojson_response():
        box = random_bbox()  # a new box each time: never answered from the feed's cache
        response = public.get(f"{feed}?bbox={box.west},{box.south},{box.east},{box.north}&active=1")
        assert response.status_code == 200, response.status_code

    p50, p95 = _time(geojson_response, args.runs)
    print(
        f"the same through HTTP (GET …/incidentes.geojson, uncached, JSON encoded): p50 {p50:.1f} ms, p95 {p95:.1f} ms"
    )
    p50, p95 = _time(lambda: selectors.dashboard_incidents(), args.runs)
    print(f"operators' map/queue state (500 active incidents by priority): p50 {p50:.1f} ms, p95 {p95:.1f} ms")

    client = Client()
    from mueve.accounts.models import User

    operator = User.objects.filter(username="bench-operadora").first() or user_create(
        username="bench-operadora", password="x-bench-2014-x", role=Role.OPERATOR
    )
    client.force_login(operator)

    def stats_page():
        response = client.get("/control/estadisticas/")
        assert response.status_code == 200

    def cold_stats_page():
        cache.delete("control:stats:1")
        stats_page()

    p50, p95 = _time(cold_stats_page, max(5, args.runs // 3))
    print(f"statistics page (last 24 h), computed: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    p50, p95 = _time(stats_page, args.runs)
    print(f"statistics page (last 24 h), from its 60 s cache: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
