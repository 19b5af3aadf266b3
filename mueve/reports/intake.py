"""The intake worker, which processes accepted reports: a process of its own, or a thread per server process.

`services.report_accept` (the Open311 POST) stores a report with `intake_pending` and wakes the worker after
commit (through the wake-up ReportsConfig.ready installs: the services do not import this module, which imports
them); the worker runs `services.reports_process_pending` until the queue is empty, so reports that arrive
together are fused together. It also looks every POLL_SECONDS, which picks up reports accepted by a process
that stopped before they were processed (at start-up too): the database is the queue, nothing lives only here.

MUEVE_REPORTS_INTAKE says where the worker runs:
- "process": `mueve intake`, a process of its own (`mueve serve` starts one and sets this for its workers), so
  fusion and routing use another core than the server answering requests; servers wake it through
  `mueve.core.wakeup` and it wakes their streams the same way (or through Redis).
- "background" (running the ASGI application some other way): a thread in every server process.
- "inline" (the tests): each report is processed inside its request; a thread still picks up what an earlier
  run left pending.
"""

import logging
import threading
import time

from django.db import close_old_connections, connection

from mueve.core.sqlite.base import checkpoint
from mueve.reports import services

log = logging.getLogger(__name__)

BATCH = 200
POLL_SECONDS = 2.0
# After a wake-up, wait this long for the reports arriving with it: a batch's fixed cost (a dozen statements) is
# shared by more reports, at the price of this much delay before the control centre sees them.
LINGER_SECONDS = 0.05
BACKOFF_SECONDS = 1.0
# On SQLite the worker also checkpoints the write-ahead log, at most this often, outside any write (see
# mueve.core.sqlite.checkpoint).
CHECKPOINT_SECONDS = 1.0

_lock = threading.Lock()
_worker: "IntakeWorker | None" = None


class IntakeWorker(threading.Thread):
    def __init__(self):
        super().__init__(name="mueve-intake", daemon=True)
        self.wanted = threading.Event()
        self.stopping = threading.Event()
        self.wanted.set()  # a first pass at start-up: whatever an earlier process left pending

    def run(self) -> None:
        checkpointed_at = 0.0
        while not self.stopping.is_set():
            if self.wanted.wait(POLL_SECONDS):
                self.stopping.wait(LINGER_SECONDS)
            self.wanted.clear()
            try:
                close_old_connections()
                while not self.stopping.is_set() and services.reports_process_pending(limit=BATCH) == BATCH:
                    pass
            except Exception:
                # The batch rolled back and its reports stay pending. Go through them one at a time, so a report
                # that cannot be processed does not hold back the others (a locked SQLite database or a
                # PostgreSQL restart fails them all: then just wait and try again).
                log.exception("reports intake: a batch failed; processing one report at a time")
                close_old_connections()
                try:
                    services.reports_process_pending_singly(limit=BATCH)
                except Exception:
                    log.exception("reports intake: the database is not answering; retrying")
                    close_old_connections()
                self.stopping.wait(BACKOFF_SECONDS)
                self.wanted.set()
            if time.monotonic() - checkpointed_at >= CHECKPOINT_SECONDS:
                checkpointed_at = time.monotonic()
                try:
                    checkpoint(connection)
                except Exception:  # housekeeping: SQLite checkpoints by itself past its threshold
                    log.exception("reports intake: checkpointing the SQLite log failed")
        close_old_connections()


def in_own_process() -> bool:
    from django.conf import settings

    return settings.MUEVE_REPORTS_INTAKE == "process"


def start() -> IntakeWorker:
    """Starts this process's worker thread (once)."""
    global _worker
    with _lock:
        if _worker is None or not _worker.is_alive():
            _worker = IntakeWorker()
            _worker.start()
        return _worker


def wake() -> None:
    """A report was accepted: process it now (starting this process's worker thread if it needs one)."""
    if in_own_process():
        from mueve.core import wakeup

        # If none is listening (restarting), the intake process finds the report when it starts or polls.
        wakeup.notify(TOPIC)
        return
    start().wanted.set()


TOPIC = "intake"


def run_process(*, parent_pid: int | None = None) -> None:
    """`mueve intake`: the worker in this process's main thread until SIGTERM/SIGINT, or until the parent
    (`mueve serve`) is gone. Several may run (one per `mueve serve`): on PostgreSQL their batches overlap (one
    processes while another waits for its commit), on SQLite they take turns."""
    import os
    import signal

    from mueve.core import wakeup

    worker = IntakeWorker()
    listener = wakeup.Listener(TOPIC)

    def stop_on_signal(*_args) -> None:
        worker.stopping.set()
        worker.wanted.set()

    signal.signal(signal.SIGTERM, stop_on_signal)
    # Started by `mueve serve`, Ctrl+C in its terminal reaches this process too: the server stops it once its
    # own shutdown is done (or this process notices the server is gone).
    signal.signal(signal.SIGINT, signal.SIG_IGN if parent_pid is not None else stop_on_signal)

    def listen() -> None:
        while not worker.stopping.is_set():
            if listener.wait(1.0):
                worker.wanted.set()
            if parent_pid is not None and os.getppid() != parent_pid:
                log.warning("reports intake: the server that started this process is gone; stopping")
                stop_on_signal()

    threading.Thread(target=listen, name="mueve-intake-wakeups", daemon=True).start()
    log.info("reports intake: processing accepted reports (pid %s)", os.getpid())
    try:
        worker.run()
    finally:
        listener.close()


def stop(timeout: float = 5.0) -> None:
    global _worker
    with _lock:
        worker, _worker = _worker, None
    if worker is not None:
        worker.stopping.set()
        worker.wanted.set()
        worker.join(timeout)
