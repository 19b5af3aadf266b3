"""CSV in and out of the platform.

Import, with a report per row: a bad row is named with its errors, never silently dropped. An import is
all-or-nothing: if any row has an error nothing is written, and the report says which rows to fix. Apps supply
a `parse_row` that returns cleaned data or raises ValidationError.

Export: every CSV a person downloads is written by `write_rows` (or `export_rows`) and served by `download`.
A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some programs, a tab or carriage
return) as a formula, so a team or organization named `=HYPERLINK(...)` could run in the reader's Excel: such
text gets a leading `'`, which spreadsheets show as text (OWASP, "CSV Injection"). Numbers written as numbers
are left alone, so a negative score stays a number. The importer drops that quote again, so an exported file
re-imports unchanged.
"""

import csv
import io
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _

from mueve.core.errors import error_dict

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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
        row = {(k or "").strip(): restore_cell(v or "").strip() for k, v in raw.items() if k is not None}
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


def neutralise_cell(value: Any) -> Any:
    """The value as a spreadsheet must receive it: text that would start a formula gets a leading `'`."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def restore_cell(text: str) -> str:
    """Undoes `neutralise_cell` on a cell read back in. (A value that itself began with `'` and a formula
    character would lose that quote; no name or description is expected to.)"""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES) else text


def write_rows(rows: Iterable[Iterable[Any]]) -> str:
    """Comma-separated text, one line per row, every cell through `neutralise_cell`. Pass numbers as numbers
    (int, float, Decimal; `Decimal(f"{x:.3f}")` for a fixed number of places): text is text, even `-3`."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([neutralise_cell(value) for value in row])
    return out.getvalue()


def export_rows(columns: list[str], rows: Iterable[dict[str, Any]]) -> str:
    """A header of `columns`, then each dict's values in that order (missing keys blank, extra keys ignored)."""
    return write_rows(itertools.chain([columns], ([row.get(c, "") for c in columns] for row in rows)))


def download(text: str, *, filename: str, bom: bool = True) -> HttpResponse:
    """Serves text from `write_rows` / `export_rows` as a file download.

    Excel (as used in Chile) reads a CSV as UTF-8 only when it starts with a byte-order mark; without one,
    "Concepción" arrives as "ConcepciÃ³n". `bom=False` only for a file whose readers are known to choke on it.
    """
    response = HttpResponse(("\ufeff" if bom else "") + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
