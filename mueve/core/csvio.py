"""CSV import with a report per row: a bad row is named with its errors, never silently dropped.

An import is all-or-nothing: if any row has an error nothing is written, and the report says
which rows to fix. Apps supply a `parse_row` that returns cleaned data or raises ValidationError.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mueve.core.errors import error_dict


@dataclass
class RowError:
    line: int  # 1-based line number in the file, header is line 1
    errors: dict[str, list[str]]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_errors


def decode_upload(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("El archivo no es texto UTF-8 ni Windows-1252."))


def import_rows(
    text: str,
    *,
    required_columns: Iterable[str],
    parse_row: Callable[[dict[str, str]], Any],
    save_row: Callable[[Any], bool],
) -> ImportReport:
    """Parse every row first; write only when all rows are valid. `save_row` returns True if created."""
    report = ImportReport()
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in required_columns if c not in header]
    if not header:
        report.file_errors.append(_("El archivo está vacío o no tiene encabezado."))
        return report
    if missing:
        report.file_errors.append(_("Faltan columnas: %(cols)s.") % {"cols": ", ".join(missing)})
        return report
    parsed: list[Any] = []
    for index, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if None in raw:
            report.errors.append(RowError(index, {"__all__": [_("La fila tiene más columnas que el encabezado.")]}))
            continue
        if not any(row.values()):
            continue
        try:
            parsed.append(parse_row(row))
        except ValidationError as exc:
            report.errors.append(RowError(index, error_dict(exc)))
    if report.errors:
        return report
    with transaction.atomic():
        for item in parsed:
            if save_row(item):
                report.created += 1
            else:
                report.updated += 1
    return report


def export_rows(columns: list[str], rows: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()
