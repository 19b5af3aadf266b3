"""Public registration for a workshop on a phone (360 px), in real Chromium, on the demo: the Temuco replica's vision
workshop is open to the public with three seats. A citizen signs up and sees "Inscrito/a"; once the seats are gone,
the next person joins the waiting list and the page says where they stand. Plain POST forms: no script needed."""

import pytest
from playwright.sync_api import expect

from mueve.accounts.models import User
from mueve.workshops import services
from mueve.workshops.models import Workshop
from tests.browser.conftest import add_axe, open_menu, screenshot

pytestmark = pytest.mark.browser
TITLE = "Taller de visión: el transporte de Temuco en 2025"
AXE_RUN = """async () => {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
}"""


@pytest.fixture
def transactional_db(demo_db_shared):
    """The live server's tests share the committed demo (`demo_db_shared`) instead of flushing it after each."""


@pytest.fixture(scope="module", autouse=True)
def site(live_server, demo_db_shared) -> str:
    return live_server.url


def log_in(page, site: str, username: str, first_name: str) -> None:
    page.goto(site + "/cuentas/entrar/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill("mueve2014")
    page.get_by_role("button", name="Entrar").click()
    # The menu is opened on the page the login lands on, not on the login page while it is still leaving.
    page.wait_for_url(lambda url: "/cuentas/entrar/" not in url)
    page.wait_for_load_state()
    open_menu(page)
    expect(page.get_by_role("link", name=first_name)).to_be_visible()


def fits(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 360px"


def test_sign_up_on_a_phone_then_the_waiting_list(phone_page, site, browser):
    page = phone_page
    log_in(page, site, "ciudadana", "Camila")
    page.goto(site + "/talleres/?programa=muevett-temuco")
    page.get_by_role("link", name=TITLE).click()
    signup = page.locator("#inscripcion")
    expect(signup).to_contain_text("Quedan 3 cupos de 3.")
    fits(page)
    signup.get_by_role("button", name="Inscribirme").click()

    expect(page.get_by_role("status").filter(has_text="Quedó inscrito/a en el taller.")).to_be_visible()
    signup = page.locator("#inscripcion")
    expect(signup.locator(".ws-my-status")).to_contain_text("Inscrito/a")
    expect(signup).to_contain_text("Quedan 2 cupos de 3.")
    expect(signup.get_by_role("button", name="Cancelar mi inscripción")).to_be_visible()
    fits(page)
    add_axe(page)
    assert page.evaluate(AXE_RUN) == []
    screenshot(page, "workshop-registration-confirmed-360")

    # Two more people take the last seats; the next one is offered the waiting list.
    workshop = Workshop.objects.get(program__slug="muevett-temuco", title=TITLE)
    for username in ("emprendedora", "funcionario"):
        services.workshop_register(workshop=workshop, user=User.objects.get(username=username))
    other = browser.new_context(locale="es-CL", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    try:
        late = other.new_page()
        late.set_default_timeout(15000)
        log_in(late, site, "mentor", "Mario")
        late.goto(site + f"/talleres/{workshop.slug}/")
        signup = late.locator("#inscripcion")
        expect(signup).to_contain_text("Cupos llenos (3 de 3).")
        signup.get_by_role("button", name="Unirme a la lista de espera").click()
        expect(late.get_by_role("status").filter(has_text="quedó en la lista de espera")).to_be_visible()
        expect(late.locator("#inscripcion .ws-my-status")).to_contain_text("Está en la lista de espera (lugar 1).")
        expect(late.locator("#inscripcion")).to_contain_text("Lista de espera: 1 persona")
        fits(late)
        screenshot(late, "workshop-registration-waitlist-360")
    finally:
        other.close()
