"""A report's tracking page, live: /reportes/seguimiento/<token>/en-vivo/ (Server-Sent Events).

The tracking token is the only key, as for the page itself: whoever holds the page's address may follow it. The
stream never forwards the operators' events: it listens to them (the control topic), and when one concerns this
report (its incident, or the report itself) it sends the report's public state afresh
(selectors.report_tracking_state), so nothing reaches the citizen that the page would not show. Every connection
starts with the current state, so a reconnecting page is up to date without replaying anything.
"""

import json

from django.http import Http404, StreamingHttpResponse

from mueve.realtime.hub import follow, off_thread
from mueve.realtime.recorder import CONTROL_TOPIC
from mueve.reports import selectors

RETRY_MS = 3000


def _concerns(data: str, state: dict) -> bool:
    """Whether one event of the log is about this report: its incident changed, or the report itself did."""
    try:
        payload = json.loads(data).get("payload") or {}
    except ValueError:
        return False
    incident = payload.get("incident")
    if isinstance(incident, dict) and incident.get("id") == state["incident_id"] and state["incident_id"]:
        return True
    if state["incident_id"] and payload.get("incident_id") == state["incident_id"]:
        return True  # a report joined its incident
    return payload.get("public_id") == state["public_id"]


def _message(state: dict) -> bytes:
    public = {key: value for key, value in state.items() if key != "incident_id"}
    return f"data: {json.dumps(public, ensure_ascii=False)}\n\n".encode()


async def _events(token: str, state: dict):
    yield f"retry: {RETRY_MS}\n".encode() + _message(state)
    async for events in follow([CONTROL_TOPIC]):
        if not events:
            # The keep-alive; a report deleted meanwhile ends the stream (the page keeps what it shows).
            if await off_thread(selectors.report_tracking_state)(token) is None:
                return
            yield b": keepalive\n\n"
            continue
        if not any(_concerns(event.data, state) for event in events):
            continue
        fresh = await off_thread(selectors.report_tracking_state)(token)
        if fresh is None:
            return
        if fresh != state:
            state = fresh
            yield _message(state)


async def tracking_stream(request, token: str):
    state = await off_thread(selectors.report_tracking_state)(token)
    if state is None:
        raise Http404
    response = StreamingHttpResponse(_events(token, state), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"
    response["X-Robots-Tag"] = "noindex"
    return response
