import datetime as dt

import pytest

from mueve.accounts.models import Role
from mueve.programs.models import Component, Program
from mueve.stakeholders import services
from mueve.stakeholders.models import Level, Organization, Person, Sector
from mueve.territory.models import Jurisdiction

COMPONENT_KEYS = ["codesign", "vision", "competition", "hub", "results"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Tests create many users; the production hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def jurisdiction(db) -> Jurisdiction:
    return Jurisdiction.objects.create(
        slug="gc-prueba", name="Gran Concepción (prueba)", kind=Jurisdiction.Kind.METROPOLITAN_AREA
    )


def _program(jurisdiction, *, slug: str, name: str, is_public: bool = True) -> Program:
    program = Program.objects.create(
        name=name,
        slug=slug,
        jurisdiction=jurisdiction,
        start_date=dt.date(2013, 11, 1),
        end_date=dt.date(2014, 11, 20),
        is_public=is_public,
    )
    for order, key in enumerate(COMPONENT_KEYS, start=1):
        Component.objects.create(
            program=program,
            order=order,
            key=key,
            name=f"Componente {key}",
            start_date=dt.date(2014, order, 10),
            end_date=dt.date(2014, order, 20),
        )
    return program


@pytest.fixture
def program(jurisdiction) -> Program:
    return _program(jurisdiction, slug="programa-prueba", name="Programa de prueba")


@pytest.fixture
def private_program(jurisdiction) -> Program:
    return _program(jurisdiction, slug="programa-interno", name="Programa interno", is_public=False)


@pytest.fixture
def second_program(jurisdiction) -> Program:
    return _program(jurisdiction, slug="segundo-programa", name="Segundo programa")


@pytest.fixture
def components(program) -> dict[str, Component]:
    return {c.key: c for c in program.components.all()}


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER)


@pytest.fixture
def citizen(make_user):
    return make_user(Role.CITIZEN)


@pytest.fixture
def make_org(db):
    def make(name: str, *, sector: str = Sector.GOVERNMENT, level: str = Level.NATIONAL, **extra) -> Organization:
        return services.organization_create(name=name, sector=sector, level=level, **extra)

    return make


@pytest.fixture
def mtt(make_org) -> Organization:
    return make_org("Ministerio de Transportes y Telecomunicaciones", acronym="MTT")


@pytest.fixture
def wayra(make_org) -> Organization:
    return make_org("Wayra Chile", acronym="Wayra", sector=Sector.PRIVATE, is_international=True)


@pytest.fixture
def person_with_contacts(mtt) -> Person:
    person = services.person_create(
        full_name="Persona Demo Prueba", email="persona.prueba@ejemplo.cl", phone="+56 9 1234 5678"
    )
    services.membership_add(person=person, organization=mtt, position="Jefatura de unidad")
    return person
