"""Zip archives (XLSX workbooks, GTFS feeds) opened safely: a "zip bomb" (a small file that expands to gigabytes) is
refused from the archive's own headers before anything is extracted, and again while extracting, in case the
headers lie: each member is read in chunks and counted against what it declared and against the total cap."""

import zipfile
import zlib
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from mueve.datasets.incoming.errors import Refused, max_unzipped_bytes

MAX_MEMBERS = 10_000
CHUNK = 1024 * 1024
# Below this size a member's ratio does not matter (a few KB of repeated XML compresses 500:1 honestly).
RATIO_FLOOR = 1024 * 1024


def bomb(detail: str) -> Refused:
    return Refused.one(
        _("El archivo comprimido se rechazó por seguridad (posible bomba zip): %(detail)s") % {"detail": detail}
    )


def open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Refused.one(_("El archivo no es un zip válido (ni una planilla .xlsx).")) from exc


def check(path: Path) -> list[str]:
    """Checks the archive's headers and then extracts every member to nowhere, counting. Returns the member names;
    raises Refused."""
    limit = max_unzipped_bytes()
    ratio = settings.MUEVE_CATALOG_MAX_ZIP_RATIO
    with open_zip(path) as zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise bomb(_("tiene %(n)d archivos (máximo %(max)d).") % {"n": len(infos), "max": MAX_MEMBERS})
        total = sum(i.file_size for i in infos)
        if total > limit:
            raise bomb(
                _("se expande a %(size)s (máximo %(max)s).")
                % {"size": filesizeformat(total), "max": filesizeformat(limit)}
            )
        for info in infos:
            if info.file_size > RATIO_FLOOR and info.file_size > ratio * max(info.compress_size, 1):
                raise bomb(
                    _("«%(name)s» se comprime %(ratio)d veces (máximo %(max)d).")
                    % {"name": info.filename, "ratio": info.file_size // max(info.compress_size, 1), "max": ratio}
                )
        seen = 0
        for info in infos:
            if info.is_dir():
                continue
            declared = info.file_size
            got = 0
            try:
                with zf.open(info) as member:
                    while chunk := member.read(CHUNK):
                        got += len(chunk)
                        seen += len(chunk)
                        if got > declared or seen > limit:
                            raise bomb(_("«%(name)s» se expande más de lo que declara.") % {"name": info.filename})
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError, zlib.error) as exc:
                # A bad CRC (also what a member larger than its header gives), encryption, an unknown method.
                raise Refused.one(
                    _("No se pudo leer «%(name)s» dentro del zip: el archivo está dañado o cifrado.")
                    % {"name": info.filename}
                ) from exc
        return [i.filename for i in infos]


def macro_free(path: Path, names: list[str]) -> None:
    """An XLSX must not carry macros: a VBA project inside, or a macro-enabled content type (.xlsm, .xltm)."""
    if any(Path(n).name.lower() == "vbaproject.bin" for n in names):
        raise Refused.one(
            _(
                "La planilla contiene macros (vbaProject.bin): por seguridad no se aceptan planillas con macros. "
                "Guárdela como .xlsx sin macros."
            )
        )
    with open_zip(path) as zf:
        try:
            types = zf.read("[Content_Types].xml")[: 1024 * 1024].decode("utf-8", "replace").lower()
        except KeyError as exc:
            raise Refused.one(_("El archivo no es una planilla .xlsx válida (falta [Content_Types].xml).")) from exc
    if "macroenabled" in types or "vbaproject" in types:
        raise Refused.one(
            _(
                "La planilla está habilitada para macros (.xlsm): por seguridad no se aceptan. "
                "Guárdela como .xlsx sin macros."
            )
        )
