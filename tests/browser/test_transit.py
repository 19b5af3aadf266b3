"""Transit in real Chromium: Despierta with a faked position moving along a real route of the demo network, the
planner, axe-core on both pages, and the pages at 360 px."""

import re

import pytest
from playwright.sync_api import expect

from mueve.demo import transit as demo_transit
from mueve.transit import selectors
from mueve.transit.geometry import cumulative_m, point_at, project
from mueve.transit.models import Route
from tests.browser.conftest import add_axe, screenshot
from tests.browser.test_accessibility import AXE_RUN, WCAG_TAGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FEED = demo_transit.FEED_SLUG
# Records what the page says instead of speaking (headless Chromium has no voices).
RECORD_SPEECH = """
window.__spoken = [];
const fakeSynth = { speak: (u) => window.__spoken.push({text: u.text, lang: u.lang}), getVoices: () => [],
                    cancel: () => {}, speaking: false };
Object.defineProperty(window, 'speechSynthesis', { value: fakeSynth, configurable: true });
if (!window.SpeechSynthesisUtterance) {
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ''; };
}
window.__vibrations = 0;
navigator.vibrate = () => { window.__vibrations += 1; return true; };
"""
NEAR = re.compile(r"^Atención: faltan (\d+) metros para Mall Plaza Trébol\. Prepárese para bajar y pida la parada\.$")


@pytest.fixture
def demo(transactional_db):
    demo_transit.load()


def _axe(page) -> list:
    add_axe(page)
    return [v for v in page.evaluate(AXE_RUN, WCAG_TAGS) if v["impact"] in ("serious", "critical")]


def test_despierta_warns_once_200_m_before_the_destination_along_the_route(demo, live_server, browser):
    route = Route.objects.get(feed__slug=FEED, route_id="10")
    shape = selectors.route_main_shape(route)
    cum = cumulative_m(shape)
    trebol = route.feed.stops.get(name="Mall Plaza Trébol")
    dest_along = project(shape, trebol.lat, trebol.lon, cum).along_m
    start_along = dest_along - 1200
    lat, lon = point_at(shape, start_along, cum)

    context = browser.new_context(
        locale="es-CL",
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        permissions=["geolocation"],
        geolocation={"latitude": lat, "longitude": lon, "accuracy": 10},
    )
    context.add_init_script(RECORD_SPEECH)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(live_server.url + "/transporte/despierta/")
        page.get_by_label("Línea", exact=True).select_option(f"{FEED}|10")
        destination = page.get_by_label(re.compile("^Destino"))
        expect(destination).to_be_enabled()
        destination.select_option(label="Mall Plaza Trébol")
        page.get_by_label(re.compile("Avisarme a esta distancia")).fill("200")
        page.get_by_role("button", name="Empezar a seguir mi viaje").click()
        expect(page.get_by_role("button", name="Detener")).to_be_focused()
        # The first position arrives at once: the live region says how far along the route the destination is.
        expect(page.locator("#status")).to_have_text(re.compile(r"^Faltan 1,2 kilómetros para Mall Plaza Trébol\.$"))

        fired_at = None
        along = start_along
        while along < dest_along + 60:
            lat, lon = point_at(shape, along, cum)
            context.set_geolocation({"latitude": lat, "longitude": lon, "accuracy": 10})
            page.wait_for_function(
                "(a) => { const s = window.MueveDespierta.state(); return s && Math.abs(s.meAlong - a) < 3; }",
                arg=along,
            )
            spoken = page.evaluate("window.__spoken")
            if fired_at is None and any(NEAR.match(u["text"]) for u in spoken):
                fired_at = dest_along - along
            along += 20
        screenshot(page, "phone-transporte-despierta-llegada")

        spoken = page.evaluate("window.__spoken")
        near = [u for u in spoken if NEAR.match(u["text"])]
        assert len(near) == 1, spoken
        assert 150 <= fired_at <= 250, fired_at
        said = int(NEAR.match(near[0]["text"]).group(1))
        assert 150 <= said <= 250
        assert near[0]["lang"].startswith("es")
        arrive = [u for u in spoken if u["text"] == "Llegó a Mall Plaza Trébol. Baje aquí."]
        assert len(arrive) == 1, spoken
        assert len(spoken) == 2  # nothing else was said: no bus nearby, no repeats
        assert page.evaluate("window.__vibrations") == 2
        expect(page.get_by_role("alert").filter(has_text="Llegó a Mall Plaza Trébol")).to_be_visible()
        expect(page.locator("#status")).to_have_text("Llegó a Mall Plaza Trébol.")
    finally:
        context.close()


def test_despierta_explains_a_denied_location(demo, live_server, browser):
    context = browser.new_context(locale="es-CL", viewport={"width": 360, "height": 740})
    context.add_init_script(RECORD_SPEECH)
    page = context.new_page()
    try:
        page.goto(live_server.url + f"/transporte/despierta/?ruta={FEED}|20")
        destination = page.get_by_label(re.compile("^Destino"))
        expect(destination).to_be_enabled()
        destination.select_option(label="Puente Llacolén")
        page.get_by_role("button", name="Empezar a seguir mi viaje").click()
        expect(page.locator("#status")).to_contain_text("Sin permiso para conocer su ubicación")
        expect(page.get_by_role("button", name="Empezar a seguir mi viaje")).to_be_visible()
    finally:
        context.close()


def test_transit_pages_pass_axe_and_fit_a_phone(demo, live_server, phone_page):
    for path, name in (
        ("/transporte/despierta/", "despierta"),
        ("/transporte/planificar/", "planificar"),
        ("/transporte/", "inicio"),
        (f"/transporte/{FEED}/rutas/10/", "ruta-10"),
    ):
        phone_page.goto(live_server.url + path)
        overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"
        screenshot(phone_page, f"phone-transporte-{name}")
        assert _axe(phone_page) == [], path


def test_planner_finds_a_trip_by_tapping_the_map_free_text(demo, live_server, phone_page):
    page = phone_page
    page.goto(live_server.url + "/transporte/planificar/")
    page.get_by_role("combobox", name="Desde").fill("-36.7249, -73.1168")
    page.get_by_role("combobox", name="Hasta").fill("-36.8460, -73.1120")
    page.get_by_label("Salir entre las").fill("08:00")
    page.get_by_label("y las").fill("08:30")
    page.get_by_label("Día").fill("2026-11-30")
    page.get_by_role("button", name="Buscar viajes").click()
    results = page.locator("#resultados")
    expect(results).to_contain_text("tome la línea 10")
    expect(results).to_contain_text("tome la línea 20")
    screenshot(page, "phone-transporte-planificar-resultados")
    assert _axe(page) == []


def test_manager_draws_a_hail_anywhere_route_and_publishes_it(demo, live_server, browser, make_user):
    from tests.conftest import PASSWORD

    manager = make_user("manager")
    context = browser.new_context(
        locale="es-CL", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(live_server.url + "/cuentas/entrar/?next=/transporte/gestion/")
        page.get_by_label("Usuario").fill(manager.username)
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Entrar").click()
        page.get_by_label("Nombre del feed").fill("Micros de Lota (prueba)")
        page.get_by_role("button", name="Crear feed").click()
        page.get_by_role("link", name="Dibujar una ruta").click()
        drawing = page.locator("#builder-map")
        for x, y in ((60, 80), (150, 160), (240, 250), (300, 320)):
            drawing.click(position={"x": x, "y": y})
        page.get_by_role("button", name="Deshacer último punto").click()
        drawing.click(position={"x": 290, "y": 300})
        page.get_by_label("Nombre del punto de referencia").fill("Plaza de Lota")
        page.get_by_role("button", name="Punto de referencia").click()
        drawing.click(position={"x": 150, "y": 150})
        expect(
            page.get_by_role("status").filter(has_text="4 puntos del recorrido, 1 punto de referencia")
        ).to_be_visible()
        page.get_by_label("Número o letra de la línea").fill("L1")
        page.get_by_label("Nombre del recorrido").fill("Lota – Coronel")
        screenshot(page, "phone-transporte-constructor")
        page.get_by_role("button", name="Guardar y publicar el feed").click()
        expect(page.get_by_role("status").first).to_contain_text("feed publicado")
        expect(page.get_by_text("Importado", exact=True)).to_be_visible()
        screenshot(page, "phone-transporte-gestion-feed")
        route = Route.objects.get(feed__name="Micros de Lota (prueba)")
        assert route.hail_anywhere and route.long_name == "Lota – Coronel"
        assert list(route.feed.stops.values_list("name", flat=True).order_by("stop_id"))[1] == "Plaza de Lota"
    finally:
        context.close()


def test_despierta_lets_the_planner_pick_the_line_for_a_searched_stop(demo, live_server, browser):
    route = Route.objects.get(feed__slug=FEED, route_id="20")
    shape = selectors.route_main_shape(route)
    lat, lon = point_at(shape, 300, cumulative_m(shape))  # on line 20, just out of Plaza Independencia
    context = browser.new_context(
        locale="es-CL",
        timezone_id="America/Santiago",
        viewport={"width": 360, "height": 740},
        permissions=["geolocation"],
        geolocation={"latitude": lat, "longitude": lon, "accuracy": 10},
    )
    context.add_init_script(RECORD_SPEECH)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.clock.set_fixed_time("2026-11-30T08:00:00-03:00")  # a Monday morning: line 20 runs every 8 minutes
    try:
        page.goto(live_server.url + "/transporte/despierta/")
        page.get_by_label("Buscar una parada por nombre").fill("llacol")
        page.get_by_role("button", name="Puente Llacolén").click()
        expect(page.locator("#status")).to_contain_text("Ya Voy elegirá la línea")
        page.get_by_role("button", name="Empezar a seguir mi viaje").click()
        expect(page.locator("#status")).to_contain_text("Puente Llacolén")
        expect(page.get_by_label("Línea", exact=True)).to_have_value(f"{FEED}|20")
        expect(page.get_by_role("button", name="Detener")).to_be_visible()
    finally:
        context.close()


def test_despierta_says_your_bus_is_coming(demo, live_server, browser):
    from django.utils import timezone

    from mueve.transit.models import VehiclePosition

    route = Route.objects.get(feed__slug=FEED, route_id="10")
    shape = selectors.route_main_shape(route)
    cum = cumulative_m(shape)
    rider = point_at(shape, 3000, cum)
    bus = point_at(shape, 2600, cum)  # 400 m before the rider, coming towards them
    behind = point_at(shape, 3500, cum)  # already passed: must not be announced
    now = timezone.now()
    for vid, (lat, lon) in (("bus-a", bus), ("bus-b", behind)):
        VehiclePosition.objects.create(feed=route.feed, vehicle_id=vid, route=route, lat=lat, lon=lon, timestamp=now)
    context = browser.new_context(
        locale="es-CL",
        viewport={"width": 360, "height": 740},
        permissions=["geolocation"],
        geolocation={"latitude": rider[0], "longitude": rider[1], "accuracy": 15},
    )
    context.add_init_script(RECORD_SPEECH)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(live_server.url + f"/transporte/despierta/?ruta={FEED}|10")
        destination = page.get_by_label(re.compile("^Destino"))
        expect(destination).to_be_enabled()
        destination.select_option(label="Plaza de Talcahuano")
        page.get_by_role("button", name="Empezar a seguir mi viaje").click()
        expect(page.get_by_role("alert").filter(has_text="Viene un bus")).to_be_visible()
        spoken = [u["text"] for u in page.evaluate("window.__spoken")]
        assert spoken == ["Viene un bus de la línea 10, a unos 400 metros. Hágale señas para que se detenga."]
    finally:
        context.close()


def test_planner_place_combobox_by_keyboard_at_360_px(demo, live_server, phone_page):
    from mueve.demo import territory as demo_territory

    demo_territory.load()
    page = phone_page
    page.goto(live_server.url + "/transporte/planificar/")
    origin = page.get_by_role("combobox", name="Desde")
    expect(origin).to_have_attribute("aria-expanded", "false")
    origin.click()
    origin.press_sequentially("trebol")
    listbox = page.get_by_role("listbox", name="Lugares para «Desde»")
    expect(listbox).to_be_visible()
    expect(origin).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option").first).to_contain_text("Mall Plaza Trébol")
    # The list fits the phone's width: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    box = listbox.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    screenshot(page, "phone-transporte-planificar-lista")
    page.keyboard.press("ArrowDown")
    expect(listbox.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    expect(origin).to_have_attribute("aria-activedescendant", re.compile(".+"))
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    expect(origin).to_have_value("Mall Plaza Trébol")
    expect(page.locator("#id_origin_ref")).to_have_value(re.compile(r"^-36\.79\d+,-73\.06\d+$"))

    destination = page.get_by_role("combobox", name="Hasta")
    destination.click()
    destination.press_sequentially("plaza indep")
    dest_list = page.get_by_role("listbox", name="Lugares para «Hasta»")
    expect(dest_list.get_by_role("option").first).to_contain_text("Plaza Independencia")
    page.keyboard.press("Escape")  # Escape closes the list and keeps the text
    expect(dest_list).to_be_hidden()
    expect(destination).to_have_value("plaza indep")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(destination).to_have_value("Plaza Independencia")
    page.get_by_label("Salir entre las").fill("08:00")
    page.get_by_label("y las").fill("08:30")
    page.get_by_label("Día").fill("2026-11-30")
    page.get_by_role("button", name="Buscar viajes").click()
    results = page.locator("#resultados")
    expect(results).to_contain_text("De Mall Plaza Trébol a Plaza Independencia")
    expect(results).to_contain_text("tome la línea 10")
    expect(page.get_by_role("combobox", name="Desde")).to_have_value("Mall Plaza Trébol")
    screenshot(page, "phone-transporte-planificar-lugares")
    assert _axe(page) == []


def test_despierta_keeps_its_state_on_screen_after_start_at_360_px(demo, live_server, browser):
    route = Route.objects.get(feed__slug=FEED, route_id="10")
    shape = selectors.route_main_shape(route)
    cum = cumulative_m(shape)
    trebol = route.feed.stops.get(name="Mall Plaza Trébol")
    lat, lon = point_at(shape, project(shape, trebol.lat, trebol.lon, cum).along_m - 1200, cum)
    context = browser.new_context(
        locale="es-CL",
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        permissions=["geolocation"],
        geolocation={"latitude": lat, "longitude": lon, "accuracy": 10},
    )
    context.add_init_script(RECORD_SPEECH)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(live_server.url + "/transporte/despierta/")
        expect(page.locator("body")).not_to_contain_text(re.compile(r"\b(tu|te|tú)\b"))  # usted, throughout
        page.get_by_label("Línea", exact=True).select_option(f"{FEED}|10")
        destination = page.get_by_label(re.compile("^Destino"))
        expect(destination).to_be_enabled()
        destination.select_option(label="Mall Plaza Trébol")
        page.get_by_role("button", name="Empezar a seguir mi viaje").click()
        expect(page.get_by_role("button", name="Detener")).to_be_focused()
        status = page.locator("#status")
        expect(status).to_have_text(re.compile(r"^Faltan 1,2 kilómetros para Mall Plaza Trébol\.$"))
        # The Stop button is far down the page at 360 px; the written state stays in the viewport with it.
        for _ in range(2):
            box = status.bounding_box()
            assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 740, box
            page.mouse.wheel(0, 600)
            page.wait_for_function("() => window.scrollY > 0")
        box = status.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 740, box
        assert page.evaluate("window.scrollY") > 0
        screenshot(page, "phone-transporte-despierta-siguiendo")
        page.get_by_role("button", name="Detener").click()
        expect(status).to_have_text("Seguimiento detenido.")
    finally:
        context.close()
