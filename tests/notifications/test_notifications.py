"""A reporter with an account hears about their report by the channels they chose; e-mail through a real SMTP
server, only with their yes."""

import pytest

from mueve.accounts.models import Role
from mueve.notifications import kinds, services
from mueve.notifications.models import Delivery, Notification, Preference
from mueve.reports import services as report_services
from mueve.reports.models import Report
from tests.mail import body
from tests.members.helpers import a_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(make_user):
    return make_user(Role.CITIZEN, email="vecina@example.org", first_name="Vecina")


@pytest.fixture
def operator(make_user):
    return make_user(Role.OPERATOR)


def _report(user, **extra) -> Report:
    report = report_services.report_submit(
        service=a_service(), lat=-36.8201, lon=-73.0444, description="Poste sin luz", reporter=user, **extra
    )
    report.refresh_from_db()
    assert report.incident_id
    return report


def test_acknowledgement_email_with_the_public_reply_when_the_person_opted_in(
    client, citizen, operator, smtp_server, after_commit
):
    client.force_login(citizen)
    page = client.get("/avisos/preferencias/")
    assert "Por correo electrónico" in page.content.decode()
    client.post("/avisos/preferencias/", {"pref": ["report_update:email", "report_update:in_app"]})
    assert Preference.objects.get(user=citizen, kind=kinds.REPORT_UPDATE, channel=kinds.EMAIL).enabled

    report = _report(citizen)
    with after_commit():
        report_services.incident_acknowledge(
            incident=report.incident, actor=operator, note="interno: cuadrilla 3", public_reply="Iremos el martes."
        )
    [mail] = smtp_server.wait_for("vecina@example.org")
    assert report.public_id in mail["Subject"] and "Recibido por el organismo" in mail["Subject"]
    text = body(mail)
    assert "Iremos el martes." in text and f"/reportes/seguimiento/{report.token}/" in text
    assert "cuadrilla 3" not in text  # the internal note never reaches the citizen
    assert Delivery.objects.get().status == Delivery.Status.SENT

    listed = client.get("/avisos/").content.decode()
    assert "Iremos el martes." in listed and "Nuevo" in listed
    client.post("/avisos/leidos/")
    assert not Notification.objects.filter(user=citizen, read_at__isnull=True).exists()

    with after_commit():
        report_services.incident_resolve(
            incident=report.incident, actor=operator, public_reply="Cambiamos la ampolleta."
        )
    mails = smtp_server.wait_for("vecina@example.org", 2)
    assert "Resuelto" in mails[-1]["Subject"] and "Cambiamos la ampolleta." in body(mails[-1])


def test_no_email_without_the_persons_yes_but_the_in_app_list_has_it(
    client, citizen, operator, smtp_server, after_commit
):
    report = _report(citizen)
    with after_commit():
        report_services.incident_acknowledge(incident=report.incident, actor=operator, public_reply="Recibido.")
    assert smtp_server.messages == []
    assert Notification.objects.get(user=citizen).body.endswith("Recibido.")

    # Withdrawing the in-app channel too: nothing is listed any more.
    client.force_login(citizen)
    client.post("/avisos/preferencias/", {})
    with after_commit():
        report_services.incident_resolve(incident=report.incident, actor=operator)
    assert Notification.objects.filter(user=citizen, listed=True).count() == 1
    assert "Permiso retirado el" in client.get("/avisos/preferencias/").content.decode()


def test_a_report_that_already_emails_its_address_is_not_emailed_twice(citizen, operator, smtp_server, after_commit):
    services.preference_set(user=citizen, kind=kinds.REPORT_UPDATE, channel=kinds.EMAIL, enabled=True)
    report = _report(citizen, email="vecina@example.org")  # she ticked "Quiero recibir novedades"
    with after_commit():
        report_services.incident_acknowledge(incident=report.incident, actor=operator, public_reply="Visto.")
    assert len(smtp_server.wait_for("vecina@example.org")) == 1
    assert not Delivery.objects.exists()
    assert Notification.objects.get(user=citizen).listed  # the in-app notice is still there


def test_a_mail_server_that_is_down_does_not_undo_the_operators_action(citizen, operator, settings, after_commit):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    services.preference_set(user=citizen, kind=kinds.REPORT_UPDATE, channel=kinds.EMAIL, enabled=True)
    report = _report(citizen)
    with after_commit():
        incident = report_services.incident_acknowledge(incident=report.incident, actor=operator)
    assert incident.status == "acknowledged"
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 1 and delivery.error
    # The retry command sends it once the server is back.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.deliveries_send() == {"sent": 1, "failed": 0}


def test_unknown_preferences_are_ignored(client, citizen):
    client.force_login(citizen)
    response = client.post("/avisos/preferencias/", {"pref": ["nada:email", "report_update:fax"]})
    assert response.status_code == 302
    assert not Preference.objects.filter(enabled=True).exists()


def test_the_pages_need_an_account(client, db):
    for url in ("/avisos/", "/avisos/preferencias/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/cuentas/entrar/")
