"""The control centre's assignment menu and the statistics charts, in real Chromium on the demo."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mueve.control import selectors
from mueve.reports.models import Incident
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"
VIEWPORTS = [{"width": 1280, "height": 900}, {"width": 360, "height": 740}]


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    screenshot(page, name)


@pytest.fixture
def transactional_db(demo_db_shared):
    """The live server's tests share the committed demo (`demo_db_shared`) instead of flushing it after each."""


@pytest.fixture(scope="module", autouse=True)
def site(live_server, demo_db_shared) -> str:
    return live_server.url


def _operator(browser, site: str, viewport: dict):
    context = browser.new_context(locale="es-CL", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15000)
    # Not the live stream: WSGI's live server cannot tell that a stream's browser left (see test_control_evidence).
    page.route(re.compile(r"/tiempo-real/stream/"), lambda route: route.abort())
    page.goto(site + "/cuentas/entrar/?next=/control/")
    page.get_by_label("Usuario").fill("operadora")
    page.get_by_label("Contraseña").fill("mueve2014")
    page.get_by_role("button", name="Entrar").click()
    expect(page).to_have_url(re.compile(r"/control/"))
    return page


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["1280", "360"])
def test_assign_menu_offers_the_traffic_light_agencies_first_and_fits_the_panel(site, browser, viewport):
    incident = Incident.objects.filter(service__code="semaforo-falla").exclude(status="rejected").first()
    assert incident is not None, "the demo has a traffic-light incident"
    handling = [agency["name"] for agency in selectors.handling_agencies(incident)]
    assert handling
    page = _operator(browser, site, viewport)
    page.goto(site + "/control/?status=all")
    page.locator(f"#queue li[data-id='{incident.pk}'] .ctl-item-open").click()
    menu = page.get_by_label("Asignar a")
    page.wait_for_function("() => document.querySelectorAll('#a-agency-handling option').length > 0")
    options = menu.locator("option").all_text_contents()
    assert options[0] == "Elija un organismo"
    assert options[1 : 1 + len(handling)] == handling
    assert not any("Mozilla" in name or "Banco Mundial" in name for name in options)
    assert len(options) == 1 + len(handling)

    # Any other agency is found by name, and then chosen in the same menu.
    page.get_by_label("Buscar otro organismo").fill("mozil")
    expect(page.locator("#a-agency-found option")).to_have_count(1)
    expect(page.locator("#a-agency-found option")).to_have_text(re.compile("Mozilla"))
    expect(menu).to_have_value(page.locator("#a-agency-found option").get_attribute("value"))
    page.get_by_label("Buscar otro organismo").fill("zzzz no existe")
    expect(page.locator("#a-agency-hint")).to_have_text("Ningún organismo coincide con la búsqueda.")

    # The menu stays inside the detail panel.
    panel = page.locator("#detail").bounding_box()
    for selector in ("#a-agency", "#a-agency-search"):
        box = page.locator(selector).bounding_box()
        assert panel["x"] <= box["x"] and box["x"] + box["width"] <= panel["x"] + panel["width"] + 0.5, selector
    page.get_by_label("Buscar otro organismo").fill("tránsito")
    page.locator(".ctl-assign").scroll_into_view_if_needed()
    page.locator("#detail").screenshot(path=str(SHOTS / f"control-assign-panel-{viewport['width']}.png"))
    shot(page, f"control-assign-{viewport['width']}")
    page.context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["1280", "360"])
def test_statistics_labels_are_whole_and_inside_their_charts(site, browser, viewport):
    page = _operator(browser, site, viewport)
    page.goto(site + "/control/estadisticas/?days=30")
    charts = page.locator("svg.control-chart")
    assert charts.count() >= 4
    outside = page.evaluate(
        """() => {
          const bad = [];
          document.querySelectorAll('svg.control-chart').forEach(svg => {
            const frame = svg.getBoundingClientRect();
            svg.querySelectorAll('text').forEach(text => {
              const box = text.getBoundingClientRect();
              if (box.left < frame.left - 0.5 || box.right > frame.right + 0.5 || box.top < frame.top - 0.5 ||
                  box.bottom > frame.bottom + 0.5) bad.push(text.textContent);
            });
          });
          return bad;
        }"""
    )
    assert outside == []
    labels = page.locator("svg.control-chart .chart-label").all_text_contents()
    assert any("Luminaria apagada" in label for label in labels), labels  # whole, not "uminaria apagada"
    shot(page, f"control-statistics-{viewport['width']}")
    page.context.close()
