"""The citizen reporting page in real Chromium, on a phone with a faked position near Concepción: a report in at most
three taps, the offline queue that sends exactly once, "Yo también", the page without JavaScript, and axe-core."""

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from PIL import Image
from playwright.sync_api import expect

from mueve.accounts.models import Role
from mueve.accounts.services import user_create
from mueve.api import services as api_services
from mueve.api.models import ApiKey
from mueve.reports import services
from mueve.reports.models import Incident, Report, ReportPhoto, ServiceAttribute
from mueve.reports.services import AttributeSpec
from mueve.territory.models import Jurisdiction
from mueve.territory.services import jurisdiction_upsert
from tests.browser.conftest import add_axe, screenshot, without_live_streams
from tests.reports.test_photos import jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONCEPCION = {"latitude": -36.8201, "longitude": -73.0444}
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "es-CL"}
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}));
}"""
D = ServiceAttribute.Datatype


@pytest.fixture
def catalogue(transactional_db, settings, tmp_path):
    settings.MUEVE_TILE_URL = ""  # tests run offline: no tile server
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # the rate limiter's counts
    metro = jurisdiction_upsert(
        slug="gran-concepcion",
        name="Gran Concepción",
        kind=Jurisdiction.Kind.METROPOLITAN_AREA,
        center_lat=-36.8270,
        center_lon=-73.0503,
    )
    common = {"jurisdiction": metro, "alert_category": "traffic"}
    return {
        "bache": services.service_upsert(code="bache", name="Bache", group="Calles y veredas", order=3, **common),
        "semaforo": services.service_upsert(
            code="semaforo-falla", name="Semáforo con falla", group="Tránsito", order=1, **common
        ),
        "accidente": services.service_upsert(
            code="accidente-transito",
            name="Accidente de tránsito",
            group="Tránsito",
            order=0,
            attributes=[
                AttributeSpec(
                    code="heridos",
                    datatype=D.SINGLEVALUELIST,
                    description="¿Hay personas heridas?",
                    required=True,
                    values=[("si", "Sí"), ("no", "No")],
                ),
                AttributeSpec(
                    code="aviso", datatype=D.STRING, description="Si hay heridos llame al 131.", variable=False
                ),
            ],
            **common,
        ),
    }


@pytest.fixture
def phone(browser):
    """phone(**options) -> (context, page): a 360 px touch phone that lets the page read its position."""
    contexts = []

    def open_(**options):
        context = without_live_streams(
            browser.new_context(**{**PHONE, "geolocation": CONCEPCION, "permissions": ["geolocation"], **options})
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return context, page

    yield open_
    for context in contexts:
        context.close()


class Taps:
    """Counts the citizen's taps: the target is a report in at most three after the page opens."""

    def __init__(self):
        self.count = 0

    def __call__(self, locator):
        self.count += 1
        locator.tap()


def wait_for_position(page):
    expect(page.locator("#id_lat")).to_have_value(re.compile(r"^-36\.820"))
    expect(page.locator("#where-text")).to_contain_text("Ubicación tomada del teléfono")


def test_a_report_in_two_taps_then_the_tracking_page(catalogue, live_server, phone):
    _context, page = phone()
    tap = Taps()
    page.goto(live_server.url + "/reportes/nuevo/")
    wait_for_position(page)
    screenshot(page, "report-new-phone")

    tap(page.locator("label.category", has_text="Bache"))
    tap(page.get_by_role("button", name="Enviar reporte"))

    expect(page).to_have_url(re.compile(r"/reportes/seguimiento/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bache")
    assert tap.count <= 3
    report = Report.objects.get()
    assert report.source == Report.Source.WEB and report.service.code == "bache"
    assert abs(report.lat - CONCEPCION["latitude"]) < 1e-4 and abs(report.lon - CONCEPCION["longitude"]) < 1e-4
    assert report.idempotency_key  # made on the phone
    expect(page.locator(".track-id")).to_have_text(report.public_id)
    screenshot(page, "report-tracking-phone")


def test_a_category_with_a_required_question_takes_three_taps(catalogue, live_server, phone):
    _context, page = phone()
    tap = Taps()
    page.goto(live_server.url + "/reportes/nuevo/")
    wait_for_position(page)
    tap(page.locator("label.category", has_text="Accidente de tránsito"))
    expect(page.get_by_text("Si hay heridos llame al 131.")).to_be_visible()
    screenshot(page, "report-new-question-phone")
    tap(page.locator("label.chip", has_text="No"))
    tap(page.get_by_role("button", name="Enviar reporte"))
    expect(page).to_have_url(re.compile(r"/reportes/seguimiento/"))
    assert tap.count == 3
    assert Report.objects.get().attributes == {"heridos": "no"}


def test_offline_the_report_waits_on_the_phone_and_arrives_once(catalogue, live_server, phone):
    context, page = phone()
    page.goto(live_server.url + "/reportes/nuevo/")
    wait_for_position(page)

    context.set_offline(True)
    page.locator("label.category", has_text="Semáforo con falla").tap()
    page.get_by_label("Descripción (opcional)").fill("Apagado en Paicaví con Chacabuco")
    # The photo waits in IndexedDB as a Blob with the rest of the report.
    photo = {"name": "IMG_0042.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps((1200, 900))}
    page.get_by_label("Foto (opcional)").set_input_files(photo)
    page.get_by_role("button", name="Enviar reporte").tap()
    status = page.get_by_role("status").filter(has_text="Guardado en el teléfono")
    expect(status).to_have_text("Guardado en el teléfono; se enviará al volver la conexión.")
    screenshot(page, "report-offline-queued-phone")
    assert page.evaluate("() => MueveQueue.count()") == 1

    context.set_offline(False)
    expect(page.get_by_role("status")).to_contain_text("Se envió su reporte guardado")
    expect(page.get_by_role("link", name="Ver el seguimiento")).to_be_visible()
    assert page.evaluate("() => MueveQueue.count()") == 0
    report = Report.objects.get()
    assert report.description == "Apagado en Paicaví con Chacabuco"
    stored = ReportPhoto.objects.get(report=report)
    with stored.image.open("rb") as handle, Image.open(handle) as image:
        assert image.size == (1200, 900) and len(image.getexif()) == 0

    # The same idempotency key sent twice more (a retry after a lost answer) still makes one report.
    answers = page.evaluate(
        """async (key) => {
            const send = () => {
              const data = new FormData(document.getElementById('report-form'));
              data.set('service', 'semaforo-falla'); data.set('idempotency_key', key);
              return fetch('/reportes/nuevo/', {method: 'POST', body: data, headers: {Accept: 'application/json'}})
                .then(r => r.json().then(b => [r.status, b.public_id]));
            };
            return Promise.all([send(), send()]);
        }""",
        report.idempotency_key,
    )
    assert answers == [[201, report.public_id], [201, report.public_id]]
    assert Report.objects.count() == 1


def test_installed_page_opens_offline_and_sends_the_queue_on_a_later_visit(catalogue, live_server, phone):
    context, page = phone()
    page.goto(live_server.url + "/reportes/nuevo/")
    wait_for_position(page)
    manifest = page.request.get(live_server.url + page.locator("link[rel=manifest]").get_attribute("href")).json()
    assert manifest["display"] == "standalone" and manifest["start_url"].startswith("/reportes/nuevo/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    assert page.evaluate("async () => !!(await caches.match('/reportes/nuevo/'))")

    context.set_offline(True)
    page.locator("label.category", has_text="Bache").tap()
    page.get_by_role("button", name="Enviar reporte").tap()
    expect(page.get_by_role("status")).to_contain_text("Guardado en el teléfono")
    page.close()
    assert Report.objects.count() == 0

    # Still offline: the page opens from the phone (service worker) and says a report is waiting.
    again = context.new_page()
    response = again.goto(live_server.url + "/reportes/nuevo/")
    assert response.ok and response.from_service_worker
    expect(again.get_by_role("heading", level=1)).to_have_text("Reportar un problema")
    expect(again.get_by_role("status")).to_contain_text("Hay 1 reporte guardado en el teléfono esperando conexión.")
    screenshot(again, "report-offline-reopened-phone")

    context.set_offline(False)
    expect(again.get_by_role("status")).to_contain_text("Se envió su reporte guardado")
    assert Report.objects.count() == 1
    again.goto(live_server.url + "/reportes/")
    expect(again.get_by_role("link", name=re.compile(Report.objects.get().public_id))).to_be_visible()
    screenshot(again, "report-home-phone")


def test_yo_tambien_confirms_the_incident_nearby(catalogue, live_server, phone):
    first = services.report_submit(service=catalogue["bache"], lat=-36.8203, lon=-73.0445)
    _context, page = phone()
    tap = Taps()
    page.goto(live_server.url + "/reportes/nuevo/")
    wait_for_position(page)
    tap(page.locator("label.category", has_text="Bache"))
    nearby = page.get_by_role("region", name="¿Ya fue reportado?")
    expect(nearby).to_be_visible()
    expect(nearby).to_contain_text("1 reporte")
    expect(page.locator("#nearby-live")).to_contain_text("Reportes abiertos de esto cerca: 1")
    screenshot(page, "report-nearby-phone")
    tap(nearby.get_by_role("button", name=re.compile("Yo también")))
    expect(page).to_have_url(re.compile(r"/reportes/seguimiento/"))
    expect(page.get_by_text("2 reportes")).to_be_visible()
    assert tap.count == 2
    incident = Incident.objects.get()
    assert incident.pk == first.incident_id and incident.report_count == 2
    assert Report.objects.filter(is_confirmation=True, incident=incident).count() == 1


def test_keyboard_moves_the_pin_and_shows_errors(catalogue, live_server, phone):
    _context, page = phone()
    page.goto(live_server.url + "/reportes/nuevo/")
    wait_for_position(page)
    before = float(page.locator("#id_lat").input_value())
    page.get_by_role("button", name="Mover al norte").focus()
    page.keyboard.press("Enter")
    after = float(page.locator("#id_lat").input_value())
    assert 15 < (after - before) * 111320 < 25
    expect(page.locator("#where-text")).to_contain_text("Marcador movido")
    page.get_by_role("button", name="Enviar reporte").focus()
    page.keyboard.press("Enter")
    alert = page.locator("#report-errors")
    expect(alert).to_contain_text("Elija qué quiere reportar.")
    expect(alert).to_be_focused()
    assert Report.objects.count() == 0


def test_without_javascript_the_form_still_works(catalogue, live_server, browser):
    context = without_live_streams(browser.new_context(**PHONE, java_script_enabled=False))
    page = context.new_page()
    try:
        page.goto(live_server.url + "/reportes/nuevo/")
        page.get_by_role("button", name="Enviar reporte").click()
        expect(page.locator("#form-errors")).to_contain_text("Elija qué quiere reportar.")
        page.locator("label.category", has_text="Bache").click()
        page.get_by_label("Latitud").fill("-36.82")
        page.get_by_label("Longitud").fill("-73.04")
        page.get_by_role("button", name="Enviar reporte").click()
        expect(page).to_have_url(re.compile(r"/reportes/seguimiento/"))
        expect(page.get_by_role("status").first).to_contain_text("Recibimos su reporte")
        screenshot(page, "report-tracking-nojs-phone")
    finally:
        context.close()
    assert Report.objects.get().lat == -36.82


def axe(page) -> list:
    add_axe(page)
    return page.evaluate(AXE_RUN, WCAG_TAGS)


@pytest.mark.parametrize("width", [360, 1280])
def test_the_new_pages_pass_axe(catalogue, live_server, browser, width, client):
    report = services.report_submit(service=catalogue["bache"], lat=-36.8203, lon=-73.0445, description="Hoyo")
    developer = user_create(username="dev-baches", password="una-clave-de-prueba", role=Role.CITIZEN)
    api_services.application_register(
        owner=developer, name="Mapa de baches", contact_email="dev@example.org", description="Consulta"
    )
    user_create(username="gestora-prueba", password="una-clave-de-prueba", role=Role.MANAGER)
    options = {**PHONE} if width == 360 else {"viewport": {"width": 1280, "height": 900}, "locale": "es-CL"}
    context = without_live_streams(browser.new_context(**options, geolocation=CONCEPCION, permissions=["geolocation"]))
    page = context.new_page()
    page.set_default_timeout(15000)
    found = {}
    try:
        page.goto(live_server.url + "/cuentas/entrar/")
        page.get_by_label("Usuario").fill("gestora-prueba")
        page.get_by_label("Contraseña").fill("una-clave-de-prueba")
        page.get_by_role("button", name="Entrar").click()
        page.wait_for_load_state()
        pages = {
            "home": "/reportes/",
            "new": "/reportes/nuevo/",
            "tracking": f"/reportes/seguimiento/{report.token}/",
            "developers": "/reportes/desarrolladores/",
            "keys": "/desarrolladores/gestion/",
        }
        for name, path in pages.items():
            page.goto(live_server.url + path)
            if name == "new":
                wait_for_position(page)
                page.locator("label.category", has_text="Bache").click()
                expect(page.get_by_role("region", name="¿Ya fue reportado?")).to_be_visible()
            screenshot(page, f"report-{name}-{width}")
            scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
            assert scroll_width <= options["viewport"]["width"], f"{name} scrolls sideways"
            if violations := axe(page):
                found[name] = violations
        # The developer holds the key since registering; approving it says so and offers to revoke it.
        page.goto(live_server.url + "/desarrolladores/gestion/")
        page.get_by_role("button", name="Aprobar Mapa de baches").click()
        expect(page.get_by_role("button", name="Revocar Mapa de baches")).to_be_visible()
        screenshot(page, f"report-keys-approved-{width}")
        if violations := axe(page):
            found["keys-approved"] = violations
    finally:
        context.close()
    assert ApiKey.objects.get().status == ApiKey.Status.APPROVED
    assert not found, found
