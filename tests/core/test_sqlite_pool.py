"""The SQLite backend keeps closed connections for the next request's thread, clean."""

import threading
import time
import types

import pytest

from mueve.core.env import database_from_url
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


def _hold_writer_lock(path: str, holding, release) -> None:
    wrapper = _wrapper(path, alias="writer-child")
    with pooled.writer(wrapper):
        holding.set()
        release.wait(30)


@pytest.fixture
def other_process_writing(path):
    """Another process holding the writer lock until the test sets the returned event."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    holding, release = context.Event(), context.Event()
    child = context.Process(target=_hold_writer_lock, args=(str(path), holding, release))
    child.start()
    assert holding.wait(30)
    yield release
    release.set()
    child.join(30)
    assert child.exitcode == 0
    pooled._writer_locks.pop(str(path), None)


def test_the_writer_lock_is_shared_with_other_processes(path, other_process_writing):
    """The intake process and the server take turns on one writer lock (a file lock beside the database)."""
    acquired = threading.Event()

    def take() -> None:
        with pooled.writer(_wrapper(path)):
            acquired.set()

    taker = threading.Thread(target=take)
    taker.start()
    assert not acquired.wait(0.5)  # the other process holds it
    other_process_writing.set()
    assert acquired.wait(30)
    taker.join(30)


def test_a_writer_held_up_elsewhere_gets_database_locked_not_a_hang(path, other_process_writing, monkeypatch):
    from django.db import OperationalError

    monkeypatch.setattr(pooled, "WRITER_TIMEOUT_S", 0.3)
    with pytest.raises(OperationalError, match="locked"):  # answered 503 + Retry-After by DatabaseBusyMiddleware
        with pooled.writer(_wrapper(path)):
            pass
    other_process_writing.set()
    with pooled.writer(_wrapper(path)):  # and the lock is not left half-taken
        pass


def test_the_write_ahead_log_is_checkpointed_in_the_background_not_by_commits(path):
    """Commits leave the log to grow (SQLite's own checkpoint only past ~40 MB); `checkpoint` copies it back into the
    database without blocking, so a later commit never stops to do it under the write lock."""
    conn = _wrapper(path)
    with conn.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == 10000
        cursor.execute("CREATE TABLE item (name TEXT)")
        for n in range(2000):  # about 2,000 small commits: past SQLite's default threshold of 1,000 pages
            cursor.execute("INSERT INTO item VALUES (%s)", [f"item {n} " + "x" * 200])
    wal = path.with_name(path.name + "-wal")
    frames = pooled.checkpoint(conn)
    assert frames is not None and frames > 1000  # none of them had been checkpointed by a commit
    assert pooled.checkpoint(conn) == frames  # nothing new since: the same frames, already in the database file
    with conn.cursor() as cursor:
        cursor.execute("INSERT INTO item VALUES ('after')")  # the next writer starts the log over
    assert pooled.checkpoint(conn) < frames
    assert wal.exists()
    conn.close()


@pytest.fixture
def shared_cache(monkeypatch, tmp_path):
    """An in-memory database as the tests' own (SQLite's shared cache), an event set once a statement has met another
    connection's table lock and waits for it, and an event that ends the other connection's hold (set at the end in
    any case, so that no thread is left waiting). (Django never closes an in-memory database's connection, lest
    the database go with it: the tests close theirs themselves.)"""
    name = f"file:{tmp_path.name}?mode=memory&cache=shared"
    owner = _wrapper(name, alias="owner")  # the database lives while a connection to it is open
    with owner.cursor() as cursor:
        cursor.execute("CREATE TABLE item (name TEXT)")
        cursor.executemany("INSERT INTO item VALUES (%s)", [[f"item {n}"] for n in range(5)])
    waiting, release = threading.Event(), threading.Event()

    def pause(seconds):
        waiting.set()
        time.sleep(seconds)

    # The backend's own `time` only (the module's other users keep the real one).
    monkeypatch.setattr(pooled, "time", types.SimpleNamespace(monotonic=time.monotonic, sleep=pause))
    yield name, waiting, release
    release.set()
    owner.connection.close()


def _in_thread(work) -> dict:
    outcome: dict = {}

    def run():
        try:
            outcome["result"] = work()
        except Exception as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    outcome["thread"] = thread
    return outcome


def _meets_the_lock(shared_cache, hold, statement) -> tuple[dict, dict]:
    """Runs `hold(name, held, release)` in a thread until it sets `held` (a lock taken), then `statement(name)` in
    another; checks that the statement waits for the lock rather than ending (e.g. with an error), then releases the
    holder. Returns both threads' outcomes ({"result": ...} or {"error": ...})."""
    name, waiting, release = shared_cache
    held = threading.Event()
    holder = _in_thread(lambda: hold(name, held, release))
    assert held.wait(30), holder.get("error")
    other = _in_thread(lambda: statement(name))
    deadline = time.monotonic() + 30
    while other["thread"].is_alive() and not waiting.is_set() and time.monotonic() < deadline:
        waiting.wait(0.05)
    assert waiting.is_set(), other.get("error")
    release.set()
    for outcome in (holder, other):
        outcome["thread"].join(30)
    return holder, other


def test_in_memory_a_write_waits_for_a_read_in_progress_instead_of_failing(shared_cache):
    """A live stream reading the event log while a service publishes: with a file database the writer never notices;
    the shared cache answered "database table is locked" at once (a CI failure of tests/realtime/test_stream.py)."""

    def read(name, reading, release):
        reader = _wrapper(name, alias="reader")
        with reader.cursor() as cursor:
            cursor.execute("SELECT name FROM item")
            first = cursor.fetchone()  # the statement is still running: it holds the table's read lock
            reading.set()
            release.wait(30)
            rest = cursor.fetchall()
        reader.connection.close()
        return [first, *rest]

    def write(name):
        writer = _wrapper(name, alias="writer")
        with writer.cursor() as cursor:
            cursor.execute("INSERT INTO item VALUES (%s)", ["nuevo"])
            cursor.execute("SELECT count(*) FROM item")
            count = cursor.fetchone()[0]
        writer.connection.close()
        return count

    reader, writer = _meets_the_lock(shared_cache, read, write)
    assert "error" not in writer and writer["result"] == 6
    assert len(reader["result"]) == 5  # the read saw the table as it was when it began


def test_in_memory_a_read_waits_for_another_connections_write_to_commit(shared_cache):
    """The intake worker's batch writes while a page reads: the read gets the committed rows, not an error."""

    def write(name, written, release):
        writer = _wrapper(name, alias="writer")
        with writer.cursor() as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("INSERT INTO item VALUES (%s)", ["del lote"])
            written.set()
            release.wait(30)
            cursor.execute("COMMIT")
        writer.connection.close()

    def read(name):
        reader = _wrapper(name, alias="reader")
        with reader.cursor() as cursor:
            cursor.execute("SELECT name FROM item ORDER BY rowid")
            names = [row[0] for row in cursor.fetchall()]
        reader.connection.close()
        return names

    writer, reader = _meets_the_lock(shared_cache, write, read)
    assert "error" not in writer and "error" not in reader
    assert reader["result"][-1] == "del lote"
