"""The moderation queue in real Chromium on a 360 px phone: no sideways scrolling, no WCAG violations (axe), zones
to blur drawn with the pointer, and a photo approved with the keyboard alone."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from playwright.sync_api import expect

from mueve.demo.accounts import DEMO_PASSWORD
from mueve.reports import services
from mueve.reports.models import ReportPhoto, Service
from tests.browser.conftest import add_axe, screenshot
from tests.browser.test_accessibility import AXE_RUN, WCAG_TAGS
from tests.control.test_moderation import noisy_jpeg

pytestmark = pytest.mark.browser


@pytest.fixture
def transactional_db(demo_db_shared):
    """The live server's tests share `demo_db_shared` (see test_accessibility.py)."""


@pytest.fixture(scope="module", autouse=True)
def site(live_server, demo_db_shared) -> str:
    return live_server.url


@pytest.fixture(scope="module")
def waiting_photo(demo_db_shared, tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield _waiting_photo()


def _waiting_photo() -> ReportPhoto:
    service = Service.objects.filter(moderate_photos=True, active=True, code="bache").first()
    report = services.report_submit(
        service=service,
        lat=-36.8270,
        lon=-73.0503,
        description="Bache con foto",
        photo=SimpleUploadedFile("a.jpg", noisy_jpeg(), content_type="image/jpeg"),
    )
    return ReportPhoto.objects.get(report=report)


def test_the_queue_works_on_a_phone_with_the_keyboard(browser, site, waiting_photo):
    context = browser.new_context(locale="es-CL", viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(site + "/cuentas/entrar/?next=/control/moderacion/")
    page.get_by_label("Usuario").fill("operadora")
    page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page).to_have_url(re.compile(r"/control/moderacion/$"))
    photo = page.locator(f'img[src$="/{waiting_photo.token}/"]')
    expect(photo).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    add_axe(page)
    violations = page.evaluate(AXE_RUN, WCAG_TAGS)
    assert violations == [], [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in violations]

    # Drawing a zone with the pointer writes it, in the photo's own pixels, into the field the keyboard can edit.
    photo.scroll_into_view_if_needed()
    box = photo.bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + 10)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    field = page.get_by_label("Zonas a difuminar (opcional)")
    value = field.input_value()
    assert re.fullmatch(r"\d+,\d+,\d+,\d+", value), value
    x, y, width, height = map(int, value.split(","))
    assert 0 <= x < 40 and 0 <= y < 40 and width > 100 and height > 60  # a 320 × 240 photo shown ~300 px wide
    expect(page.locator(".mod-box")).to_have_count(1)
    screenshot(page, "moderation-queue-360")
    page.get_by_role("button", name="Borrar zonas").click()
    expect(field).to_have_value("")
    expect(page.locator(".mod-box")).to_have_count(0)

    approve = page.locator(f'form[action$="/fotos/{waiting_photo.token}/approve/"] button')
    for _ in range(200):
        page.keyboard.press("Tab")
        if approve.evaluate("b => b === document.activeElement"):
            break
    else:
        raise AssertionError("the approve button is not reachable with Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Aprobado: ya es público.")).to_be_visible()
    expect(page.locator(f'img[src$="/{waiting_photo.token}/"]')).to_have_count(0)
    waiting_photo.refresh_from_db()
    assert waiting_photo.review == "approved"
    context.close()
