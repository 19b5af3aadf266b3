"""The live control centre in real Chromium, against real uvicorn processes (so one can be killed).

Two operators' dashboards are open; an Open311 report appears on the map and in both queues without a
reload; acknowledging it in one dashboard updates the other; the server is killed, events happen
meanwhile (through a second process sharing the database), and after the restart the reconnecting
dashboards show them: no event lost, none shown twice.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import add_axe, screenshot
from tests.browser.test_accessibility import AXE_RUN, WCAG_TAGS
from tests.realtime.servers import OPERATOR_PASSWORD, LiveSite, post_report

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def site():
    with LiveSite() as live:  # SQLite, no Redis: the second process learns of commits by polling the log
        live.start(2)
        yield live


def _login(page, base: str, username: str) -> None:
    page.goto(base + "/cuentas/entrar/?next=/control/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(OPERATOR_PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page).to_have_url(re.compile(r"/control/$"))
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")


def _item(page, text: str):
    return page.locator("#queue li", has_text=text)


def test_dashboards_follow_reports_triage_and_a_server_restart(site, browser):
    base, other = site.urls
    one = browser.new_context(locale="es-CL", viewport={"width": 1280, "height": 860}).new_page()
    two = browser.new_context(locale="es-CL", viewport={"width": 1280, "height": 860}).new_page()
    for page in (one, two):
        page.set_default_timeout(20000)
        _login(page, base, "operadora-viva")
        page.evaluate("window.__notReloaded = true")
    expect(one.locator("#queue-empty")).to_be_visible()

    post_report(base, site.api_key, description="Choque con heridos")
    for page in (one, two):
        item = _item(page, "Accidente de tránsito")
        expect(item).to_have_count(1)
        expect(item).to_have_attribute("data-status", "open")
        expect(page.locator("path.ctl-marker")).to_have_count(1)
        expect(page.locator("#unack-count")).to_have_text("1")
    expect(_item(one, "Accidente de tránsito")).to_have_class(re.compile("ctl-flash"))
    screenshot(one, "control-dashboard-new-incident")

    _item(one, "Accidente de tránsito").get_by_role("button", name=re.compile("Acusar recibo")).click()
    expect(_item(two, "Accidente de tránsito")).to_have_attribute("data-status", "acknowledged")
    expect(two.locator("#unack-count")).to_have_text("0")
    screenshot(two, "control-dashboard-acknowledged-elsewhere")

    # The server both dashboards are connected to dies; reports keep arriving through the other process.
    site.kill(0)
    for page in (one, two):
        expect(page.locator("#live-status")).to_have_attribute("data-state", "reconnecting")
    post_report(other, site.api_key, lat=-36.7800, lon=-73.1000, description="Semáforo apagado lejos")
    post_report(other, site.api_key, lat=-36.8800, lon=-72.9900, description="Otro choque")
    screenshot(one, "control-dashboard-server-down")
    site.restart(0)
    for page in (one, two):
        expect(page.locator("#live-status")).to_have_attribute("data-state", "live", timeout=30000)
        expect(page.locator("#queue li")).to_have_count(3)
        expect(page.locator("#unack-count")).to_have_text("2")
        assert page.evaluate("window.__notReloaded") is True
        ids = page.evaluate("Array.from(window.mueveControl.incidents.keys())")
        assert len(ids) == len(set(ids)) == 3
    one.locator("#ctl-map").scroll_into_view_if_needed()
    screenshot(one, "control-dashboard-after-restart")

    # Detail panel: a triage error comes back in Spanish, beside the actions.
    one.locator("#queue li .ctl-item-open").first.click()
    one.get_by_role("button", name="Asignar", exact=True).click()
    expect(one.locator("#action-errors")).to_contain_text("Elija el organismo")
    screenshot(one, "control-dashboard-detail-error")
    one.context.close()
    two.context.close()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 860}, {"width": 360, "height": 740}])
def test_dashboard_has_no_wcag_violations(site, browser, viewport):
    # Checked here rather than in test_accessibility.py: the dashboard keeps its event stream open, which needs a
    # real ASGI server.
    context = browser.new_context(locale="es-CL", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(20000)
    _login(page, site.urls[0], "operadora-viva")
    add_axe(page)
    violations = page.evaluate(AXE_RUN, WCAG_TAGS)
    context.close()
    assert violations == [], [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_citizen_cannot_open_the_dashboard_or_stream(site, page):
    base = site.urls[1]
    page.goto(base + "/cuentas/entrar/?next=/control/")
    page.get_by_label("Usuario").fill("ciudadana-viva")
    page.get_by_label("Contraseña").fill(OPERATOR_PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    assert page.request.get(base + "/control/").status == 403
    assert page.request.get(base + "/tiempo-real/stream/?topics=control").status == 403
    page.goto(base + "/control/publico/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Incidentes en la ciudad")
    expect(page.locator("#public-list li").first).to_be_visible()
    screenshot(page, "control-public-map")
