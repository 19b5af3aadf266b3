"""Accessibility in real Chromium: axe-core (WCAG 2.1 A and AA) on every kind of page, at desktop and phone widths,
plus what axe cannot judge by itself: the language switch by keyboard, one h1 and a <main>, a visible focus ring.

axe-core is vendored for the tests only (tests/browser/vendor/, see its README) and injected into each page.

The demo is loaded once for the whole module (these tests only read, or submit forms that must change nothing):
pytest-django's live server asks every test for `transactional_db`, which would flush and reload the demo for each of
the ~40 checks, so this module overrides that fixture with one that reuses the module's database (see `demo_db_shared`).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mueve.challenges.models import PUBLIC_STATUSES, Challenge
from mueve.demo.accounts import DEMO_PASSWORD
from tests.browser.conftest import add_axe, screenshot

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PROGRAM = "smart-city-gran-concepcion"
MANAGER = "gestora"
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
}

AXE_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary, html: n.html})),
  }));
}"""


# --- one demo for the whole module --------------------------------------------------------------------------------


@pytest.fixture
def transactional_db(demo_db_shared):
    """Overrides pytest-django's fixture for this module only: the live server's tests share `demo_db_shared`."""


@pytest.fixture(scope="module", autouse=True)
def site(live_server, demo_db_shared) -> str:
    """The live server's address. Autouse, so pytest starts the live server before the browser and, when this module
    runs first, before the test database: request threads then get their own connections to the in-memory database
    (as in test_walk.py), and at the session's end the browser closes before the server stops. Otherwise a request
    thread still open on a keep-alive connection closes the main thread's shared connection after the server has
    stopped sharing it, and Django warns ("DatabaseWrapper objects created in a thread ...")."""
    return live_server.url


@pytest.fixture(scope="module")
def challenge_path(demo_db_shared) -> str:
    challenge = Challenge.objects.filter(status__in=PUBLIC_STATUSES).order_by("pk").first()
    return f"/desafios/{challenge.slug}/"


@pytest.fixture(scope="module")
def manager_state(browser, site):
    """Cookies of the demo manager, logged in once through the login form."""
    context = browser.new_context(locale="es-CL")
    page = context.new_page()
    page.goto(site + "/cuentas/entrar/")
    page.get_by_label("Usuario").fill(MANAGER)
    page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("link", name="Paula")).to_be_visible()
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture
def open_page(browser, site, manager_state):
    """open_page(viewport, as_manager=False) -> a fresh Playwright page of that size."""
    contexts = []

    def open_(viewport: str, *, as_manager: bool = False):
        options = dict(VIEWPORTS[viewport], locale="es-CL")
        if as_manager:
            options["storage_state"] = manager_state
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield open_
    for context in contexts:
        context.close()


# --- the pages ----------------------------------------------------------------------------------------------------


def _filter_error_shown(page):
    expect(page.locator(".filters .has-error .errorlist").first).to_be_visible()


def _fail_login(page):
    page.get_by_label("Usuario").fill(MANAGER)
    page.get_by_label("Contraseña").fill("no-es-la-clave")
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("alert")).to_be_visible()


def _submit_empty_challenge(page):
    page.get_by_role("button", name="Crear desafío").click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator(".has-error").first).to_be_visible()


def _import_bad_csv(page):
    bad = "name,sector,level\nUnidad sin sector,,regional\n,private,nivel-inventado\n"
    page.get_by_label("Archivo CSV").set_input_files(
        files=[{"name": "organizaciones.csv", "mimeType": "text/csv", "buffer": bad.encode()}]
    )
    page.get_by_role("button", name="Importar").click()
    expect(page.get_by_role("alert")).to_contain_text("No se importó nada")


@dataclass(frozen=True)
class Visit:
    name: str
    path: str
    as_manager: bool = False
    then: Callable | None = field(default=None, compare=False)  # on the loaded page, before checking it
    # Checked at 1280 px too: the page lays itself out differently there (side-by-side columns, a map or a chart
    # that grows, wide tables). Every page is checked at 360 px.
    wide: bool = False


PAGES = [
    Visit("home", "/", wide=True),
    Visit("programs", "/programas/"),
    Visit("program", f"/programas/{PROGRAM}/", wide=True),
    Visit("program-activity", f"/programas/{PROGRAM}/actividad/"),
    Visit("challenges", "/desafios/", wide=True),
    Visit("challenge", "{challenge}"),
    Visit("challenges-bad-filter", "/desafios/?status=nonsense", then=_filter_error_shown),
    Visit("interviews", "/desafios/entrevistas/", as_manager=True),
    Visit("stakeholders", "/actores/"),
    Visit("stakeholder", "/actores/uoct/"),
    Visit("stakeholder-map", f"/actores/mapa/{PROGRAM}/", wide=True),
    Visit("territory", "/territorio/", wide=True),
    Visit("not-found", "/desafios/no-existe/"),
    Visit("login", "/cuentas/entrar/"),
    Visit("login-failed", "/cuentas/entrar/", then=_fail_login),
    Visit("program-as-manager", f"/programas/{PROGRAM}/", as_manager=True, wide=True),
    Visit("challenge-as-manager", "{challenge}", as_manager=True),
    Visit("challenge-create", "/desafios/nuevo/", as_manager=True),
    Visit("challenge-create-errors", "/desafios/nuevo/", as_manager=True, then=_submit_empty_challenge),
    Visit("stakeholder-import", "/actores/importar/", as_manager=True),
    Visit("stakeholder-import-errors", "/actores/importar/", as_manager=True, then=_import_bad_csv),
    Visit("program-create", "/programas/nuevo/", as_manager=True),
    Visit("ministry", "/ministerio/", as_manager=True, wide=True),
    Visit("toolkit", "/programas/plantillas/innovacion-abierta-4c/guia/", wide=True),
    Visit("govlab", f"/programas/{PROGRAM}/govlab/"),
    Visit("govlab-as-manager", f"/programas/{PROGRAM}/govlab/", as_manager=True, wide=True),
    Visit("government-award", "/competencias/premio-innovacion-gobierno/"),
    Visit("workshops", "/talleres/"),
    Visit("swot", f"/talleres/programa/{PROGRAM}/foda/", wide=True),
    Visit("roadmap", f"/talleres/programa/{PROGRAM}/hoja-de-ruta/", wide=True),
    Visit("progress", f"/talleres/programa/{PROGRAM}/avance/", wide=True),
    Visit("program-report", f"/talleres/programa/{PROGRAM}/informe/", as_manager=True, wide=True),
    Visit("colectivos", "/colectivo/"),
    Visit("colectivo-line", "/colectivo/11-collao/", wide=True),
    Visit("colectivo-terminal", "/colectivo/terminal/11-collao/", as_manager=True, wide=True),
    Visit("datasets", "/datos/"),
    Visit("competitions", "/competencias/"),
    Visit("competition", "/competencias/muevett-2014/"),
    Visit("competition-results", "/competencias/muevett-2014/resultados/", wide=True),
    Visit("competition-manage", "/competencias/muevett-2014/gestion/", as_manager=True, wide=True),
    Visit("reports-home", "/reportes/"),
    Visit("report-new", "/reportes/nuevo/", wide=True),
    Visit("developers", "/reportes/desarrolladores/"),
    Visit("public-incident-map", "/control/publico/", wide=True),
    # The live dashboard keeps an event stream open, which the test server cannot end: it is checked with axe in
    # tests/browser/test_control.py against a real uvicorn server.
    Visit("control-statistics", "/control/estadisticas/", as_manager=True, wide=True),
    Visit("transit", "/transporte/"),
    Visit("trip-planner", "/transporte/planificar/", wide=True),
    Visit("despierta", "/transporte/despierta/"),
    Visit("transit-route", "/transporte/gran-concepcion-ilustrativo/rutas/10/"),
    Visit("transit-stop", "/transporte/gran-concepcion-ilustrativo/paradas/10-03/", wide=True),
]


def _report(name: str, violations: list[dict], structure: list[str]) -> str:
    lines = [f"{name}: {len(violations)} axe violation(s), {len(structure)} structure problem(s)"]
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}] {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"    {node['target']}: {node['html'][:160]}")
            lines.extend(f"      {line}" for line in node["summary"].splitlines())
    lines.extend(f"- {problem}" for problem in structure)
    return "\n".join(lines)


CHECKS = [(visit, "phone") for visit in PAGES] + [(visit, "desktop") for visit in PAGES if visit.wide]


@pytest.mark.parametrize(("target", "viewport"), CHECKS, ids=[f"{visit.name}-{viewport}" for visit, viewport in CHECKS])
def test_page_has_no_wcag_violations(open_page, site, challenge_path, target, viewport):
    page = open_page(viewport, as_manager=target.as_manager)
    response = page.goto(site + target.path.format(challenge=challenge_path))
    assert response.status < 500
    if target.then:
        target.then(page)

    # axe skips what is hidden: open the disclosures (e.g. "Ver el cronograma como tabla") so their content counts.
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    add_axe(page)
    violations = page.evaluate(AXE_RUN, WCAG_TAGS)

    structure = []
    if (h1s := page.locator("h1").count()) != 1:
        structure.append(f"expected exactly one <h1>, found {h1s}")
    if (mains := page.locator("main").count()) != 1:
        structure.append(f"expected exactly one <main>, found {mains}")
    elif page.locator("main h1").count() != 1:
        structure.append("the <h1> is not inside <main>")

    if violations or structure:
        path = screenshot(page, f"a11y-{target.name}-{viewport}")
        pytest.fail(_report(f"{target.name} at {viewport} (screenshot: {path})", violations, structure), pytrace=False)


@pytest.mark.parametrize("target", PAGES, ids=[visit.name for visit in PAGES])
def test_page_fits_a_phone_screen(open_page, site, challenge_path, target):
    """At 360 px nothing widens the page past the screen: a wide table scrolls inside its own box, a long word
    wraps. (A visually-hidden text in a table's last column once made /desafios/entrevistas/ 788 px wide.)"""
    page = open_page("phone", as_manager=target.as_manager)
    response = page.goto(site + target.path.format(challenge=challenge_path))
    assert response.status < 500
    if target.then:
        target.then(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width > 360:
        path = screenshot(page, f"width-{target.name}-phone")
        wide = page.evaluate(WIDEST_ELEMENTS)
        pytest.fail(f"{target.name} is {width} px wide at 360 px (screenshot: {path}): {wide}", pytrace=False)


# The outermost elements reaching past the screen's right edge: where to look first.
WIDEST_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > 361 && el.parentElement.getBoundingClientRect().right <= 361)
  .slice(0, 5)
  .map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
             + ' ' + Math.round(el.getBoundingClientRect().width) + ' px')"""


# --- what axe cannot check on its own -----------------------------------------------------------------------------


def _tab_to(page, selector: str, limit: int = 20) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def test_language_switch_works_by_keyboard_alone(open_page, site):
    page = open_page("desktop")
    page.goto(site + "/desafios/")
    expect(page.locator("html")).to_have_attribute("lang", "es")

    _tab_to(page, "#lang-select")
    page.keyboard.press("ArrowDown")  # a closed <select> changes its value with the arrow keys
    expect(page.locator("#lang-select")).to_have_value("en")
    _tab_to(page, ".lang-form button", limit=1)
    page.keyboard.press("Enter")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/desafios/$"))  # back on the same page
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Challenges")).to_be_visible()

    _tab_to(page, "#lang-select")
    page.keyboard.press("ArrowUp")
    _tab_to(page, ".lang-form button", limit=1)
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "es")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_focus_is_visible_on_the_first_link_after_tab(open_page, site, viewport):
    page = open_page(viewport)
    page.goto(site + "/")
    page.keyboard.press("Tab")
    first = page.locator(":focus")
    expect(first).to_have_attribute("href", "#main")  # the skip link comes first
    focus = first.evaluate(
        """el => {
          const s = getComputedStyle(el), box = el.getBoundingClientRect();
          // How far the ring reaches beyond the element's box (0 when it is drawn inside).
          const reach = Math.max(0, parseFloat(s.outlineOffset) + parseFloat(s.outlineWidth));
          return {visible: el.matches(':focus-visible'), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
                  color: s.outlineColor, left: box.left - reach, top: box.top - reach, right: box.right + reach,
                  bottom: box.bottom + reach};
        }"""
    )
    assert focus["visible"], "the focused link does not match :focus-visible"
    assert focus["style"] == "solid" and focus["width"] >= 2, f"no visible outline on focus: {focus}"
    assert focus["color"] == "rgb(255, 191, 71)", f"focus outline is not the focus colour: {focus}"
    size = page.viewport_size
    inside = focus["left"] >= 0 and focus["top"] >= 0 and focus["right"] <= size["width"]
    assert inside and focus["bottom"] <= size["height"], f"the focus ring is cut off by the window: {focus}"

    page.keyboard.press("Tab")  # and the next one, a plain link in the header
    outline = page.locator(":focus").evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"


@pytest.mark.parametrize("path", ["/control/publico/", "/transporte/planificar/"])
def test_the_map_credits_are_links_that_do_not_rely_on_colour(open_page, site, path):
    """Leaflet's credit line ("Leaflet | © OpenStreetMap") links in pale blue on grey. axe checks it only when it can
    tell the background, which markers and tiles arriving under it change from one run to the next: this checks it
    every time, on the public incident map and on a transit map."""
    page = open_page("phone")
    page.goto(site + path)
    links = page.locator(".leaflet-control-attribution a")
    expect(links.first).to_be_visible()
    styles = links.evaluate_all("els => els.map(el => getComputedStyle(el).textDecorationLine)")
    assert styles and all("underline" in style for style in styles), styles
    strip = page.locator(".leaflet-control-attribution").evaluate("el => getComputedStyle(el).backgroundColor")
    assert strip == "rgba(255, 255, 255, 0.9)"  # the strip behind them hides the map a little more than Leaflet's
