"""Creating, loading and dropping datastore tables (see the package's docstring for the conventions)."""

import secrets
from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection, transaction

# Published type -> SQL type, per database vendor.
FIELD_TYPES = {
    "text": {"sqlite": "TEXT", "postgresql": "TEXT"},
    "int": {"sqlite": "INTEGER", "postgresql": "BIGINT"},
    "numeric": {"sqlite": "REAL", "postgresql": "DOUBLE PRECISION"},
    "timestamp": {"sqlite": "TEXT", "postgresql": "TIMESTAMP WITH TIME ZONE"},
    "bool": {"sqlite": "INTEGER", "postgresql": "BOOLEAN"},
}
BATCH = 5000


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def column(index: int) -> str:
    return f"c{index}"


def _new_table_name(distribution) -> str:
    return f"ds_{distribution.uuid.hex}_{secrets.token_hex(4)}"


def _check_fields(fields: list[dict]) -> None:
    if not fields:
        raise ValueError("a datastore table needs at least one field")
    seen = set()
    for field in fields:
        if field.get("type") not in FIELD_TYPES:
            raise ValueError(f"unknown field type: {field.get('type')!r}")
        name = str(field.get("id") or "").strip()
        if not name or name in seen or name.startswith("_"):
            raise ValueError(f"bad or repeated field name: {name!r}")
        seen.add(name)


def load(distribution, fields: list[dict], rows: Iterable[Sequence], *, index_fields: Iterable[str] | None = None):
    """Loads `rows` (each a sequence of Python values in the fields' order, already validated and converted) into
    a new table, indexes it, and then points the distribution at it and drops the table it replaces, in one
    transaction. Returns the number of rows. On any error the new table is dropped and the published one stays.

    `index_fields` names the fields to index for filters and sorts (default: all of them)."""
    _check_fields(fields)
    vendor = connection.vendor
    name = _new_table_name(distribution)
    columns = ", ".join(f"{quote(column(i))} {FIELD_TYPES[f['type']][vendor]}" for i, f in enumerate(fields))
    id_type = "INTEGER PRIMARY KEY" if vendor == "sqlite" else "BIGINT PRIMARY KEY"
    placeholders = ", ".join(["%s"] * (len(fields) + 1))
    insert = f"INSERT INTO {quote(name)} VALUES ({placeholders})"
    wanted = set(index_fields) if index_fields is not None else {f["id"] for f in fields}
    count = 0
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE TABLE {quote(name)} (_id {id_type}, {columns})")
                iterator = iter(rows)
                while True:
                    chunk = list(islice(iterator, BATCH))
                    if not chunk:
                        break
                    params = []
                    for row in chunk:
                        if len(row) != len(fields):
                            raise ValueError(f"row {count + len(params) + 1} has {len(row)} values, not {len(fields)}")
                        params.append((count + len(params) + 1, *row))
                    cursor.executemany(insert, params)
                    count += len(chunk)
                for i, field in enumerate(fields):
                    if field["id"] in wanted:
                        index = quote(f"{name}_{column(i)}")
                        cursor.execute(f"CREATE INDEX {index} ON {quote(name)} ({quote(column(i))})")
                old = distribution.datastore_table
                distribution.datastore_table = name
                distribution.datastore_fields = [{"id": f["id"], "type": f["type"]} for f in fields]
                distribution.datastore_rows = count
                distribution.save(update_fields=["datastore_table", "datastore_fields", "datastore_rows", "updated_at"])
                if old:
                    cursor.execute(f"DROP TABLE IF EXISTS {quote(old)}")
    except BaseException:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {quote(name)}")
        raise
    return count


def drop(distribution) -> None:
    """Removes the distribution's table (the distribution is no longer tabular, or is being deleted)."""
    if not distribution.datastore_table:
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {quote(distribution.datastore_table)}")
        distribution.datastore_table = ""
        distribution.datastore_fields = []
        distribution.datastore_rows = None
        distribution.save(update_fields=["datastore_table", "datastore_fields", "datastore_rows", "updated_at"])
