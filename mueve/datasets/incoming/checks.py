"""From a received file to what can be published: its format, the checks of that format, and for tabular data the
UTF-8 CSV, its delimiter, its schema and its row count. Runs outside any database transaction (a large file takes
seconds) and writes only temporary files, which `Checked.discard` removes."""

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from mueve.datasets.incoming import encodings, geojson, gtfs, tabular, validation, zips
from mueve.datasets.incoming.errors import Refused
from mueve.datasets.incoming.receive import Received, work_dir
from mueve.datasets.models.vocab import FILE_TYPES

TABULAR = {"CSV", "XLSX"}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Checked:
    format: str  # CSV, XLSX, GEOJSON or GTFS
    publish_path: Path  # the file to publish (CSV and GeoJSON re-encoded to UTF-8)
    publish_name: str
    encoding: str = ""  # encodings.LABELS value
    delimiter: str = ""
    csv_path: Path | None = None  # tabular data as UTF-8 CSV, for the datastore
    schema: dict = field(default_factory=dict)
    schema_inferred: bool = False
    row_count: int | None = None
    warnings: list[dict] = field(default_factory=list)
    temporary: list[Path] = field(default_factory=list)

    @property
    def media_type(self) -> str:
        return FILE_TYPES[self.format][1]

    @property
    def tabular(self) -> bool:
        return self.format in TABULAR

    def discard(self) -> None:
        for path in self.temporary:
            path.unlink(missing_ok=True)


def _temporary(paths: list[Path], suffix: str) -> Path:
    fd, name = tempfile.mkstemp(dir=work_dir(), prefix="chk-", suffix=suffix)
    os.close(fd)
    paths.append(Path(name))
    return Path(name)


def detect_format(path: Path, name: str) -> str:
    """By content first (a .csv that is really a workbook is read as one), the name's extension as tie-breaker."""
    with path.open("rb") as f:
        head = f.read(4096)
    if not head:
        raise Refused.one(_("El archivo está vacío."))
    if head.startswith(OLE2_MAGIC):
        raise Refused.one(
            _("El archivo es una planilla Excel antigua (.xls) o un documento de Office: guárdelo como .xlsx o CSV.")
        )
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        with zips.open_zip(path) as zf:
            names = zf.namelist()
        if "[Content_Types].xml" in names:
            return "XLSX"
        return "GTFS"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{") or name.lower().endswith((".geojson", ".json")):
        return "GEOJSON"
    return "CSV"


def _stem(name: str) -> str:
    return Path(name).stem or "datos"


def run(received: Received, *, schema: dict) -> Checked:
    """Checks a received file; `schema` is the distribution's Table Schema ({} to infer one). Raises Refused."""
    temporary: list[Path] = []
    facts: dict[str, str] = {}  # what was learnt before a refusal, kept with the rejected version
    try:
        kind = detect_format(received.path, received.name)
        facts["format"] = kind
        if kind == "GTFS":
            warnings = gtfs.check(received.path)
            return Checked("GTFS", received.path, f"{_stem(received.name)}.zip", warnings=warnings)
        if kind == "XLSX":
            names = zips.check(received.path)
            zips.macro_free(received.path, names)
            csv_path = _temporary(temporary, ".csv")
            tabular.xlsx_to_csv(received.path, csv_path)
            checked = Checked("XLSX", received.path, f"{_stem(received.name)}.xlsx", delimiter=",", csv_path=csv_path)
        else:
            encoding = encodings.detect(received.path)
            facts["encoding"] = encodings.LABELS[encoding]
            utf8 = _temporary(temporary, ".txt")
            encodings.to_utf8(received.path, encoding, utf8)
            if kind == "GEOJSON":
                count = geojson.check(utf8)
                return Checked(
                    "GEOJSON",
                    utf8,
                    f"{_stem(received.name)}.geojson",
                    encoding=encodings.LABELS[encoding],
                    row_count=count,
                    temporary=temporary,
                )
            checked = Checked(
                "CSV",
                utf8,
                f"{_stem(received.name)}.csv",
                encoding=encodings.LABELS[encoding],
                delimiter=tabular.delimiter_of(utf8),
                csv_path=utf8,
            )
        checked.temporary = temporary
        facts["delimiter"] = checked.delimiter
        tabular.scan(checked.csv_path, checked.delimiter)
        if schema:
            checked.schema = schema
        else:
            checked.schema = validation.infer(checked.csv_path, checked.delimiter)
            checked.schema_inferred = True
        checked.row_count = validation.validate(checked.csv_path, checked.delimiter, checked.schema)
        return checked
    except Refused as exc:
        exc.facts = facts
        for path in temporary:
            path.unlink(missing_ok=True)
        raise
    except BaseException:
        for path in temporary:
            path.unlink(missing_ok=True)
        raise
