"""Django's SQLite backend, with closed connections kept for reuse.

Django closes a request's connection when the request finishes, and connections belong to threads (the server's
request threads, the intake worker, the streams' readers), so the stock backend opens SQLite again for every
request: about 4 ms here (the PRAGMAs, Django's SQL functions, and SQLite reading the whole schema at the first
statement), more than storing a citizen's report.
Here a connection that Django closes goes back to a small per-file pool instead, rolled back to a clean state,
and the next request's thread takes it. Django still validates thread sharing while a connection is in use; a
pooled one is idle and belongs to no thread. In-memory databases keep Django's connection handling (no pool).

In-memory databases (the tests' database) are shared between threads through SQLite's shared cache, whose table
locks ignore the busy timeout: a statement that meets another connection's lock on a table fails at once with
"database table is locked". Their statements wait for it instead (`_SharedCacheCursor`), as a writer waits for
another in production, so a test with a live stream or the intake worker in another thread does not fail at random.
(A read waits too, for the writer's commit, where in production it would read the last committed rows at once.)
"""

import fcntl
import os
import queue
import sqlite3
import threading
import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

POOL_SIZE = 16
WRITER_TIMEOUT_S = 5.0  # the busy_timeout of mueve.core.env

_pools: dict[str, queue.LifoQueue] = {}
_pools_lock = threading.Lock()


def _pool(name: str) -> queue.LifoQueue:
    with _pools_lock:
        pool = _pools.get(name)
        if pool is None:
            pool = _pools[name] = queue.LifoQueue(maxsize=POOL_SIZE)
        return pool


def _waiting_for_table_locks(statement, *args):
    """Runs `statement`, retried while another connection of the shared cache holds a lock it needs.

    SQLite's own advice for SQLITE_LOCKED_SHAREDCACHE (see sqlite3_unlock_notify) is to retry the statement once
    the other connection's transaction ends, usually a read or one writer's short transaction. A test's own open
    transaction (pytest-django's `db` fixture) ends only with the test, though: a thread touching a table the test
    wrote then waits WRITER_TIMEOUT_S before the error is raised, as the busy timeout would. (Plain SQLITE_LOCKED,
    a conflict within one connection, is raised at once: waiting cannot end it.)"""
    deadline = time.monotonic() + WRITER_TIMEOUT_S
    pause = 0.0005
    while True:
        try:
            return statement(*args)
        except sqlite3.OperationalError as exc:
            code = getattr(exc, "sqlite_errorcode", None)
            if code != sqlite3.SQLITE_LOCKED_SHAREDCACHE or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.01)


class _SharedCacheCursor(base.SQLiteCursorWrapper):
    def execute(self, query, params=None):
        # One statement is all or nothing, so it can be run again. (Not `executemany`: the rows it stored before
        # meeting the lock stay, and running it again would store them twice.)
        return _waiting_for_table_locks(super().execute, query, params)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        if self.is_in_memory_db():
            return self.connection.cursor(factory=_SharedCacheCursor)
        return super().create_cursor(name)

    def get_new_connection(self, conn_params):
        if not self.is_in_memory_db():
            try:
                conn = _pool(str(self.settings_dict["NAME"])).get_nowait()
            except queue.Empty:
                pass
            else:
                conn.execute("PRAGMA foreign_keys = ON")  # whatever the previous user did (e.g. a migration)
                return conn
        return super().get_new_connection(conn_params)

    def _close(self):
        conn = self.connection
        if conn is None or self.is_in_memory_db() or self.in_atomic_block:
            # Closed inside an atomic block, Django keeps pointing at the connection until the block ends:
            # really close it rather than let another thread take it meanwhile.
            return super()._close()
        try:
            if conn.in_transaction:
                conn.rollback()
            _pool(str(self.settings_dict["NAME"])).put_nowait(conn)
        except Exception:  # a full pool, or a connection that cannot even roll back: really close it
            return super()._close()
        return None


class _WriterLock:
    """One writer at a time across the threads and processes that use a database file (see `writer`)."""

    def __init__(self, path: str | None):
        self.path = path  # None: an in-memory database, which only this process sees
        self.threads = threading.Lock()
        self.fd: int | None = None

    def __enter__(self):
        # As long as SQLite's own busy timeout, then "database is locked" (answered 503 + Retry-After): a writer
        # stuck elsewhere (a stopped process) must not hold every request forever.
        if not self.threads.acquire(timeout=WRITER_TIMEOUT_S):
            raise OperationalError("database is locked (waiting for another writer)")
        if self.path is None:
            return self
        try:
            if self.fd is None:
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            deadline = time.monotonic() + WRITER_TIMEOUT_S
            while True:
                try:
                    fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    # Another process writes. One thread per process polls here (the others wait on the thread
                    # lock), every half millisecond: a batch holds the lock for tens of milliseconds.
                    if time.monotonic() > deadline:
                        raise OperationalError("database is locked (waiting for another process)") from None
                    time.sleep(0.0005)
        except BaseException:
            self.threads.release()
            raise
        return self

    def __exit__(self, *exc):
        try:
            if self.path is not None:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            self.threads.release()


_writer_locks: dict[str, _WriterLock] = {}


def writer(connection) -> _WriterLock:
    """A lock for the writers that would otherwise queue in SQLite's busy handler.

    A writer that finds the database locked sleeps in SQLite's busy handler in growing steps (1, 2, 5, 10 … ms)
    however soon the lock frees; this lock (a thread lock, then `flock` on a file beside the database, so the intake
    process and the server processes take turns too) wakes the next writer as soon as the last one is done."""
    name = str(connection.settings_dict["NAME"])
    with _pools_lock:
        lock = _writer_locks.get(name)
        if lock is None:
            path = None if connection.is_in_memory_db() else name + "-writer.lock"
            lock = _writer_locks[name] = _WriterLock(path)
        return lock


def checkpoint(connection) -> int | None:
    """Copies the write-ahead log back into the database file without waiting for readers or writers
    (`wal_checkpoint(PASSIVE)`), so that commits need not: a commit past SQLite's auto-checkpoint threshold does it
    itself, fsync included, while every other writer waits. Returns the frames checkpointed, or None where there is
    nothing to do (another database, an in-memory one)."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
            _busy, _frames, checkpointed = cursor.fetchone()
    except OperationalError:  # another checkpoint is running: it does the work
        return None
    return checkpointed
