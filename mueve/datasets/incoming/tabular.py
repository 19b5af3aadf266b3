"""CSV text made ready for validation: its delimiter, a strict pass that finds what `frictionless` would read wrong
or let through (unclosed quotes, NUL bytes, formula-prefixed cells, names the datastore cannot take), and XLSX
workbooks turned into the same CSV (first sheet, cached values of formulas)."""

import csv
import datetime as dt
import re
from pathlib import Path

from django.utils.translation import gettext as _

from mueve.core.csvio import FORMULA_PREFIXES
from mueve.datasets.incoming.errors import MAX_ERRORS, Refused, error

DELIMITERS = (";", ",", "\t")
DELIMITER_LABELS = {";": ";", ",": ",", "\t": "tab"}
# A cell starting with "+" or "-" that is a number (or a phone number) or only dashes is not a formula.
NOT_A_FORMULA = re.compile(r"^[+-]?[\d\s.,()]*\d[\d\s.,()]*$|^-+$")


def delimiter_of(path: Path) -> str:
    """The header line tells: the candidate it holds most of outside quotes (a ";" file often has commas as
    decimal marks in its rows, so rows are not counted)."""
    with path.open(encoding="utf-8", newline="") as f:
        header = f.readline()
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def is_formula(cell: str) -> bool:
    return cell.startswith(FORMULA_PREFIXES) and not NOT_A_FORMULA.match(cell)


def scan(path: Path, delimiter: str) -> list[str]:
    """Reads every record strictly. Returns the header; raises Refused naming rows and columns."""
    errors: list[dict] = []
    count = 0
    header: list[str] = []
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter, strict=True)
        record = 0
        while True:
            start_line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                text = str(exc)
                if "NUL" in text:
                    message = _("La fila %(row)d tiene bytes nulos: el archivo no es texto.")
                elif "end of data" in text or "field limit" in text:
                    message = _(
                        "Comillas sin cerrar: el campo entre comillas que empieza en la fila %(row)d (línea "
                        "%(line)d) no se cierra."
                    )
                else:
                    message = _("Comillas mal puestas en la fila %(row)d (línea %(line)d): %(detail)s")
                count += 1
                errors.append(error(message % {"row": record + 1, "line": start_line, "detail": text}, row=record + 1))
                break
            record += 1
            if record == 1:
                header = [c.strip() for c in cells]
                continue
            for i, cell in enumerate(cells):
                if is_formula(cell):
                    count += 1
                    if len(errors) < MAX_ERRORS:
                        column = header[i] if i < len(header) else str(i + 1)
                        errors.append(
                            error(
                                _(
                                    "Fila %(row)d, columna «%(column)s»: el texto «%(cell)s» empieza como una fórmula "
                                    "de planilla (=, +, -, @, tabulación o retorno); por seguridad no se publica. "
                                    "Quite ese primer carácter o anteponga un apóstrofo."
                                )
                                % {"row": record, "column": column, "cell": cell[:40]},
                                row=record,
                                column=column,
                            )
                        )
    if not header or not any(header):
        errors.insert(0, error(_("El archivo está vacío o no tiene fila de encabezado.")))
        count += 1
    for name in header:
        if name.startswith("_"):
            count += 1
            errors.append(
                error(
                    _("La columna «%(name)s» no puede empezar con «_» (nombre reservado).") % {"name": name},
                    row=1,
                    column=name,
                )
            )
    if errors:
        raise Refused(errors, count=count)
    return header


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def xlsx_to_csv(path: Path, target: Path) -> None:
    """The workbook's first sheet as a UTF-8, comma-separated CSV (formulas as their last calculated values).
    Blank rows at the end (a common leftover of spreadsheets) are dropped; anywhere else they stay, and count."""
    from openpyxl import load_workbook

    # A file object, not the path: openpyxl judges a path by its extension, and received files have none.
    with path.open("rb") as source:
        try:
            book = load_workbook(source, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
            raise Refused.one(
                _("No se pudo leer la planilla: el archivo .xlsx está dañado o no es una planilla.")
            ) from exc
        try:
            _write_sheet(book, target)
        finally:
            book.close()


def _write_sheet(book, target: Path) -> None:
    if not book.worksheets:
        raise Refused.one(_("La planilla no tiene hojas."))
    sheet = book.worksheets[0]
    width = None
    pending_blank = 0
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        for row in sheet.iter_rows(values_only=True):
            cells = [_cell_text(v) for v in row]
            while cells and cells[-1] == "":
                cells.pop()
            if width is None:
                if not cells:
                    continue  # blank lines above the header
                width = len(cells)
            if not cells:
                pending_blank += 1
                continue
            for _blank in range(pending_blank):
                writer.writerow([""] * width)
            pending_blank = 0
            writer.writerow(cells + [""] * (width - len(cells)))
