import itertools

import pytest

from mueve.accounts.models import Role, User
from mueve.accounts.services import user_create
from mueve.stakeholders.models import Level, Organization, Sector

PASSWORD = "una-clave-de-prueba"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The default hasher is deliberately slow; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


@pytest.fixture(scope="session", autouse=True)
def _no_rate_counters_from_earlier_runs():
    # With MUEVE_REDIS_URL the cache outlives a test run: an earlier run's counters of the same hour would refuse
    # this run's reports from the same test IPs and devices. Only the rate-limit keys are removed.
    from django.core.cache import caches

    from mueve.core.cache import RedisCache
    from mueve.reports.services import RATE_CACHE_PREFIX

    backend = caches["default"]
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client(write=True)
        for key in client.scan_iter(match=f"*{RATE_CACHE_PREFIX}*", count=1000):
            client.delete(key)


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
def users_by_role(make_user) -> dict[str, User | None]:
    """One user per role, plus None for an anonymous visitor: the rows of every permission matrix."""
    users: dict[str, User | None] = {role: make_user(role) for role in Role.values}
    users["anonymous"] = None
    return users


ROLES_AND_ANONYMOUS = [*Role.values, "anonymous"]
