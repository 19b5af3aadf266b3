"""The catalog's governance pages on a phone (360 px) in real Chromium: nothing wider than the screen, one h1, no
axe-core (WCAG 2.1 A/AA) violation; the public, a party and the manager each see what they should."""

import pytest
from playwright.sync_api import expect

from mueve.datasets.models import Agreement
from mueve.demo.accounts import DEMO_PASSWORD
from tests.browser.conftest import add_axe, screenshot

pytestmark = pytest.mark.browser

AXE_RUN = """async () => {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
}"""


@pytest.fixture
def transactional_db(demo_db_shared):
    """The module's tests only read the demo: they share one copy (see tests/browser/test_accessibility.py)."""


@pytest.fixture(scope="module", autouse=True)
def site(live_server, demo_db_shared) -> str:
    return live_server.url


def _phone(browser, storage_state=None):
    context = browser.new_context(
        locale="es-CL", viewport={"width": 360, "height": 740}, is_mobile=True, storage_state=storage_state
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def _signed_in_state(browser, site, username, first_name):
    """Cookies of a demo account, signed in once through the login form (at desktop width, menu open)."""
    context = browser.new_context(locale="es-CL")
    page = context.new_page()
    page.goto(site + "/cuentas/entrar/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("link", name=first_name)).to_be_visible()
    state = context.storage_state()
    context.close()
    return state


def _fits_and_passes_axe(page, name):
    expect(page.locator("h1")).to_have_count(1)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width > 360:
        pytest.fail(f"{name} is {width} px wide at 360 px (screenshot: {screenshot(page, name)})", pytrace=False)
    add_axe(page)
    violations = page.evaluate(AXE_RUN)
    assert not violations, f"{name}: {violations}"


def test_public_governance_pages_fit_a_phone_and_hide_the_signed_document(browser, site):
    agreement = Agreement.objects.get(title__startswith="Convenio UOCT")
    context, page = _phone(browser)
    try:
        page.goto(site + "/datos/gobernanza/")
        expect(page.get_by_role("heading", name="Política de datos abiertos del Gran Concepción")).to_be_visible()
        _fits_and_passes_axe(page, "gobernanza-360")
        expect(page.get_by_role("link", name="Todos los convenios, también los vencidos y revocados")).to_be_visible()
        page.goto(site + "/datos/convenios/")
        expect(page.get_by_role("cell", name="Vencido")).to_be_visible()
        _fits_and_passes_axe(page, "convenios-360")
        page.goto(f"{site}/datos/convenios/{agreement.pk}/")
        expect(page.get_by_text("disponible para las partes del convenio")).to_be_visible()
        expect(page.get_by_role("link", name="Descargar el documento firmado (PDF)")).to_have_count(0)
        _fits_and_passes_axe(page, "convenio-360")
    finally:
        context.close()


def test_the_manager_sees_the_document_the_transitions_and_the_access_log(browser, site):
    agreement = Agreement.objects.get(title__startswith="Convenio UOCT")
    dataset = agreement.datasets.get()
    context, page = _phone(browser, _signed_in_state(browser, site, "gestora", "Paula"))
    try:
        page.goto(f"{site}/datos/convenios/{agreement.pk}/")
        expect(page.get_by_role("link", name="Descargar el documento firmado (PDF)")).to_be_visible()
        expect(page.get_by_role("button", name="Revocar el convenio")).to_be_visible()
        _fits_and_passes_axe(page, "convenio-gestora-360")
        page.goto(f"{site}/datos/{dataset.slug}/accesos/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Registro de accesos")
        _fits_and_passes_axe(page, "accesos-360")
        page.goto(f"{site}/datos/gobernanza/politica/nueva/?programa=smart-city-gran-concepcion")
        page.get_by_label("Versión").fill("1.0")
        page.get_by_role("button", name="Publicar").click()
        expect(page.locator("#form-errors")).to_contain_text("Esa versión ya fue publicada")
        _fits_and_passes_axe(page, "politica-nueva-360")
    finally:
        context.close()
