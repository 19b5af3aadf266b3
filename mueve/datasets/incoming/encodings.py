"""Which text encoding a file is in, and its text re-encoded to UTF-8, both in a streaming pass.

Chilean public data comes in UTF-8 (with or without the BOM Excel writes), in Windows-1252 or ISO-8859-1 (Excel's
and old systems' "CSV" on Windows), and sometimes in UTF-16 ("Unicode text" from Excel, always with a BOM). UTF-8
is tried first: text in a single-byte encoding with any accented letter is almost never valid UTF-8, so a file that
decodes is UTF-8. Otherwise Windows-1252 (a superset of ISO-8859-1's printable characters); the file is named
ISO-8859-1 when it uses none of the bytes 0x80-0x9F, where the two differ. A file with NUL bytes or many control
characters is not text at all and is refused.
"""

import codecs
from pathlib import Path

from django.utils.translation import gettext as _

from mueve.datasets.incoming.errors import Refused

CHUNK = 1024 * 1024
# Of the first 64 KiB, the share of control characters (other than tab, CR, LF, form feed) a text file may hold.
MAX_CONTROL_SHARE = 0.01

LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 con BOM",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "ISO-8859-1 (Latin-1)",
}


def not_text() -> Refused:
    return Refused.one(
        _(
            "El archivo no es texto (tiene bytes nulos o de control): no parece un CSV. Si es una planilla Excel, "
            "súbala como .xlsx; si no, expórtela como CSV en UTF-8."
        )
    )


def _looks_binary(sample: str) -> bool:
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f")
    return bool(sample) and controls / len(sample) > MAX_CONTROL_SHARE


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        with path.open("rb") as f:
            while chunk := f.read(CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _uses_c1_bytes(path: Path) -> bool:
    c1 = bytes(range(0x80, 0xA0))
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            if any(b in chunk for b in c1):
                return True
    return False


def detect(path: Path) -> str:
    """The file's encoding, as a Python codec name (a key of LABELS); raises Refused for a file that is not text."""
    with path.open("rb") as f:
        head = f.read(65536)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif b"\x00" in head:
        raise not_text()
    elif _decodes(path, "utf-8"):
        encoding = "utf-8"
    elif _decodes(path, "cp1252"):
        encoding = "cp1252" if _uses_c1_bytes(path) else "latin-1"
    else:
        # Bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D: undefined in Windows-1252, control characters in ISO-8859-1.
        encoding = "latin-1"
    sample = head.decode(encoding, errors="replace") if encoding != "utf-16" else head.decode("utf-16", "replace")
    if _looks_binary(sample):
        raise not_text()
    return encoding


def to_utf8(path: Path, encoding: str, target: Path) -> None:
    """Writes the text of `path` (in `encoding`) to `target` in UTF-8 without a BOM, in a streaming pass."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        with path.open("rb") as src, target.open("wb") as out:
            while chunk := src.read(CHUNK):
                out.write(decoder.decode(chunk).encode("utf-8"))
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError as exc:
        raise Refused.one(
            _("El archivo no se puede leer como %(encoding)s: tiene bytes inválidos (posición %(pos)d).")
            % {"encoding": LABELS.get(encoding, encoding), "pos": exc.start}
        ) from exc
