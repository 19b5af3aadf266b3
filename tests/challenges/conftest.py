import datetime as dt

import pytest

from mueve.accounts.models import Role
from mueve.challenges import services
from mueve.challenges.models import Kind, Status
from mueve.programs.models import Component, Program
from mueve.stakeholders.models import Level, Organization, Sector
from mueve.territory.models import Jurisdiction
from tests.mail import smtp_server  # noqa: F401  (a real SMTP server for the followers' e-mail test)

COMPONENT_KEYS = ["codesign", "vision", "competition", "hub", "results"]


@pytest.fixture
def program(db) -> Program:
    jurisdiction = Jurisdiction.objects.create(
        slug="gc-test", name="Gran Concepción (prueba)", kind=Jurisdiction.Kind.METROPOLITAN_AREA
    )
    program = Program.objects.create(
        name="Smart City de prueba",
        slug="smart-city-prueba",
        jurisdiction=jurisdiction,
        start_date=dt.date(2013, 11, 1),
        end_date=dt.date(2014, 12, 31),
    )
    for order, key in enumerate(COMPONENT_KEYS, start=1):
        Component.objects.create(program=program, order=order, key=key, name=key.title())
    return program


@pytest.fixture
def other_program(program) -> Program:
    return Program.objects.create(
        name="Otro programa",
        slug="otro-programa",
        jurisdiction=program.jurisdiction,
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2015, 12, 31),
    )


@pytest.fixture
def other_org(db) -> Organization:
    return Organization.objects.create(
        name="Secretaría Regional de Transportes",
        acronym="SEREMITT",
        slug="seremitt-test",
        sector=Sector.GOVERNMENT,
        level=Level.REGIONAL,
    )


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER)


@pytest.fixture
def official(make_user):
    """An official of `organization` (the UOCT of the root conftest)."""
    return make_user(Role.OFFICIAL)


@pytest.fixture
def citizen(make_user):
    return make_user(Role.CITIZEN)


PATH = {
    Status.IDENTIFIED: [],
    Status.VALIDATED: [Status.VALIDATED],
    Status.PUBLISHED: [Status.VALIDATED, Status.PUBLISHED],
    Status.ADDRESSING: [Status.VALIDATED, Status.PUBLISHED, Status.ADDRESSING],
    Status.SOLVED: [Status.VALIDATED, Status.PUBLISHED, Status.ADDRESSING, Status.SOLVED],
}


@pytest.fixture
def make_challenge(program, organization, manager):
    """make_challenge(title, status=..., kind=..., owner=...) through the services."""

    def make(
        title="¿Cómo reducir el vandalismo en paraderos?",
        *,
        status=Status.IDENTIFIED,
        kind=Kind.ABSTRACT,
        owner=None,
        prog=None,
        description="",
    ):
        challenge = services.challenge_create(
            actor=manager,
            program=prog or program,
            title=title,
            owner=owner or organization,
            kind=kind,
            description=description,
        )
        for step in PATH[status]:
            extra = {}
            if step == Status.ADDRESSING:
                via = "concept" if kind == Kind.CONCRETE else "competition"
                extra = {"addressed_via": via}
            challenge = services.challenge_transition(actor=manager, challenge=challenge, to_status=step, **extra)
        return challenge

    return make
