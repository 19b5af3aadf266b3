import pytest
from django.utils import translation

from mueve.accounts.models import Role
from tests.programs.factories import make_program, make_template


@pytest.fixture(autouse=True)
def spanish():
    with translation.override("es"):
        yield


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER)


@pytest.fixture
def template(manager):
    return make_template(manager)


@pytest.fixture
def program(manager, template):
    return make_program(manager, template=template, name="Smart City Prueba", slug="smart-city-prueba")
