"""The SQLite backend keeps closed connections for the next request's thread, clean."""

import threading

import pytest

from mueve.config.env import database_from_url
from mueve.core.sqlite import base as pooled


def _wrapper(path, alias="pool-test"):
    settings = database_from_url("", path)
    settings.update(
        {
            "ATOMIC_REQUESTS": False,
            "AUTOCOMMIT": True,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "TIME_ZONE": None,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "TEST": {},
        }
    )
    return pooled.DatabaseWrapper(settings, alias)


@pytest.fixture(autouse=True)
def _own_database(django_db_blocker):
    # These wrappers open their own file, not the test database: let them.
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def path(tmp_path):
    yield tmp_path / "pool.sqlite3"
    pooled._pools.pop(str(tmp_path / "pool.sqlite3"), None)


def test_a_closed_connection_serves_the_next_thread(path):
    first = _wrapper(path)
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE item (name TEXT)")
    raw = first.connection
    first.close()

    seen = {}

    def request():  # another thread, as the next ASGI request would be
        second = _wrapper(path)
        with second.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM item")
            seen["count"] = cursor.fetchone()[0]
        seen["raw"] = second.connection
        second.close()

    thread = threading.Thread(target=request)
    thread.start()
    thread.join()
    assert seen == {"count": 0, "raw": raw}


def test_a_connection_given_back_mid_transaction_is_rolled_back(path):
    first = _wrapper(path)
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE item (name TEXT)")
    first.set_autocommit(False)
    with first.cursor() as cursor:
        cursor.execute("INSERT INTO item VALUES ('a medias')")
    first.close()  # e.g. a request that failed before committing

    second = _wrapper(path)
    with second.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM item")
        assert cursor.fetchone()[0] == 0
    assert second.get_autocommit()
    second.close()


def test_the_pool_keeps_at_most_its_size(path):
    wrappers = [_wrapper(path, alias=f"w{i}") for i in range(pooled.POOL_SIZE + 4)]
    raws = []
    for wrapper in wrappers:
        wrapper.ensure_connection()
        raws.append(wrapper.connection)
    for wrapper in wrappers:
        wrapper.close()
    assert pooled._pool(str(path)).qsize() == pooled.POOL_SIZE
    closed = 0
    for raw in raws[pooled.POOL_SIZE :]:
        try:
            raw.execute("SELECT 1")
        except Exception:
            closed += 1
    assert closed == 4
