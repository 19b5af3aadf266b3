"""The national unit opens Valparaíso in real Chromium, on the demo: from the programmes page through the wizard's
steps (a GeoJSON file with two areas, the programme from the demo's template, Gran Concepción's catalogue with its
agencies replaced, a manager invited) to the new programme. The invitation reaches a real SMTP server; the manager
follows its link, chooses her password, logs in, sees only Valparaíso's programme and schedules its first workshop.
Plain forms: no script needed."""

import json
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from mueve.accounts.models import RoleScope
from mueve.programs.models import Program
from mueve.workshops.models import Workshop
from tests.browser.conftest import add_axe, screenshot
from tests.mail import links

pytestmark = pytest.mark.browser
AXE_RUN = """async () => {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
}"""
EMAIL = "marta.navegador@example.org"
PASSWORD = "valparaiso-ascensor-1883"


@pytest.fixture
def transactional_db(demo_db_shared):
    """The live server's tests share the committed demo (`demo_db_shared`) instead of flushing it after each."""


@pytest.fixture(scope="module", autouse=True)
def site(live_server, demo_db_shared) -> str:
    return live_server.url


def _square(lon: float, lat: float, size: float = 0.02) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def areas_file(tmp_path):
    path = tmp_path / "valparaiso.geojson"
    features = [
        {"type": "Feature", "properties": {"name": "Valparaíso"}, "geometry": _square(-71.64, -33.06)},
        {"type": "Feature", "properties": {"name": "Viña del Mar"}, "geometry": _square(-71.56, -33.03)},
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def fits_a_phone(page) -> None:
    """The step reads at 360 px without scrolling sideways (long agency names in selects included). Measured after
    two animation frames: the page lays itself out again after the resize."""
    page.set_viewport_size({"width": 360, "height": 740})
    overflow = page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() =>"
        " done(document.documentElement.scrollWidth - window.innerWidth))))"
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 360px"


def log_in(page, site: str, login: str, password: str) -> None:
    page.goto(site + "/cuentas/entrar/")
    page.get_by_label("Usuario").fill(login)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url(lambda url: "/cuentas/entrar/" not in url)
    page.wait_for_load_state()


def test_the_national_unit_opens_valparaiso_and_its_manager_starts_work(
    page, browser, site, areas_file, smtp_server, settings
):
    settings.MUEVE_SITE_URL = site  # the invitation's link points at this server
    log_in(page, site, "gestora", "mueve2014")
    page.goto(site + "/programas/")
    page.get_by_role("link", name="Abrir una región").click()

    # 1. Territory.
    page.get_by_label("Nombre de la región").fill("Valparaíso")
    page.get_by_label("Identificador en la dirección web").fill("region-de-valparaiso")
    page.get_by_label("Tipo").select_option(label="Región")
    page.get_by_label("Latitud del centro").fill("-33.047")
    page.get_by_label("Longitud del centro").fill("-71.612")
    page.get_by_label("Áreas (archivo GeoJSON)").set_input_files(str(areas_file))
    page.get_by_role("button", name="Seguir: el programa").click()

    # 2. The programme, from the demo's template, named for the region.
    expect(page.get_by_label("Nombre del programa")).to_have_value("MueveTT Valparaíso")
    page.get_by_label("Fecha de inicio").fill("2027-03-01")
    page.get_by_label("Fecha de término").fill("2027-12-15")
    page.get_by_role("button", name="Seguir: el catálogo de reportes").click()

    # 3. Gran Concepción's catalogue; each agency's counterpart is proposed with Valparaíso's name.
    expect(page.get_by_label("Copiar el catálogo de")).to_have_value("gran-concepcion")
    expect(
        page.get_by_label(
            "Nombre del organismo nuevo que reemplaza a «Unidad Operativa de Control de Tránsito del Gran"
        )
    ).to_have_value("Unidad Operativa de Control de Tránsito de Valparaíso")
    fits_a_phone(page)
    add_axe(page)
    assert page.evaluate(AXE_RUN) == []
    page.get_by_role("button", name="Seguir: el equipo").click()

    # 4. A manager for the region.
    fits_a_phone(page)
    add_axe(page)
    assert page.evaluate(AXE_RUN) == []
    person = page.get_by_role("group", name="Persona 1")
    person.get_by_label("Correo").fill(EMAIL)
    person.get_by_label("Rol").select_option(label="Gestor/a de programa")
    page.get_by_role("button", name="Seguir: revisar").click()

    # 5. Review and open.
    expect(page.get_by_text(EMAIL)).to_contain_text("Gestor/a de programa")
    fits_a_phone(page)
    screenshot(page, "region-wizard-review")
    page.get_by_role("button", name="Abrir la región").click()
    expect(page.get_by_role("heading", level=1, name="MueveTT Valparaíso")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Región «Valparaíso» abierta")

    # The invited manager: e-mail, password, login.
    [mail] = smtp_server.wait_for(EMAIL)
    [link] = [link for link in links(mail) if "/cuentas/clave/recuperar/clave/" in link]
    assert urlsplit(link).netloc == urlsplit(site).netloc
    manager = browser.new_context(locale="es-CL", viewport={"width": 1280, "height": 900})
    try:
        her = manager.new_page()
        her.set_default_timeout(15000)
        her.goto(link)
        her.get_by_label(re.compile(r"^Nueva contraseña:?$")).fill(PASSWORD)
        her.get_by_label("Nueva contraseña (de nuevo)").fill(PASSWORD)
        her.get_by_role("button", name="Guardar la contraseña").click()
        her.wait_for_url(lambda url: "/recuperar/clave/" not in url)
        log_in(her, site, EMAIL, PASSWORD)
        assert RoleScope.objects.filter(user__email=EMAIL, jurisdiction__slug="region-de-valparaiso").exists()

        # Her programme is in the list (the other regions' public ones too, as for anyone) and she manages only it:
        # another region's workshop cannot be edited by her.
        her.goto(site + "/programas/")
        cards = her.locator(".cards > li", has_text="MueveTT Valparaíso")
        expect(cards).to_have_count(1)
        other = Workshop.objects.exclude(program__name="MueveTT Valparaíso").filter(program__is_public=True).first()
        response = her.request.get(site + f"/talleres/{other.slug}/editar/")
        assert response.status in (403, 404)

        # And schedules the first workshop of her programme.
        cards.get_by_role("link", name="MueveTT Valparaíso").click()
        expect(her.get_by_role("heading", level=1, name="MueveTT Valparaíso")).to_be_visible()
        her.goto(site + "/talleres/?programa=" + Program.objects.get(name="MueveTT Valparaíso").slug)
        her.get_by_role("link", name="Taller de codiseño con funcionarios locales y municipales").click()
        her.get_by_role("link", name="Editar taller").click()
        her.get_by_label(re.compile(r"^Inicio:?$")).fill("2027-03-10T09:00")
        her.get_by_label(re.compile(r"^Término:?$")).fill("2027-03-10T17:00")
        her.get_by_label(re.compile(r"^Dirección:?$")).fill("Valparaíso, sede por confirmar")
        her.get_by_label(re.compile(r"^Estado:?$")).select_option(label="Convocado")
        her.get_by_role("button", name="Guardar").click()
        expect(her.get_by_role("status")).to_contain_text("Taller actualizado.")
        expect(her.get_by_role("heading", level=1)).to_have_text(
            "Taller de codiseño con funcionarios locales y municipales"
        )
        screenshot(her, "region-wizard-first-workshop")
        # The ministry's view is the national unit's: not hers.
        assert her.request.get(site + "/ministerio/").status == 403
    finally:
        manager.close()

    # The national unit's view now has the new region beside the others.
    page.goto(site + "/ministerio/")
    for region in ("MueveTT Valparaíso", "Smart City Gran Concepción", "MueveTT Temuco"):
        expect(page.get_by_role("row", name=re.compile(region)).first).to_be_visible()
    screenshot(page, "region-wizard-ministry")
