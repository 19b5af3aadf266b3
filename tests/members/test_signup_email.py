"""Sign-up, verification, login by e-mail or code, password reset and change of e-mail, with every e-mail going
through a real SMTP server the test starts."""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import signing

from mueve.accounts.models import Role, User
from mueve.reports import services as report_services
from mueve.reports.models import Report
from tests.conftest import PASSWORD
from tests.mail import body, links

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "farol-del-barrio-2026"


def _signup(client, email: str):
    return client.post(
        "/cuentas/registro/",
        {"email": email, "first_name": "Rosa", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def _path(url: str) -> str:
    return urlsplit(url).path


def test_sign_up_verify_by_the_link_in_the_mail_then_log_in_by_email(client, smtp_server):
    response = _signup(client, "rosa@example.org")
    assert response.status_code == 302 and response["Location"] == "/cuentas/confirmar-correo/"
    user = User.objects.get(email="rosa@example.org")
    assert user.role == Role.CITIZEN and user.first_name == "Rosa"

    # Not verified yet: the password alone does not let her in.
    refused = client.post("/cuentas/entrar/", {"login": "rosa@example.org", "password": NEW_PASSWORD})
    assert refused["Location"] == "/cuentas/confirmar-correo/"
    assert client.get("/cuentas/perfil/").status_code == 302

    [*_, mail] = smtp_server.wait_for("rosa@example.org")
    assert "Confirme su correo" in mail["Subject"]
    [link] = [url for url in links(mail) if "/cuentas/confirmar-correo/" in url]
    page = client.get(_path(link))
    assert page.status_code == 200 and "Confirme que rosa@example.org es su dirección" in page.content.decode()
    confirmed = client.post(_path(link))
    assert confirmed.status_code == 302 and confirmed["Location"] == "/cuentas/entrar/"
    assert EmailAddress.objects.get(user=user).verified

    logged_in = client.post("/cuentas/entrar/", {"login": "ROSA@example.org", "password": NEW_PASSWORD})
    assert logged_in.status_code == 302
    assert client.get("/cuentas/perfil/").status_code == 200


def test_an_expired_link_says_so_and_verifies_nothing(client, smtp_server, monkeypatch):
    real_timestamp = signing.TimestampSigner.timestamp
    # The link is signed as if four days ago (it lasts three).
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(int(signing.time.time()) - 4 * 86400)
    )
    _signup(client, "tarde@example.org")
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", real_timestamp)
    [link] = [url for url in links(smtp_server.wait_for("tarde@example.org")[-1]) if "confirmar-correo" in url]

    for response in (client.get(_path(link)), client.post(_path(link))):
        assert response.status_code == 400
        assert "El enlace de confirmación venció o no es válido. No se confirmó nada." in response.content.decode()
    assert not EmailAddress.objects.get(email="tarde@example.org").verified

    tampered = client.get("/cuentas/confirmar-correo/abc:def/")
    assert tampered.status_code == 400 and "venció o no es válido" in tampered.content.decode()


def test_signing_up_with_an_email_already_used_is_refused_and_stores_nothing(client, smtp_server, make_user):
    make_user(Role.CITIZEN, email="ocupado@example.org")
    users, addresses = User.objects.count(), EmailAddress.objects.count()
    response = _signup(client, "Ocupado@Example.org")
    assert response.status_code == 200
    page = response.content.decode()
    assert "No se guardó nada" in page and "Ya hay registrado un usuario con esta dirección" in page
    assert (User.objects.count(), EmailAddress.objects.count()) == (users, addresses)
    assert smtp_server.messages == []


def test_login_with_a_one_time_code_sent_by_email(client, smtp_server, make_user):
    user = make_user(Role.CITIZEN, email="sin-clave@example.org")
    response = client.post("/cuentas/codigo/", {"email": "sin-clave@example.org"})
    assert response.status_code == 302 and response["Location"].startswith("/cuentas/codigo/confirmar/")
    mail = smtp_server.wait_for("sin-clave@example.org")[-1]
    assert "Su código de acceso" in mail["Subject"]
    [code] = re.findall(r"^\s*([A-Z0-9-]{6,12})\s*$", body(mail), re.MULTILINE)
    wrong = client.post("/cuentas/codigo/confirmar/", {"code": "XXXXXX"})
    assert wrong.status_code == 200 and client.get("/cuentas/perfil/").status_code == 302
    right = client.post("/cuentas/codigo/confirmar/", {"code": code})
    assert right.status_code == 302
    page = client.get("/cuentas/perfil/")
    assert page.status_code == 200 and user.username in page.content.decode()


def test_password_reset_by_the_link_in_the_mail(client, smtp_server, make_user):
    user = make_user(Role.CITIZEN, email="olvido@example.org")
    assert client.post("/cuentas/clave/recuperar/", {"email": "olvido@example.org"}).status_code == 302
    mail = smtp_server.wait_for("olvido@example.org")[-1]
    [link] = [url for url in links(mail) if "/cuentas/clave/recuperar/clave/" in url]
    form_page = client.get(_path(link), follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else _path(link)
    done = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)


def test_changing_the_email_needs_the_new_address_verified(client, smtp_server, make_user):
    user = make_user(Role.CITIZEN, email="antes@example.org")
    client.force_login(user)
    response = client.post("/cuentas/correo/", {"action_add": "", "email": "despues@example.org"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "antes@example.org"  # until the new one is confirmed
    [link] = [url for url in links(smtp_server.wait_for("despues@example.org")[-1]) if "confirmar-correo" in url]
    client.post(_path(link))
    user.refresh_from_db()
    assert user.email == "despues@example.org"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("despues@example.org", True)
    ]


def test_reports_made_before_sign_up_join_the_account_when_the_same_email_is_verified(client, smtp_server, settings):
    from tests.members.helpers import a_service

    service = a_service()
    before = report_services.report_submit(
        service=service, lat=-36.82, lon=-73.05, description="Luminaria apagada", email="vecina@example.org"
    )
    other = report_services.report_submit(
        service=service, lat=-36.82, lon=-73.05, description="Otro", email="otra@example.org"
    )
    _signup(client, "vecina@example.org")
    user = User.objects.get(email="vecina@example.org")
    assert Report.objects.get(pk=before.pk).reporter is None  # an unverified address proves nothing
    [link] = [url for url in links(smtp_server.wait_for("vecina@example.org")[-1]) if "confirmar-correo" in url]
    client.post(_path(link))
    assert Report.objects.get(pk=before.pk).reporter == user
    assert Report.objects.get(pk=other.pk).reporter is None
