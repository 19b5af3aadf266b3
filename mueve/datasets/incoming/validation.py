"""Validation of tabular data against a Frictionless Table Schema, with each error told in Spanish (row, column,
what is wrong), and the accepted rows converted for the datastore.

The file given here is always UTF-8 (encodings.to_utf8 or tabular.xlsx_to_csv) and its delimiter known. Rows are
numbered as `frictionless` numbers them: the header is row 1, the first data row is row 2 (a spreadsheet's numbers).
"""

import datetime as dt
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mueve.datasets.incoming.errors import MAX_ERRORS, Refused, error

# Errors counted before validation stops (only MAX_ERRORS are kept and shown).
COUNT_LIMIT = 10_000
# Rows read to infer a schema; types must fit every one of them (confidence 1), so inference never rejects the very
# rows it was inferred from.
INFER_SAMPLE = 10_000

# Table Schema type -> datastore type (datastore.FIELD_TYPES).
DATASTORE_TYPES = {"integer": "int", "year": "int", "number": "numeric", "boolean": "bool", "datetime": "timestamp"}

TYPE_NAMES = {
    "integer": gettext_lazy("un número entero"),
    "number": gettext_lazy("un número"),
    "boolean": gettext_lazy("un valor lógico (true/false)"),
    "date": gettext_lazy("una fecha (AAAA-MM-DD)"),
    "datetime": gettext_lazy("una fecha y hora (AAAA-MM-DDTHH:MM:SS)"),
    "time": gettext_lazy("una hora (HH:MM:SS)"),
    "year": gettext_lazy("un año"),
    "yearmonth": gettext_lazy("un año y mes (AAAA-MM)"),
    "duration": gettext_lazy("una duración ISO 8601"),
    "geopoint": gettext_lazy("un punto geográfico"),
    "geojson": gettext_lazy("un objeto GeoJSON"),
    "object": gettext_lazy("un objeto JSON"),
    "array": gettext_lazy("una lista JSON"),
    "string": gettext_lazy("un texto con el formato pedido"),
}
CONSTRAINT_RE = re.compile(r'constraint "(\w+)" is "(.*)"', re.S)


def _resource(path: Path, delimiter: str, schema=None):
    from frictionless import Detector, Dialect, Resource, formats

    return Resource(
        path=path.name,
        basepath=str(path.parent),
        format="csv",
        encoding="utf-8",
        dialect=Dialect(controls=[formats.CsvControl(delimiter=delimiter)]),
        schema=schema,
        detector=Detector(sample_size=INFER_SAMPLE, field_confidence=1.0),
    )


def check_schema(descriptor) -> dict:
    """A Table Schema a steward gives, checked; returns the descriptor as the platform keeps it."""
    from frictionless import FrictionlessException, Schema

    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("fields"), list) or not descriptor["fields"]:
        raise Refused.one(_("El esquema debe ser un objeto JSON con una lista «fields» de columnas."))
    try:
        schema = Schema.from_descriptor(descriptor)
    except FrictionlessException as exc:
        raise Refused.one(
            _("El esquema de tabla no es válido: %(detail)s") % {"detail": exc.error.note or exc}
        ) from exc
    names = [f.name for f in schema.fields]
    if len(set(names)) != len(names) or any(not n or n.startswith("_") for n in names):
        raise Refused.one(_("Las columnas del esquema deben tener nombres distintos, que no empiecen con «_»."))
    return schema.to_descriptor()


def infer(path: Path, delimiter: str) -> dict:
    resource = _resource(path, delimiter)
    resource.infer()
    return resource.schema.to_descriptor()


def _field_type(schema: dict, name: str) -> str:
    for field in schema.get("fields", []):
        if field.get("name") == name:
            return field.get("type", "any")
    return "any"


def _constraint_text(note: str) -> str:
    m = CONSTRAINT_RE.search(note or "")
    if not m:
        return _("no cumple una restricción del esquema")
    name, value = m.groups()
    texts = {
        "required": _("falta el valor, que es obligatorio"),
        "unique": _("el valor está repetido y debe ser único"),
        "minimum": _("es menor que el mínimo (%s)"),
        "maximum": _("es mayor que el máximo (%s)"),
        "minLength": _("es más corto que el mínimo (%s caracteres)"),
        "maxLength": _("es más largo que el máximo (%s caracteres)"),
        "pattern": _("no calza con el patrón %s"),
        "enum": _("no es uno de los valores permitidos (%s)"),
    }
    text = texts.get(name, _("no cumple la restricción «%s»") % name)
    return text % value if "%s" in text else text


def spanish(err, schema: dict) -> dict:
    """One frictionless error as the steward reads it."""
    kind = err.type
    row = getattr(err, "row_number", None)
    column = getattr(err, "field_name", "") or getattr(err, "label", "") or ""
    number = getattr(err, "field_number", None)
    cell = str(getattr(err, "cell", "") or "")[:60]
    where = _("Fila %(row)d, columna «%(column)s»") % {"row": row or 0, "column": column or number}
    if kind == "type-error":
        text = _("%(where)s: «%(cell)s» no es %(type)s.") % {
            "where": where,
            "cell": cell,
            "type": TYPE_NAMES.get(_field_type(schema, column), _field_type(schema, column)),
        }
    elif kind == "constraint-error":
        text = _("%(where)s: «%(cell)s» %(what)s.") % {"where": where, "cell": cell, "what": _constraint_text(err.note)}
    elif kind == "unique-error":
        text = _("%(where)s: «%(cell)s» está repetido y debe ser único.") % {"where": where, "cell": cell}
    elif kind == "primary-key":
        text = _("Fila %(row)d: la clave primaria está repetida.") % {"row": row or 0}
    elif kind == "extra-cell":
        text = _(
            "Fila %(row)d: tiene más valores que columnas el encabezado (valor de más en la posición %(n)s: "
            "«%(cell)s»)."
        ) % {
            "row": row or 0,
            "n": number,
            "cell": cell,
        }
    elif kind == "missing-cell":
        text = _("%(where)s: falta el valor (la fila tiene menos valores que columnas el encabezado).") % {
            "where": where
        }
    elif kind == "blank-row":
        text = _("Fila %(row)d: está vacía.") % {"row": row or 0}
    elif kind == "blank-label":
        text = _("Encabezado, columna %(n)s: no tiene nombre.") % {"n": number}
        row = 1
    elif kind == "duplicate-label":
        text = _("Encabezado: la columna «%(label)s» está repetida (posición %(n)s).") % {
            "label": err.label,
            "n": number,
        }
        row = 1
    elif kind == "incorrect-label":
        text = _("Encabezado, columna %(n)s: se llama «%(label)s» pero el esquema espera «%(name)s».") % {
            "n": number,
            "label": err.label,
            "name": err.field_name,
        }
        row = 1
    elif kind == "missing-label":
        text = _("Encabezado: falta la columna «%(name)s» que el esquema exige.") % {"name": err.field_name}
        row = 1
    elif kind == "extra-label":
        text = _("Encabezado: la columna «%(label)s» no está en el esquema.") % {"label": err.label}
        row = 1
    elif kind in {"source-error", "scheme-error", "format-error", "encoding-error", "resource-error", "schema-error"}:
        text = _("No se pudo leer la tabla: %(detail)s") % {"detail": err.note or err.message}
    else:
        text = _("%(where)s: error de validación «%(kind)s».") % {"where": where, "kind": kind}
    return error(text, row=row, column=column)


def validate(path: Path, delimiter: str, schema: dict) -> int:
    """Validates every row; returns the number of data rows, or raises Refused with the first MAX_ERRORS errors in
    Spanish and the count of all (up to COUNT_LIMIT)."""
    from frictionless import Schema

    report = _resource(path, delimiter, Schema.from_descriptor(schema)).validate(limit_errors=COUNT_LIMIT)
    task = report.tasks[0] if report.tasks else None
    errors = [*report.errors, *(task.errors if task else [])]
    if errors:
        raise Refused([spanish(e, schema) for e in errors[:MAX_ERRORS]], count=len(errors))
    return int(task.stats.get("rows") or 0) if task else 0


def datastore_fields(schema: dict) -> list[dict]:
    return [{"id": f["name"], "type": DATASTORE_TYPES.get(f.get("type"), "text")} for f in schema["fields"]]


def _value(value, kind: str):
    if value is None:
        return None
    if kind == "numeric":
        return float(value)
    if kind in {"int", "bool"}:
        return value if kind == "bool" else int(value)
    if kind == "timestamp":
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def rows(path: Path, delimiter: str, schema: dict) -> Iterator[list]:
    """The validated rows, cast by the schema and converted for the datastore, streamed."""
    from frictionless import Schema

    kinds = [f["type"] for f in datastore_fields(schema)]
    resource = _resource(path, delimiter, Schema.from_descriptor(schema))
    with resource:
        for row in resource.row_stream:
            values = row.to_list()
            yield [_value(v, k) for v, k in zip(values, kinds, strict=False)]
