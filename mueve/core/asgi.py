"""Django's ASGI handler with one thread hop per request instead of eight.

Django's stock ASGI handler runs the middleware chain in async mode. Our chain is mostly synchronous (WhiteNoise and
our own middleware are sync-only), so each request went back and forth between the event loop and a thread made for
that request alone: `request_started`, the sync middleware, back to the loop for the async-capable ones, the view in
the thread again, back out, then `response.close()` in the thread once more, and the thread joined at the end.
Under load those hand-offs (and the GIL passed along with them) cost more than most views.

Here the whole synchronous part of a request runs in one call on a pool of long-lived threads, as a WSGI server
would run it: `request_started`, building the request, the sync middleware chain and the view, and, for an
ordinary (non-streaming) response, `response.close()` with `request_finished`. The event loop reads the body and
writes the response. Database connections belong to those threads and are closed or kept exactly as under WSGI.

Async views still work: inside the chain Django calls them through `async_to_sync`, which runs them on this same
event loop (so the realtime hub, one per loop, is shared by every stream). Streaming responses (the Server-Sent
Events stream, static files) are sent while listening for the client's disconnect, as Django does, so a stream
whose reader went away is cancelled; they are closed after sending.
"""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.db import close_old_connections
from django.http import FileResponse
from django.urls import set_script_prefix

from mueve.core.env import request_threads

log = logging.getLogger(__name__)

# Threads per server process for the synchronous part of requests (MUEVE_REQUEST_THREADS). More threads hand the
# GIL around more: with 8 rather than 32, reports reached dashboards sooner (bench/live.py, docs/performance.md).
# Eight slow requests at once (a large export) make the ninth wait; add processes, not threads, to grow.
THREADS = request_threads()


class Handler(ASGIHandler):
    def __init__(self):
        super(ASGIHandler, self).__init__()  # BaseHandler: the chain is loaded below, synchronous
        self.load_middleware(is_async=False)
        self.executor = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="mueve-request")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        # Only code that asks for it (a synchronous streaming iterator) gets a thread of this request's own.
        async with ThreadSensitiveContext():
            await self.handle(scope, receive, send)

    def _respond(self, scope, body_file):
        """The synchronous part of a request, in one pool thread."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, response = self.create_request(scope, body_file)
        if request is not None:
            response = self.get_response(request)
        response._handler_class = self.__class__
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size
        if response.streaming:
            # Closed once sent, maybe on another thread: give back this thread's database connection now, as
            # request_finished would (a file download must not keep one until the thread's next request).
            close_old_connections()
        else:
            try:
                response.close()  # the content is in memory: finish the request (request_finished) in this thread
            except Exception:  # a failing receiver must not turn a done request (a stored report) into a 500
                log.exception("finishing the request to %s failed", scope.get("path"))
        return response

    async def handle(self, scope, receive, send):
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        try:
            response = await sync_to_async(self._respond, thread_sensitive=False, executor=self.executor)(
                scope, body_file
            )
            if not response.streaming:
                await self.send_response(response, send)
                return
            await self._stream(response, receive, send)
        finally:
            body_file.close()

    async def _stream(self, response, receive, send):
        """Sends a streaming response until it ends or the client disconnects (then the stream is cancelled)."""
        tasks = [
            asyncio.create_task(self.listen_for_disconnect(receive)),
            asyncio.create_task(self.send_response(response, send)),
        ]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            # Whatever ended first (the stream, the client, or this request being cancelled), stop the other.
            for task in tasks:
                task.cancel()
            outcomes = await asyncio.gather(*tasks, return_exceptions=True)
            await sync_to_async(response.close, thread_sensitive=False, executor=self.executor)()
        for outcome in outcomes:
            if isinstance(outcome, Exception) and not isinstance(outcome, RequestAborted):
                raise outcome
