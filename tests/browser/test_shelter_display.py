"""The shelter's display (Refugio Inteligente), as a screen at the stop shows it, with no login: the predicted time
of a bus that the GTFS-Realtime trip update places on its way, the scheduled ones, the «Escuchar» button reached by
keyboard and reading aloud in es-CL, and the periodic refresh, at 360 px and on a wide screen."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from mueve.reports import services as reports
from mueve.sensors.shelters.models import ShelterModule
from mueve.sensors.shelters.services import module_upsert, shelter_upsert
from mueve.stakeholders.models import Level, Organization, Sector
from mueve.territory.models import Jurisdiction
from mueve.territory.services import jurisdiction_upsert
from tests.browser.conftest import add_axe, screenshot
from tests.browser.test_accessibility import AXE_RUN, WCAG_TAGS
from tests.browser.test_transit import RECORD_SPEECH
from tests.transit.test_predictions import HALFWAY_S1_S2, _push, clock, small  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shelter(small):  # noqa: F811
    metro = jurisdiction_upsert(
        slug="gran-concepcion", name="Gran Concepción", kind=Jurisdiction.Kind.METROPOLITAN_AREA
    )
    service = reports.service_upsert(
        jurisdiction=metro, code="paradero-vandalizado", name="Paradero vandalizado", alert_category="security"
    )
    maintainer = Organization.objects.create(
        name="Municipalidad de Concepción", slug="muni-con", sector=Sector.GOVERNMENT, level=Level.LOCAL
    )
    shelter = shelter_upsert(
        jurisdiction=metro,
        code="refugio-paicavi",
        name="Refugio Av. Paicaví",
        lat=-36.8200,
        lon=-73.0450,
        maintainer=maintainer,
        service=service,
        smart_since=date(2026, 6, 1),
        feed=small,
        stop_id="S2",
    )
    module_upsert(shelter=shelter, code="usb", kind=ShelterModule.Kind.USB, name="Cargador USB")
    return shelter


def _open(browser, url: str, width: int, height: int):
    context = browser.new_context(locale="es-CL", viewport={"width": width, "height": height})
    context.add_init_script(RECORD_SPEECH)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.clock.install()
    page.goto(url)
    return context, page


def test_display_shows_the_predicted_arrival_and_reads_it_aloud(clock, small, shelter, live_server, browser):  # noqa: F811
    now = clock(8, 5)
    _push(small, ("bus-7", "T1", *HALFWAY_S1_S2), header_time=now)
    url = live_server.url + f"/refugio/{shelter.pk}/pantalla/"
    context, page = _open(browser, url, 360, 740)
    try:
        expect(page.get_by_role("heading", level=1)).to_have_text("Refugio Av. Paicaví")
        arrival = page.locator("#display-arrivals li").first
        expect(arrival).to_contain_text("10")
        expect(arrival.locator(".arrival-time")).to_have_text("08:07")  # scheduled 08:04, the bus 3 min late
        expect(arrival.locator(".arrival-status")).to_have_text("en tiempo real · 3 min de atraso")
        expect(page.get_by_role("status")).to_have_text("Actualizado a las 08:05. Próxima: línea 10, en 2 minutos.")
        page.wait_for_load_state()

        # From the top of the page, by keyboard: the skip link, then «Escuchar».
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        button = page.get_by_role("button", name="Escuchar las próximas llegadas y los avisos")
        expect(button).to_be_focused()
        expect(button).to_have_accessible_description("Lee en voz alta las próximas llegadas y los avisos.")
        page.keyboard.press("Enter")
        spoken = page.evaluate("window.__spoken")
        assert len(spoken) == 1 and spoken[0]["lang"] == "es-CL"
        assert spoken[0]["text"].startswith("Refugio Av. Paicaví, parada Avenida Paicaví. Línea 10 hacia ")
        assert "en 2 minutos, en tiempo real." in spoken[0]["text"]
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(page, "shelter-display-360")

        add_axe(page)
        serious = [v for v in page.evaluate(AXE_RUN, WCAG_TAGS) if v["impact"] in ("serious", "critical")]
        assert serious == []

        # The screen refreshes itself: the USB charger breaks, and the next refresh says so.
        ShelterModule.objects.filter(shelter=shelter, code="usb").update(condition="out_of_service")
        page.clock.run_for(31_000)
        expect(page.locator("#display-alerts")).to_contain_text("Cargador USB de este refugio: fuera de servicio.")
        expect(arrival.locator(".arrival-time")).to_have_text("08:07")
    finally:
        context.close()


def test_display_on_a_wide_screen_marks_scheduled_times(clock, small, shelter, live_server, browser):  # noqa: F811
    clock(7, 58)
    context, page = _open(browser, live_server.url + f"/refugio/{shelter.pk}/pantalla/", 1280, 800)
    try:
        arrival = page.locator("#display-arrivals li").first
        expect(arrival.locator(".arrival-time")).to_have_text("08:04")
        expect(arrival.locator(".arrival-status")).to_have_text("programado")
        expect(arrival.locator(".arrival-min")).to_have_text("6 min")
        expect(page.get_by_role("button", name=re.compile("^Escuchar"))).to_be_visible()
        screenshot(page, "shelter-display-wide")
    finally:
        context.close()


def test_the_maintainer_sees_the_shelter_and_the_vandalism_report_at_360_px(shelter, live_server, phone_page):
    from mueve.accounts.models import Role
    from mueve.accounts.services import user_create

    password = "refugio-mantenedor-2026"
    user_create(username="mantenedora", password=password, role=Role.OPERATOR, organization=shelter.maintainer)
    page = phone_page
    page.goto(live_server.url + "/cuentas/entrar/?next=/refugio/")
    page.get_by_label("Usuario o correo").fill("mantenedora")
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Entrar").click()
    page.get_by_role("link", name="Refugio Av. Paicaví", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refugio Av. Paicaví")
    page.get_by_label("Estado de Cargador USB").select_option(label="Dañado")
    page.get_by_label("Motivo para Cargador USB").fill("Puerto suelto")
    page.get_by_role("button", name="Guardar Cargador USB").click()
    expect(page.get_by_role("status")).to_contain_text("Estado de «Cargador USB» registrado.")
    expect(page.locator("main")).to_contain_text("Puerto suelto")
    page.wait_for_load_state()  # its stylesheet too: the width is measured as laid out
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    add_axe(page)
    assert [v for v in page.evaluate(AXE_RUN, WCAG_TAGS) if v["impact"] in ("serious", "critical")] == []
    screenshot(page, "shelter-detail-360")

    page.goto(live_server.url + "/refugio/vandalismo/?until=2026-08-31")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vandalismo en refugios")
    expect(page.get_by_role("table", name="Resumen por refugio")).to_contain_text("Refugio Av. Paicaví")
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    add_axe(page)
    assert [v for v in page.evaluate(AXE_RUN, WCAG_TAGS) if v["impact"] in ("serious", "critical")] == []
    screenshot(page, "shelter-report-360")
