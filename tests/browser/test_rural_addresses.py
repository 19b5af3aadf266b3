"""911-R in real Chromium: a field worker tags a house with no signal and it arrives when the signal returns; an
official verifies it; the plate's QR opens the place; a dispatcher finds it by short code and locality and by road
and km; "¿Dónde estoy?" works with the network off."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from mueve.accounts.models import Role
from mueve.accounts.services import role_scope_grant, user_create
from mueve.rural_addresses import olc, selectors, services
from mueve.rural_addresses.models import RuralPlace
from tests.browser.conftest import add_axe, screenshot, without_live_streams
from tests.conftest import PASSWORD
from tests.rural_addresses.conftest import HUALQUI, O60, commune, on_road

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "es-CL"}


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MUEVE_TILE_URL = ""
    settings.MEDIA_ROOT = tmp_path / "media"
    selectors.forget_roads()
    hualqui = commune("hualqui", "Hualqui", HUALQUI)
    road = services.road_upsert(
        jurisdiction=hualqui, code="O-60", name="Ruta O-60", geometry=O60, start_label="la plaza de Hualqui"
    )
    from mueve.stakeholders.models import Level, Organization, Sector

    municipality = Organization.objects.create(
        name="Municipalidad de Hualqui", slug="muni-hualqui", sector=Sector.GOVERNMENT, level=Level.LOCAL
    )
    official = user_create(username="funcionaria", password=PASSWORD, role=Role.OFFICIAL, organization=municipality)
    role_scope_grant(user=official, actor=None, jurisdiction=hualqui)
    resident = user_create(username="vecina", password=PASSWORD, role=Role.CITIZEN)
    samu = user_create(username="samu", password=PASSWORD, role=Role.EMERGENCY)
    yield {"road": road, "official": official, "resident": resident, "samu": samu}
    selectors.forget_roads()


@pytest.fixture
def phone(browser):
    contexts = []

    def open_(position=None):
        options = dict(PHONE)
        if position:
            options.update(geolocation={"latitude": position[0], "longitude": position[1]}, permissions=["geolocation"])
        context = without_live_streams(browser.new_context(**options))
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return context, page

    yield open_
    for context in contexts:
        context.close()


def login(page, base: str, username: str, then: str) -> None:
    page.goto(f"{base}/cuentas/entrar/?next={then}")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page).to_have_url(re.compile(re.escape(then) + "$"))


def test_a_house_tagged_offline_syncs_and_an_official_verifies_it(world, live_server, phone):
    position = on_road(O60, 2.0, north_m=30)
    context, page = phone(position)
    login(page, live_server.url, "vecina", "/rural/etiquetar/")
    page.get_by_role("button", name="Usar mi ubicación").tap()
    expect(page.locator("#tag-status")).to_have_text("Ubicación tomada del teléfono.")
    page.get_by_label("Cómo reconocer el lugar").fill("Casa azul pasado el puente")

    context.set_offline(True)
    page.get_by_role("button", name="Guardar etiqueta").tap()
    expect(page.locator("#tag-status")).to_have_text("Guardada en el teléfono; se enviará al volver la conexión.")
    screenshot(page, "rural-tag-offline-phone")
    assert not RuralPlace.objects.exists()

    context.set_offline(False)
    expect(page.locator("#tag-status")).to_contain_text("Se envió la etiqueta guardada")
    place = RuralPlace.objects.get()
    assert place.description == "Casa azul pasado el puente" and place.tagged_by == world["resident"]
    assert place.plus_code == olc.encode(*position) and place.status == RuralPlace.Status.TAGGED

    _context, desk = phone()
    login(desk, live_server.url, "funcionaria", "/rural/verificar/")
    desk.get_by_role("button", name=f"Verificar {place.plus_code}").tap()
    expect(desk.get_by_text("No hay lugares por verificar.")).to_be_visible()
    screenshot(desk, "rural-review-phone")
    place.refresh_from_db()
    assert place.status == RuralPlace.Status.VERIFIED and place.verified_by == world["official"]


def test_plate_qr_opens_the_place_and_the_dispatcher_finds_it(world, live_server, phone, browser):
    lat, lon = on_road(O60, 3.2, north_m=40)
    place = services.place_tag(user=world["resident"], lat=lat, lon=lon, description="Casa de adobe con parrón")
    services.place_verify(place=place, user=world["official"])
    place.refresh_from_db()

    _context, page = phone()
    pdf = page.request.get(f"{live_server.url}/rural/{place.pk}/placa.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.body()))
    text = reader.pages[0].extract_text()
    short, locality = selectors.short_code(place)
    assert place.plus_code in text and f"{short} {locality}" in text and "Ruta O-60, km 3," in text
    (qr_url,) = {a.get_object()["/A"]["/URI"] for a in reader.pages[0]["/Annots"]}
    assert qr_url == f"{live_server.url}/rural/{place.pk}/"
    page.goto(qr_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(place.plus_code)

    context = without_live_streams(browser.new_context(locale="es-CL", viewport={"width": 1280, "height": 900}))
    desk = context.new_page()
    login(desk, live_server.url, "samu", "/rural/despacho/")
    desk.get_by_label("Código plus (completo o corto)").fill(short)
    desk.get_by_label("Localidad (con un código corto)").fill("hualqui")
    desk.get_by_role("button", name="Buscar").click()
    result = desk.locator("article.result")
    expect(result).to_have_count(1)
    expect(result).to_contain_text(place.plus_code)
    expect(result).to_contain_text("Casa de adobe con parrón")
    screenshot(desk, "rural-dispatch-short-code")
    desk.goto(f"{live_server.url}/rural/despacho/")
    desk.get_by_label("Camino (rol o nombre)").fill("O-60")
    desk.get_by_label("Km").fill("3.2")
    desk.get_by_role("button", name="Buscar").click()
    expect(desk.locator("article.result").first).to_contain_text(place.plus_code)
    expect(desk.locator("article.result").first).to_contain_text("Desde la plaza de Hualqui")
    context.close()


def test_where_am_i_works_with_the_network_off(world, live_server, phone):
    position = on_road(O60, 2.0, north_m=10)
    context, page = phone(position)
    page.goto(f"{live_server.url}/rural/donde-estoy/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function("async () => !!(await caches.match('/rural/caminos.json'))")

    context.set_offline(True)
    again = context.new_page()
    response = again.goto(f"{live_server.url}/rural/donde-estoy/")
    assert response.ok and response.from_service_worker
    again.get_by_role("button", name="Ver dónde estoy").tap()
    expect(again.locator("#where-status")).to_have_text("Ubicación calculada sin conexión.")
    code = olc.encode(*position)
    expect(again.locator("#where-code")).to_contain_text(code)
    expect(again.locator("#where-road")).to_have_text("Ruta O-60, km 2,0")
    sms = again.get_by_label("Texto para enviar por SMS").input_value()
    assert "Ruta O-60, km 2,0" in sms and sms.startswith("Emergencia. Estoy en ")
    short = olc.shorten(code, *HUALQUI)
    assert f"{short} Hualqui" in sms
    screenshot(again, "rural-where-offline-phone")


AXE_RUN = """async () => {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))}));
}"""


def test_the_rural_pages_pass_axe_on_a_phone(world, live_server, phone):
    lat, lon = on_road(O60, 1.0, north_m=20)
    place = services.place_tag(user=world["resident"], lat=lat, lon=lon, description="Casa")
    _context, page = phone()
    login(page, live_server.url, "vecina", "/rural/etiquetar/")
    for path in ("/rural/etiquetar/", "/rural/donde-estoy/", f"/rural/{place.pk}/"):
        page.goto(live_server.url + path)
        add_axe(page)
        assert page.evaluate(AXE_RUN) == [], path
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360, path
    _context, desk = phone()
    login(desk, live_server.url, "samu", "/rural/despacho/")
    desk.goto(f"{live_server.url}/rural/despacho/?q=casa")
    add_axe(desk)
    assert desk.evaluate(AXE_RUN) == []
    assert desk.evaluate("() => document.documentElement.scrollWidth") <= 360
