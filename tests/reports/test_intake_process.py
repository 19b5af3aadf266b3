"""`mueve serve` fuses and routes accepted Open311 reports in an intake process of its own, for real: the server
wakes it after each accepted report, it wakes the server's streams after processing, and it is started again if it
dies. SQLite, no Redis: the wake-ups go through the machine's sockets (mueve.core.wakeup)."""

import json
import os
import signal
import time

from tests.realtime.servers import LiveSite, StreamReader, post_report

# Streams would otherwise re-read the log every second: at 10 minutes, an event that arrives within the
# deadline below came through a wake-up.
SLOW_POLL = {"MUEVE_REALTIME_POLL": "600"}
DEADLINE_S = 60


def _intake_children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                command = cmdline.read().split(b"\0")
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
        if parent == pid and b"intake" in command:
            found.append(int(entry))
    return found


def _wait_for_report(stream: StreamReader, public_id: str) -> dict:
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        block = stream.next_block()  # keep-alive comments every 2 s: the deadline is checked between them
        if "data" not in block:
            continue
        data = json.loads(block["data"])
        if data["kind"] == "reports.report_submitted" and data["payload"]["public_id"] == public_id:
            return data
    raise AssertionError(f"report {public_id} did not reach the stream within {DEADLINE_S} s")


def test_serve_processes_reports_in_an_intake_process_that_wakes_the_streams():
    with LiveSite(extra_env=SLOW_POLL) as site:
        site.start(1)
        server = site.processes[0]
        intake = _intake_children(server.pid)
        assert len(intake) == 1

        stream = StreamReader(site.urls[0], token=site.operator_token)
        assert stream.status == 200
        stream.next_block()
        created = post_report(site.urls[0], site.api_key, description="Semáforo apagado")
        event = _wait_for_report(stream, created["service_request_id"])
        assert event["payload"]["incident_id"]  # fused and routed, by the other process
        assert "privada@example.org" not in str(event)

        os.kill(intake[0], signal.SIGKILL)
        deadline = time.monotonic() + DEADLINE_S
        while not (restarted := [pid for pid in _intake_children(server.pid) if pid != intake[0]]):
            assert time.monotonic() < deadline, "the intake process was not started again"
            time.sleep(0.2)
        assert len(restarted) == 1
        again = post_report(site.urls[0], site.api_key, lat=-36.80, lon=-73.02, description="Otro semáforo")
        _wait_for_report(stream, again["service_request_id"])
        stream.close()
