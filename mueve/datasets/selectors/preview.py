"""What the dataset page shows of a tabular distribution held in the datastore: its columns and their types, its
first rows, and, per numeric column, a histogram (one grouped query per column, kept in the cache under the
table's name: a new load is a new table, so nothing stale is ever shown)."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.utils.translation import gettext_lazy as _

from mueve.datasets.datastore import column, quote

PREVIEW_ROWS = 20
BINS = 10
TYPE_LABELS = {
    "text": _("texto"),
    "int": _("número entero"),
    "numeric": _("número"),
    "timestamp": _("fecha y hora"),
    "bool": _("sí/no"),
}
NUMERIC = {"int", "numeric"}


@dataclass
class Histogram:
    field: str
    lowest: float
    highest: float
    count: int
    mean: float
    bins: list[tuple[float, float, int]]  # (from, to, count); the last bin includes its upper end


@dataclass
class Preview:
    fields: list[dict]  # {"id", "type", "label"}
    rows: list[list]
    total: int
    histograms: list[Histogram]


def fields_of(distribution) -> list[dict]:
    return [
        {"id": f["id"], "type": f["type"], "label": str(TYPE_LABELS.get(f["type"], f["type"]))}
        for f in distribution.datastore_fields
    ]


def first_rows(distribution, limit: int = PREVIEW_ROWS) -> list[list]:
    fields = distribution.datastore_fields
    columns = ", ".join(quote(column(i)) for i in range(len(fields)))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {quote(distribution.datastore_table)} ORDER BY _id LIMIT %s", [limit])
        rows = [list(row) for row in cursor.fetchall()]
    for row in rows:
        for i, f in enumerate(fields):
            if f["type"] == "bool" and row[i] is not None:
                row[i] = bool(row[i])
    return rows


def histogram(distribution, index: int, bins: int = BINS) -> Histogram | None:
    name = distribution.datastore_fields[index]["id"]
    col, table = quote(column(index)), quote(distribution.datastore_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN({col}), MAX({col}), COUNT({col}), AVG({col}) FROM {table}")
        lowest, highest, count, mean = cursor.fetchone()
        if not count:
            return None
        lowest, highest, mean = float(lowest), float(highest), float(mean)
        if highest == lowest:
            return Histogram(name, lowest, highest, count, mean, [(lowest, highest, count)])
        width = (highest - lowest) / bins
        # Which bin: truncated toward zero on SQLite, floored on PostgreSQL (the same for values at or above MIN).
        bucket = (
            f"FLOOR(({col} - %s) / %s)::integer"
            if connection.vendor == "postgresql"
            else f"CAST(({col} - %s) / %s AS INTEGER)"
        )
        cursor.execute(
            f"SELECT {bucket} AS b, COUNT(*) FROM {table} WHERE {col} IS NOT NULL GROUP BY b",
            [lowest, width],
        )
        counts = [0] * bins
        for b, n in cursor.fetchall():
            counts[min(max(int(b), 0), bins - 1)] += n
    edges = [lowest + i * width for i in range(bins)] + [highest]
    return Histogram(name, lowest, highest, count, mean, [(edges[i], edges[i + 1], counts[i]) for i in range(bins)])


def preview(distribution) -> Preview | None:
    """None when the distribution is not in the datastore."""
    if not distribution.datastore_active:
        return None
    key = f"datasets:preview:{distribution.datastore_table}"
    found = cache.get(key)
    if found is not None:
        return found
    fields = fields_of(distribution)
    histograms = [h for i, f in enumerate(fields) if f["type"] in NUMERIC and (h := histogram(distribution, i))]
    result = Preview(fields, first_rows(distribution), distribution.datastore_rows or 0, histograms)
    cache.set(key, result, 3600)
    return result
