"""Storage of readings: retention per metric (both databases), and on PostgreSQL the monthly partitions."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from mueve.sensors.metrics import METRICS
from mueve.sensors.models import Reading, Rollup
from mueve.sensors.services import storage
from mueve.sensors.services.ingest import Message, ingest_batch


def _reading(device, metric, when, value=1.0):
    return Reading(device=device, metric=metric, time=when, value=value, unit=METRICS[metric].unit)


def test_prune_keeps_each_metric_for_its_own_retention(provision):
    light, _ = provision("luz-retencion")
    now = timezone.now()
    weight_days, power_days = METRICS["weight"].retention_days, METRICS["power"].retention_days
    assert weight_days < power_days
    Reading.objects.bulk_create(
        [
            _reading(light, "weight", now - timedelta(days=weight_days + 1)),  # past its retention
            _reading(light, "weight", now - timedelta(days=weight_days - 1)),
            _reading(light, "power", now - timedelta(days=weight_days + 1)),  # same age, longer retention
            _reading(light, "power", now - timedelta(days=power_days + 1)),
        ]
    )
    Rollup.objects.create(
        device=light,
        metric="power",
        grain="hour",
        start=now - timedelta(days=power_days + 1),
        count=1,
        minimum=1,
        maximum=1,
        total=1,
    )
    outcome = storage.readings_prune(now=now, batch=1)
    assert outcome.readings == 2
    left = {(r.metric, round((now - r.time) / timedelta(days=1))) for r in Reading.objects.all()}
    assert left == {("weight", weight_days - 1), ("power", weight_days + 1)}
    assert Rollup.objects.filter(grain="hour").count() == 1  # summaries outlive the raw readings


def test_devices_page_shows_the_retention_of_each_metric(client, official, provision):
    client.force_login(official)
    page = client.get("/sensores/").content.decode()
    assert "Conservación de los datos" in page
    assert "Peso" in page and str(METRICS["weight"].retention_days) in page


pg = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions exist on PostgreSQL only")


@pg
def test_the_readings_table_is_partitioned_by_month_with_brin(db):
    assert storage.partitioned()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'sensors_reading'")
        defs = " ".join(d for (d,) in cursor.fetchall())
    assert "USING brin" in defs and '(device_id, metric, "time")' in defs


@pg
def test_a_month_without_partition_loses_nothing_and_gets_one(provision, settings):
    settings.MUEVE_SENSORS_LATE_HOURS = 24 * 1000
    light, _ = provision("luz-particion")
    far = datetime(2025, 3, 15, 12, tzinfo=UTC)
    month = storage.month_of(far)
    assert month not in storage.partition_months()
    storage._known_months.clear()
    payload = f'{{"power": 12, "observedAt": "{far.isoformat()}"}}'
    first = ingest_batch([Message(device_uid=light.uid, payload=payload, via="http")])
    again = ingest_batch([Message(device_uid=light.uid, payload=payload, via="http")])
    assert (first.stored, again.stored, again.duplicates) == (1, 0, 1)
    assert month in storage.partition_months()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM sensors_reading WHERE device_id = %s", [light.pk])
        assert cursor.fetchall() == [(storage.partition_name(month),)]


@pg
def test_rows_caught_by_default_move_to_their_new_partition(provision):
    light, _ = provision("luz-defecto")
    far = datetime(2024, 6, 10, tzinfo=UTC)
    Reading.objects.bulk_create([_reading(light, "power", far)])  # no partition: DEFAULT takes it
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sensors_reading_default")
        assert cursor.fetchone()[0] == 1
    call_command("sensorpartitions")
    assert storage.month_of(far) in storage.partition_months()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sensors_reading_default")
        assert cursor.fetchone()[0] == 0
    assert Reading.objects.filter(device=light).count() == 1


@pg
def test_prune_drops_months_past_every_retention(provision):
    light, _ = provision("luz-vieja")
    old = datetime(2023, 1, 10, tzinfo=UTC)
    storage.partitions_ensure(months={storage.month_of(old)})
    Reading.objects.bulk_create([_reading(light, "impact", old), _reading(light, "impact", timezone.now())])
    outcome = storage.readings_prune()
    assert storage.partition_name(storage.month_of(old)) in outcome.dropped
    assert Reading.objects.filter(device=light).count() == 1
