"""Issue 20: the municipality's view of Cuida tu Luz respects scoped roles. Temuco's officials, operators and
managers see Temuco's lights and stops only; Gran Concepción's overview is 404 to them, as if it did not exist; the
national level sees every jurisdiction, together or one at a time."""

import pytest

from mueve.accounts.models import Role
from mueve.reports import services
from tests.scoping import TEMUCO, logged_in, scoped

URL = "/barrio/luz/municipio/"


@pytest.fixture
def temuco_light(temuco):
    service = services.service_upsert(
        jurisdiction=temuco,
        code="luminaria-apagada",
        name="Luminaria apagada",
        alert_category="security",
        attributes=[],
    )
    return services.asset_upsert(
        jurisdiction=temuco,
        kind="street_light",
        code="poste-temuco-7",
        name="Poste 7, Plaza Aníbal Pinto",
        lat=TEMUCO[0],
        lon=TEMUCO[1],
        service=service,
    )


def _orphans(response) -> set[str]:
    return {asset.name for asset in response.context["overview"].orphans}


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.OPERATOR, Role.MANAGER])
def test_a_scoped_person_sees_their_jurisdictions_overview_only(make_user, temuco, street_light, temuco_light, role):
    client = logged_in(scoped(make_user, role, temuco))
    page = client.get(URL)
    assert page.status_code == 200
    assert _orphans(page) == {temuco_light.name}
    html = page.content.decode()
    assert temuco_light.name in html and street_light.name not in html
    assert "Barrio Centro" not in html  # Gran Concepción's areas are no row of theirs
    assert client.get(URL, {"jurisdiccion": "gran-concepcion"}).status_code == 404
    assert client.get(URL, {"jurisdiccion": "no-existe"}).status_code == 404
    assert _orphans(client.get(URL, {"jurisdiccion": "temuco"})) == {temuco_light.name}


def test_the_national_level_sees_every_jurisdiction_or_one(make_user, street_light, temuco_light):
    client = logged_in(make_user(Role.MANAGER))
    page = client.get(URL)
    assert _orphans(page) == {street_light.name, temuco_light.name}
    assert 'name="jurisdiccion"' in page.content.decode()  # the choice of jurisdiction
    assert _orphans(client.get(URL, {"jurisdiccion": "gran-concepcion"})) == {street_light.name}
    assert _orphans(client.get(URL, {"jurisdiccion": "temuco"})) == {temuco_light.name}


def test_citizens_still_get_no_overview(make_user, temuco_light):
    assert logged_in(make_user(Role.CITIZEN)).get(URL).status_code == 403
