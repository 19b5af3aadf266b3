"""«¿Quedó resuelto?» in real Chromium on a 360 px phone: the reporter answers «No» with a comment and the tracking
page shows the report reopened."""

import pytest
from playwright.sync_api import expect

from mueve.accounts.models import Role
from mueve.reports import services
from mueve.reports.models import Incident, ReportFeedback
from mueve.territory.models import Jurisdiction
from mueve.territory.services import jurisdiction_upsert
from tests.browser.conftest import add_axe, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_RUN = """async () => {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}));
}"""


@pytest.fixture
def resolved_report(transactional_db, settings, tmp_path, make_user):
    settings.MUEVE_TILE_URL = ""  # tests run offline: no tile server
    settings.MEDIA_ROOT = tmp_path / "media"
    metro = jurisdiction_upsert(
        slug="gran-concepcion", name="Gran Concepción", kind=Jurisdiction.Kind.METROPOLITAN_AREA
    )
    bache = services.service_upsert(jurisdiction=metro, code="bache", name="Bache", alert_category="traffic")
    report = services.report_submit(service=bache, lat=-36.827, lon=-73.050, device_id="vecina")
    operator = make_user(Role.OPERATOR)
    incident = Incident.objects.get(pk=report.incident_id)
    services.incident_acknowledge(incident=incident, actor=operator)
    services.incident_resolve(incident=incident, actor=operator, public_reply="Bache reparado.")
    return report


def test_a_reporter_answers_no_on_a_phone_and_sees_the_report_reopened(resolved_report, live_server, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/reportes/seguimiento/{resolved_report.token}/")
    expect(page.locator("#track-status")).to_have_text("Resuelto")
    question = page.get_by_role("group", name="¿Quedó resuelto?")
    expect(question).to_be_visible()
    add_axe(page)
    assert page.evaluate(AXE_RUN) == []
    screenshot(page, "questionnaire-phone")
    # Sent without choosing: the page says nothing was stored and names the question.
    page.get_by_role("button", name="Enviar respuesta").click()
    expect(page.locator("#form-errors")).to_contain_text("Elija «Sí» o «No».")
    screenshot(page, "questionnaire-error-phone")
    question = page.get_by_role("group", name="¿Quedó resuelto?")
    question.get_by_label("No, el problema sigue").check()
    page.get_by_label("Comentario (opcional)").fill("El bache volvió a abrirse con la lluvia.")
    page.get_by_role("button", name="Enviar respuesta").click()
    expect(page.get_by_text("Gracias. Reabrimos el reporte")).to_be_visible()
    expect(page.locator("#track-status")).to_have_text("Recibido por el organismo")
    expect(page.locator("#track-history")).to_contain_text("El bache volvió a abrirse con la lluvia.")
    expect(page.locator("#feedback-answer")).to_contain_text("no quedó resuelto")
    expect(page.get_by_role("group", name="¿Quedó resuelto?")).to_have_count(0)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    screenshot(page, "questionnaire-reopened-phone")
    assert ReportFeedback.objects.get().fixed is False
    page.goto("about:blank")  # closes the page's live stream before the test server stops
