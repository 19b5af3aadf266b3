"""The ASGI handler that `mueve serve` runs (mueve.core.asgi), driven as uvicorn drives it: ASGI messages."""

import asyncio
import threading

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.core import signals
from django.db import transaction

from mueve.accounts.models import Role
from mueve.core.asgi import Handler
from mueve.core.events import publish
from mueve.realtime import hub as hub_module
from tests.keys import issue_key


@pytest.fixture(scope="module")
def app():
    return Handler()


def scope(path: str, method: str = "GET", query: bytes = b"", headers=()) -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query,
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


async def call(app, request_scope: dict, body: bytes = b"") -> tuple[int, dict, bytes]:
    communicator = ApplicationCommunicator(app, request_scope)
    await communicator.send_input({"type": "http.request", "body": body, "more_body": False})
    start = await communicator.receive_output(10)
    headers = {name.decode().lower(): value.decode() for name, value in start["headers"]}
    content = b""
    while True:
        message = await communicator.receive_output(10)
        content += message.get("body", b"")
        if not message.get("more_body"):
            break
    await communicator.wait(10)
    return start["status"], headers, content


def test_a_page_is_answered_and_its_request_finished_in_the_thread_that_ran_it(app, transactional_db):
    """Database connections belong to threads: `request_started` and `request_finished` (which close or return the
    connection) must run in the thread of the view, or connections would stay open between requests."""
    seen: list[tuple[str, str]] = []

    def started(**_kwargs):
        seen.append(("started", threading.current_thread().name))

    def finished(**_kwargs):
        seen.append(("finished", threading.current_thread().name))

    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    try:
        status, headers, content = async_to_sync(call)(app, scope("/open311/v2/discovery.json"))
    finally:
        signals.request_started.disconnect(started)
        signals.request_finished.disconnect(finished)
    assert status == 200
    assert headers["content-type"].startswith("application/json")
    assert b"open311" in content.lower()
    assert [entry[0] for entry in seen] == ["started", "finished"]
    assert seen[0][1] == seen[1][1]
    assert seen[0][1].startswith("mueve-request")


def test_a_form_body_reaches_the_view(app, transactional_db):
    """A POST body read by the event loop is parsed by the view in the pool thread."""
    body = "jurisdiction_id=ñuble-norte&service_code=bache&lat=-36.82&long=-73.05".encode()
    status, _headers, content = async_to_sync(call)(
        app,
        scope("/open311/v2/requests.json", "POST", headers=[(b"content-type", b"application/x-www-form-urlencoded")]),
        body,
    )
    assert status == 404
    assert "«ñuble-norte»" in content.decode()


def test_a_live_stream_runs_on_the_event_loop_and_ends_when_the_client_goes(app, transactional_db, make_user):
    """The control stream (an async view) is served on the server's own event loop, so every stream of a process
    shares its hub; when the dashboard disconnects the stream is cancelled and leaves the hub."""
    _token, key = issue_key(user=make_user(Role.OPERATOR), name="pantalla")

    async def go():
        communicator = ApplicationCommunicator(
            app,
            scope(
                "/tiempo-real/stream/",
                query=b"topics=control",
                headers=[(b"authorization", f"Bearer {key}".encode())],
            ),
        )
        await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
        start = await communicator.receive_output(10)
        assert start["status"] == 200
        first = await communicator.receive_output(10)
        assert first["body"].startswith(b"retry:")
        loop_hub = hub_module._hubs[asyncio.get_running_loop()]
        assert loop_hub.clients == 1

        def publish_one():
            with transaction.atomic():
                publish("reports.incident_updated", {"incident": {"id": 41}, "action": "test", "actor": None})

        await sync_to_async(publish_one)()
        event = await communicator.receive_output(10)
        assert b'"id":41' in event["body"]

        await communicator.send_input({"type": "http.disconnect"})
        for _ in range(100):  # the application ends by itself (not cancelled by the test's timeout)
            if communicator.future.done():
                break
            await asyncio.sleep(0.05)
        assert communicator.future.done()
        assert loop_hub.clients == 0
        await communicator.wait(1)

    async_to_sync(go)()
