"""On PostgreSQL, the readings table becomes partitioned by month on `time`, with a BRIN index on `time`.

What changes on PostgreSQL (SQLite keeps the plain table: this migration does nothing there):
- sensors_reading is re-created as `PARTITION BY RANGE (time)`, one partition per calendar month in UTC
  (sensors_reading_pYYYYMM) for every month the existing rows span plus the current month and the next three,
  and a DEFAULT partition (sensors_reading_default) for anything else; the rows are copied over;
- the primary key becomes (id, time): on a partitioned table every unique constraint must include the partition
  key. The dedupe constraint `reading_once` (device, metric, time) already does, so it keeps its name and meaning,
  and INSERT ... ON CONFLICT DO NOTHING keeps working (PostgreSQL 11+). `id` still comes from a sequence and is
  still unique in practice; Django's model is unchanged;
- a BRIN index on time (a few pages for months of readings, appended in time order) serves the time-range scans
  of retention and rollups;
- the device index and the foreign key keep Django's names, so later migrations find them.

Reversible: going back re-creates the plain table from the model and copies the rows back.
"""

from datetime import UTC, datetime

from django.db import migrations

TABLE = "sensors_reading"
OLD = "sensors_reading_unpartitioned"
MONTHS_AHEAD = 3


def _next(month):
    year, number = month
    return (year + 1, 1) if number == 12 else (year, number + 1)


def _names(cursor, table):
    """(foreign key name, device index name) as Django created them on `table`."""
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    fk = cursor.fetchone()[0]
    cursor.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s AND indexdef NOT LIKE %s",
        [table, "%(device_id)", "%UNIQUE%"],
    )
    index = cursor.fetchone()[0]
    return fk, index


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        if cursor.fetchone()[0] == "p":
            return
        fk, device_index = _names(cursor, TABLE)
        cursor.execute(f'SELECT min(time), max(time) FROM "{TABLE}"')
        low, high = cursor.fetchone()
        now = datetime.now(UTC)
        first = (min(low, now) if low else now).astimezone(UTC)
        last = (max(high, now) if high else now).astimezone(UTC)
        month, end = (first.year, first.month), (last.year, last.month)
        for _ in range(MONTHS_AHEAD):
            end = _next(end)
        cursor.execute(f'ALTER TABLE "{TABLE}" RENAME TO "{OLD}"')
        cursor.execute(f'CREATE TABLE "{TABLE}" (LIKE "{OLD}" INCLUDING DEFAULTS) PARTITION BY RANGE (time)')
        cursor.execute(f'CREATE TABLE "{TABLE}_default" PARTITION OF "{TABLE}" DEFAULT')
        while month <= end:
            start, stop = datetime(*month, 1, tzinfo=UTC), datetime(*_next(month), 1, tzinfo=UTC)
            cursor.execute(
                f'CREATE TABLE "{TABLE}_p{month[0]:04d}{month[1]:02d}" PARTITION OF "{TABLE}" '
                "FOR VALUES FROM (%s) TO (%s)",
                [start, stop],
            )
            month = _next(month)
        cursor.execute(f'INSERT INTO "{TABLE}" SELECT * FROM "{OLD}"')
        cursor.execute(f'DROP TABLE "{OLD}"')  # and with it the identity sequence, whose name is reused below
        cursor.execute(f'CREATE SEQUENCE "{TABLE}_id_seq" OWNED BY "{TABLE}".id')
        cursor.execute(f"ALTER TABLE \"{TABLE}\" ALTER COLUMN id SET DEFAULT nextval('{TABLE}_id_seq')")
        cursor.execute(f"SELECT setval('{TABLE}_id_seq', COALESCE((SELECT max(id) FROM \"{TABLE}\"), 0) + 1, false)")
        cursor.execute(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_pkey" PRIMARY KEY (id, time)')
        cursor.execute(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT reading_once UNIQUE (device_id, metric, time)')
        cursor.execute(f'CREATE INDEX "{device_index}" ON "{TABLE}" (device_id)')
        cursor.execute(f'CREATE INDEX "{TABLE}_time_brin" ON "{TABLE}" USING brin (time)')
        cursor.execute(
            f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{fk}" FOREIGN KEY (device_id) '
            'REFERENCES "sensors_device" (id) DEFERRABLE INITIALLY DEFERRED'
        )


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        if cursor.fetchone()[0] != "p":
            return
        fk, device_index = _names(cursor, TABLE)
        # Free the names the plain table's constraints, indexes and identity sequence take.
        cursor.execute(
            f'ALTER TABLE "{TABLE}" DROP CONSTRAINT "{fk}", DROP CONSTRAINT reading_once, '
            f'DROP CONSTRAINT "{TABLE}_pkey", ALTER COLUMN id DROP DEFAULT'
        )
        cursor.execute(f'DROP INDEX "{device_index}", "{TABLE}_time_brin"')
        cursor.execute(f'DROP SEQUENCE "{TABLE}_id_seq"')
        cursor.execute(f'ALTER TABLE "{TABLE}" RENAME TO "{OLD}"')
    schema_editor.create_model(apps.get_model("sensors", "Reading"))
    with schema_editor.connection.cursor() as cursor:
        columns = "id, metric, time, value, unit, device_id"
        cursor.execute(f'INSERT INTO "{TABLE}" ({columns}) OVERRIDING SYSTEM VALUE SELECT {columns} FROM "{OLD}"')
        cursor.execute(f'DROP TABLE "{OLD}"')  # its partitions go with it
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{TABLE}\"', 'id'), "
            f'COALESCE((SELECT max(id) FROM "{TABLE}"), 0) + 1, false)'
        )


class Migration(migrations.Migration):
    dependencies = [("sensors", "0005_bicipark")]

    operations = [migrations.RunPython(partition, unpartition, elidable=False)]
