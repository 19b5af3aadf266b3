import itertools

import pytest
from django.utils import translation

from mueve.accounts.models import Role
from mueve.stakeholders.models import Level, Organization
from mueve.workshops import services
from tests.programs.factories import make_program, make_template

_n = itertools.count(1)


@pytest.fixture(autouse=True)
def spanish():
    with translation.override("es"):
        yield


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER)


@pytest.fixture
def program(manager):
    return make_program(manager, template=make_template(manager), name="Programa de talleres", slug="programa-talleres")


@pytest.fixture
def make_org(db):
    def make(sector: str, name: str | None = None) -> Organization:
        n = next(_n)
        return Organization.objects.create(
            name=name or f"Institución {sector} {n}", slug=f"org-{sector}-{n}", sector=sector, level=Level.LOCAL
        )

    return make


@pytest.fixture
def make_workshop(manager, program):
    def make(kind: str = "codesign", **fields):
        fields.setdefault("title", f"Taller {kind} {next(_n)}")
        return services.workshop_create(actor=manager, program=program, kind=kind, **fields)

    return make


from tests.mail import smtp_server  # noqa: E402, F401  (a real SMTP server for the e-mail tests)
