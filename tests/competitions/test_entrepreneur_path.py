"""An entrepreneur's whole path through a competition, from where they stand, with the Django test client: a
brand-new account (signed up and verified through the e-mail a real SMTP server receives) registers declaring its
skills, takes a seat at a preparatory clinic (a full clinic says so and keeps its capacity), founds a team, invites
a second entrepreneur, who hears of it and accepts, and the team's skill mix is what the competition's gate to the
jury sees. Their profile lists their team and their workshop."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mueve.accounts.models import Role, User
from mueve.competitions import services
from mueve.competitions.models import ClinicRegistration, Invitation, Participant, Submission, Team
from mueve.notifications.models import Notification
from mueve.workshops import services as workshop_services
from tests.competitions.conftest import pdf
from tests.mail import links

pytestmark = pytest.mark.django_db
PASSWORD = "emprender-en-temuco-2027"


def url(name, competition, *args):
    return reverse(f"competitions:{name}", args=[competition.slug, *args])


def sign_up_and_log_in(smtp_server, email: str, first_name: str) -> tuple[Client, User]:
    """`email` is this module's own: allauth rate-limits confirmation mails per address in the cache, which outlives
    a test (tests/members signs up other addresses)."""
    client = Client()
    response = client.post(
        "/cuentas/registro/",
        {"email": email, "first_name": first_name, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/cuentas/confirmar-correo/"
    [mail] = smtp_server.wait_for(email)
    [link] = [link for link in links(mail) if "/cuentas/confirmar-correo/" in link]
    assert client.post(urlsplit(link).path).status_code == 302
    logged_in = client.post("/cuentas/entrar/", {"login": email, "password": PASSWORD})
    assert logged_in.status_code == 302
    return client, User.objects.get(email=email)


def text(response) -> str:
    return response.content.decode()


def test_a_new_account_goes_from_sign_up_to_a_team_the_jury_can_see(
    smtp_server, competition, challenge, manager, make_user, jurors, first_round
):
    rosa_client, rosa = sign_up_and_log_in(smtp_server, "rosa.emprende@example.org", "Rosa")
    assert rosa.role == Role.CITIZEN  # what every sign-up is

    # 1. Registration, declaring skills. A new account is offered the form (it is not a "participant" account).
    detail = text(rosa_client.get(url("detail", competition)))
    assert "Inscribirme" in detail and "Diseño" in detail
    registered = rosa_client.post(url("register", competition), {"skills": ["design"]}, follow=True)
    assert "Inscripción guardada" in text(registered)
    assert "Está inscrito/a con las habilidades:" in text(registered)
    assert Participant.objects.get(user=rosa, competition=competition).skills == ["design"]

    # 2. A clinic with two seats: one taken, Rosa takes the other, the next person finds it full.
    clinic = services.clinic_create(
        actor=manager,
        competition=competition,
        challenge=challenge,
        title="Clínica: vandalismo en paraderos",
        starts_at=timezone.now() + timedelta(days=3),
        capacity=2,
    )
    services.clinic_register(actor=make_user(Role.CITIZEN), clinic=clinic)
    assert "Queda 1 cupo de 2." in text(rosa_client.get(url("detail", competition)))
    booked = rosa_client.post(url("clinic", competition, clinic.pk, "register"), follow=True)
    assert "Quedó inscrito/a en la clínica." in text(booked)
    assert "Usted está inscrito/a en esta clínica." in text(booked)
    late = Client()
    late.force_login(make_user(Role.PARTICIPANT))
    assert "Sin cupos disponibles (2 de 2 tomados)." in text(late.get(url("detail", competition)))
    refused = late.post(url("clinic", competition, clinic.pk, "register"), follow=True)
    assert "no tiene cupos disponibles: sus 2 cupos están tomados." in text(refused)
    assert ClinicRegistration.objects.filter(clinic=clinic).count() == 2

    # 3. Rosa founds a team.
    created = rosa_client.post(
        url("team_create", competition), {"name": "Refugio Temuco", "challenge": challenge.pk}, follow=True
    )
    assert created.status_code == 200
    team = Team.objects.get(name="Refugio Temuco")
    assert team.captain == rosa

    # 4. She invites a second entrepreneur (an account made for the competition), who hears it and accepts.
    tomas = make_user(Role.PARTICIPANT, first_name="Tomás", email="tomas@example.org")
    tomas_client = Client()
    tomas_client.force_login(tomas)
    tomas_client.post(url("register", competition), {"skills": ["business", "technology"]})
    tomas_participant = Participant.objects.get(user=tomas)
    invite_url = url("team_action", competition, team.pk, "invite")
    invited = rosa_client.post(invite_url, {"participant": tomas_participant.pk})
    assert invited.status_code == 302
    notice = Notification.objects.get(user=tomas)
    assert notice.title == "Invitación al equipo «Refugio Temuco»"
    assert "Acepte o rechace la invitación" in notice.body
    assert notice.url.endswith(url("detail", competition) + "#participar")
    assert "Invitación al equipo «Refugio Temuco»" in text(tomas_client.get("/avisos/"))
    invitation = Invitation.objects.get(team=team, participant=tomas_participant)
    assert "Aceptar invitación de Refugio Temuco" in text(tomas_client.get(url("detail", competition)))
    accepted = tomas_client.post(url("invitation", competition, invitation.pk), {"accept": "1"}, follow=True)
    assert "Se unió al equipo Refugio Temuco." in text(accepted)

    # 5. The skill mix: design (Rosa) + business and technology (Tomás) cover what the competition requires. The
    # gate to the jury sees it: a submission is refused only for the team's size, never for a missing skill.
    team_page = text(rosa_client.get(url("team", competition, team.pk)))
    [matrix] = re.findall(r'<ul class="skill-check"[^>]*>(.*?)</ul>', team_page, re.S)
    assert re.findall(r"✓ (\w+)", matrix) == ["Diseño", "Negocios", "Tecnología"]
    assert "✗" not in matrix and ": falta" not in matrix
    too_small = rosa_client.post(
        url("team_action", competition, team.pk, "submit_hackathon"),
        {"hackathon-concept": "Refugios con pantalla", "hackathon-deck": pdf()},
    )
    assert too_small.status_code == 400
    assert "El equipo necesita al menos 3 integrantes." in text(too_small)
    assert "El equipo aún no cubre las habilidades requeridas" not in text(too_small)

    third = make_user(Role.PARTICIPANT)
    third_participant = services.participant_register(actor=third, competition=competition, skills=["design"])
    rosa_client.post(invite_url, {"participant": third_participant.pk})
    services.invitation_respond(
        actor=third, invitation=Invitation.objects.get(participant=third_participant), accept=True
    )
    submitted = rosa_client.post(
        url("team_action", competition, team.pk, "submit_hackathon"),
        {"hackathon-concept": "Refugios con pantalla", "hackathon-deck": pdf()},
    )
    assert submitted.status_code == 302
    assert Submission.objects.filter(team=team).exists()
    services.round_open(actor=manager, round=first_round)
    juror = Client()
    juror.force_login(jurors[0])
    assert "Refugio Temuco" in text(juror.get(url("jury", competition, first_round.pk)))

    # 6. Her profile lists her team and, once she signs up for a workshop, her workshop too.
    workshop = workshop_services.workshop_create(
        actor=manager,
        program=competition.program,
        kind="other",
        title="Jornada abierta de MueveTT",
        starts_at=timezone.now() + timedelta(days=10),
        public_registration=True,
        capacity=30,
    )
    rosa_client.post(f"/talleres/{workshop.slug}/inscripcion/")
    profile = text(rosa_client.get("/cuentas/perfil/"))
    assert "Refugio Temuco" in profile and competition.name in profile
    assert "Jornada abierta de MueveTT" in profile and "Inscrito/a" in profile


def test_officials_and_jurors_do_not_compete(competition, make_user):
    for role in (Role.OFFICIAL, Role.JUROR, Role.MENTOR):
        client = Client()
        client.force_login(make_user(role))
        assert "Inscribirme" not in text(client.get(url("detail", competition)))
        client.post(url("register", competition), {"skills": ["design"]})
    assert not Participant.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in_or_sign_up(competition):
    page = text(Client().get(url("detail", competition)))
    assert "Entre con su cuenta para inscribirse." in page and "/cuentas/registro/" in page
