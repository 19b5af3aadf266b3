"""The ministry's view in Chromium at 360 and 1280 px: it fits the screen, its wide table scrolls inside a region
the keyboard reaches, its charts show, and axe finds nothing. Screenshots go to test-artifacts/."""

import pytest
from playwright.sync_api import expect

from mueve.demo.accounts import DEMO_PASSWORD
from tests.browser.conftest import add_axe, screenshot
from tests.browser.test_accessibility import AXE_RUN, WCAG_TAGS

pytestmark = pytest.mark.browser

VIEWPORTS = {
    360: {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
    1280: {"viewport": {"width": 1280, "height": 900}},
}


@pytest.fixture
def transactional_db(demo_db_shared):
    """The module's tests only read: they share one committed demo (see tests/browser/test_accessibility.py)."""


@pytest.fixture(scope="module", autouse=True)
def site(live_server, demo_db_shared) -> str:
    return live_server.url


@pytest.fixture(scope="module")
def national_state(browser, site):
    """The demo's manager (no scope: the ministry's national unit), logged in through the login form once."""
    context = browser.new_context(locale="es-CL")
    page = context.new_page()
    page.goto(site + "/ministerio/")  # sent to log in, and back here afterwards
    page.get_by_label("Usuario").fill("gestora")
    page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vista del ministerio: programas por región")
    state = context.storage_state()
    context.close()
    return state


@pytest.mark.parametrize("width", VIEWPORTS)
def test_ministry_view_fits_scrolls_and_passes_axe(browser, site, national_state, width):
    context = browser.new_context(locale="es-CL", storage_state=national_state, **VIEWPORTS[width])
    page = context.new_page()
    page.goto(site + "/ministerio/")
    table = page.get_by_role("region", name="Resumen por programa")
    expect(table).to_be_visible()
    expect(table.get_by_role("link", name="Smart City Gran Concepción")).to_be_visible()
    expect(page.locator("figure.bar-chart svg")).to_have_count(8)
    screenshot(page, f"ministerio-{width}")

    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    if width == 360:  # the table is wider than the phone: it scrolls in its own box
        assert table.evaluate("el => el.scrollWidth > el.clientWidth")
    # The keyboard reaches the table's region, and the arrow keys scroll it.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('ministry-table')"):
            break
    else:
        raise AssertionError("the table's region is not reachable with Tab")
    if width == 360:
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.querySelector('.ministry-table').scrollLeft > 0")

    add_axe(page)
    violations = page.evaluate(AXE_RUN, WCAG_TAGS)
    assert violations == [], violations
    context.close()


@pytest.mark.parametrize("width", VIEWPORTS)
def test_toolkit_guide_fits_the_screen(browser, site, width):
    context = browser.new_context(locale="es-CL", **VIEWPORTS[width])
    page = context.new_page()
    page.goto(site + "/programas/plantillas/innovacion-abierta-4c/guia/")
    expect(page.get_by_role("heading", name="Modelos de documentos")).to_be_visible()
    screenshot(page, f"guia-{width}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    add_axe(page)
    assert page.evaluate(AXE_RUN, WCAG_TAGS) == []
    context.close()
