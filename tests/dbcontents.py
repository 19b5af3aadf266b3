"""What the test database holds between tests: its schema built once, the demo loaded once and put back in an instant.

Building the schema (the migrations) costs 15-20 s and loading the Gran Concepción demo 5-7 s of CPU; a test run
used to pay both many times over. Here:

- SQLite (the embedded default). The migrated schema and the loaded demo are each saved once as a database file in
  `var/cache/test-db/`, named by a hash of what built them (the migrations; for the demo, all of `mueve/` and the
  password hasher), so the next run, and every xdist worker of this one, reuses them. SQLite's backup API copies a
  file into the in-memory test database in milliseconds, whatever connections the live server's threads hold.
- PostgreSQL. Each worker migrates its own database once (pytest-django), and keeps the empty schema's and the
  demo's rows as binary COPY snapshots in memory: TRUNCATE and COPY put either back in well under a second.

`Contents.ensure(wanted)` makes the database hold "empty" or "demo". A test then runs in its transaction as usual
and is rolled back, so the contents stay as they were; a transactional test is flushed at its end (pytest-django),
which leaves an empty database.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import threading
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "mueve"
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
EMPTY, DEMO = "empty", "demo"


def _digest(paths: list[Path], *extra: str) -> str:
    h = hashlib.sha256()
    for part in extra:
        h.update(part.encode())
    for path in sorted(paths):
        h.update(f"{path.parent.parent.name}/{path.name}".encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def migration_files() -> list[Path]:
    """Every installed app's migrations, ours and the libraries' (a new app such as django-axes brings tables)."""
    from django.apps import apps

    return [path for config in apps.get_app_configs() for path in Path(config.path).glob("migrations/*.py")]


def schema_key(files: list[Path] | None = None) -> str:
    return _digest(migration_files() if files is None else files, django.get_version())


def demo_key() -> str:
    data = {".py", ".json", ".csv", ".txt", ".geojson"}
    sources = [path for path in PACKAGE.rglob("*") if path.is_file() and path.suffix in data]
    return _digest(sources, django.get_version(), FAST_HASHER)


def cache_dir() -> Path:
    from django.conf import settings

    path = Path(settings.DATA_DIR) / "cache" / "test-db"
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def file_lock(path: Path):
    """One builder at a time across the xdist workers (and concurrent runs) of this machine."""
    with open(path.with_suffix(".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- SQLite: files and the backup API ------------------------------------------------------------------------------


def _raw(connection):
    connection.ensure_connection()
    return connection.connection


def sqlite_save(connection, path: Path) -> None:
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    target = sqlite3.connect(partial)
    try:
        _raw(connection).backup(target)
    finally:
        target.close()
    os.replace(partial, path)  # whole or absent: a crash mid-copy leaves no half template


def sqlite_load(connection, path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(_raw(connection))
    finally:
        source.close()


def sqlite_build_or_load(connection, path: Path, build) -> None:
    """Copies `path` into the database, or runs `build()` on it and saves the result as `path` for everyone else."""
    with file_lock(path):
        if path.exists():
            sqlite_load(connection, path)
            return
        build()
        sqlite_save(connection, path)


# --- PostgreSQL: binary COPY snapshots -----------------------------------------------------------------------------


class PostgresSnapshot:
    def __init__(self, tables: dict[str, bytes], sequences: list[tuple[str, int | None]]):
        self.tables = tables
        self.sequences = sequences

    @staticmethod
    def _tables(cursor) -> list[str]:
        # A partitioned table (the sensors' readings) is copied whole through its parent, never partition by partition.
        cursor.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace "
            "AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname"
        )
        return [row[0] for row in cursor.fetchall()]

    @classmethod
    def take(cls, connection) -> PostgresSnapshot:
        raw = _raw(connection)
        tables: dict[str, bytes] = {}
        with raw.cursor() as cursor:
            for table in cls._tables(cursor):
                with cursor.copy(f'COPY (SELECT * FROM "{table}") TO STDOUT (FORMAT binary)') as copy:
                    tables[table] = b"".join(bytes(block) for block in copy)
            cursor.execute(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value "
                "FROM pg_sequences WHERE schemaname = current_schema()"
            )
            sequences = list(cursor.fetchall())
        return cls(tables, sequences)

    def restore(self, connection) -> None:
        raw = _raw(connection)
        # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: rows may come back in any table order, and are
        # checked at the commit.
        with raw.transaction(), raw.cursor() as cursor:
            names = self._tables(cursor)
            cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in names))
            for table, data in self.tables.items():
                if len(data) > 19:  # a binary COPY of no rows is its header and trailer alone
                    with cursor.copy(f'COPY "{table}" FROM STDIN (FORMAT binary)') as copy:
                        copy.write(data)
            for sequence, last in self.sequences:
                if last is None:
                    cursor.execute("SELECT setval(%s, 1, false)", [sequence])
                else:
                    cursor.execute("SELECT setval(%s, %s, true)", [sequence, last])


# --- what the database holds ---------------------------------------------------------------------------------------


class Contents:
    """The test database's contents in this process: EMPTY, DEMO, or None (unknown: a module left it changed)."""

    def __init__(self):
        self.state: str | None = EMPTY
        self.snapshots: dict[str, PostgresSnapshot] = {}
        self.lock = threading.Lock()

    @staticmethod
    def _connection():
        from django.db import connection

        return connection

    def after_schema(self) -> None:
        """Called once the empty schema is in place (see tests/conftest.py `django_db_setup`)."""
        connection = self._connection()
        if connection.vendor == "postgresql":
            self.snapshots[EMPTY] = PostgresSnapshot.take(connection)
        self.state = EMPTY

    def ensure(self, wanted: str) -> None:
        if self.state == wanted:
            return
        connection = self._connection()
        assert not connection.in_atomic_block, "the test database's contents change only between tests"
        if wanted == EMPTY:
            self._restore_empty(connection)
        else:
            self._restore_demo(connection)
        self.state = wanted

    def _restore_empty(self, connection) -> None:
        if connection.vendor == "sqlite":
            sqlite_load(connection, cache_dir() / f"schema-{schema_key()}.sqlite3")
        else:
            self.snapshots[EMPTY].restore(connection)

    def _restore_demo(self, connection) -> None:
        if connection.vendor == "sqlite":
            sqlite_build_or_load(connection, cache_dir() / f"demo-{demo_key()}.sqlite3", self._load_demo)
            return
        snapshot = self.snapshots.get(DEMO)
        if snapshot is None:
            self._load_demo()
            self.snapshots[DEMO] = PostgresSnapshot.take(connection)
        else:
            snapshot.restore(connection)

    def _load_demo(self) -> None:
        from mueve.demo.loader import load_demo
        from mueve.reports import selectors

        self._restore_empty(self._connection())
        load_demo()
        selectors.forget_reference_data()  # the loader's reads must not outlive a later restore


CONTENTS = Contents()
