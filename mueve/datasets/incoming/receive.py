"""Bytes in, to a private temporary file: counted and hashed on the way, and cut off at the cap, so a file too large
is refused while it streams, never read whole into memory (uploads through `CappedUploadHandler`, fetched URLs
through `Sink` directly)."""

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from mueve.datasets.incoming.errors import Refused


def work_dir() -> Path:
    path = Path(settings.DATA_DIR) / "incoming" / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def too_large(limit: int) -> Refused:
    return Refused.one(
        _("El archivo supera el máximo permitido de %(max)s: no se recibió ni se publicó.")
        % {"max": filesizeformat(limit)},
        status=413,
    )


@dataclass
class Received:
    path: Path
    name: str
    size: int
    sha256: str

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


class Sink:
    """A temporary file that refuses to grow past `limit` bytes."""

    def __init__(self, name: str, limit: int):
        self.name = Path(name or "archivo").name[:200]
        self.limit = limit
        self.size = 0
        self.hash = hashlib.sha256()
        fd, path = tempfile.mkstemp(dir=work_dir(), prefix="in-")
        self.path = Path(path)
        self.file = os.fdopen(fd, "wb")

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            self.abort()
            raise too_large(self.limit)
        self.hash.update(chunk)
        self.file.write(chunk)

    def finish(self) -> Received:
        self.file.close()
        return Received(self.path, self.name, self.size, self.hash.hexdigest())

    def abort(self) -> None:
        if not self.file.closed:
            self.file.close()
        self.path.unlink(missing_ok=True)


def receive_stream(stream, *, name: str, limit: int, chunk_size: int = 1024 * 1024) -> Received:
    """Copies a binary file-like object (read in chunks) to a Sink."""
    sink = Sink(name, limit)
    try:
        while chunk := stream.read(chunk_size):
            sink.write(chunk)
    except BaseException:
        sink.abort()
        raise
    return sink.finish()


class CappedUploadHandler(FileUploadHandler):
    """The only upload handler of the upload view: each file field of `fields` goes to a Sink with its limit; past
    the limit the upload stops there (the rest of the request is not read) and `refused` says so."""

    def __init__(self, request, *, fields: dict[str, int]):
        super().__init__(request)
        self.fields = fields
        self.received: dict[str, Received] = {}
        self.refused: Refused | None = None
        self._sink: Sink | None = None

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        if field_name not in self.fields or not file_name:
            raise SkipFile
        self._sink = Sink(file_name, self.fields[field_name])

    def receive_data_chunk(self, raw_data, start):
        try:
            self._sink.write(raw_data)
        except Refused as exc:
            self.refused = exc
            self._sink = None
            raise StopUpload(connection_reset=True) from exc
        return None

    def file_complete(self, file_size):
        if self._sink is not None:
            self.received[self.field_name] = self._sink.finish()
            self._sink = None
        return None

    def upload_interrupted(self):
        if self._sink is not None:
            self._sink.abort()
            self._sink = None

    def discard(self) -> None:
        for received in self.received.values():
            received.discard()
