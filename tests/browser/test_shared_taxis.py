"""Tu Colectivo in real Chromium, two phones: a rider asks for seats from their GPS position, the driver's page sees
the demand, the car moves and the rider's ETA updates live, the driver confirms the boarding and the rider's page
says so. Then the terminal's page for an operator, and axe-core on the rider's page at 360 px."""

import re

import pytest
from playwright.sync_api import expect

from mueve.accounts.models import Role
from mueve.accounts.services import user_create
from mueve.shared_taxis.models import Car, CarState, SeatRequest
from mueve.transit.geometry import point_at
from tests.browser.conftest import add_axe, screenshot, without_live_streams
from tests.browser.test_accessibility import AXE_RUN, WCAG_TAGS
from tests.shared_taxis.conftest import PATH, make_line

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "una-clave-de-prueba"


def phone(browser, metres: float):
    lat, lon = point_at(PATH, metres)
    context = without_live_streams(
        browser.new_context(
            locale="es-CL",
            viewport={"width": 360, "height": 740},
            is_mobile=True,
            has_touch=True,
            permissions=["geolocation"],
            geolocation={"latitude": lat, "longitude": lon, "accuracy": 10},
        )
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def move(context, metres: float) -> tuple[float, float]:
    lat, lon = point_at(PATH, metres)
    context.set_geolocation({"latitude": lat, "longitude": lon, "accuracy": 10})
    return lat, lon


def login(page, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}/cuentas/entrar/?next={next_url}")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page).to_have_url(re.compile(re.escape(next_url) + "$"))


@pytest.fixture
def colectivo(transactional_db):
    line = make_line()
    driver = user_create(username="conductor", password=PASSWORD, role=Role.CITIZEN)
    car = Car.objects.create(line=line, plate="KXTR12", capacity=4, driver=driver)
    CarState.objects.create(car=car, status=CarState.Status.OFF, free_seats=4)
    user_create(username="operadora", password=PASSWORD, role=Role.OPERATOR)
    return line, car


def test_rider_requests_driver_sees_demand_eta_updates_live_and_boarding_is_confirmed(colectivo, live_server, browser):
    base = live_server.url
    line, car = colectivo
    driver_context, driver = phone(browser, 100)
    rider_context, rider = phone(browser, 1500)
    try:
        # The driver starts the run: the page reads the GPS and shares it with the state.
        login(driver, base, "conductor", "/colectivo/conductor/")
        driver.locator("select[name=status]").select_option("running")
        expect(driver.locator("input[name=lat]")).not_to_have_value("")
        driver.get_by_role("button", name="Compartir estado").click()
        expect(driver.locator("#ct-state")).to_have_text("en recorrido")
        expect(driver.locator("#ct-pickups")).to_contain_text("Nadie le espera adelante")

        # The rider asks for two seats from where the phone is.
        rider.goto(f"{base}/colectivo/{line.slug}/")
        rider.get_by_label("¿Cuántos asientos?").fill("2")
        rider.get_by_role("button", name="Usar mi ubicación (GPS)").click()
        expect(rider.locator("#ct-where")).to_have_text("Ubicación tomada del GPS.")
        rider.get_by_role("button", name="Pedir asiento").click()
        eta = rider.locator("#ct-eta")
        expect(eta).to_have_text(re.compile(r"^El auto KXTR12 llega en [345] min$"))
        first_eta = eta.text_content()
        expect(rider.locator("#ct-map path.leaflet-interactive[stroke='#1f6fb2']")).to_have_count(1)
        screenshot(rider, "colectivo-rider-waiting")

        # The driver's page sees the demand ahead without reloading.
        pickup = driver.locator("#ct-pickups li", has_text="2 asientos")
        expect(pickup).to_contain_text(re.compile(r"a 1\d{3} m"))
        screenshot(driver, "colectivo-driver-demand")

        # The car moves on: the rider's ETA follows live (the page is polling, not reloading).
        rider.evaluate("window.__same_page = true")
        lat, _ = move(driver_context, 1300)
        expect(driver.locator("input[name=lat]")).to_have_value(f"{lat:.6f}")
        driver.get_by_role("button", name="Compartir estado").click()
        expect(eta).to_have_text("El auto KXTR12 llega en 1 min")
        assert eta.text_content() != first_eta
        assert rider.evaluate("window.__same_page") is True
        expect(rider.locator("#ct-cars")).to_contain_text(re.compile(r"KXTR12 · a 2\d\d m · 1 min · su auto"))

        # The driver confirms the boarding: the rider's page says they are on board, and the seats are taken.
        move(driver_context, 1500)
        driver.locator("#ct-pickups li", has_text="2 asientos").get_by_role("button", name="Subió").click()
        expect(driver.locator("#ct-pickups")).to_contain_text("Nadie le espera adelante")
        expect(driver.locator("#ct-free")).to_have_text("2 asientos libres")
        expect(rider.get_by_role("status").filter(has_text="Su última solicitud: a bordo.")).to_be_visible()
        screenshot(rider, "colectivo-rider-boarded")
        boarded = SeatRequest.objects.get()
        assert boarded.status == "boarded" and boarded.lat is None and boarded.lon is None
    finally:
        driver_context.close()
        rider_context.close()


def test_a_rider_far_from_the_line_gets_a_spanish_error_and_nothing_is_stored(colectivo, live_server, browser):
    line, _ = colectivo
    context, page = phone(browser, 0)
    try:
        context.set_geolocation({"latitude": -36.8330, "longitude": -73.0420, "accuracy": 10})
        page.goto(f"{live_server.url}/colectivo/{line.slug}/")
        page.get_by_role("button", name="Usar mi ubicación (GPS)").click()
        expect(page.locator("#ct-where")).to_have_text("Ubicación tomada del GPS.")
        page.get_by_role("button", name="Pedir asiento").click()
        expect(page.get_by_role("alert")).to_contain_text("del recorrido de la línea Colectivo 11")
        assert SeatRequest.objects.count() == 0
        expect(page.locator("#ct-map path.leaflet-interactive[stroke='#1f6fb2']")).to_have_count(1)  # the line
        screenshot(page, "colectivo-rider-far")
        add_axe(page)
        violations = [v for v in page.evaluate(AXE_RUN, WCAG_TAGS) if v["impact"] in ("serious", "critical")]
        assert violations == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()


def test_the_terminal_recommends_sending_a_car_for_the_waiting_riders(colectivo, live_server, page):
    line, car = colectivo
    CarState.objects.filter(car=car).update(status=CarState.Status.QUEUED)
    login(page, live_server.url, "operadora", f"/colectivo/terminal/{line.slug}/")
    queue = page.locator("#ct-queue")
    expect(queue).to_contain_text("Esperar: no hay demanda para este auto")
    rider_context, rider = phone(page.context.browser, 1200)
    try:
        rider.goto(f"{live_server.url}/colectivo/{line.slug}/")
        rider.get_by_role("button", name="Usar mi ubicación (GPS)").click()
        expect(rider.locator("#ct-where")).to_have_text("Ubicación tomada del GPS.")
        rider.get_by_label("¿Cuántos asientos?").fill("2")
        rider.get_by_role("button", name="Pedir asiento").click()
        expect(rider.locator("#ct-eta")).to_have_text("Buscando un auto con asientos libres…")
    finally:
        rider_context.close()
    expect(queue.locator("tr", has_text="KXTR12")).to_contain_text("Salir ahora")
    expect(page.locator("#ct-demand")).to_contain_text("km 1–2")
    screenshot(page, "colectivo-terminal")
