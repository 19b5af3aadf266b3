"""CSV in and out of the platform.

Import, with a report per row: a bad row is named with its errors, never silently dropped. An import is
all-or-nothing: if any row has an error nothing is written, and the report says which rows to fix. Apps supply
a `parse_row` that returns cleaned data or raises ValidationError.

Export: every CSV a person downloads is written by `write_rows` (or `export_rows`) and served by `download`,
in the form a spreadsheet set to Spanish (Excel es-CL) opens as it is: ";" between cells, a decimal comma
("14,0", never "14.000", which it reads as fourteen thousand), no thousands separator, UTF-8 with a BOM.
Beside each CSV the same rows go out as an Excel workbook (`xlsx_rows`, `download_xlsx`), whose numbers are
numeric cells, so no locale can misread them.
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
from mueve.core.text import fold

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DELIMITER = ";"  # Excel set to Spanish splits on ";" (the comma is its decimal mark)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def _delimiter_of(text: str) -> str:
    """The header line tells: ";" (Spanish spreadsheets, our exports), "," or a tab, whichever it has most of.
    (Sniffing whole rows guesses wrong when descriptions hold commas and numbers decimal commas.)"""
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def import_rows(
    text: str,
    *,
    required_columns: Iterable[str],
    parse_row: Callable[[dict[str, str]], Any],
    save_row: Callable[[Any], bool],
    aliases: dict[str, str] | None = None,
    column_names: dict[str, str] | None = None,
) -> ImportReport:
    """Parse every row first; write only when all rows are valid. `save_row` returns True if created.

    `aliases` maps other names a column may have in the file (older exports, accents left out) to the name
    `parse_row` reads; case, accents, spaces and underscores do not matter. `column_names` gives, for a name
    `parse_row` reads (or an error key it raises), the column's name as the person's file has it.
    """
    shown = column_names or {}
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text), delimiter=_delimiter_of(text))
    if reader.fieldnames and aliases:
        names = {fold(alias): column for alias, column in aliases.items()}
        reader.fieldnames = [names.get(fold(h or ""), (h or "").strip()) for h in reader.fieldnames]
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in required_columns if c not in header]
    if not header:
        report.file_errors.append(_("El archivo está vacío o no tiene encabezado."))
        return report
    if missing:
        names = ", ".join(shown.get(c, c) for c in missing)
        report.file_errors.append(_("Faltan columnas: %(cols)s.") % {"cols": names})
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
            report.errors.append(RowError(index, {shown.get(k, k): v for k, v in error_dict(exc).items()}))
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


def number_text(value: int | float | Decimal) -> str:
    """A number as a Spanish spreadsheet reads it: decimal comma, no thousands separator, the places it was
    given less trailing zeros (but one kept: 14.000 → "14,0", 1.907 → "1,907", 12 → "12")."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0")
        text = text + "0" if text.endswith(".") else text
    return text.replace(".", ",")


def _csv_cell(value: Any) -> str:
    cell = neutralise_cell(value)
    return number_text(cell) if isinstance(cell, int | float | Decimal) else cell


def write_rows(rows: Iterable[Iterable[Any]]) -> str:
    """Semicolon-separated text, one line per row, every cell through `neutralise_cell`. Pass numbers as
    numbers (int, float, Decimal; `Decimal(f"{x:.3f}")` for a fixed number of places): they are written with
    a decimal comma; text is text, even `-3`."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return out.getvalue()


def xlsx_rows(rows: Iterable[Iterable[Any]], *, sheet: str = "Datos") -> bytes:
    """The same rows as an Excel workbook: numbers are numeric cells, text is text (never a formula, so the
    quote `neutralise_cell` adds for a CSV is not needed), the first row bold and frozen as the header."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    widths: dict[int, int] = {}
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            if value is None or value == "":
                continue
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                cell.value = float(value) if isinstance(value, Decimal) else value
            else:
                cell.value = str(value)
                cell.data_type = "s"  # "=HYPERLINK(...)" stays the text it is
            if r == 1:
                cell.font = Font(bold=True)
            widths[c] = max(widths.get(c, 0), min(len(str(value)), 60))
    for c, width in widths.items():
        ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = width + 2
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_rows(columns: list[str], rows: Iterable[dict[str, Any]]) -> list[list[Any]]:
    """A header of `columns`, then each dict's values in that order (missing keys blank, extra keys ignored)."""
    return list(itertools.chain([columns], ([row.get(c, "") for c in columns] for row in rows)))


def export_rows(columns: list[str], rows: Iterable[dict[str, Any]]) -> str:
    """`table_rows` as CSV text."""
    return write_rows(table_rows(columns, rows))


def download(text: str, *, filename: str, bom: bool = True) -> HttpResponse:
    """Serves text from `write_rows` / `export_rows` as a file download.

    Excel (as used in Chile) reads a CSV as UTF-8 only when it starts with a byte-order mark; without one,
    "Concepción" arrives as "ConcepciÃ³n". `bom=False` only for a file whose readers are known to choke on it.
    """
    response = HttpResponse(("\ufeff" if bom else "") + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def download_xlsx(data: bytes, *, filename: str) -> HttpResponse:
    """Serves a workbook from `xlsx_rows` as a file download."""
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
