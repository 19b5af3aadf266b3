"""Maps in real Chromium: the shared base map without tiles, the public incident map, the home page's way in."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"
TILE_HOST = "https://teselas.mueve-prueba.invalid"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    screenshot(page, name)


@pytest.fixture
def tiles_blocked(settings):
    """A tile server is configured but cannot be reached (every request to it fails), as on a closed network."""
    settings.MUEVE_TILE_URL = TILE_HOST + "/{z}/{x}/{y}.png"
    tried = []

    def block(page):
        page.route(TILE_HOST + "/**", lambda route: (tried.append(route.request.url), route.abort()))

    return block, tried


@pytest.mark.parametrize("width", [1280, 360])
def test_public_map_shows_area_boundaries_when_tiles_fail(demo_db, live_server, browser, tiles_blocked, width):
    block, tried = tiles_blocked
    context = browser.new_context(locale="es-CL", viewport={"width": width, "height": 800})
    page = context.new_page()
    block(page)
    page.goto(live_server.url + "/control/publico/")
    areas = page.locator("#public-map .mueve-basemap-areas path")
    expect(areas.first).to_be_attached()
    assert areas.count() >= 3  # the demo's communes
    assert page.locator("#public-map .mueve-basemap-lines path").count() >= 1  # transit lines
    assert tried, "the map asked the (unreachable) tile server"
    page.wait_for_function("() => document.querySelectorAll('#public-map .pm-marker').length > 0")
    shot(page, f"maps-public-no-tiles-{width}")
    context.close()


def test_empty_tile_url_means_no_tile_requests_and_a_drawn_map(demo_db, live_server, page, settings):
    settings.MUEVE_TILE_URL = ""
    asked = []
    page.on("request", lambda request: asked.append(request.url) if request.url.endswith(".png") else None)
    page.goto(live_server.url + "/territorio/")
    expect(page.locator("#territory-map .mueve-basemap-areas path").first).to_be_attached()
    expect(page.locator("#territory-map")).to_have_class(re.compile("mueve-map-offline"))
    assert not [url for url in asked if "/{z}" in url or "tile" in url]


def test_home_leads_with_report_plan_and_map(demo_db, live_server, phone_page):
    page = phone_page
    page.goto(live_server.url + "/")
    actions = page.get_by_role("navigation", name="Lo que puede hacer aquí").get_by_role("link")
    expect(actions).to_have_text(["Reportar un problema", "Planificar un viaje", "Ver el mapa de incidentes"])
    # The API documentation is still there, but not among the main buttons.
    expect(page.get_by_role("link", name="Documentación de la API")).not_to_have_class(re.compile("button"))
    shot(page, "maps-home-360")
    actions.nth(2).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Incidentes en la ciudad")


def test_public_map_is_linked_from_menu_and_report_pages(demo_db, live_server, page):
    base = live_server.url
    for path in ("/", "/reportes/", "/reportes/nuevo/", "/transporte/"):
        page.goto(base + path)
        link = page.get_by_role("navigation", name="Principal").get_by_role("link", name="Mapa de incidentes")
        expect(link).to_have_attribute("href", "/control/publico/")
    for path in ("/reportes/", "/reportes/nuevo/"):
        page.goto(base + path)
        expect(
            page.get_by_role("main").get_by_role("link", name=re.compile("mapa de incidentes", re.I))
        ).to_be_visible()
    page.goto(base + "/")
    shot(page, "maps-home-1280")


def test_public_map_filters_work_without_javascript(demo_db, live_server, browser):
    context = browser.new_context(locale="es-CL", viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/control/publico/?status=all")
    items = page.locator("#public-list > li")
    total = items.count()
    assert total > 1
    expect(page.get_by_role("button", name=re.compile("Ver en el mapa")).first).to_be_hidden()
    first_category = items.first.locator("strong").text_content()
    page.get_by_label("Categoría").select_option(label=first_category)
    page.get_by_role("button", name="Filtrar").click()
    expect(page).to_have_url(re.compile(r"category="))
    remaining = page.locator("#public-list > li strong").all_text_contents()
    assert remaining and set(remaining) == {first_category} and len(remaining) < total
    # Nonsense in the address: a Spanish message beside the field, never a server error.
    response = page.goto(live_server.url + "/control/publico/?period=siglo&municipality=uno")
    assert response.status == 200
    expect(page.locator("#pm-period-errors")).to_have_text("Elija un periodo de la lista.")
    expect(page.locator("#pm-municipality-errors")).to_contain_text("Elija una comuna")
    context.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_public_map_list_opens_the_marker_and_filters_live(demo_db, live_server, browser, settings, width):
    settings.MUEVE_TILE_URL = ""
    context = browser.new_context(locale="es-CL", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/control/publico/?status=all")
    page.wait_for_function("() => document.getElementById('public-list').dataset.loaded === '1'")
    legend = page.locator(".pm-legend")
    expect(legend).to_contain_text("Resuelto")
    expect(legend.locator("svg.category-icon").first).to_be_visible()
    items = page.locator("#public-list > li")
    assert items.count() == page.locator("#public-map .pm-marker").count() > 1

    # Keyboard: Tab reaches an item's button, Enter opens its marker's popup with the incident's name.
    button = items.nth(1).get_by_role("button", name=re.compile("Ver en el mapa"))
    name = items.nth(1).locator("strong").text_content()
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup-content")).to_contain_text(name)
    expect(items.nth(1)).to_have_class(re.compile("is-selected"))
    assert page.evaluate("document.activeElement.classList.contains('leaflet-marker-icon')")

    # With JavaScript, a filter applies at once and the address keeps it.
    page.get_by_label("Estado").select_option("resolved")
    expect(page).to_have_url(re.compile(r"status=resolved"))
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('#public-list > li'))"
        ".every(li => li.classList.contains('pm-status-resolved'))"
    )
    page.get_by_label("Estado").select_option("all")
    page.wait_for_function("() => document.querySelectorAll('#public-list > li').length > 1")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px"
    shot(page, f"maps-public-{width}")
    context.close()


def _inside_point(area_name: str) -> tuple[float, float]:
    from shapely.geometry import shape

    from mueve.territory.models import Area

    point = shape(Area.objects.get(name=area_name).geometry).representative_point()
    return point.y, point.x


@pytest.mark.parametrize("width", [1280, 360])
def test_territory_map_looks_up_a_clicked_point_and_a_found_place(demo_db, live_server, browser, settings, width):
    settings.MUEVE_TILE_URL = ""
    context = browser.new_context(locale="es-CL", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/territorio/")
    expect(page.locator("#territory-map .mueve-basemap-areas path").first).to_be_attached()

    # A click on the map, inside Concepción's polygon.
    c_lat, c_lon = _inside_point("Concepción")
    page.locator("#territory-map").scroll_into_view_if_needed()
    spot = page.evaluate(f"(() => window.mueveTerritory.map.latLngToContainerPoint([{c_lat}, {c_lon}]))()")
    box = page.locator("#territory-map").bounding_box()
    page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
    expect(page.locator("#point-result")).to_contain_text("Concepción")
    expect(page.locator("#point-result")).to_contain_text("Gran Concepción")
    expect(page.get_by_label("Latitud")).not_to_have_value("")

    # A found place (the demo's own place search, no accent typed): choosing it looks it up too.
    page.get_by_role("searchbox", name=re.compile("Buscar un lugar")).fill("mall plaza trebol")
    page.get_by_role("button", name="Buscar lugar").click()
    page.get_by_role("button", name=re.compile("Mall Plaza Trébol")).first.click()
    expect(page.locator("#point-result")).to_contain_text("Mall Plaza Trébol")
    from mueve.territory.models import Landmark
    from mueve.territory.selectors import areas_containing

    mall = Landmark.objects.get(name="Mall Plaza Trébol")
    expected = [a.name for a in areas_containing(lat=mall.lat, lon=mall.lon)]
    assert expected, "the demo's landmark lies in a served area"
    expect(page.locator("#point-result strong").first).to_have_text(expected[0])
    shot(page, f"maps-territory-{width}")
    context.close()


def test_territory_place_search_finding_nothing_says_so_and_the_form_still_works(demo_db, live_server, page, settings):
    settings.MUEVE_TILE_URL = ""
    page.goto(live_server.url + "/territorio/")
    page.get_by_role("searchbox", name=re.compile("Buscar un lugar")).fill("Xqzwv")
    page.get_by_role("button", name="Buscar lugar").click()
    expect(page.locator("#place-message")).to_contain_text("No se encontraron lugares con ese nombre.")
    lat, lon = _inside_point("Hualpén")
    page.get_by_label("Latitud").fill(f"{lat:.6f}")
    page.get_by_label("Longitud").fill(f"{lon:.6f}")
    page.get_by_role("button", name="Buscar", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="El punto está en")).to_contain_text("Hualpén")
