"""Documents that cost a lot to build (the programme dossier, its PDF): built once per version of their data, in
the background, and served from files.

A request never builds one. It gets the copy built for the current data version if there is one; otherwise it
starts the build (one per document at a time, in this process and across the processes sharing DATA_DIR) and gets
the copy of an earlier version meanwhile (a dossier a minute old beats a request thread held for seconds), or
NotReady when there has never been one (the view answers 503 "se está preparando" with Retry-After).

Under MUEVE_DOCUMENTS_BUILD=inline (the tests' default) the request builds a missing copy itself.
"""

import contextlib
import fcntl
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connections

log = logging.getLogger(__name__)

# A failed build is not retried for this long: a broken document must not cost a build per request.
FAILURE_PAUSE_SECONDS = 30.0

_executor: ThreadPoolExecutor | None = None
_lock = threading.Lock()
_building: set[str] = set()
_failed_at: dict[str, float] = {}


class NotReady(Exception):
    """No copy of any version yet; one is being built. `retry_after`: seconds, from how long the last build took."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _folder(name: str) -> Path:
    return Path(settings.DATA_DIR) / "cache" / "documents" / _digest(name)


def fetch(name: str, version: str, build: Callable[[], bytes]) -> tuple[bytes, bool]:
    """(content, fresh): document `name` as built for `version` (fresh), or the latest earlier copy while the build
    for `version` runs in the background (not fresh). NotReady when there is no copy at all yet."""
    folder = _folder(name)
    current = folder / f"{_digest(version)}.bin"
    with contextlib.suppress(FileNotFoundError):
        return current.read_bytes(), True
    if settings.MUEVE_DOCUMENTS_BUILD == "inline":
        content = build()
        _store(folder, current, content)
        return content, True
    _start(name, folder, current, build)
    for older in _copies(folder):
        with contextlib.suppress(FileNotFoundError):  # replaced by a newer one between listing and reading
            return older.read_bytes(), False
    raise NotReady(retry_after=_expected_seconds(folder))


def _copies(folder: Path) -> list[Path]:
    try:
        paths = [path for path in folder.iterdir() if path.suffix == ".bin"]
    except FileNotFoundError:
        return []
    return sorted(paths, key=lambda path: path.stat().st_mtime if path.exists() else 0, reverse=True)


def _expected_seconds(folder: Path) -> int:
    try:
        took = float((folder / "duration").read_text())
    except (FileNotFoundError, ValueError):
        took = 5.0
    return max(2, min(120, round(took) + 1))


def _start(name: str, folder: Path, current: Path, build: Callable[[], bytes]) -> None:
    global _executor
    with _lock:
        failed_at = _failed_at.get(name)
        if name in _building or (failed_at is not None and time.monotonic() - failed_at < FAILURE_PAUSE_SECONDS):
            return
        _building.add(name)
        if _executor is None:
            # Few threads: building is CPU work, and the request threads must keep theirs.
            builders = settings.MUEVE_DOCUMENTS_BUILDERS
            _executor = ThreadPoolExecutor(max_workers=builders, thread_name_prefix="documents")
        _executor.submit(_build, name, folder, current, build)


def _build(name: str, folder: Path, current: Path, build: Callable[[], bytes]) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # another process is building it; its copy will be there for the next request
            if current.exists():
                return
            close_old_connections()
            started = time.monotonic()
            content = build()
            (folder / "duration").write_text(f"{time.monotonic() - started:.2f}")
            _store(folder, current, content)
    except Exception:
        log.exception("Building document %s failed", name)
        with _lock:
            _failed_at[name] = time.monotonic()
    finally:
        connections.close_all()  # this thread's own connections: a pool thread may sleep for hours
        with _lock:
            _building.discard(name)


def _store(folder: Path, current: Path, content: bytes) -> None:
    """Writes the copy whole (readers never see half a file) and drops the older versions."""
    folder.mkdir(parents=True, exist_ok=True)
    partial = current.with_suffix(f".{os.getpid()}.{threading.get_ident()}.partial")
    partial.write_bytes(content)
    os.replace(partial, current)
    for older in folder.glob("*.bin"):
        if older != current:
            with contextlib.suppress(FileNotFoundError):
                older.unlink()


def wait_for_builds(timeout: float = 30.0) -> None:
    """Until no build of this process is running (tests, tools)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with _lock:
            if not _building:
                return
        time.sleep(0.02)
    raise TimeoutError("documents still building")
