"""The Server-Sent Events endpoint: /tiempo-real/stream/?topics=control[&since=<id>].

A client follows the log from `since` (the event id its page was rendered at), or from the
`Last-Event-ID` header its EventSource sends when it reconnects; it receives exactly the events after
that id, in order, once. A client that was away longer than the log reaches back gets a `reset`
event (carrying the current id) and reloads its state.

Who may follow a stream is asked again at every keep-alive (MUEVE_REALTIME_KEEPALIVE): after a logout,
a revoked token, a deactivation or a withdrawn role the stream sends `event: revoked` and ends; the
browser's reconnection then meets the 403 and stops.

A person whose role is scoped to some jurisdictions (accounts.scopes) receives, live and in a replay alike, only
the events about those jurisdictions (the payload's `jurisdiction_id`); their scope is read again at every
keep-alive too.
"""

import asyncio
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user
from django.http import HttpRequest, HttpResponseForbidden, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from mueve.accounts.scopes import jurisdiction_filter
from mueve.api.keys import presented_key, user_for_key
from mueve.realtime import conf, selectors
from mueve.realtime.hub import get_hub, off_thread, sse_chunk
from mueve.realtime.recorder import TOPIC_PERMISSIONS

RETRY_MS = 1500
REPLAY_BATCH = 500


def _credential(request) -> tuple[str, str | None]:
    """What the stream was opened with, kept so it can be asked again while the stream lives."""
    key = presented_key(request)
    if key is not None:
        return "token", key
    return "session", request.session.session_key


def _authorized(credential: tuple[str, str | None], topics: list[str]) -> tuple[str, frozenset[int] | None]:
    """ "ok", "anonymous" or "forbidden", with the jurisdictions the person may follow (None: every one), read
    afresh from the session store or the keys' table, so a logout, a deactivation, a withdrawn role or a changed
    scope shows at the next check. Runs in the shared thread pool
    (thread_sensitive=False): a stream lives for hours, and a per-request thread would keep a database
    connection open for all that time (200 dashboards = 200 idle PostgreSQL connections). The pool's few
    threads take one only while they work."""
    kind, value = credential
    if kind == "token":
        user = user_for_key(key=value or "")
    else:
        probe = HttpRequest()
        probe.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=value)
        user = get_user(probe)
    if user is None or not user.is_authenticated:
        return "anonymous", frozenset()
    if all(user.has_perm(TOPIC_PERMISSIONS[topic]) for topic in topics):
        return "ok", jurisdiction_filter(user)
    return "forbidden", frozenset()


def _parse_cursor(request) -> int | None:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("since") or ""
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise ValueError(raw)
    return int(raw)


async def stream(request):
    topics = sorted({t.strip() for t in request.GET.get("topics", "control").split(",") if t.strip()})
    unknown = [t for t in topics if t not in TOPIC_PERMISSIONS]
    if not topics or unknown:
        return JsonResponse(
            {"topics": [_("Tema desconocido: %(topics)s.") % {"topics": ", ".join(unknown)}]}, status=400
        )
    try:
        cursor = _parse_cursor(request)
    except ValueError:
        return JsonResponse({"since": [_("El identificador de evento debe ser un número entero.")]}, status=400)
    credential = _credential(request)
    verdict, scope = await off_thread(_authorized)(credential, topics)
    if verdict == "anonymous":
        return HttpResponseForbidden(_("Entre con una cuenta de operador para seguir el centro de control."))
    if verdict != "ok":
        return HttpResponseForbidden(_("Su cuenta no puede seguir este canal."))
    response = StreamingHttpResponse(
        _events(topics, cursor, credential, scope), content_type="text/event-stream; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event through at once
    return response


async def _events(
    topics: list[str], cursor: int | None, credential: tuple[str, str | None], scope: frozenset[int] | None
):
    hub = get_hub()
    try:
        await hub.join()  # counts the client at once, so `leave` always balances it, even if cancelled here
        wanted = frozenset(topics)
        if cursor is None:
            cursor = hub.last_id
        else:
            decision = await off_thread(selectors.replay_decision)(cursor, topics=topics, max_replay=conf.max_replay())
            if decision == "reset":
                cursor = hub.last_id
                yield f'retry: {RETRY_MS}\nid: {cursor}\nevent: reset\ndata: {{"id":{cursor}}}\n\n'.encode()
        yield f"retry: {RETRY_MS}\nid: {cursor}\n\n".encode()
        told = cursor  # the id the client will send back as Last-Event-ID
        beats = hub.beats
        while True:
            tick = hub.tick()
            upto = hub.last_id
            caught_up = True
            chunk = hub.buffered_after(cursor, wanted, scope)
            read = None
            if chunk is None:  # older than the buffer: read the log itself
                events = await off_thread(selectors.events_after)(cursor, topics=topics, upto=upto, limit=REPLAY_BATCH)
                caught_up = len(events) < REPLAY_BATCH
                read = events[-1].id if events else None
                shown = [event for event in events if selectors.visible(event, scope)]
                chunk = (sse_chunk(shown), shown[-1].id if shown else None)
            data, last = chunk
            if data:
                yield data
                told = last
            cursor = max(cursor, upto) if caught_up else read
            if not caught_up:
                continue
            # Shielded: the future is every client's, and a client leaving (its task cancelled) must not cancel it.
            await asyncio.shield(tick)
            if hub.beats != beats:  # a heartbeat went by (maybe while this stream was sending): keep-alive
                beats = hub.beats
                # The stream outlives the request that opened it: each keep-alive asks again whether
                # its user may still follow these topics, and a stream that may not ends here.
                verdict, scope = await off_thread(_authorized)(credential, topics)
                if verdict != "ok":
                    yield b"event: revoked\ndata: {}\n\n"
                    return
                if cursor > told:  # events of other topics went by: move the client's id along
                    yield f": keepalive\nid: {cursor}\n\n".encode()
                    told = cursor
                else:
                    yield b": keepalive\n\n"
    finally:
        hub.leave()
