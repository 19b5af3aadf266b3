"""The live stream: events stored with the change, delivered after commit, replayed exactly on reconnect."""

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import transaction
from django.test import AsyncClient
from django.utils import timezone

from mueve.accounts.models import Role, User
from mueve.api import services as api_services
from mueve.core.events import publish
from mueve.realtime import recorder
from mueve.realtime.models import Event
from tests.keys import issue_key
from tests.realtime.sse import Reader

URL = "/tiempo-real/stream/?topics=control"


def publish_incident(n: int, kind: str = "reports.incident_updated") -> None:
    with transaction.atomic():
        publish(kind, {"incident": {"id": n}, "action": "test", "actor": None})


def run(coro_fn):
    return async_to_sync(coro_fn)()


@pytest.fixture
def operator(make_user):
    return make_user(Role.OPERATOR)


def test_event_row_commits_and_rolls_back_with_the_change(db):
    publish_incident(1)
    assert list(Event.objects.values_list("kind", "topic")) == [("reports.incident_updated", "control")]
    try:
        with transaction.atomic():
            publish("reports.incident_opened", {"incident": {"id": 2}})
            raise RuntimeError("the service failed after publishing")
    except RuntimeError:
        pass
    assert Event.objects.count() == 1


def test_topics():
    assert recorder.topic_for("reports.incident_opened") == "control"
    assert recorder.topic_for("reports.report_submitted") == "control"
    assert recorder.topic_for("reports.api_key_requested") == "reports"
    assert recorder.topic_for("transit.vehicle_moved") == "transit"


@pytest.mark.parametrize("role", [*[r for r in Role.values if r not in (Role.OPERATOR, Role.MANAGER)], "anonymous"])
def test_only_operators_and_managers_open_the_control_stream(transactional_db, make_user, role):
    async def go():
        client = AsyncClient()
        if role != "anonymous":
            user = await sync_to_async(make_user)(role)
            if role == Role.ADMIN:  # platform admins count as managers
                return
            await client.aforce_login(user)
        response = await client.get(URL)
        assert response.status_code == 403
        assert "text/event-stream" not in response.get("Content-Type", "")

    run(go)


def test_bad_topic_and_bad_cursor_are_refused(transactional_db, operator):
    async def go():
        client = AsyncClient()
        await client.aforce_login(operator)
        assert (await client.get("/tiempo-real/stream/?topics=secreto")).status_code == 400
        assert (await client.get(URL + "&since=abc")).status_code == 400
        assert (await client.get(URL, headers={"Last-Event-ID": "-1"})).status_code == 400

    run(go)


def test_live_events_after_commit_only_for_the_topic(transactional_db, operator):
    async def go():
        client = AsyncClient()
        await client.aforce_login(operator)
        response = await client.get(URL)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/event-stream")
        assert response["X-Accel-Buffering"] == "no"
        reader = Reader(response)
        first = await reader.next_block()  # retry + the starting id
        assert first.data is None
        await sync_to_async(publish)("transit.vehicle_moved", {"x": 1})  # not this topic
        await sync_to_async(publish_incident)(7)
        (message,) = await reader.data_messages(1)
        assert message.json["kind"] == "reports.incident_updated"
        assert message.json["payload"]["incident"]["id"] == 7
        assert int(message.id) == await sync_to_async(lambda: Event.objects.get(topic="control").id)()
        await reader.close()

    run(go)


def test_bearer_token_of_a_manager_opens_the_stream(transactional_db, make_user):
    manager = make_user(Role.MANAGER)
    _token, key = issue_key(user=manager, name="pantalla")
    citizen_key = issue_key(user=make_user(Role.CITIZEN), name="x")[1]

    async def go():
        client = AsyncClient()
        refused = await client.get(URL, headers={"Authorization": f"Bearer {citizen_key}"})
        assert refused.status_code == 403
        response = await client.get(URL, headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 200
        await Reader(response).close()

    run(go)


def test_reconnect_replays_exactly_what_was_missed(transactional_db, operator):
    for n in range(1, 6):
        publish_incident(n)
    ids = list(Event.objects.values_list("id", flat=True))
    publish("transit.vehicle_moved", {"x": 1})  # interleaved other topic: skipped, not a gap

    async def go():
        client = AsyncClient()
        await client.aforce_login(operator)
        response = await client.get(URL, headers={"Last-Event-ID": str(ids[1])})
        reader = Reader(response)
        missed = await reader.data_messages(3)
        assert [int(m.id) for m in missed] == ids[2:]
        assert [m.json["payload"]["incident"]["id"] for m in missed] == [3, 4, 5]
        await sync_to_async(publish_incident)(6)
        (live,) = await reader.data_messages(1)
        assert live.json["payload"]["incident"]["id"] == 6
        await reader.close()

        # `since` (the id the page was rendered at) works the same for a first connection.
        response = await client.get(URL + f"&since={ids[3]}")
        reader = Reader(response)
        again = await reader.data_messages(2)
        assert [m.json["payload"]["incident"]["id"] for m in again] == [5, 6]
        await reader.close()

    run(go)


def test_many_concurrent_publishers_no_gaps_no_duplicates(transactional_db, operator):
    """Three services publishing at once while the stream reads (PostgreSQL: side by side; SQLite: queued)."""

    async def go():
        client = AsyncClient()
        await client.aforce_login(operator)
        reader = Reader(await client.get(URL))
        await reader.next_block()

        def burst(start):
            for n in range(start, start + 20):
                publish_incident(n)

        await asyncio.gather(*(sync_to_async(burst, thread_sensitive=False)(s) for s in (0, 100, 200)))
        received = await reader.data_messages(60)
        numbers = [m.json["payload"]["incident"]["id"] for m in received]
        assert sorted(numbers) == sorted([*range(0, 20), *range(100, 120), *range(200, 220)])
        ids = [int(m.id) for m in received]
        assert ids == sorted(ids) and len(set(ids)) == 60
        await reader.close()

    run(go)


@pytest.mark.parametrize("case", ["pruned", "future", "too_many"])
def test_a_client_away_too_long_gets_a_reset(transactional_db, operator, settings, case):
    settings.MUEVE_REALTIME_MAX_REPLAY = 3
    for n in range(1, 6):
        publish_incident(n)
    ids = list(Event.objects.values_list("id", flat=True))
    if case == "pruned":
        Event.objects.filter(id__in=ids[:3]).update(created_at=timezone.now() - timedelta(days=2))
        assert recorder.prune() == 3
        cursor = ids[0]
    elif case == "future":
        cursor = ids[-1] + 1000  # e.g. a database restored from a backup
    else:
        cursor = 0

    async def go():
        client = AsyncClient()
        await client.aforce_login(operator)
        reader = Reader(await client.get(URL, headers={"Last-Event-ID": str(cursor)}))
        message = await reader.next_block()
        assert message.event == "reset"
        assert int(message.id) == ids[-1]
        await sync_to_async(publish_incident)(9)
        (live,) = await reader.data_messages(1)
        assert live.json["payload"]["incident"]["id"] == 9
        await reader.close()

    run(go)


@pytest.fixture
def quick_heartbeat(settings):
    """Keep-alives every 0.3 s and a log poll every 0.2 s, so the keep-alive tests wait fractions of a second."""
    settings.MUEVE_REALTIME_KEEPALIVE = 0.3
    settings.MUEVE_REALTIME_POLL = 0.2


async def _operator_client(operator) -> AsyncClient:
    client = AsyncClient()
    await client.aforce_login(operator)
    return client


def test_keepalive_moves_the_client_id_past_other_topics(transactional_db, operator, quick_heartbeat):
    async def go():
        client = await _operator_client(operator)
        reader = Reader(await client.get(URL))
        await reader.next_block()
        await sync_to_async(publish)("transit.vehicle_moved", {"x": 1})
        newest = await sync_to_async(lambda: Event.objects.latest("id").id)()
        for _ in range(20):
            block = await reader.next_block()
            assert block.data is None
            if block.id is not None:
                assert block.comment and int(block.id) == newest
                break
        else:
            raise AssertionError("no keep-alive carried the new id")
        await reader.close()

    run(go)


def test_a_quiet_stream_gets_keepalives_and_two_clients_get_the_same_events(
    transactional_db, operator, quick_heartbeat
):
    async def go():
        client = await _operator_client(operator)
        first, second = Reader(await client.get(URL)), Reader(await client.get(URL))
        start = (await first.next_block()).id
        assert (await second.next_block()).id == start
        # Nothing happens: a keep-alive comment (no id to move: nothing else went by) within a heartbeat or two.
        quiet = await first.next_block(timeout=2)
        assert quiet.comment and quiet.id is None and quiet.data is None
        await sync_to_async(publish_incident)(11)
        await sync_to_async(publish_incident)(12)
        got = [await first.data_messages(2), await second.data_messages(2)]
        for messages in got:
            assert [m.json["payload"]["incident"]["id"] for m in messages] == [11, 12]
        assert [m.id for m in got[0]] == [m.id for m in got[1]]
        # One dashboard goes away while both wait for events (the server cancels its stream, as on a disconnect):
        # the other keeps its stream, events and keep-alives.
        for _attempt in range(10):
            waiting = asyncio.ensure_future(first.next_block())
            await asyncio.sleep(0.1)
            if not waiting.done():
                break
            # A keep-alive arrived within those 0.1 s (a loaded machine, a quick heartbeat): wait for the next one.
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        await asyncio.sleep(0.1)
        await sync_to_async(publish_incident)(13)
        (later,) = await second.data_messages(1)
        assert later.json["payload"]["incident"]["id"] == 13
        assert (await second.next_block(timeout=2)).comment
        await first.close()
        await second.close()

    run(go)


# --- issue 17: a stream outlives the request that opened it -------------------------------------


async def _read_until_closed(reader: Reader, limit: int = 30) -> list:
    """Blocks until the server ends the stream; fails if it is still open after `limit` blocks."""
    blocks = []
    for _ in range(limit):
        try:
            blocks.append(await reader.next_block(timeout=3))
        except StopAsyncIteration:
            return blocks
    raise AssertionError("the stream is still open")


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.MANAGER])
@pytest.mark.parametrize("how", ["logout", "deactivated", "role_withdrawn"])
def test_stream_ends_once_its_user_may_no_longer_follow_it(transactional_db, make_user, quick_heartbeat, how, role):
    operator = make_user(role)

    async def go():
        client = await _operator_client(operator)
        reader = Reader(await client.get(URL))
        await reader.next_block()
        await sync_to_async(publish_incident)(31)
        (before,) = await reader.data_messages(1)
        assert before.json["payload"]["incident"]["id"] == 31
        if how == "logout":
            await client.alogout()
        elif how == "deactivated":
            await sync_to_async(User.objects.filter(pk=operator.pk).update)(is_active=False)
        else:
            await sync_to_async(User.objects.filter(pk=operator.pk).update)(role=Role.CITIZEN)
        blocks = await _read_until_closed(reader)
        assert blocks[-1].event == "revoked"
        # The browser's reconnection is refused.
        assert (await client.get(URL)).status_code == 403

    run(go)


def test_stream_opened_with_a_token_ends_when_the_token_is_revoked(transactional_db, make_user, quick_heartbeat):
    manager = make_user(Role.MANAGER)
    token, key = issue_key(user=manager, name="pantalla")

    async def go():
        client = AsyncClient()
        reader = Reader(await client.get(URL, headers={"Authorization": f"Bearer {key}"}))
        await reader.next_block()
        assert (await reader.next_block(timeout=2)).comment  # a keep-alive: the token still holds
        await sync_to_async(api_services.key_revoke)(api_key=token, actor=manager)
        blocks = await _read_until_closed(reader)
        assert blocks[-1].event == "revoked"

    run(go)
