"""The intake worker: one thread per server process that processes accepted reports.

`services.report_accept` (the Open311 POST) stores a report with `intake_pending` and wakes this thread after
commit; the thread runs `services.reports_process_pending` until the queue is empty, so reports that arrive
together are fused together. It also looks every POLL_SECONDS, which picks up reports accepted by a process
that stopped before processing them (at start-up too): the database is the queue, nothing lives only here.
Every server process runs one, also with MUEVE_REPORTS_INTAKE=inline (then it only picks up what a background run
left pending).
"""

import logging
import threading

from django.db import close_old_connections

log = logging.getLogger(__name__)

BATCH = 200
POLL_SECONDS = 2.0
# After a wake-up, wait this long for the reports arriving with it: a batch's fixed cost (a dozen statements) is
# shared by more reports, at the price of this much delay before the control centre sees them.
LINGER_SECONDS = 0.05
BACKOFF_SECONDS = 1.0

_lock = threading.Lock()
_worker: "IntakeWorker | None" = None


class IntakeWorker(threading.Thread):
    def __init__(self):
        super().__init__(name="mueve-intake", daemon=True)
        self.wanted = threading.Event()
        self.stopping = threading.Event()
        self.wanted.set()  # a first pass at start-up: whatever an earlier process left pending

    def run(self) -> None:
        from mueve.reports import services

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
        close_old_connections()


def start() -> IntakeWorker:
    """Starts this process's worker (once)."""
    global _worker
    with _lock:
        if _worker is None or not _worker.is_alive():
            _worker = IntakeWorker()
            _worker.start()
        return _worker


def wake() -> None:
    """A report was accepted: process it now (starting the worker if this process has none yet)."""
    start().wanted.set()


def stop(timeout: float = 5.0) -> None:
    global _worker
    with _lock:
        worker, _worker = _worker, None
    if worker is not None:
        worker.stopping.set()
        worker.wanted.set()
        worker.join(timeout)
