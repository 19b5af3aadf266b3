"""Simulated buses for a demonstration: a background thread that moves buses along the illustrative feeds' routes
by their timetables (realtime.simulated_message) and stores their positions, as a real GTFS-Realtime push would.

`mueve demo` starts one (`--no-simulator` to leave it off) so the route pages and Despierta show buses running;
`mueve simulatevehicles` does the same for one feed in a process of its own. The vehicles are labelled as simulated
(their ids start with SIMULATED_VEHICLE_PREFIX) and the pages say so.
"""

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from django.db import close_old_connections, connection

from mueve.transit import realtime, services
from mueve.transit.models import Feed

logger = logging.getLogger(__name__)


def simulate_once(feed: Feed, *, now: datetime | None = None) -> int:
    """One update of the feed's simulated buses; how many positions were stored."""
    message = realtime.simulated_message(feed, now=now)
    return services.vehicle_positions_ingest(actor=None, feed=feed, data=message.SerializeToString())


class VehicleSimulator:
    """Moves the buses of the illustrative feeds (never a real network's: its riders would be misled) every
    `interval` seconds until stopped. `clock` gives the time to simulate (tests pass a fixed service hour)."""

    def __init__(self, *, interval: float = 5.0, clock: Callable[[], datetime] | None = None):
        self.interval = interval
        self.clock = clock
        self.stopping = threading.Event()
        self.updates = 0
        self.thread: threading.Thread | None = None

    def feeds(self) -> list[Feed]:
        return list(Feed.objects.filter(illustrative=True, imported_at__isnull=False).order_by("slug"))

    def run_once(self) -> int:
        now = self.clock() if self.clock else None
        stored = sum(simulate_once(feed, now=now) for feed in self.feeds())
        self.updates += 1
        return stored

    def _run(self) -> None:
        try:
            while not self.stopping.is_set():
                close_old_connections()
                try:
                    self.run_once()
                except Exception:  # a failed update (database busy, a feed being replaced) waits for the next one
                    logger.exception("vehicle simulator update failed")
                self.stopping.wait(self.interval)
        finally:
            connection.close()

    def start(self) -> "VehicleSimulator":
        self.thread = threading.Thread(target=self._run, name="mueve-vehicle-simulator", daemon=True)
        self.thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout)
