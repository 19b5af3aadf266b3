"""Scale-out, for real: two server processes share one PostgreSQL database and Redis; an operator's stream
open on one process receives the report posted to the other."""

import os
import uuid

import pytest

from tests.realtime.servers import LiveSite, StreamReader, post_report, postgres_reachable, redis_reachable

# A database of its own per run: the SQLite and the PostgreSQL passes of CI may run this test at the same time.
DATABASE_URL = os.environ.get(
    "MUEVE_TEST_C_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/mueve_c_{uuid.uuid4().hex[:10]}"
)
REDIS_URL = os.environ.get("MUEVE_TEST_C_REDIS_URL", "redis://127.0.0.1:6379/5")

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not (postgres_reachable(DATABASE_URL) and redis_reachable(REDIS_URL)), reason="needs PostgreSQL and Redis"
    ),
]


def test_two_processes_share_the_stream_through_redis():
    with LiveSite(database_url=DATABASE_URL, redis_url=REDIS_URL) as site:
        site.start(2)
        first, second = site.urls

        refused = StreamReader(first)  # no credentials
        assert refused.status == 403
        refused.close()

        stream = StreamReader(first, token=site.operator_token)
        assert stream.status == 200
        start = stream.next_block()
        assert "id" in start
        created = post_report(second, site.api_key, description="Choque múltiple")
        seen = []
        while True:
            event_id, _name, data = stream.next_data()
            seen.append(event_id)
            if (
                data["kind"] == "reports.report_submitted"
                and data["payload"]["public_id"] == created["service_request_id"]
            ):
                break
        body = str(data)
        assert "privada@example.org" not in body and "Privada" not in body
        assert seen == sorted(set(seen))

        # Reconnecting to the other process with the last id: exactly the events after it, in order, once,
        # and the same ones the first process delivers live.
        second_report = post_report(second, site.api_key, description="Segundo choque")

        def until_second(reader) -> list[int]:
            ids = []
            while True:
                event_id, _name, data = reader.next_data()
                ids.append(event_id)
                if data["kind"] == "reports.report_submitted" and (
                    data["payload"]["public_id"] == second_report["service_request_id"]
                ):
                    return ids

        resumed = StreamReader(second, token=site.operator_token, last_event_id=str(seen[-1]))
        replayed = until_second(resumed)
        live = until_second(stream)
        assert replayed == live
        assert replayed[0] > seen[-1] and replayed == sorted(set(replayed))
        stream.close()
        resumed.close()
