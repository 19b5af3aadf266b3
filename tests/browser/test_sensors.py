"""A street light's sensor reports it off at night (over HTTP ingest, as the device would): the control centre's
sensors page lists the firing with its incident, at 360 px and accessible; the light's adopter reads the notice."""

import json
import urllib.request
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from mueve.accounts.models import Role
from mueve.accounts.services import user_create
from mueve.neighbourhood import services as neighbourhood
from mueve.reports import services as reports
from mueve.sensors.models import Device, Rule, RuleFiring
from mueve.sensors.services.devices import device_provision
from mueve.stakeholders.models import Level, Organization, Sector
from mueve.territory.models import Jurisdiction
from mueve.territory.services import jurisdiction_upsert
from tests.browser.conftest import add_axe, screenshot
from tests.sensors.test_rules import night

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "farol-con-sensor-2026"
LIGHT = (-36.82, -73.05)
AXE_RUN = """async () => {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
}"""


def _post(url: str, secret: str, body: dict) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Device {secret}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def _login(page, site: str, username: str, then: str) -> None:
    page.goto(site + f"/cuentas/entrar/?next={then}")
    page.get_by_label("Usuario o correo").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()


def test_a_night_outage_reaches_the_control_centre_and_the_adopter(live_server, phone_page, settings):
    settings.MUEVE_SITE_URL = live_server.url
    metro = jurisdiction_upsert(
        slug="gran-concepcion", name="Gran Concepción", kind=Jurisdiction.Kind.METROPOLITAN_AREA
    )
    lights = reports.service_upsert(
        jurisdiction=metro, code="luminaria-apagada", name="Luminaria apagada", alert_category="security", attributes=[]
    )
    pole = reports.asset_upsert(
        jurisdiction=metro,
        kind="street_light",
        code="poste-7",
        name="Luminaria Caupolicán",
        lat=LIGHT[0],
        lon=LIGHT[1],
        service=lights,
    )
    municipality = Organization.objects.create(
        name="Municipalidad de Concepción", slug="muni-con", sector=Sector.GOVERNMENT, level=Level.LOCAL
    )
    manager = user_create(username="gestora", password=PASSWORD, role=Role.MANAGER)
    user_create(username="operadora", password=PASSWORD, role=Role.OPERATOR)
    rosa = user_create(username="rosa", password=PASSWORD, role=Role.CITIZEN, first_name="Rosa")
    neighbourhood.adopt(asset=pole, user=rosa, name="El farol de mi esquina")
    device, secret = device_provision(
        actor=manager,
        uid="sensor-poste-7",
        name="Sensor del poste 7",
        kind=Device.Kind.STREET_LIGHT,
        owner=municipality,
        jurisdiction=metro,
        lat=LIGHT[0],
        lon=LIGHT[1],
        asset=pole,
    )
    Rule.objects.create(
        jurisdiction=metro,
        name="Cuida tu Luz: luminaria apagada de noche",
        device_kind=Device.Kind.STREET_LIGHT,
        metric="power",
        operator="<=",
        value=0,
        minutes=15,
        night_only=True,
        action=Rule.Action.OPEN_INCIDENT,
        service=lights,
        description="Luminaria apagada de noche según su sensor",
    )
    start = night()
    for minute in (0, 8, 16):
        moment = (start + timedelta(minutes=minute)).isoformat()
        assert _post(live_server.url + "/sensores/ingesta/", secret, {"power": 0, "observedAt": moment}) == 202
    firing = RuleFiring.objects.get()
    assert firing.incident is not None

    page = phone_page
    site = live_server.url
    _login(page, site, "operadora", "/control/sensores/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sensores: reglas activadas")
    active = page.get_by_role("region", name="Activas ahora")
    expect(active).to_contain_text("Sensor del poste 7")
    expect(active.get_by_role("link", name=f"#{firing.incident_id}")).to_be_visible()
    screenshot(page, "control-sensores-360")
    add_axe(page)
    assert page.evaluate(AXE_RUN) == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360

    # The incident link opens it in the control centre, whose panel shows the sensor's readings.
    page.set_viewport_size({"width": 1280, "height": 900})
    active.get_by_role("link", name=f"#{firing.incident_id}").click()
    evidence = page.locator("#detail-sensors")
    expect(evidence).to_be_visible()
    expect(evidence.get_by_role("table")).to_contain_text("0 W")
    expect(evidence).to_contain_text("Sensor del poste 7")
    expect(page.locator("#detail-reports")).to_contain_text("Luminaria apagada de noche según su sensor")

    page.context.clear_cookies()
    _login(page, site, "rosa", "/avisos/")
    expect(page.get_by_text("Nuevo reporte en «El farol de mi esquina»")).to_be_visible()
