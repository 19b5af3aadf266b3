"""A citizen's whole journey in real Chromium, on a phone: signs up and verifies by the link the SMTP server
received, reports from the phone and hears by e-mail that the agency acknowledged it, adopts a street light and
hears (in the list and by e-mail) of a neighbour's report on it, confirms the repair and earns the points, sees
herself in the neighbourhood ranking, downloads her data, deletes the account, and then no page shows her name or
e-mail."""

import json
import re

import pytest
from playwright.sync_api import expect

from mueve.accounts.models import Role
from mueve.accounts.services import user_create
from mueve.reports import services as report_services
from mueve.reports.models import Report
from mueve.territory.models import Jurisdiction
from mueve.territory.services import areas_load_geojson
from tests.browser.conftest import add_axe, screenshot, without_live_streams
from tests.mail import body, links
from tests.members.helpers import a_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME, EMAIL, PASSWORD = "Rosalinda", "rosalinda.quintanilla@example.org", "farol-del-barrio-2026"
CONCEPCION = {"latitude": -36.8201, "longitude": -73.0444}
LIGHT = (-36.8270, -73.0503)  # about 900 m from where she reports
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


def _neighbourhood(service):
    """The area her points count in, and the light she will adopt."""
    metro = Jurisdiction.objects.get(pk=service.jurisdiction_id)
    lat, lon = LIGHT
    ring = [[lon - 0.02, lat - 0.02], [lon + 0.02, lat - 0.02], [lon + 0.02, lat + 0.02], [lon - 0.02, lat + 0.02]]
    feature = {
        "type": "Feature",
        "properties": {"name": "Barrio Centro", "code": "centro"},
        "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
    }
    areas_load_geojson(jurisdiction=metro, text=json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return report_services.asset_upsert(
        jurisdiction=metro, kind="street_light", code="poste-barros-arana", name="Luminaria Barros Arana",
        lat=lat, lon=lon, service=service,
    )  # fmt: skip


def test_a_citizen_from_sign_up_to_deleting_the_account(live_server, browser, smtp_server, settings, tmp_path):
    settings.MUEVE_TILE_URL = ""  # offline: no tile server
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MUEVE_SITE_URL = live_server.url
    service = a_service("luminaria-prueba", jurisdiction="gran-concepcion", name="Luminaria apagada (prueba)")
    light = _neighbourhood(service)
    operator = user_create(username="operadora-prueba", password="una-clave-de-prueba", role=Role.OPERATOR)
    neighbour = user_create(username="vecino-prueba", password="una-clave-de-prueba", role=Role.CITIZEN)
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

        # She wants her report's news, and news of the light she will adopt, by e-mail.
        page.goto(site + "/avisos/preferencias/")
        page.get_by_role("group", name="Novedades de mis reportes").get_by_label("Por correo electrónico").check()
        page.get_by_role("group", name="Incidente cerca de mi adopción").get_by_label("Por correo electrónico").check()
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

        # Cuida tu Luz: she adopts the light on her way home, with a name of her own.
        page.goto(site + f"/barrio/luz/{light.pk}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Luminaria Barros Arana")
        page.get_by_label("Un nombre para su luz o paradero (opcional)").fill("El farol de la esquina")
        page.get_by_role("button", name="Adoptar").click()
        expect(page.get_by_role("link", name="El farol de la esquina")).to_be_visible()

        # A neighbour reports it: she reads it in her notices and in her mail.
        neighbours = report_services.report_submit(service=service, lat=LIGHT[0], lon=LIGHT[1], reporter=neighbour)
        neighbours = Report.objects.get(pk=neighbours.pk)
        assert neighbours.asset_id == light.pk
        page.goto(site + "/avisos/")
        expect(page.get_by_text("Nuevo reporte en «El farol de la esquina»")).to_be_visible()
        notice_mail = [m for m in smtp_server.wait_for(EMAIL, 3) if "El farol de la esquina" in m["Subject"]]
        assert len(notice_mail) == 1 and f"/barrio/luz/{light.pk}/" in body(notice_mail[0])

        # The agency repairs it; she confirms the repair and earns the points.
        report_services.incident_resolve(incident=neighbours.incident, actor=operator, public_reply="Ampolleta nueva.")
        page.goto(site + "/barrio/luz/mis-adopciones/")
        page.get_by_role("button", name="Confirmar la reparación").click()
        expect(page.get_by_text("quedó registrado")).to_be_visible()
        page.goto(site + "/barrio/")
        expect(page.get_by_text("15 puntos")).to_be_visible()  # 10 for her confirmed report, 5 for the repair
        page.goto(site + "/barrio/ranking/")
        expect(page.get_by_role("row", name=NAME)).to_contain_text("15")
        screenshot(page, "members-ranking-360")
        _no_axe_violations(page)
        _fits(page, 360)

        # Her data, downloaded.
        page.goto(site + "/cuentas/mis-datos/")
        with page.expect_download() as download:
            page.get_by_role("link", name="Descargar mis datos (JSON)").click()
        data = json.loads(open(download.value.path(), encoding="utf-8").read())
        assert data["account"]["email"] == EMAIL
        assert [r["public_id"] for r in data["reports"]] == [report.public_id]
        assert "El farol de la esquina" in json.dumps(data, ensure_ascii=False)  # her adoption, by her name for it
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
            "/barrio/ranking/",
            f"/barrio/luz/{light.pk}/",
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
