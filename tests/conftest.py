import faulthandler
import itertools
import os
from pathlib import Path

import pytest

from mueve.accounts.models import Role, User
from mueve.accounts.services import user_create
from mueve.stakeholders.models import Level, Organization, Sector
from tests.dbcontents import CONTENTS, DEMO, EMPTY, FAST_HASHER, cache_dir, schema_key, sqlite_build_or_load

PASSWORD = "una-clave-de-prueba"


def pytest_configure(config):
    from django.conf import settings

    # The default hasher is deliberately slow (~0.3 s a password) and tests create thousands of users. Set for the
    # whole session, before any fixture of any scope creates one (a per-test fixture came after module fixtures).
    settings.PASSWORD_HASHERS = [FAST_HASHER]
    # With MUEVE_REDIS_URL the cache is shared by the xdist workers and outlives the run: each process counts its
    # rate limits (and keeps any cached value) under its own prefix, so no earlier run or other worker's reports
    # count against this one's.
    settings.CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "mueve.core.sqlite":
        # In memory, as Django's own SQLite backend gets by default: pytest-django's xdist suffix would otherwise
        # turn this engine's test database into a file named after the production one.
        database.setdefault("TEST", {})["NAME"] = ":memory:"


# --- a test that stalls -------------------------------------------------------------------------------------------

STACKS_DIR = Path(__file__).resolve().parents[1] / "test-artifacts"
_stacks_file = None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Writes every thread's stack to test-artifacts/stacks-<worker>.txt when a test has run for 30 s less than its
    timeout (pyproject.toml): a stalled test is usually one thread waiting on a lock another thread holds, and
    pytest-timeout's own dump goes to an xdist worker's terminal, which nobody sees. .ci/run prints these files."""
    global _stacks_file
    timeout = float(item.config.getini("timeout") or 0)
    if timeout <= 60:
        return (yield)
    if _stacks_file is None:
        STACKS_DIR.mkdir(parents=True, exist_ok=True)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        # One file per process: CI's two passes run side by side with the same worker names.
        _stacks_file = open(STACKS_DIR / f"stacks-{worker}-{os.getpid()}.txt", "a")  # noqa: SIM115 - whole session
    before = _stacks_file.seek(0, os.SEEK_END)
    _stacks_file.write(f"\n== {item.nodeid} still running after {timeout - 30:.0f} s\n")
    _stacks_file.flush()
    header_end = _stacks_file.tell()
    # exit=True: faulthandler's own C thread ends the process, which works even when the GIL is what is stuck (a
    # thread holding it waits on SQLite's connection mutex, held by a thread waiting for the GIL), where no Python
    # code, pytest-timeout's included, can run again. xdist reports the test as failed and starts a new worker.
    faulthandler.dump_traceback_later(timeout - 30, exit=True, file=_stacks_file)
    try:
        return (yield)
    finally:
        faulthandler.cancel_dump_traceback_later()
        if os.fstat(_stacks_file.fileno()).st_size == header_end:  # no dump: forget the header
            _stacks_file.truncate(before)


# --- the test database: schema once, demo once (tests/dbcontents.py) ----------------------------------------------

DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences", "_django_db_helper"}
TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}
DEMO_FIXTURES = {"demo_db", "demo_db_shared"}


def _wants_demo(item) -> bool:
    return bool(DEMO_FIXTURES & set(getattr(item, "fixturenames", ())))


def _uses_database(item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return bool(names & (DATABASE_FIXTURES | DEMO_FIXTURES)) or item.get_closest_marker("django_db") is not None


def _rename(item, nodeid: str) -> None:
    try:  # pytest 9 keeps a structured id
        from _pytest.nodeid import NodeId

        item._id = NodeId.parse(nodeid)
    except ImportError:
        item._nodeid = nodeid


def pytest_collection_modifyitems(session, config, items):
    for item in items:
        if item.nodeid.rpartition("::")[2] != item.name and item.name.startswith(item.nodeid.rpartition("::")[2]):
            # Schemathesis names each API operation's test `test_x[GET /path]` but gives them all the node id
            # `test_x`: pytest-xdist then reports 32 operations as one test. Each gets the id its name says.
            _rename(item, f"{item.nodeid.rpartition('::')[0]}::{item.name}")
        if _uses_database(item):
            # What the PostgreSQL + Redis pass of CI selects (with `redis`); the rest (pure algorithms, parsers,
            # the browser) shows nothing new on another database.
            item.add_marker(pytest.mark.database)
    # Tests on an empty database first, then those on the demo, within each module and across modules: each
    # process changes the database's contents a few times, not at every other test.
    demo_modules = {item.module.__name__ for item in items if _wants_demo(item) and hasattr(item, "module")}

    def order(item):
        return getattr(getattr(item, "module", None), "__name__", "") in demo_modules, _wants_demo(item)

    items.sort(key=order)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """pytest-django's database set-up, with SQLite's migrations run once per machine and code version: the
    migrated schema is a cached file copied in (tests/core/test_migrations.py runs the real migrations)."""
    from unittest import mock

    import django.core.management as management
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    real_call_command = management.call_command

    def call_command(name, *args, **kwargs):
        if name != "migrate" or connection.vendor != "sqlite":
            return real_call_command(name, *args, **kwargs)
        path = cache_dir() / f"schema-{schema_key()}.sqlite3"
        return sqlite_build_or_load(connection, path, lambda: real_call_command(name, *args, **kwargs))

    with django_db_blocker.unblock(), mock.patch.object(management, "call_command", call_command):
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set())
        CONTENTS.after_schema()
    yield
    with django_db_blocker.unblock():
        try:
            teardown_databases(config, verbosity=0)
        except Exception as exc:  # another session still connected (PostgreSQL): say so, do not fail the run
            request.node.warn(pytest.PytestWarning(f"could not remove the test database: {exc!r}"))


@pytest.fixture
def _database_contents(request):
    """Puts the contents this test asks for in the database (empty, or the demo) before its transaction starts."""
    names = set(request.fixturenames)
    if names & DEMO_FIXTURES:
        wanted = DEMO
    elif names & DATABASE_FIXTURES or request.node.get_closest_marker("django_db"):
        wanted = EMPTY
    else:
        yield
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        CONTENTS.ensure(wanted)
    transactional = bool(names & TRANSACTIONAL_FIXTURES) or bool(
        (marker := request.node.get_closest_marker("django_db")) and marker.kwargs.get("transaction")
    )
    yield
    if transactional and "demo_db_shared" not in names:
        CONTENTS.state = EMPTY  # pytest-django flushed it at the end of the test


@pytest.fixture(autouse=True)
def _django_db_marker(request, _database_contents):
    """Overrides pytest-django's fixture of this name (a test marked django_db gets its database) so that the
    contents are settled before the test's transaction or flush begins."""
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")


@pytest.fixture
def demo_db(request):
    """The Gran Concepción demo as `make demo` loads it. The test runs in a transaction rolled back at its end, or,
    with transactional_db or live_server, is flushed at its end: the next test finds the demo intact either way."""
    if not (TRANSACTIONAL_FIXTURES & set(request.fixturenames)):
        request.getfixturevalue("db")


@pytest.fixture(scope="module")
def demo_db_shared(django_db_setup, django_db_blocker):
    """The demo, committed, for a whole module of live-server tests that only read it: the module overrides
    `transactional_db` with a fixture that asks for this one, so its tests share it instead of flushing it after
    each. Whatever the module changed is forgotten after it (the next test that wants the demo gets it afresh)."""
    with django_db_blocker.unblock():
        CONTENTS.ensure(DEMO)
        yield  # with the database open to the module's own fixtures, as a live server's tests need
    CONTENTS.state = None


@pytest.fixture(autouse=True)
def _reports_processed_inline(settings):
    # A test's transaction is invisible to the intake worker's own connection: in-process tests process each
    # Open311 report inside its request. tests/reports/test_intake.py and the real-server tests (tests/realtime,
    # tests/browser/test_control.py) run the background worker.
    settings.MUEVE_REPORTS_INTAKE = "inline"


@pytest.fixture(autouse=True)
def _spanish_by_default(settings):
    # A request with Accept-Language: en leaves English active in the thread (LocaleMiddleware never resets it):
    # each test starts in the platform's default language.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_reference_data():
    # Open311 keeps services and keys in memory for seconds; a rolled-back test's rows must not outlive it.
    from mueve.reports import selectors

    selectors.forget_reference_data()
    yield
    selectors.forget_reference_data()


_counter = itertools.count()


@pytest.fixture
def organization(db) -> Organization:
    return Organization.objects.create(
        name="Unidad Operativa de Control de Tránsito",
        acronym="UOCT",
        slug="uoct-test",
        sector=Sector.GOVERNMENT,
        level=Level.REGIONAL,
    )


@pytest.fixture
def make_user(db, organization):
    """make_user(role) -> a saved, active user of that role (officials get an organization)."""

    def make(role: str = Role.CITIZEN, **extra) -> User:
        n = next(_counter)
        if role == Role.OFFICIAL:
            extra.setdefault("organization", organization)
        return user_create(username=f"{role}{n}", password=PASSWORD, role=role, **extra)

    return make


@pytest.fixture
def temuco(db):
    """A second region beside Gran Concepción, for the scoped-role tests (tests/scoping.py)."""
    from tests.scoping import temuco_jurisdiction

    return temuco_jurisdiction()


@pytest.fixture
def users_by_role(make_user) -> dict[str, User | None]:
    """One user per role, plus None for an anonymous visitor: the rows of every permission matrix."""
    users: dict[str, User | None] = {role: make_user(role) for role in Role.values}
    users["anonymous"] = None
    return users


ROLES_AND_ANONYMOUS = [*Role.values, "anonymous"]


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """`with after_commit(): ...` runs what the block's services leave for after the commit (events, notices,
    e-mails): the test's transaction never commits. The events published while the test set things up (whose
    commit never ran) count as handled at their time, so the block's notices are its own."""
    from contextlib import contextmanager

    @contextmanager
    def block():
        from django.db.models import Max

        from mueve.notifications import consumer
        from mueve.notifications.models import EventCursor
        from mueve.realtime.models import Event

        head = Event.objects.aggregate(top=Max("id"))["top"] or 0
        EventCursor.objects.update_or_create(name=consumer.CURSOR, defaults={"last_event_id": head})
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            yield callbacks

    return block
