"""Reading a distribution's datastore table: filters, text search, chosen fields, sorting and paging, as CKAN's
`datastore_search` offers them.

No text from the request ever becomes SQL: a field is named by its published id, looked up in the distribution's
`datastore_fields`, and replaced by its column (`_id`, `c0`, `c1`, ...); every value travels as a query parameter,
converted first to the field's type so that a bad value is reported by name instead of failing in the database.
"""

import math
import re
from datetime import UTC, date, datetime

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mueve.datasets.datastore.tables import column, quote

TABLE_NAME = re.compile(r"ds_[0-9a-f]{32}_[0-9a-f]{8}")
SORT_DIRECTION = re.compile(r"\s+(asc|desc)$", re.IGNORECASE)
TYPE_NAMES = {
    "text": gettext_lazy("texto"),
    "int": gettext_lazy("entero"),
    "numeric": gettext_lazy("número"),
    "timestamp": gettext_lazy("fecha y hora"),
    "bool": gettext_lazy("verdadero o falso"),
}


class QueryError(Exception):
    """Bad parameters: {parameter: [messages]}."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def _fail(parameter: str, message: str) -> QueryError:
    return QueryError({parameter: [message]})


class Table:
    """A distribution's table and its fields: published id -> (column, type)."""

    def __init__(self, distribution):
        if not TABLE_NAME.fullmatch(distribution.datastore_table or ""):
            raise ValueError("the distribution has no datastore table")
        self.name = distribution.datastore_table
        self.fields = [{"id": "_id", "type": "int"}] + [
            {"id": f["id"], "type": f["type"]} for f in distribution.datastore_fields
        ]
        self.columns = {"_id": ("_id", "int")}
        for i, field in enumerate(distribution.datastore_fields):
            self.columns[field["id"]] = (column(i), field["type"])

    def column(self, parameter: str, name) -> tuple[str, str]:
        if not isinstance(name, str) or name not in self.columns:
            raise _fail(parameter, _("El campo «%(name)s» no existe en este recurso.") % {"name": name})
        return self.columns[name]


def typed(parameter: str, name: str, kind: str, value):
    """`value` as the Python value of a field of type `kind`; a value that is not one names the field."""
    bad = _fail(
        parameter,
        _("Valor no válido para el campo «%(name)s» (%(type)s): «%(value)s».")
        % {"name": name, "type": TYPE_NAMES[kind], "value": value},
    )
    if value is None:
        return None
    if kind == "text":
        if isinstance(value, dict | list):
            raise bad
        return str(value)
    if isinstance(value, bool) and kind != "bool":
        raise bad
    if kind == "int":
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
            return int(value)
        raise bad
    if kind == "numeric":
        try:
            number = float(value) if isinstance(value, int | float | str) else None
        except ValueError:
            number = None
        if number is None or not math.isfinite(number):
            raise bad
        return number
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "t", "1", "yes"):
            return True
        if text in ("false", "f", "0", "no"):
            return False
        raise bad
    if kind == "timestamp":
        moment = parse_datetime(value) if isinstance(value, str) else None
        if moment is None and isinstance(value, str) and (day := parse_date(value)) is not None:
            moment = datetime.combine(day, datetime.min.time())
        if moment is None:
            raise bad
        # As CKAN's datastore (timestamp without time zone): a time without an offset is UTC.
        if timezone.is_aware(moment):
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        if connection.vendor == "sqlite":  # stored as ISO text
            return moment.isoformat()
        return moment.replace(tzinfo=UTC)
    raise bad


def _filters(table: Table, filters: dict) -> tuple[list[str], list]:
    where, params = [], []
    for name, wanted in filters.items():
        col, kind = table.column("filters", name)
        values = wanted if isinstance(wanted, list) else [wanted]
        if not values:
            raise _fail("filters", _("El filtro de «%(name)s» no tiene valores.") % {"name": name})
        converted = [typed("filters", name, kind, v) for v in values]
        present = [v for v in converted if v is not None]
        parts = []
        if present:
            parts.append(f"{quote(col)} IN ({', '.join(['%s'] * len(present))})")
            params.extend(present)
        if len(present) < len(converted):
            parts.append(f"{quote(col)} IS NULL")
        where.append("(" + " OR ".join(parts) + ")")
    return where, params


def _like(word: str) -> str:
    escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(col: str, kind: str) -> str:
    expression = quote(col) if kind == "text" else f"CAST({quote(col)} AS TEXT)"
    return f"LOWER({expression}) LIKE %s ESCAPE '\\'"


def _text_query(table: Table, q) -> tuple[list[str], list]:
    """`q` as CKAN takes it: a text every word of which appears in some text field, or {field: text}."""
    where, params = [], []
    if isinstance(q, dict):
        for name, text in q.items():
            col, kind = table.column("q", name)
            for word in str(text).split():
                where.append(_contains(col, kind))
                params.append(_like(word))
        return where, params
    text_columns = [(col, kind) for col, kind in table.columns.values() if kind == "text"]
    for word in str(q).split():
        if not text_columns:
            where.append("1 = 0")
            continue
        where.append("(" + " OR ".join(_contains(col, kind) for col, kind in text_columns) + ")")
        params.extend([_like(word)] * len(text_columns))
    return where, params


def _sort(table: Table, sort: str) -> list[tuple[str, str, bool]]:
    """[(field id, column, descending)] from "field desc, \"other field\" asc" (a name may be quoted)."""
    order = []
    for part in sort.split(","):
        name = part.strip()
        if not name:
            continue
        descending = False
        match = SORT_DIRECTION.search(name)
        if match:
            descending = match.group(1).lower() == "desc"
            name = name[: match.start()].strip()
        if len(name) > 1 and name.startswith('"') and name.endswith('"'):
            name = name[1:-1]
        col, _kind = table.column("sort", name)
        order.append((name, col, descending))
    return order


def _record_value(kind: str, value):
    if value is None:
        return None
    if kind == "bool":
        return bool(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def search(
    distribution,
    *,
    q=None,
    filters: dict | None = None,
    fields: list[str] | None = None,
    sort: str = "",
    limit: int = 100,
    offset: int = 0,
    include_total: bool = True,
    distinct: bool = False,
    records_format: str = "objects",
) -> dict:
    """The rows of `distribution`'s table that match, in CKAN's shape: {fields, records, total?}."""
    table = Table(distribution)
    if records_format not in ("objects", "lists"):
        raise _fail("records_format", _("Formatos de registros disponibles: objects, lists."))
    if fields:
        for name in fields:
            table.column("fields", name)
        chosen = list(fields)
    else:
        chosen = [f["id"] for f in table.fields]
    if len(set(chosen)) != len(chosen):
        raise _fail("fields", _("Un campo aparece más de una vez."))
    where, params = [], []
    if filters:
        more, values = _filters(table, filters)
        where += more
        params += values
    if q not in (None, "", {}):
        more, values = _text_query(table, q)
        where += more
        params += values
    order = _sort(table, sort) if sort else []
    if distinct:
        if any(name not in chosen for name, _col, _desc in order):
            raise _fail("sort", _("Con distinct solo se ordena por campos que se piden en fields."))
        tie_breakers = [(name, table.columns[name][0], False) for name in chosen]
    else:
        tie_breakers = [("_id", "_id", False)]
    seen = {name for name, _col, _desc in order}
    order += [t for t in tie_breakers if t[0] not in seen]

    select = ", ".join(quote(table.columns[name][0]) for name in chosen)
    where_sql = f" WHERE {' AND '.join(where)}" if where else ""
    order_sql = ", ".join(f"{quote(col)} {'DESC' if desc else 'ASC'}" for _name, col, desc in order)
    keyword = "SELECT DISTINCT" if distinct else "SELECT"
    sql = f"{keyword} {select} FROM {quote(table.name)}{where_sql} ORDER BY {order_sql} LIMIT %s OFFSET %s"
    kinds = [table.columns[name][1] for name in chosen]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        rows = [[_record_value(kind, value) for kind, value in zip(kinds, row, strict=True)] for row in cursor]
        total = None
        if include_total:
            if distinct:
                count_sql = f"SELECT COUNT(*) FROM (SELECT DISTINCT {select} FROM {quote(table.name)}{where_sql}) t"
            else:
                count_sql = f"SELECT COUNT(*) FROM {quote(table.name)}{where_sql}"
            cursor.execute(count_sql, params)
            total = cursor.fetchone()[0]
    result = {
        "fields": [{"id": name, "type": table.columns[name][1]} for name in chosen],
        "records": rows if records_format == "lists" else [dict(zip(chosen, row, strict=True)) for row in rows],
        "records_format": records_format,
    }
    if include_total:
        result["total"] = total
        result["total_was_estimated"] = False
    return result
