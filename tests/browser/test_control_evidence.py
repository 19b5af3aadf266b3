"""The control centre's incident panel in real Chromium, on the demo: an operator sees each report's photo, its
answers and its whole description, inserted as text."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from mueve.reports import services
from mueve.reports.models import ServiceAttribute
from mueve.territory.models import Jurisdiction
from tests.browser.conftest import screenshot
from tests.reports.test_photos import jpeg_with_gps

pytestmark = [pytest.mark.browser]

# 200 characters, with markup that must stay text.
LONG = ("Poste apagado <b>frente</b> al 1234 de Colo Colo, " * 5)[:200]


@pytest.fixture
def transactional_db(demo_db_shared):
    """The live server's tests share the committed demo (`demo_db_shared`) instead of flushing it after each."""


@pytest.fixture(scope="module", autouse=True)
def site(live_server, demo_db_shared) -> str:
    return live_server.url


@pytest.fixture
def report(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    service = services.service_upsert(
        jurisdiction=Jurisdiction.objects.get(slug="gran-concepcion"),
        code="luminaria-prueba",
        name="Luminaria de prueba",
        alert_category="security",
        attributes=[
            services.AttributeSpec(
                code="estado",
                datatype=ServiceAttribute.Datatype.SINGLEVALUELIST,
                description="¿Cómo está la luminaria?",
                values=[("apagado", "Apagado"), ("parpadea", "Parpadea")],
            )
        ],
    )
    photo = SimpleUploadedFile("foto.jpg", jpeg_with_gps(), content_type="image/jpeg")
    return services.report_submit(
        service=service, lat=-36.8270, lon=-73.0503, description=LONG, attributes={"estado": "apagado"}, photo=photo
    )


def test_the_panel_shows_photo_answers_and_the_whole_description(site, page, report):
    # Not the live stream: WSGI's live server cannot tell that a stream's browser left, and would not stop
    # (tests/browser/test_control.py covers the stream against real uvicorn processes).
    page.route(re.compile(r"/tiempo-real/stream/"), lambda route: route.abort())
    page.goto(site + "/cuentas/entrar/?next=/control/")
    page.get_by_label("Usuario").fill("operadora")
    page.get_by_label("Contraseña").fill("mueve2014")
    page.get_by_role("button", name="Entrar").click()
    expect(page).to_have_url(re.compile(r"/control/$"))
    page.locator(f"#queue li[data-id='{report.incident_id}'] .ctl-item-open").click()
    panel = page.locator("#detail-reports")
    image = panel.locator("img.ctl-photo")
    expect(image).to_have_count(1)
    expect(image).to_have_attribute("alt", re.compile(report.public_id))
    page.wait_for_function("() => document.querySelector('#detail-reports img').naturalWidth > 0")
    expect(panel.locator("dt")).to_have_text("¿Cómo está la luminaria?")
    expect(panel.locator("dd")).to_have_text("Apagado")
    expect(panel.locator(".ctl-description")).to_have_text(LONG)
    assert panel.locator("b").count() == 0  # the citizen's text is text, never markup
    screenshot(page, "control-incident-evidence")
