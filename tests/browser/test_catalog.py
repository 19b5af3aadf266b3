"""The catalog on a phone (360 px): search, choose a facet, open a dataset, by keyboard; axe finds no WCAG
violation on the search page or the dataset page."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import add_axe, screenshot
from tests.browser.test_accessibility import AXE_RUN, WCAG_TAGS

pytestmark = pytest.mark.browser


@pytest.fixture
def transactional_db(demo_db_shared):
    """The module's tests only read the demo: they share it (see tests/conftest.py `demo_db_shared`)."""


@pytest.fixture(scope="module", autouse=True)
def site(live_server, demo_db_shared) -> str:
    return live_server.url


def _no_violations(page, name: str) -> None:
    add_axe(page)
    violations = page.evaluate(AXE_RUN, WCAG_TAGS)
    if violations:
        path = screenshot(page, f"catalog-{name}")
        pytest.fail(f"{name}: {violations} (screenshot: {path})", pytrace=False)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{name} is {width} px wide at 360 px"


def test_search_with_a_facet_and_open_a_dataset_by_keyboard(phone_page, site):
    page = phone_page
    page.goto(site + "/datos/")
    expect(page.get_by_role("heading", level=1, name="Catálogo de datos")).to_be_visible()
    _no_violations(page, "search")

    # Type a query without accents, then tick a publisher facet, all from the keyboard.
    page.get_by_label("Buscar", exact=True).fill("paraderos")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=paraderos**")
    found = page.locator(".results h3 a").all_inner_texts()
    assert "Recorridos y paraderos del transporte público mayor" in found
    assert "Registro de incidentes de tránsito del centro de control" not in found
    page.goto(site + "/datos/")
    facet = page.get_by_role("group", name="Tema").get_by_label("Transporte")
    facet.focus()
    page.keyboard.press("Space")
    expect(facet).to_be_checked()
    page.get_by_role("button", name="Aplicar filtros").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**tema=TRAN**")
    expect(page.get_by_role("group", name="Tema").get_by_label("Transporte")).to_be_checked()
    results = page.locator(".results h3 a")
    titles = results.all_inner_texts()
    assert "Recorridos y paraderos del transporte público mayor" in titles
    assert "Registro de incidentes de tránsito del centro de control" not in titles
    _no_violations(page, "search-facet")

    # Reach the dataset's link with Tab and follow it with Enter.
    link = page.get_by_role("link", name="Recorridos y paraderos del transporte público mayor")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent") == link.inner_text():
            break
    else:
        pytest.fail("the dataset's link is not reachable with Tab")
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", level=1, name="Recorridos y paraderos del transporte público mayor")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Distribución de «paraderos» (10 valores)")).to_be_visible()
    expect(page.get_by_role("link", name="Descargar Paraderos por comuna (tabla)")).to_be_visible()
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    _no_violations(page, "dataset")
