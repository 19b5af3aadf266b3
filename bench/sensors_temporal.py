"""The NGSI-LD temporal query for one device over 30 days, on PostgreSQL, with a very large readings table.

    .venv/bin/python bench/sensors_temporal.py --rows 100000000          # aim of issue 22: 100 million
    .venv/bin/python bench/sensors_temporal.py --rows 1000000 --fresh    # a quick trial (estimates the big run)
    .venv/bin/python bench/sensors_temporal.py --reuse                   # query again an already loaded database

Builds a fresh database (--database-url, its name must end in _bench: it is dropped and created) with the
platform's migrations, so the readings table is the partitioned one of migration sensors.0004 (monthly partitions,
BRIN on time, (device, metric, time) unique). --devices street lights each report power and illuminance every
--every seconds, going back as far as --rows readings need (100 M at 1,000 devices and 5 minutes: 174 days, seven
monthly partitions), ending now. The rows are generated server-side with generate_series, one month at a time,
each month loaded as it would be by a bulk loader: into a plain table, indexed afterwards, then attached as the
month's partition (PostgreSQL adopts its indexes and checks its bounds and foreign key). Within a month the rows
are in time order, as live ingest writes them, so one device's month is spread over the whole partition.

Then --queries times, each for a device picked at random: the temporal query as GET
/ngsi-ld/v1/temporal/entities/<id>?timerel=between&timeAt=<now-30d>&endTimeAt=<now> runs it, through
mueve.sensors.selectors.temporal_readings (the first 1,000 instances of each attribute, the endpoint's cap), and
the same with lastN=100; then the whole endpoint through Django's test client (query + JSON). Prints p50/p95 of
each, the table's size (heap + indexes, all partitions) and the row count.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ingest import _django, _fresh_postgres  # noqa: E402 - after the path
from bench.sensors import seed_owner  # noqa: E402

METRICS = (("power", "W", "50 + 100 * random()"), ("illuminance", "lx", "20 * random()"))


def _pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def _seed_devices(count: int) -> None:
    from mueve.sensors.models import Device

    metro, owner = seed_owner()
    # Straight into the table: these devices are queried, never authenticated (no secret is needed).
    Device.objects.bulk_create(
        [
            Device(
                uid=f"luz-{i:05d}",
                name=f"Luminaria {i}",
                kind=Device.Kind.STREET_LIGHT,
                owner=owner,
                jurisdiction=metro,
                lat=-36.82 + (i % 100) * 0.001,
                lon=-73.05 + (i // 100) * 0.001,
                key_hash=f"bench-{i}",
                key_prefix=f"b{i}"[:12],
            )
            for i in range(count)
        ],
        batch_size=1000,
    )


def _months(start: datetime, end: datetime):
    month = (start.year, start.month)
    while datetime(*month, 1, tzinfo=UTC) < end:
        following = (month[0] + 1, 1) if month[1] == 12 else (month[0], month[1] + 1)
        yield month, datetime(*month, 1, tzinfo=UTC), datetime(*following, 1, tzinfo=UTC)
        month = following


def _load(*, rows: int, every: int, now: datetime) -> None:
    from django.db import connection

    from mueve.sensors.models import Device
    from mueve.sensors.services.storage import DEFAULT_PARTITION, TABLE, partition_months, partition_name

    ids = list(Device.objects.order_by("pk").values_list("pk", flat=True))
    low_id, high_id = ids[0], ids[-1]
    points = rows // (len(ids) * len(METRICS))
    start = now - timedelta(seconds=every * (points - 1))
    print(
        f"loading {points * len(ids) * len(METRICS):,} readings: {len(ids)} devices x {len(METRICS)} metrics x "
        f"{points:,} points every {every} s, {start:%Y-%m-%d} to {now:%Y-%m-%d}",
        flush=True,
    )
    existing = set(partition_months())
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET synchronous_commit = off")
        for month, month_start, month_end in _months(start, now + timedelta(seconds=1)):
            began = time.perf_counter()
            name = partition_name(month)
            if month in existing:  # made empty by the migration: replaced by the loaded one
                cursor.execute(f'ALTER TABLE "{TABLE}" DETACH PARTITION "{name}"')
                cursor.execute(f'DROP TABLE "{name}"')
            cursor.execute(f'CREATE TABLE "{name}" (LIKE "{TABLE}" INCLUDING DEFAULTS)')
            low, high = max(start, month_start), min(now, month_end - timedelta(microseconds=1))
            # The first point of the month on the --every grid that starts at `start`.
            offset = -(-(low - start).total_seconds() // every) * every
            first = start + timedelta(seconds=offset)
            values = " UNION ALL ".join(
                f"SELECT '{metric}'::varchar AS metric, '{unit}'::varchar AS unit, {value} AS value"
                for metric, unit, value in METRICS
            )
            cursor.execute(
                f'INSERT INTO "{name}" (id, metric, time, value, unit, device_id) '
                f"SELECT nextval('{TABLE}_id_seq'), m.metric, t, m.value, m.unit, d "
                f"FROM generate_series(%s::timestamptz, %s::timestamptz, make_interval(secs => %s)) t "
                f"CROSS JOIN generate_series(%s::bigint, %s::bigint) d CROSS JOIN ({values}) m "
                f"ORDER BY t",
                [first, high, every, low_id, high_id],
            )
            loaded = cursor.rowcount
            inserted = time.perf_counter()
            cursor.execute(f'ALTER TABLE "{name}" ADD PRIMARY KEY (id, time)')
            cursor.execute(f'ALTER TABLE "{name}" ADD CONSTRAINT "{name}_once" UNIQUE (device_id, metric, time)')
            cursor.execute(f'CREATE INDEX ON "{name}" (device_id)')
            cursor.execute(f'CREATE INDEX ON "{name}" USING brin (time)')
            cursor.execute(
                f'ALTER TABLE "{name}" ADD CONSTRAINT "{name}_bounds" CHECK (time >= %s AND time < %s)',
                [month_start, month_end],
            )
            cursor.execute(
                f'ALTER TABLE "{TABLE}" ATTACH PARTITION "{name}" FOR VALUES FROM (%s) TO (%s)',
                [month_start, month_end],
            )
            cursor.execute(f'ALTER TABLE "{name}" DROP CONSTRAINT "{name}_bounds"')
            cursor.execute(f'ANALYZE "{name}"')
            print(
                f"  {name}: {loaded:,} rows, insert {inserted - began:.0f} s, "
                f"indexes + attach {time.perf_counter() - inserted:.0f} s",
                flush=True,
            )
        cursor.execute(f'SELECT count(*) FROM "{DEFAULT_PARTITION}"')
        assert cursor.fetchone()[0] == 0


def _size() -> tuple[int, int, int]:
    """(rows, heap bytes, index bytes) of the readings table, all partitions."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(c.reltuples), 0)::bigint, coalesce(sum(pg_table_size(c.oid)), 0)::bigint, "
            "coalesce(sum(pg_indexes_size(c.oid)), 0)::bigint FROM pg_inherits i JOIN pg_class c "
            "ON c.oid = i.inhrelid WHERE i.inhparent = 'sensors_reading'::regclass"
        )
        return cursor.fetchone()


def _measure(label, runs, fn):
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - began) * 1000)
    print(
        f"{label}: p50 {statistics.median(timings):.1f} ms, p95 {_pct(timings, 95):.1f} ms, "
        f"max {max(timings):.1f} ms ({runs} queries)",
        flush=True,
    )
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/mueve_sensors_temporal_bench")
    parser.add_argument("--rows", type=int, default=100_000_000)
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--every", type=int, default=300, help="seconds between a device's readings")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="query the database an earlier run loaded")
    args = parser.parse_args()

    os.environ["MUEVE_DATABASE_URL"] = args.database_url
    os.environ.setdefault("MUEVE_DEMO", "1")
    os.environ.setdefault("MUEVE_DATA_DIR", str(ROOT / "var" / "bench-sensors-temporal"))
    if not args.reuse:
        _fresh_postgres(args.database_url)
    _django()
    from django.test import Client
    from django.utils import timezone

    from mueve.sensors import selectors
    from mueve.sensors.models import Device, Reading

    if not args.reuse:
        began = time.perf_counter()
        _seed_devices(args.devices)
        now = timezone.now().replace(microsecond=0)
        _load(rows=args.rows, every=args.every, now=now)
        print(f"loaded in {time.perf_counter() - began:.0f} s", flush=True)
    now = Reading.objects.order_by("-time").values_list("time", flat=True).first()
    rows, heap, indexes = _size()
    print(f"table: {rows:,} rows (planner's count), heap {heap / 2**30:.1f} GiB, indexes {indexes / 2**30:.1f} GiB")

    devices = list(Device.objects.all())
    points = Reading.objects.filter(device=devices[0], metric="power", time__gte=now - timedelta(days=30)).count()
    since = now - timedelta(days=30)
    rng = random.Random(22)

    def between():
        found = selectors.temporal_readings(
            rng.choice(devices), after=since, after_inclusive=True, before=now + timedelta(seconds=1)
        )
        assert set(found) == {"power", "illuminance"}, {k: len(v) for k, v in found.items()}

    def last_n():
        found = selectors.temporal_readings(
            rng.choice(devices), after=since, after_inclusive=True, before=now + timedelta(seconds=1), last_n=100
        )
        assert all(len(v) == min(100, points) for v in found.values())

    client = Client()

    def endpoint():
        device = rng.choice(devices)
        response = client.get(
            f"/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:Streetlight:{device.uid}",
            {"timerel": "between", "timeAt": since.isoformat(), "endTimeAt": (now + timedelta(seconds=1)).isoformat()},
        )
        assert response.status_code == 200 and len(response.json()["power"]) == min(1000, points)

    first = time.perf_counter()
    between()
    print(f"first query after the load: {(time.perf_counter() - first) * 1000:.1f} ms")
    _measure("selector, 30 days (first 1,000 instances per attribute)", args.queries, between)
    _measure("selector, 30 days, lastN=100", args.queries, last_n)
    _measure("GET /ngsi-ld/v1/temporal/entities/<id> (30 days, JSON)", max(20, args.queries // 4), endpoint)


if __name__ == "__main__":
    main()
