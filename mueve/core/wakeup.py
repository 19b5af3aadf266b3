"""Wake-ups between the processes of one machine, over UNIX datagram sockets in DATA_DIR/run/.

A process that waits for something (the intake process for accepted reports, a server process's stream hub for
new events) binds a socket named `<topic>-<pid>-<random>.sock`; a process that did something sends one byte to every
socket of that topic. A wake-up only says "look again": the database holds the state, and every waiter also
polls, so a lost datagram (a full buffer, a process that is just starting) delays, never loses, anything.
Processes on several machines wake each other through Redis instead (MUEVE_REDIS_URL).
"""

import logging
import os
import secrets
import select
import socket
import threading
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

# sockaddr_un holds 108 bytes: a data folder with a longer path gets no wake-ups (waiters still poll).
MAX_PATH = 100

_own: set[str] = set()  # this process's socket names (`notify(..., others_only=True)` skips them)
_sender: socket.socket | None = None
_sender_lock = threading.Lock()
_warned = False


def run_dir() -> Path:
    return Path(settings.DATA_DIR) / "run"


def _fits(path: Path) -> bool:
    global _warned
    if len(os.fsencode(path)) <= MAX_PATH:
        return True
    if not _warned:
        _warned = True
        log.warning("wake-ups: %s is too long a path for a socket; processes will poll instead", path)
    return False


class Listener:
    """This process's socket for `topic`. `fileno()` for an event loop's reader, or `wait()` from a thread."""

    def __init__(self, topic: str):
        # A name never used before (not only the pid: containers sharing the folder may reuse pids), so a notifier
        # that clears a dead process's socket can never remove a live one.
        self.path = run_dir() / f"{topic}-{os.getpid()}-{secrets.token_hex(4)}.sock"
        self.sock: socket.socket | None = None
        if not _fits(self.path):
            return
        sock = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            sock.setblocking(False)
            sock.bind(str(self.path))
        except OSError:
            if sock is not None:
                sock.close()
            log.warning("wake-ups: cannot bind %s; this process will poll instead", self.path, exc_info=True)
            return
        self.sock = sock
        _own.add(self.path.name)

    def fileno(self) -> int:
        return self.sock.fileno() if self.sock else -1

    def drain(self) -> int:
        """Reads every waiting wake-up; returns how many there were."""
        count = 0
        while self.sock is not None:
            try:
                self.sock.recv(64)
            except (BlockingIOError, InterruptedError):
                break
            count += 1
        return count

    def wait(self, timeout: float) -> bool:
        """Blocks up to `timeout` seconds; True if woken."""
        if self.sock is None:
            threading.Event().wait(timeout)
            return False
        ready, _, _ = select.select([self.sock], [], [], timeout)
        return bool(ready) and self.drain() > 0

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None
            _own.discard(self.path.name)
            self.path.unlink(missing_ok=True)


def notify(topic: str, *, others_only: bool = False) -> int:
    """Wakes every listener of `topic` on this machine (not this process's own with `others_only`); returns how
    many were reached. Never raises: a wake-up that cannot be sent is made up by the listeners' polling."""
    try:
        return _notify(topic, others_only)
    except OSError:  # no folder access, out of file descriptors...
        log.warning("wake-ups: cannot notify %r; listeners will poll", topic, exc_info=True)
        return 0


def _notify(topic: str, others_only: bool) -> int:
    global _sender
    folder = run_dir()
    reached = 0
    try:
        names = [name for name in os.listdir(folder) if name.startswith(f"{topic}-") and name.endswith(".sock")]
    except FileNotFoundError:
        return 0
    for name in names:
        if others_only and name in _own:
            continue
        path = folder / name
        if not _fits(path):
            continue
        with _sender_lock:
            if _sender is None:
                _sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                _sender.setblocking(False)
            try:
                _sender.sendto(b"!", str(path))
                reached += 1
            except BlockingIOError:
                reached += 1  # its buffer is full of wake-ups it has not read yet: it is awake
            except (ConnectionRefusedError, FileNotFoundError):
                path.unlink(missing_ok=True)  # nobody bound: left by a process that died
            except OSError:
                log.debug("wake-ups: cannot reach %s", path, exc_info=True)
    return reached
