"""A person's rights over their data (Ley 21.719): the profile's lists, the download, correction, consents,
deletion (reports stay, anonymised), the retention of reporters' contact data, the privacy page, and the demo's
mailbox."""

import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.core.mail import send_mail
from django.core.management import call_command
from django.utils import timezone

from mueve.accounts.models import Role, User
from mueve.members.models import MemberSettings
from mueve.notifications.models import Notification
from mueve.reports import services as report_services
from mueve.reports.models import Report
from tests.conftest import PASSWORD, ROLES_AND_ANONYMOUS
from tests.members.helpers import a_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(make_user):
    return make_user(Role.CITIZEN, email="rosa.perez@example.org", first_name="Rosa", last_name="Pérez")


def _report(user=None, **extra) -> Report:
    return report_services.report_submit(
        service=a_service(), lat=-36.8201, lon=-73.0444, description="Poste sin luz", reporter=user, **extra
    )


def test_the_profile_lists_my_reports_workshops_and_teams(client, citizen):
    report = _report(citizen)
    client.force_login(citizen)
    page = client.get("/cuentas/perfil/").content.decode()
    for heading in ("Mis reportes", "Mis talleres", "Mis equipos"):
        assert heading in page
    assert report.public_id in page and f"/reportes/seguimiento/{report.token}/" in page
    assert "No está inscrito en ningún taller." in page and "No participa en ninguna competencia." in page


def test_download_my_data_as_json_and_readable_html(client, citizen):
    report = _report(citizen, email="rosa.perez@example.org")
    Notification.objects.create(user=citizen, kind="report_update", title="Su reporte <b>avanzó</b>")
    client.force_login(citizen)
    response = client.get("/cuentas/mis-datos/descargar.json")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "rosa.perez@example.org" and data["account"]["last_name"] == "Pérez"
    assert [r["public_id"] for r in data["reports"]] == [report.public_id]
    assert data["reports"][0]["contact"]["email"] == "rosa.perez@example.org"
    assert data["consents"]["report_updates_by_email"] == [report.public_id]
    assert data["notifications"][0]["title"] == "Su reporte <b>avanzó</b>"

    readable = client.get("/cuentas/mis-datos/descargar.html")
    text = readable.content.decode()
    assert readable.status_code == 200 and report.public_id in text and "Rosa" in text
    assert "Su reporte &lt;b&gt;avanzó&lt;/b&gt;" in text and "<b>avanzó" not in text


def test_correct_my_data_and_bad_input_stores_nothing(client, citizen):
    client.force_login(citizen)
    response = client.post("/cuentas/perfil/editar/", {"first_name": "Rosa María", "last_name": "Pérez", "phone": ""})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.first_name == "Rosa María"
    too_long = client.post("/cuentas/perfil/editar/", {"first_name": "x" * 200, "last_name": "", "phone": ""})
    assert too_long.status_code == 400 and "No se guardó nada" in too_long.content.decode()
    citizen.refresh_from_db()
    assert citizen.first_name == "Rosa María"


def test_see_and_withdraw_consents(client, citizen):
    report = _report(citizen, email="rosa.perez@example.org")
    client.force_login(citizen)
    page = client.get("/cuentas/permisos/").content.decode()
    assert report.public_id in page and "Novedades de mis reportes" in page
    client.post("/cuentas/permisos/", {"action": "report_email", "report": report.public_id})
    assert Report.objects.get(pk=report.pk).email == ""
    client.post("/cuentas/permisos/", {"action": "ranking", "opt_out": "1"})
    assert MemberSettings.objects.get(user=citizen).public_ranking_opt_out
    # Someone else's report is refused, and nothing changes.
    other = _report(None, email="otra@example.org")
    response = client.post("/cuentas/permisos/", {"action": "report_email", "report": other.public_id}, follow=True)
    assert "no es suyo" in response.content.decode()
    assert Report.objects.get(pk=other.pk).email == "otra@example.org"


def test_reports_made_from_this_phone_join_the_account(client, citizen):
    earlier = _report(None, device_id="telefono-de-rosa-123")
    someone_else = _report(None, device_id="otro-telefono")
    client.force_login(citizen)
    client.post("/cuentas/telefono/", {"device_id": "telefono-de-rosa-123"})
    assert Report.objects.get(pk=earlier.pk).reporter == citizen
    assert Report.objects.get(pk=someone_else.pk).reporter is None


def test_deleting_my_account_keeps_my_reports_without_anything_of_mine(client, citizen):
    report = _report(
        citizen, email="rosa.perez@example.org", first_name="Rosa", last_name="Pérez", phone="+56911112222"
    )
    anonymous_same_email = _report(None, email="rosa.perez@example.org")
    client.force_login(citizen)
    wrong = client.post("/cuentas/eliminar/", {"password": "mala", "confirm": "on"})
    assert wrong.status_code == 400 and "No se eliminó nada" in wrong.content.decode()
    assert User.objects.get(pk=citizen.pk).is_active

    gone = client.post("/cuentas/eliminar/", {"password": PASSWORD, "confirm": "on"})
    assert gone.status_code == 302
    assert client.get("/cuentas/perfil/").status_code == 302  # logged out
    tomb = User.objects.get(pk=citizen.pk)
    assert not tomb.is_active and not tomb.has_usable_password()
    assert (tomb.first_name, tomb.last_name, tomb.email) == ("", "", "") and "rosa" not in tomb.username
    assert not EmailAddress.objects.filter(user=tomb).exists()
    for kept in Report.objects.filter(pk__in=[report.pk, anonymous_same_email.pk]):
        assert kept.description == "Poste sin luz"  # the city's record stays
        assert (kept.first_name, kept.last_name, kept.email, kept.phone, kept.reporter_id) == ("", "", "", "", None)
    assert not client.login(username=tomb.username, password=PASSWORD)

    tracking = client.get(f"/reportes/seguimiento/{report.token}/").content.decode()
    open311 = client.get(f"/open311/v2/requests/{report.public_id}.json").content.decode()
    for text in (tracking, open311):
        assert "rosa" not in text.lower() and "Pérez" not in text and "56911112222" not in text


def test_contact_data_of_closed_reports_is_erased_after_the_retention_period(citizen, settings):
    old_closed = _report(None, email="vieja@example.org", phone="+56900000001", device_id="tel-1")
    recent_closed = _report(None, email="reciente@example.org")
    old_open = _report(None, email="abierta@example.org")
    mine = _report(citizen, email="rosa.perez@example.org")
    long_ago = timezone.now() - timedelta(days=400)
    Report.objects.filter(pk__in=[old_closed.pk, mine.pk]).update(status="closed", updated_datetime=long_ago)
    Report.objects.filter(pk=recent_closed.pk).update(status="closed")
    Report.objects.filter(pk=old_open.pk).update(updated_datetime=long_ago)
    key_before = Report.objects.get(pk=old_closed.pk).reporter_key

    call_command("erase_reporter_contacts", days=365)

    erased = Report.objects.get(pk=old_closed.pk)
    assert (erased.email, erased.phone, erased.device_id) == ("", "", "")
    assert erased.reporter_key != key_before and erased.description == "Poste sin luz"
    assert Report.objects.get(pk=recent_closed.pk).email == "reciente@example.org"
    assert Report.objects.get(pk=old_open.pk).email == "abierta@example.org"
    kept_link = Report.objects.get(pk=mine.pk)
    assert kept_link.email == "" and kept_link.reporter == citizen  # still in her "Mis reportes"
    assert report_services.reporter_contacts_expire(days=365) == 0  # nothing left to erase


def test_the_privacy_page_says_what_is_kept_why_and_for_how_long(client, db, settings):
    settings.MUEVE_REPORTER_CONTACT_RETENTION_DAYS = 180
    home = client.get("/").content.decode()
    assert 'href="/privacidad/"' in home
    page = client.get("/privacidad/").content.decode()
    assert "Ley 21.719" in page and "180 días después de que el reporte se cierra" in page


def test_the_demo_mailbox_shows_sent_messages_as_text_only_in_demo_mode(client, db, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.MUEVE_DEMO = True
    send_mail("Confirme <script>x</script>", "Abra https://example.org/confirmar/abc/", None, ["demo@example.org"])
    page = client.get("/demo/buzon/").content.decode()
    assert "demo@example.org" in page and "Confirme &lt;script&gt;x&lt;/script&gt;" in page
    assert "<script>x" not in page and 'href="https://example.org/confirmar/abc/"' in page
    settings.MUEVE_DEMO = False
    assert client.get("/demo/buzon/").status_code == 404


EXPECTED = {
    "members.view_own_data": set(Role.values),
    "members.export_own_data": set(Role.values),
    "members.change_own_profile": set(Role.values),
    "members.delete_own_account": set(Role.values),
    "members.withdraw_own_consent": set(Role.values),
    "notifications.view_own_notifications": set(Role.values),
    "notifications.change_own_preferences": set(Role.values),
    "notifications.manage_own_push": set(Role.values),
}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_role_permission_matrix(users_by_role, role, perm):
    user = users_by_role[role] or AnonymousUser()
    assert user.has_perm(perm) is (role in EXPECTED[perm])


@pytest.mark.parametrize(
    "url",
    [
        "/cuentas/perfil/",
        "/cuentas/mis-datos/",
        "/cuentas/mis-datos/descargar.json",
        "/cuentas/permisos/",
        "/cuentas/eliminar/",
        "/cuentas/perfil/editar/",
    ],
)
def test_own_data_pages_need_an_account(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/cuentas/entrar/")
