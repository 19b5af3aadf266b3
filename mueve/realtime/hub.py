"""Fan-out of the event log to the Server-Sent Events clients of one process.

The database is the source of truth; wake-ups only say "read the log again". One Hub per event loop
(one per uvicorn process) reads new rows once and keeps the recent ones in memory, so 200 connected
dashboards cost one query per wake-up, not 200. Wake-ups come from:
- this process's own commits (`wake_all`, called after commit from the request's thread);
- Redis pub/sub when MUEVE_REDIS_URL is set, so commits in other processes or hosts wake us too;
- without Redis, a datagram from another process of this machine (`mueve.core.wakeup`), such as the intake
  process that fuses Open311 reports;
- a poll every few seconds, which covers a lost Redis message or workers without Redis.
"""

import asyncio
import bisect
import logging
import threading
import weakref

from asgiref.sync import sync_to_async
from django.db import close_old_connections, connections

from mueve.core import wakeup
from mueve.realtime import conf, selectors
from mueve.realtime.selectors import LogEvent

log = logging.getLogger(__name__)

TOPIC = "events"  # the wake-up sockets of hubs (mueve.core.wakeup)
BUFFER_SIZE = 20_000
FETCH_BATCH = 2_000

_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub]" = weakref.WeakKeyDictionary()
_hubs_lock = threading.Lock()


def off_thread(function):
    """`function` as a coroutine run in the shared thread pool, giving the thread's database connection back when
    it returns: with pooled connections (PostgreSQL `?pool=true`, SQLite) a pool thread that kept one between
    calls would starve the pool, and a stream lives for hours."""

    def call(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    return sync_to_async(call, thread_sensitive=False)


def _read_log(after: int | None) -> tuple[int, list[LogEvent]]:
    close_old_connections()  # drop a broken connection left by an earlier failure
    if after is None:
        return selectors.head_id(), []
    events = selectors.events_after(after, limit=FETCH_BATCH)
    return (events[-1].id if events else after), events


class Hub:
    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.buffer: list[LogEvent] = []  # ascending ids
        # Every committed event with floor < id <= last_id is in the buffer (None until the first read).
        self.floor: int | None = None
        self.last_id: int | None = None
        self.clients = 0
        self.beats = 0  # heartbeats so far: a stream that sees this change sends a keep-alive
        # What a client at a cursor, following some topics within a scope, is sent next: the same bytes for every
        # client at that point, built once per new batch of events however many clients wait there.
        self._chunks: dict[tuple[int, frozenset[str], frozenset[int] | None], tuple[bytes, int | None]] = {}
        self._dirty = asyncio.Event()
        self._tick: asyncio.Future = loop.create_future()
        self._ready = asyncio.Event()
        self._tasks: list[asyncio.Task] = []
        self._listener: wakeup.Listener | None = None

    # --- lifecycle --------------------------------------------------------------------------------

    async def join(self) -> None:
        self.clients += 1
        if not self._tasks:
            self._tasks.append(self.loop.create_task(self._reader()))
            self._tasks.append(self.loop.create_task(self._heartbeat(conf.keepalive_seconds())))
            if conf.redis_url():
                self._tasks.append(self.loop.create_task(self._listen_redis()))
            else:
                self._listen_locally()
        await self._ready.wait()

    def leave(self) -> None:
        self.clients -= 1
        if self.clients <= 0:
            # Nobody listens: stop reading, forget the buffer (a later client starts from a fresh read).
            for task in self._tasks:
                task.cancel()
            self._tasks = []
            if self._listener is not None:
                self.loop.remove_reader(self._listener.fileno())
                self._listener.close()
                self._listener = None
            self.buffer.clear()
            self._chunks.clear()
            self.floor = self.last_id = None
            self._ready = asyncio.Event()

    def wake(self) -> None:
        self._dirty.set()

    def _listen_locally(self) -> None:
        listener = wakeup.Listener(TOPIC)
        if listener.fileno() < 0:
            return  # no socket: the poll still catches up

        def woken() -> None:
            listener.drain()
            self.wake()

        self.loop.add_reader(listener.fileno(), woken)
        self._listener = listener

    def tick(self) -> asyncio.Future:
        """A future resolved when new events arrive in the buffer, or at the next heartbeat (`beats` grows).

        Every client awaits the same future (shielded: a client leaving must not cancel it for the others): one
        wake-up each, without a timer per client and per wait."""
        return self._tick

    def _next_tick(self) -> None:
        tick, self._tick = self._tick, self.loop.create_future()
        if not tick.done():
            tick.set_result(None)

    async def _heartbeat(self, seconds: float) -> None:
        """Every `seconds`, wakes every client, which sends a keep-alive (proxies close silent connections)."""
        while True:
            await asyncio.sleep(seconds)
            self.beats += 1
            self._next_tick()

    # --- reading ----------------------------------------------------------------------------------

    async def _reader(self) -> None:
        while True:
            self._dirty.clear()
            try:
                last, events = await off_thread(_read_log)(self.last_id)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("realtime: reading the event log failed; retrying", exc_info=True)
                await asyncio.sleep(1)
                continue
            if self.last_id is None:
                self.floor = self.last_id = last
                self._ready.set()
            elif events:
                self.buffer.extend(events)
                self.last_id = last
                if len(self.buffer) > 2 * BUFFER_SIZE:
                    self.floor = self.buffer[-BUFFER_SIZE - 1].id
                    self.buffer = self.buffer[-BUFFER_SIZE:]
                self._chunks.clear()
                self._next_tick()
            if len(events) == FETCH_BATCH:
                continue  # more waiting
            try:
                await asyncio.wait_for(self._dirty.wait(), conf.poll_seconds())
            except TimeoutError:
                pass

    async def _listen_redis(self) -> None:
        import redis.asyncio as aioredis

        while True:
            client = aioredis.from_url(conf.redis_url())
            pubsub = client.pubsub()
            try:
                await pubsub.subscribe(conf.redis_channel())
                self.wake()  # whatever was published while we were not subscribed
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        self.wake()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("realtime: Redis subscription lost; polling until it is back", exc_info=True)
                await asyncio.sleep(1)
            finally:
                try:
                    await pubsub.aclose()
                    await client.aclose()
                except Exception:
                    pass

    def buffered_after(
        self, cursor: int, topics: frozenset[str], jurisdictions: frozenset[int] | None = None
    ) -> tuple[bytes, int | None] | None:
        """The Server-Sent Events of the buffered events after `cursor` in `topics` (and, for a scoped follower,
        about `jurisdictions`: see selectors.visible) and the last one's id (b"" and None when there are none), or
        None when the buffer does not reach back that far."""
        if self.floor is None or cursor < self.floor:
            return None
        key = (cursor, topics, jurisdictions)
        chunk = self._chunks.get(key)
        if chunk is None:
            start = bisect.bisect_right(self.buffer, cursor, key=lambda event: event.id)
            events = [
                event
                for event in self.buffer[start:]
                if event.topic in topics and selectors.visible(event, jurisdictions)
            ]
            chunk = self._chunks[key] = (sse_chunk(events), events[-1].id if events else None)
        return chunk


def sse_chunk(events: list[LogEvent]) -> bytes:
    return "".join(f"id: {event.id}\ndata: {event.data}\n\n" for event in events).encode()


def get_hub() -> Hub:
    loop = asyncio.get_running_loop()
    with _hubs_lock:
        hub = _hubs.get(loop)
        if hub is None:
            hub = _hubs[loop] = Hub(loop)
        return hub


def wake_all() -> None:
    """Thread-safe: called after a commit, from whatever thread committed."""
    with _hubs_lock:
        hubs = list(_hubs.values())
    for hub in hubs:
        try:
            hub.loop.call_soon_threadsafe(hub.wake)
        except RuntimeError:  # that loop is closed
            pass


async def follow(topics: list[str]):
    """The events of `topics` committed from now on, for a stream that filters or reshapes them itself (a citizen's
    report tracking): yields each new batch as a list of LogEvent, and an empty list at every heartbeat (time to
    send a keep-alive, and to ask again whether the stream may go on). Shares this process's hub and its buffer
    with the operators' streams; the log is read only when the buffer does not reach back far enough."""
    hub = get_hub()
    try:
        await hub.join()
        wanted = frozenset(topics)
        cursor = hub.last_id
        beats = hub.beats
        while True:
            tick = hub.tick()
            upto = hub.last_id
            if hub.floor is not None and cursor >= hub.floor:
                start = bisect.bisect_right(hub.buffer, cursor, key=lambda event: event.id)
                events = [event for event in hub.buffer[start:] if event.topic in wanted and event.id <= upto]
            else:
                events = await off_thread(selectors.events_after)(cursor, topics=list(wanted), upto=upto, limit=10_000)
            cursor = max(cursor, upto)
            if events:
                yield events
            await asyncio.shield(tick)
            if hub.beats != beats:
                beats = hub.beats
                yield []
    finally:
        hub.leave()
