"""Where readings live, and how long: monthly partitions on PostgreSQL, and retention per metric.

On PostgreSQL the readings table (sensors_reading) is partitioned by range on `time`, one partition per calendar
month in UTC (`sensors_reading_p202612` holds December 2026), with a DEFAULT partition (`sensors_reading_default`)
that catches any reading whose month has no partition yet, so none is ever refused for want of one. Migration
0004 builds that layout; `partitions_ensure` keeps it ahead of time (the ingest path asks for the months a batch
needs, the `sensorpartitions` command and the rules tick for the coming months), and moves out of DEFAULT the rows
of a month that gets its partition late. On SQLite the table is a plain table, and these functions do nothing.

Retention (`readings_prune`): raw readings are kept for their metric's `retention_days` (mueve.sensors.metrics);
the minute rollups for ROLLUP_MINUTE_FACTOR times that, and the hourly rollups for ROLLUP_HOUR_DAYS, so the history
stays in summaries long after the raw values are gone. On PostgreSQL a month past every metric's retention is
dropped whole (one DROP TABLE, no dead rows to vacuum); the rest is deleted in batches.
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from mueve.sensors.metrics import (
    LONGEST_RETENTION_DAYS,
    METRICS,
    ROLLUP_HOUR_DAYS,
    ROLLUP_MINUTE_FACTOR,
    retention_days,
)
from mueve.sensors.models import Reading, Rollup

log = logging.getLogger(__name__)

TABLE = Reading._meta.db_table
DEFAULT_PARTITION = f"{TABLE}_default"
MONTHS_AHEAD = 3  # partitions kept ready beyond the current month
PRUNE_BATCH = 5_000
_PARTITION_NAME = re.compile(rf"^{TABLE}_p(\d{{4}})(\d{{2}})$")
# An arbitrary key for pg_advisory_xact_lock: one process at a time creates partitions.
_LOCK_KEY = 7_311_402_226

_known_months: set[tuple[int, int]] = set()  # this process's cache of the months that have a partition


def partitioned() -> bool:
    """Whether the readings table is partitioned (PostgreSQL after migration 0004)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def month_of(moment: datetime) -> tuple[int, int]:
    moment = moment.astimezone(UTC)
    return moment.year, moment.month


def _next(month: tuple[int, int]) -> tuple[int, int]:
    year, number = month
    return (year + 1, 1) if number == 12 else (year, number + 1)


def month_bounds(month: tuple[int, int]) -> tuple[datetime, datetime]:
    return datetime(*month, 1, tzinfo=UTC), datetime(*_next(month), 1, tzinfo=UTC)


def partition_name(month: tuple[int, int]) -> str:
    return f"{TABLE}_p{month[0]:04d}{month[1]:02d}"


def partition_months() -> list[tuple[int, int]]:
    """The months that have their own partition, oldest first (none on SQLite)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s)",
            [TABLE],
        )
        names = [name for (name,) in cursor.fetchall()]
    months = []
    for name in names:
        match = _PARTITION_NAME.match(name)
        if match:
            months.append((int(match.group(1)), int(match.group(2))))
    return sorted(months)


def _create_partition(cursor, month: tuple[int, int]) -> int:
    """Creates the month's partition, moving into it the rows DEFAULT caught for that month; returns how many."""
    name = partition_name(month)
    start, end = month_bounds(month)
    cursor.execute(f'CREATE TABLE "{name}" (LIKE "{TABLE}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)')
    cursor.execute(
        f'WITH moved AS (DELETE FROM "{DEFAULT_PARTITION}" WHERE time >= %s AND time < %s RETURNING *) '
        f'INSERT INTO "{name}" SELECT * FROM moved',
        [start, end],
    )
    moved = cursor.rowcount
    # A CHECK matching the bounds lets ATTACH skip its validating scan of the new table.
    cursor.execute(
        f'ALTER TABLE "{name}" ADD CONSTRAINT "{name}_bounds" CHECK (time >= %s AND time < %s)', [start, end]
    )
    cursor.execute(f'ALTER TABLE "{TABLE}" ATTACH PARTITION "{name}" FOR VALUES FROM (%s) TO (%s)', [start, end])
    cursor.execute(f'ALTER TABLE "{name}" DROP CONSTRAINT "{name}_bounds"')
    return moved


@dataclass
class PartitionOutcome:
    created: list[str] = field(default_factory=list)
    moved: int = 0  # rows moved out of DEFAULT into their month's new partition


def partitions_ensure(*, months: set[tuple[int, int]] | None = None, now: datetime | None = None) -> PartitionOutcome:
    """Creates the missing partitions: for `months` when given (the months of a batch of readings), else for the
    current month, MONTHS_AHEAD after it, and every month DEFAULT holds rows of. Safe to call from many
    processes at once (one creates, the others find it done). Does nothing on SQLite."""
    outcome = PartitionOutcome()
    if not partitioned():
        return outcome
    if months is None:
        current = month_of(now or timezone.now())
        months = {current}
        for _ in range(MONTHS_AHEAD):
            current = _next(current)
            months.add(current)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT date_part('year', time AT TIME ZONE 'UTC')::int, "
                f"date_part('month', time AT TIME ZONE 'UTC')::int FROM \"{DEFAULT_PARTITION}\""
            )
            months |= {(y, m) for y, m in cursor.fetchall()}
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
            existing = set(partition_months())
            for month in sorted(months - existing):
                outcome.moved += _create_partition(cursor, month)
                outcome.created.append(partition_name(month))
            existing |= months
    _known_months.clear()
    _known_months.update(existing)
    if outcome.created:
        log.info("sensors: partitions created %s (%d rows moved from DEFAULT)", outcome.created, outcome.moved)
    return outcome


def partitions_for(times) -> None:
    """What the ingest path calls before storing a batch: makes sure each reading's month has its partition.
    Cheap when they do (a set lookup in this process's cache). A failure here is logged and never stops the
    readings: DEFAULT takes them, and the next `partitions_ensure()` (the rules tick) moves them out. Inside a
    transaction it works in a savepoint, and the table stays locked until that transaction ends: a new month's
    first batch only, when the tick has not made its partition ahead."""
    if connection.vendor != "postgresql":
        return
    wanted = {month_of(t) for t in times}
    if wanted <= _known_months:
        return
    try:
        known = set(partition_months())
        _known_months.update(known)
        if wanted - known:
            partitions_ensure(months=wanted - known)
    except DatabaseError:
        log.exception("sensors: could not create the partitions for %s; DEFAULT keeps the readings", wanted)


# --- retention ---------------------------------------------------------------------------------------------------


@dataclass
class PruneOutcome:
    readings: int = 0  # raw readings deleted row by row
    dropped: list[str] = field(default_factory=list)  # whole monthly partitions dropped (PostgreSQL)
    minute_rollups: int = 0
    hour_rollups: int = 0


def _delete_in_batches(queryset, *, batch: int) -> int:
    total = 0
    while True:
        ids = list(queryset.values_list("pk", flat=True)[:batch])
        if not ids:
            return total
        with transaction.atomic():
            deleted, _ = queryset.filter(pk__in=ids).delete()
        total += deleted


def readings_prune(*, now: datetime | None = None, batch: int = PRUNE_BATCH) -> PruneOutcome:
    """Deletes the readings older than their metric's retention, and the rollups older than theirs."""
    now = now or timezone.now()
    outcome = PruneOutcome()
    longest = LONGEST_RETENTION_DAYS
    if partitioned():
        horizon = now - timedelta(days=longest)
        for month in partition_months():
            _start, end = month_bounds(month)
            if end <= horizon:
                name = partition_name(month)
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
                    # Deferred foreign-key checks of rows written earlier in the same transaction would block the
                    # DROP: check them now.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute(f'ALTER TABLE "{TABLE}" DETACH PARTITION "{name}"')
                    cursor.execute(f'DROP TABLE "{name}"')
                outcome.dropped.append(name)
                _known_months.discard(month)
    for metric in sorted(METRICS):
        cutoff = now - timedelta(days=retention_days(metric))
        outcome.readings += _delete_in_batches(Reading.objects.filter(metric=metric, time__lt=cutoff), batch=batch)
        minute_cutoff = now - timedelta(days=retention_days(metric) * ROLLUP_MINUTE_FACTOR)
        outcome.minute_rollups += _delete_in_batches(
            Rollup.objects.filter(metric=metric, grain=Rollup.Grain.MINUTE, start__lt=minute_cutoff), batch=batch
        )
    outcome.hour_rollups += _delete_in_batches(
        Rollup.objects.filter(grain=Rollup.Grain.HOUR, start__lt=now - timedelta(days=ROLLUP_HOUR_DAYS)), batch=batch
    )
    # Metrics no longer defined keep the longest retention (their readings are not lost by an edit of METRICS).
    outcome.readings += _delete_in_batches(
        Reading.objects.exclude(metric__in=list(METRICS)).filter(time__lt=now - timedelta(days=longest)), batch=batch
    )
    return outcome
