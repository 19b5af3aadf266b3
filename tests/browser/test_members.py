"""A citizen in real Chromium: signs up and verifies by the link the SMTP server received, reports from the phone,
hears by e-mail that the agency acknowledged it, downloads their data, deletes the account, and then no public page
shows their name or e-mail."""

import json
import re

import pytest
from playwright.sync_api import expect

from mueve.accounts.models import Role
from mueve.accounts.services import user_create
from mueve.reports import services as report_services
from mueve.reports.models import Report
from tests.browser.conftest import add_axe, screenshot, without_live_streams
from tests.mail import body, links
from tests.members.helpers import a_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME, EMAIL, PASSWORD = "Rosalinda", "rosalinda.quintanilla@example.org", "farol-del-barrio-2026"
CONCEPCION = {"latitude": -36.8201, "longitude": -73.0444}
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "es-CL"}
AXE_RUN = """async () => {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
}"""


def _no_axe_violations(page) -> None:
    add_axe(page)
    assert page.evaluate(AXE_RUN) == [], page.url


def _fits(page, width: int) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, page.url


def test_a_citizen_from_sign_up_to_deleting_the_account(live_server, browser, smtp_server, settings, tmp_path):
    settings.MUEVE_TILE_URL = ""  # offline: no tile server
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MUEVE_SITE_URL = live_server.url
    service = a_service("luminaria-prueba", jurisdiction="gran-concepcion", name="Luminaria apagada (prueba)")
    operator = user_create(username="operadora-prueba", password="una-clave-de-prueba", role=Role.OPERATOR)
    site = live_server.url
    context = without_live_streams(
        browser.new_context(**PHONE, geolocation=CONCEPCION, permissions=["geolocation"], accept_downloads=True)
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        # Sign up from the menu.
        page.goto(site + "/")
        page.get_by_role("button", name="Menú").click()  # a phone's menu is folded
        page.get_by_role("link", name="Entrar / Crear cuenta").click()
        page.get_by_role("link", name="Crear una cuenta").click()
        page.get_by_label("Correo electrónico").fill(EMAIL)
        page.get_by_label("Nombre (opcional)").fill(NAME)
        page.get_by_label(re.compile(r"^Contraseña")).fill(PASSWORD)
        page.get_by_label("Repita la contraseña").fill(PASSWORD)
        screenshot(page, "members-signup-360")
        _no_axe_violations(page)
        _fits(page, 360)
        page.get_by_role("button", name="Crear la cuenta").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Revise su correo")

        # The verification link, read from what the SMTP server received.
        [mail] = smtp_server.wait_for(EMAIL)
        [link] = [url for url in links(mail) if "/cuentas/confirmar-correo/" in url]
        page.goto(link)
        page.get_by_role("button", name="Confirmar").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Entrar")
        screenshot(page, "members-login-360")
        _no_axe_violations(page)

        page.get_by_label("Usuario o correo").fill(EMAIL)
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Entrar").click()
        page.get_by_role("button", name="Menú").click()
        expect(page.get_by_role("link", name=NAME)).to_be_visible()

        # She wants her report's news by e-mail.
        page.goto(site + "/avisos/preferencias/")
        page.get_by_role("group", name="Novedades de mis reportes").get_by_label("Por correo electrónico").check()
        page.get_by_role("button", name="Guardar preferencias").click()
        expect(page.get_by_text("Sus preferencias de aviso quedaron guardadas.")).to_be_visible()
        _no_axe_violations(page)

        # A report from the phone.
        page.goto(site + "/reportes/nuevo/")
        expect(page.locator("#id_lat")).to_have_value(re.compile(r"^-36\.820"))
        page.locator("label.category", has_text="Luminaria apagada (prueba)").click()
        page.get_by_role("button", name="Enviar reporte").click()
        expect(page).to_have_url(re.compile(r"/reportes/seguimiento/[\w-]+/$"))
        report = Report.objects.get(service=service)
        assert report.reporter is not None and report.reporter.email == EMAIL

        # The operator acknowledges it; the e-mail with the public reply arrives.
        report_services.incident_acknowledge(
            incident=report.incident, actor=operator, public_reply="Una cuadrilla irá el martes."
        )
        ack = smtp_server.wait_for(EMAIL, 2)[-1]
        assert report.public_id in ack["Subject"] and "Una cuadrilla irá el martes." in body(ack)

        page.goto(site + "/cuentas/perfil/")
        expect(page.get_by_role("link", name=report.public_id)).to_be_visible()
        screenshot(page, "members-profile-360")
        _no_axe_violations(page)
        _fits(page, 360)

        # Her data, downloaded.
        page.goto(site + "/cuentas/mis-datos/")
        with page.expect_download() as download:
            page.get_by_role("link", name="Descargar mis datos (JSON)").click()
        data = json.loads(open(download.value.path(), encoding="utf-8").read())
        assert data["account"]["email"] == EMAIL
        assert [r["public_id"] for r in data["reports"]] == [report.public_id]
        screenshot(page, "members-own-data-360")

        # The account, deleted.
        page.goto(site + "/cuentas/eliminar/")
        page.get_by_label("Su contraseña").fill(PASSWORD)
        page.get_by_label("Entiendo que mi cuenta se elimina").check()
        screenshot(page, "members-delete-360")
        _no_axe_violations(page)
        page.get_by_role("button", name="Eliminar mi cuenta para siempre").click()
        expect(page.get_by_text("Su cuenta fue eliminada.")).to_be_visible()
        page.get_by_role("button", name="Menú").click()
        expect(page.get_by_role("link", name="Entrar / Crear cuenta")).to_be_visible()

        # No public page shows her name or e-mail.
        public = [
            f"/reportes/seguimiento/{report.token}/",
            "/control/publico/",
            "/control/publico/incidentes.geojson",
            "/control/publico/atom/",
            f"/open311/v2/requests/{report.public_id}.json",
            f"/open311/v2/requests/{report.public_id}.xml",
            "/open311/v2/requests.json",
            "/reportes/",
            "/",
        ]
        for path in public:
            response = page.request.get(site + path)
            assert response.status == 200, path
            text = response.text()
            assert NAME.lower() not in text.lower() and "quintanilla" not in text.lower(), path
        # Her report is still there, for the city.
        assert Report.objects.get(pk=report.pk).description == report.description
    finally:
        context.close()
