"""Bulk writes the ORM makes slow.

Django's `bulk_update` builds one CASE WHEN expression per object and field and resolves each through the query
machinery: for a batch of reports that costs more than everything else the batch does. `update_rows` sends the
same rows as one prepared UPDATE executed many times (executemany), values converted by the model fields.
"""

from collections.abc import Sequence

from django.db import connections, router
from django.db.models import Model


def update_rows(objects: Sequence[Model], fields: list[str]) -> None:
    """Writes `fields` of each (saved) object by primary key. No signals, no auto_now: set those fields yourself."""
    if not objects:
        return
    model = type(objects[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    sql = (
        f"UPDATE {quote(meta.db_table)} SET "
        + ", ".join(f"{quote(field.column)} = %s" for field in columns)
        + f" WHERE {quote(meta.pk.column)} = %s"
    )
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def insert_row(obj: Model) -> None:
    """INSERTs one new object and sets its primary key, like `save(force_insert=True)` without the ORM's
    per-call query compilation (a wide model's insert costs several times the database's own work). No signals:
    for hot paths whose models have none that matter."""
    model = type(obj)
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    fields = [f for f in meta.local_concrete_fields if not (f.primary_key and getattr(obj, f.attname) is None)]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(meta.pk.column)}"
    )
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        pk = cursor.fetchone()[0]
    setattr(obj, meta.pk.attname, pk)
    obj._state.adding = False
    obj._state.db = connection.alias
