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
