"""Cuida tu Luz and Cuido mi Barrio in real Chromium at 360 px: a citizen signs in, reaches a light in the map
page's list by keyboard and adopts it with a name; a report on it arrives; the in-app notice tells her; the agency
repairs it and she confirms the repair; the neighbourhood ranking shows her points."""

import json

import pytest
from playwright.sync_api import expect

from mueve.accounts.models import Role
from mueve.accounts.services import user_create
from mueve.reports import services as reports
from mueve.reports.models import Report
from mueve.territory.models import Jurisdiction
from mueve.territory.services import areas_load_geojson, jurisdiction_upsert
from tests.browser.conftest import add_axe, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIGHT = (-36.8270, -73.0503)
PASSWORD = "farol-del-barrio-2026"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "es-CL"}
AXE_RUN = """async () => {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
}"""


def _accessible_and_fits(page, width: int) -> None:
    add_axe(page)
    assert page.evaluate(AXE_RUN) == [], page.url
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, page.url


def _world():
    metro = jurisdiction_upsert(
        slug="gran-concepcion", name="Gran Concepción", kind=Jurisdiction.Kind.METROPOLITAN_AREA
    )
    lat, lon = LIGHT
    ring = [[lon - 0.02, lat - 0.02], [lon + 0.02, lat - 0.02], [lon + 0.02, lat + 0.02], [lon - 0.02, lat + 0.02]]
    feature = {
        "type": "Feature",
        "properties": {"name": "Barrio Centro", "code": "centro"},
        "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
    }
    areas_load_geojson(jurisdiction=metro, text=json.dumps({"type": "FeatureCollection", "features": [feature]}))
    lights = reports.service_upsert(
        jurisdiction=metro, code="luminaria-apagada", name="Luminaria apagada", alert_category="security", attributes=[]
    )
    for n, (name, dlat) in enumerate([("Luminaria Barros Arana esquina Caupolicán", 0.0), ("Luminaria Freire", 0.002)]):
        reports.asset_upsert(
            jurisdiction=metro,
            kind="street_light",
            code=f"poste-{n}",
            name=name,
            lat=lat + dlat,
            lon=lon,
            service=lights,
        )
    return lights


def test_a_citizen_adopts_a_light_hears_of_a_report_confirms_the_repair_and_ranks(live_server, browser, settings):
    settings.MUEVE_TILE_URL = ""  # offline: no tile server
    settings.MUEVE_SITE_URL = live_server.url
    lights = _world()
    rosa = user_create(
        username="rosa", password=PASSWORD, role=Role.CITIZEN, first_name="Rosa", last_name="Muñoz", email="r@ex.org"
    )
    neighbour = user_create(username="vecino", password=PASSWORD, role=Role.CITIZEN)
    operator = user_create(username="operadora", password=PASSWORD, role=Role.OPERATOR)
    site = live_server.url
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(site + "/barrio/luz/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Cuida tu Luz")
        page.wait_for_function("() => document.querySelectorAll('#lights-map .leaflet-interactive').length === 2")
        screenshot(page, "barrio-luz-360")
        _accessible_and_fits(page, 360)

        page.goto(site + "/cuentas/entrar/?next=/barrio/luz/")
        page.get_by_label("Usuario o correo").fill("rosa")
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Entrar").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Cuida tu Luz")

        # By keyboard only: Tab through the page until the light in the list has focus, then Enter.
        target = "Luminaria Barros Arana esquina Caupolicán"
        for _ in range(120):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.textContent.trim()") == target:
                break
        else:
            pytest.fail("the light in the list is not reachable by keyboard")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text(target)
        screenshot(page, "barrio-luminaria-360")
        _accessible_and_fits(page, 360)
        page.get_by_label("Un nombre para su luz o paradero (opcional)").fill("El farol de mi esquina")
        page.keyboard.press("Enter")  # submits the form from its field
        expect(page.get_by_role("heading", level=1)).to_have_text("Mis adopciones")
        expect(page.get_by_role("link", name="El farol de mi esquina")).to_be_visible()

        # A neighbour reports the light (through the service, as the report page would).
        report = reports.report_submit(service=lights, lat=LIGHT[0], lon=LIGHT[1], reporter=neighbour)
        report = Report.objects.get(pk=report.pk)
        assert report.asset is not None and report.asset.name == target

        page.goto(site + "/avisos/")
        expect(page.get_by_text("Nuevo reporte en «El farol de mi esquina»")).to_be_visible()
        screenshot(page, "barrio-aviso-360")
        _accessible_and_fits(page, 360)

        # The agency repairs it; she confirms from her adoptions.
        reports.incident_resolve(incident=report.incident, actor=operator, public_reply="Cambiamos la ampolleta.")
        page.goto(site + "/barrio/luz/mis-adopciones/")
        screenshot(page, "barrio-mis-adopciones-360")
        _accessible_and_fits(page, 360)
        page.get_by_role("button", name="Confirmar la reparación").click()
        expect(page.get_by_text("quedó registrado")).to_be_visible()

        page.goto(site + "/barrio/ranking/")
        row = page.get_by_role("row", name="Rosa M.")
        expect(row).to_contain_text("5")
        expect(page.get_by_text("Muñoz")).to_have_count(0)
        screenshot(page, "barrio-ranking-360")
        _accessible_and_fits(page, 360)

        page.goto(site + "/barrio/")
        expect(page.get_by_text("5 puntos")).to_be_visible()
        expect(page.locator(".nb-earned")).to_contain_text("Reparación verificada")
        screenshot(page, "barrio-home-360")
        _accessible_and_fits(page, 360)

        # The same pages on a desktop screen.
        page.set_viewport_size({"width": 1280, "height": 900})
        for path, name in [("/barrio/luz/", "barrio-luz-1280"), ("/barrio/ranking/", "barrio-ranking-1280"),
                           ("/barrio/", "barrio-home-1280")]:  # fmt: skip
            page.goto(site + path)
            screenshot(page, name)
        assert rosa.pk and operator.pk
    finally:
        context.close()


def test_the_municipality_overview_and_rewards_pages_at_both_widths(live_server, browser, settings):
    settings.MUEVE_TILE_URL = ""
    _world()
    user_create(username="gestora", password=PASSWORD, role=Role.MANAGER)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(live_server.url + "/cuentas/entrar/?next=/barrio/premios/")
        page.get_by_label("Usuario o correo").fill("gestora")
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Entrar").click()
        page.get_by_label("Nombre del premio").fill("Visita guiada a la UOCT")
        page.get_by_role("button", name="Guardar premio").click()
        expect(page.get_by_role("row", name="Visita guiada a la UOCT")).to_be_visible()
        page.get_by_label("Usuario o correo de quien lo recibe").fill("nadie")
        page.get_by_role("button", name="Registrar entrega").click()
        expect(page.get_by_role("alert")).to_contain_text("No hay una cuenta")
        screenshot(page, "barrio-premios-360")
        _accessible_and_fits(page, 360)
        page.get_by_role("link", name="Editar «Visita guiada a la UOCT»").click()
        expect(page.get_by_label("Dónde se ofrece")).to_have_value("")  # national: offered everywhere
        page.get_by_label("Descripción").fill("Con el equipo de la UOCT.")
        screenshot(page, "barrio-premio-editar-360")
        _accessible_and_fits(page, 360)
        page.get_by_role("button", name="Guardar cambios").click()
        expect(page.get_by_role("row", name="Visita guiada a la UOCT")).to_contain_text("Con el equipo de la UOCT.")
        page.goto(live_server.url + "/barrio/luz/municipio/")
        screenshot(page, "barrio-municipio-360")
        _accessible_and_fits(page, 360)
        page.set_viewport_size({"width": 1280, "height": 900})
        screenshot(page, "barrio-municipio-1280")
        page.goto(live_server.url + "/barrio/premios/")
        screenshot(page, "barrio-premios-1280")
    finally:
        context.close()
