"""Accessibility in real Chromium: axe-core (WCAG 2.1 A and AA) on every kind of page, at desktop and phone widths,
plus what axe cannot judge by itself: the language switch by keyboard, one h1 and a <main>, a visible focus ring.

axe-core is vendored for the tests only (tests/browser/vendor/, see its README) and injected into each page.

The demo is loaded once for the whole module (these tests only read, or submit forms that must change nothing):
pytest-django's live server asks every test for `transactional_db`, which would flush and reload the demo for each of
the ~40 checks, so this module overrides that fixture with one that reuses the module's database (see `demo_db`).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect

from mueve.challenges.models import PUBLIC_STATUSES, Challenge
from mueve.demo.accounts import DEMO_PASSWORD
from mueve.demo.loader import load_demo
from tests.browser.conftest import screenshot

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


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The demo in the test database for this module; emptied again afterwards, as TransactionTestCase would."""
    # The fast hasher tests/conftest.py sets for each test, here for the whole module (demo users, manager login).
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hashing:
        load_demo()
        try:
            yield
        finally:
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def transactional_db(demo_db):
    """Overrides pytest-django's fixture for this module only: the live server's tests share `demo_db`."""


@pytest.fixture(scope="module")
def site(live_server, demo_db) -> str:
    # live_server before demo_db, as in test_walk.py: started before the test database exists, the server gives each
    # request thread its own connection to the shared in-memory database instead of sharing the main thread's, which
    # Django checks when a late request thread closes it after the server has stopped (a warning at the session's end).
    return live_server.url


@pytest.fixture(scope="module")
def challenge_path(demo_db) -> str:
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
class Page:
    name: str
    path: str
    as_manager: bool = False
    then: object = field(default=None, compare=False)  # an action on the loaded page before checking it


PAGES = [
    Page("home", "/"),
    Page("programs", "/programas/"),
    Page("program", f"/programas/{PROGRAM}/"),
    Page("program-activity", f"/programas/{PROGRAM}/actividad/"),
    Page("challenges", "/desafios/"),
    Page("challenge", "{challenge}"),
    Page("challenges-bad-filter", "/desafios/?status=nonsense"),
    Page("stakeholders", "/actores/"),
    Page("stakeholder", "/actores/uoct/"),
    Page("stakeholder-map", f"/actores/mapa/{PROGRAM}/"),
    Page("territory", "/territorio/"),
    Page("login", "/cuentas/entrar/"),
    Page("login-failed", "/cuentas/entrar/", then=_fail_login),
    Page("program-as-manager", f"/programas/{PROGRAM}/", as_manager=True),
    Page("challenge-as-manager", "{challenge}", as_manager=True),
    Page("challenge-create", "/desafios/nuevo/", as_manager=True),
    Page("challenge-create-errors", "/desafios/nuevo/", as_manager=True, then=_submit_empty_challenge),
    Page("stakeholder-import", "/actores/importar/", as_manager=True),
    Page("stakeholder-import-errors", "/actores/importar/", as_manager=True, then=_import_bad_csv),
    Page("program-create", "/programas/nuevo/", as_manager=True),
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


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("target", PAGES, ids=[p.name for p in PAGES])
def test_page_has_no_wcag_violations(open_page, site, challenge_path, target, viewport):
    page = open_page(viewport, as_manager=target.as_manager)
    response = page.goto(site + target.path.format(challenge=challenge_path))
    assert response.status < 500
    if target.then:
        target.then(page)

    # axe skips what is hidden: open the disclosures (e.g. "Ver el cronograma como tabla") so their content counts.
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.add_script_tag(path=str(AXE))
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
          return {visible: el.matches(':focus-visible'), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
                  color: s.outlineColor, left: box.left, top: box.top, right: box.right};
        }"""
    )
    assert focus["visible"], "the focused link does not match :focus-visible"
    assert focus["style"] == "solid" and focus["width"] >= 2, f"no visible outline on focus: {focus}"
    assert focus["color"] == "rgb(255, 191, 71)", f"focus outline is not the focus colour: {focus}"
    width = page.viewport_size["width"]
    assert focus["left"] >= 0 and focus["top"] >= 0 and focus["right"] <= width, f"focused link off-screen: {focus}"

    page.keyboard.press("Tab")  # and the next one, a plain link in the header
    outline = page.locator(":focus").evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"
