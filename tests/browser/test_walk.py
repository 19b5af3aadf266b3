"""The foundation walk in real Chromium: a visitor reads, a program manager adds a challenge."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROGRAM = "smart-city-gran-concepcion"


def test_visitor_walk_then_manager_creates_a_challenge(demo_db, live_server, page):
    base = live_server.url

    page.goto(base + "/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "home")

    page.get_by_role("link", name=re.compile("Smart City Gran Concepción")).first.click()
    expect(page).to_have_url(re.compile(f"/programas/{PROGRAM}/$"))
    timeline = page.locator("svg.timeline-chart")
    expect(timeline).to_be_visible()
    expect(timeline.locator("title").first).to_have_text(re.compile(r"\S"))
    screenshot(page, "program")

    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Desafíos").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Desafíos"))
    vandalism = page.get_by_role("link", name=re.compile("vandalismo", re.I)).first
    expect(vandalism).to_be_visible()
    screenshot(page, "challenges")
    vandalism.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^¿.*\?$"))
    screenshot(page, "challenge")

    page.get_by_role("link", name="Entrar").click()
    page.get_by_label("Usuario").fill("gestora")
    page.get_by_label("Contraseña").fill("mueve2014")
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("link", name="Paula")).to_be_visible()

    page.goto(base + "/desafios/nuevo/")
    page.get_by_label("Programa").select_option(PROGRAM)
    title = page.get_by_label(re.compile("Desafío, formulado como pregunta"))
    title.fill("Faltan ciclovías seguras")  # not a question: the form must refuse it
    page.get_by_label("Institución dueña").select_option("municipalidad-concepcion")
    page.get_by_label(re.compile("Concreto")).check()
    page.get_by_role("button", name="Crear desafío").click()
    error = page.locator(".has-error .errorlist").first
    expect(error).to_contain_text("pregunta")
    expect(title).to_have_attribute("aria-invalid", "true")
    screenshot(page, "challenge-form-error")

    title.fill("¿Cómo hacer más seguras las ciclovías de Concepción?")
    page.get_by_role("button", name="Crear desafío").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("¿Cómo hacer más seguras las ciclovías de Concepción?")
    expect(page.get_by_role("status").first).to_be_visible()

    page.goto(base + "/desafios/")
    expect(page.get_by_role("link", name="¿Cómo hacer más seguras las ciclovías de Concepción?")).to_be_visible()

    api = page.request.get(base + "/api/v1/challenges/?page_size=200")
    assert api.ok
    titles = [item["title"] for item in api.json()["items"]]
    # A new challenge starts "identified": the manager sees it through their session, the public does not.
    assert "¿Cómo hacer más seguras las ciclovías de Concepción?" in titles
    public = page.context.browser.new_context().request.get(base + "/api/v1/challenges/?page_size=200").json()
    assert "¿Cómo hacer más seguras las ciclovías de Concepción?" not in [i["title"] for i in public["items"]]


@pytest.mark.parametrize(
    "path", ["/", f"/programas/{PROGRAM}/", "/desafios/", "/actores/", f"/actores/mapa/{PROGRAM}/", "/territorio/"]
)
def test_pages_fit_a_360px_phone(demo_db, live_server, phone_page, path):
    phone_page.goto(live_server.url + path)
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"
    screenshot(phone_page, "phone" + (path.strip("/").replace("/", "-") or "-home"))


def test_keyboard_user_can_skip_to_content(demo_db, live_server, page):
    page.goto(live_server.url + "/desafios/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Saltar al contenido")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_stakeholder_map_shows_matrix_chart_and_its_table(demo_db, live_server, page):
    page.goto(live_server.url + f"/actores/mapa/{PROGRAM}/")
    expect(page.get_by_role("heading", name="Sectores por componente")).to_be_visible()
    chart = page.get_by_role("img", name=re.compile("nter[eé]s", re.I)).first
    expect(chart).to_be_visible()
    table = page.locator("#tabla-interes-influencia")
    expect(table.locator("tbody tr").first).to_be_visible()
    assert table.locator("tbody tr").count() >= 20
    screenshot(page, "stakeholder-map")
    page.get_by_role("link", name="UOCT", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Control de Tránsito")
