"""Public registration for a workshop, from where people stand: the page's buttons (POST forms), its seats and
waiting list, the notices a registrant gets when a seat frees up or the workshop moves (e-mail through a real SMTP
server for the one who chose it), and what a manager, an anonymous visitor and the API see."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from mueve.accounts.models import Role
from mueve.members import selectors as member_selectors
from mueve.members import services as member_services
from mueve.notifications import kinds
from mueve.notifications.models import Notification
from mueve.workshops import services
from mueve.workshops.models import Registration, RegistrationStatus
from tests.conftest import PASSWORD
from tests.mail import body

pytestmark = pytest.mark.django_db
SANTIAGO = ZoneInfo("America/Santiago")
START = datetime(2030, 3, 15, 10, tzinfo=SANTIAGO)


@pytest.fixture
def open_workshop(make_workshop):
    """A public programme's workshop, open to the public, two seats, in the future."""
    return make_workshop(
        "vision",
        title="Taller de visión abierto",
        starts_at=START,
        ends_at=START + timedelta(hours=3),
        venue_address="Biblioteca Municipal",
        public_registration=True,
        capacity=2,
    )


@pytest.fixture
def people(make_user):
    return [
        make_user(Role.CITIZEN, first_name=name, last_name="Prueba", email=f"{name.lower()}@example.org")
        for name in ("Ana", "Beto", "Carla")
    ]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client, workshop) -> str:
    response = client.get(f"/talleres/{workshop.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def register(client, workshop, *, follow=False):
    return client.post(f"/talleres/{workshop.slug}/inscripcion/", follow=follow)


def statuses(workshop) -> dict[str, str]:
    return {r.user.first_name: r.status for r in Registration.objects.filter(workshop=workshop).select_related("user")}


def test_capacity_is_honoured_exactly_and_the_third_person_waits(open_workshop, people):
    ana, beto, carla = (signed_in(p) for p in people)
    assert "Inscribirme" in page(ana, open_workshop) and "Quedan 2 cupos de 2." in page(ana, open_workshop)

    assert "Quedó inscrito/a en el taller." in register(ana, open_workshop, follow=True).content.decode()
    assert "Queda 1 cupo de 2." in page(beto, open_workshop)
    register(beto, open_workshop)
    # The page now offers the waiting list, and says so before the click.
    before = page(carla, open_workshop)
    assert "Cupos llenos (2 de 2)." in before and "Unirme a la lista de espera" in before
    after = register(carla, open_workshop, follow=True).content.decode()
    assert "quedó en la lista de espera" in after
    assert "Está en la lista de espera (lugar 1)." in after and "Salir de la lista de espera" in after

    assert statuses(open_workshop) == {"Ana": "confirmed", "Beto": "confirmed", "Carla": "waitlisted"}
    mine = page(ana, open_workshop)
    assert "Inscrito/a" in mine and "Cancelar mi inscripción" in mine
    # The public page counts the line but names nobody.
    public = page(Client(), open_workshop)
    assert "Lista de espera: 1 persona" in public
    assert "Ana" not in public and "Carla" not in public
    assert "Entre con su cuenta para inscribirse" in public
    # The count of "inscritos" is the confirmed seats.
    assert "2 inscritos" in public


def test_a_cancellation_gives_the_seat_to_the_first_in_line_who_is_told(open_workshop, people):
    ana, beto, carla = (signed_in(p) for p in people)
    for client in (ana, beto, carla):
        register(client, open_workshop)

    response = ana.post(f"/talleres/{open_workshop.slug}/inscripcion/cancelar/", follow=True)
    assert "Su inscripción quedó cancelada." in response.content.decode()
    assert statuses(open_workshop) == {"Ana": "cancelled", "Beto": "confirmed", "Carla": "confirmed"}

    notice = Notification.objects.get(user=people[2])
    assert notice.kind == kinds.WORKSHOP_UPDATE
    assert notice.title == "Tiene cupo en «Taller de visión abierto»"
    assert "15 de marzo de 2030, 10:00" in notice.body
    assert "Tiene cupo en «Taller de visión abierto»" in carla.get("/avisos/").content.decode()
    assert "Inscrito/a" in page(carla, open_workshop)
    # Ana may sign up again: the workshop is full, so she goes to the back of the line.
    assert "Unirme a la lista de espera" in page(ana, open_workshop)
    register(ana, open_workshop)
    assert statuses(open_workshop)["Ana"] == "waitlisted"


def test_registering_twice_is_refused_and_nothing_is_stored(open_workshop, people):
    ana = signed_in(people[0])
    register(ana, open_workshop)
    response = register(ana, open_workshop)
    assert response.status_code == 400
    assert "Usted ya está inscrito/a en este taller." in response.content.decode()
    assert Registration.objects.filter(workshop=open_workshop).count() == 1

    for other in people[1:]:
        register(signed_in(other), open_workshop)
    again = register(signed_in(people[2]), open_workshop)
    assert again.status_code == 400
    assert "Usted ya está en la lista de espera de este taller." in again.content.decode()
    assert Registration.objects.filter(workshop=open_workshop).count() == 3


def test_a_closed_workshop_answers_400_in_spanish_and_stores_nothing(manager, open_workshop, people):
    services.workshop_update(
        actor=manager, workshop=open_workshop, registration_closes_at=timezone.now() - timedelta(minutes=1)
    )
    client = signed_in(people[0])
    assert "Las inscripciones cerraron el" in page(client, open_workshop)
    assert "Inscribirme" not in page(client, open_workshop)
    response = register(client, open_workshop)
    assert response.status_code == 400
    assert "Las inscripciones cerraron el" in response.content.decode()
    services.workshop_update(actor=manager, workshop=open_workshop, registration_closes_at=None, status="cancelled")
    response = register(client, open_workshop)
    assert response.status_code == 400
    assert "El taller fue cancelado: no recibe inscripciones." in response.content.decode()
    assert not Registration.objects.exists()


def test_hidden_workshops_are_404_anonymous_visitors_go_to_log_in(manager, open_workshop, people, make_workshop):
    anonymous = Client()
    response = register(anonymous, open_workshop)
    assert response.status_code == 302 and response["Location"].startswith("/cuentas/entrar/")
    # A workshop not open to the public: no button, and a POST is refused.
    private = make_workshop("codesign", starts_at=START)
    client = signed_in(people[0])
    assert "Inscribirme" not in page(client, private)
    refused = register(client, private)
    assert refused.status_code == 400
    assert "Este taller no tiene inscripción abierta al público." in refused.content.decode()
    # A programme that is not public hides its workshops: 404 to anybody but its managers.
    open_workshop.program.is_public = False
    open_workshop.program.save(update_fields=["is_public"])
    assert client.get(f"/talleres/{open_workshop.slug}/").status_code == 404
    assert register(client, open_workshop).status_code == 404
    assert register(anonymous, open_workshop).status_code == 404
    assert not Registration.objects.exists()


def test_managers_see_the_waiting_list_in_order_with_names(manager, open_workshop, people):
    for person in people:
        register(signed_in(person), open_workshop)
    html = page(signed_in(manager), open_workshop)
    waiting = html.index('id="waiting-list"')
    assert html.index("Inscripciones y asistencia") < html.index("Ana Prueba") < waiting < html.index("Carla Prueba")
    # More seats: the line moves up and the promoted person is told.
    services.workshop_update(actor=manager, workshop=open_workshop, capacity=3)
    assert statuses(open_workshop)["Carla"] == "confirmed"
    assert Notification.objects.filter(user=people[2], title__startswith="Tiene cupo").exists()
    # Fewer seats than people already confirmed: nobody loses a seat, nobody new gets one.
    services.workshop_update(actor=manager, workshop=open_workshop, capacity=1)
    assert set(statuses(open_workshop).values()) == {"confirmed"}


def test_a_moved_workshop_tells_its_registrants_by_their_channels(
    manager, open_workshop, people, make_user, smtp_server, django_capture_on_commit_callbacks
):
    ana, beto, carla = (signed_in(p) for p in people)
    for client in (ana, beto, carla):
        register(client, open_workshop)
    dropped = make_user(Role.CITIZEN, first_name="Dora")
    register(signed_in(dropped), open_workshop)  # waiting, then leaves the line: hears nothing
    signed_in(dropped).post(f"/talleres/{open_workshop.slug}/inscripcion/cancelar/")
    # Ana chose e-mail for this kind of notice on her preferences page.
    ana.post("/avisos/preferencias/", {"pref": ["workshop_update:in_app", "workshop_update:email"]})

    edit = signed_in(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = edit.post(
            f"/talleres/{open_workshop.slug}/editar/",
            {
                "title": open_workshop.title,
                "starts_at": "2030-03-22T16:00",
                "ends_at": "2030-03-22T19:00",
                "venue_address": "Centro Cultural de Temuco",
                "dots_per_participant": 3,
                "public_registration": "on",
                "capacity": 2,
            },
        )
    assert response.status_code == 302

    [mail] = smtp_server.wait_for("ana@example.org")
    assert "Cambió el taller «Taller de visión abierto»" in mail["Subject"]
    text = body(mail)
    assert "Nueva fecha: 22 de marzo de 2030, 16:00 – 19:00." in text
    assert "Nuevo lugar: Centro Cultural de Temuco." in text
    assert f"/talleres/{open_workshop.slug}/" in text
    # Everybody registered or waiting sees it in their list of notices; nobody else does.
    for client in (ana, beto, carla):
        assert "Nueva fecha: 22 de marzo de 2030" in client.get("/avisos/").content.decode()
    assert not Notification.objects.filter(user=dropped).exists()
    assert smtp_server.to("beto@example.org") == []  # Beto kept the default: in the platform only

    # Cancelling the workshop is news too; an edit of the agenda is not.
    before = Notification.objects.count()
    services.workshop_update(actor=manager, workshop=open_workshop, agenda="09:00 Bienvenida")
    assert Notification.objects.count() == before
    services.workshop_update(actor=manager, workshop=open_workshop, status="cancelled")
    assert Notification.objects.filter(title="Se canceló el taller «Taller de visión abierto»").count() == 3


def test_the_api_registers_and_unregisters_with_field_messages(open_workshop, people):
    url = f"/api/v1/workshops/{open_workshop.slug}/registration"
    assert Client().post(url).status_code == 401
    clients = [signed_in(p) for p in people]
    answers = [c.post(url) for c in clients]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert [a.json()["status"] for a in answers] == ["confirmed", "confirmed", "waitlisted"]
    assert answers[2].json()["position"] == 1 and answers[2].json()["seats_left"] == 0
    again = clients[0].post(url)
    assert again.status_code == 400
    assert again.json()["errors"]["workshop"] == ["Usted ya está inscrito/a en este taller."]
    left = clients[0].delete(url)
    assert left.status_code == 200 and left.json()["status"] == "cancelled"
    assert statuses(open_workshop)["Carla"] == "confirmed"
    nothing = clients[0].delete(url)
    assert nothing.status_code == 400 and "workshop" in nothing.json()["errors"]
    assert Client().get(f"/api/v1/workshops/{open_workshop.slug}").json()["capacity"] == 2


def test_own_data_shows_the_status_and_a_deleted_account_frees_its_seat(open_workshop, people):
    for person in people:
        register(signed_in(person), open_workshop)
    data = member_selectors.own_data(user=people[2])
    assert data["workshops"][0]["status"] == "waitlisted"
    assert data["workshops"][0]["status_label"] == "En lista de espera"
    profile = signed_in(people[0]).get("/cuentas/perfil/").content.decode()
    assert "Taller de visión abierto" in profile and "Inscrito/a" in profile

    # Deleting the account anonymises the registration and cancels its seat: the next in line gets it.
    member_services.account_delete(user=people[0], password=PASSWORD)
    gone = Registration.objects.get(workshop=open_workshop, user__isnull=True)
    assert gone.status == RegistrationStatus.CANCELLED and "cuenta eliminada" in gone.full_name
    assert Registration.objects.get(user=people[2]).status == RegistrationStatus.CONFIRMED


def test_registration_totals_of_many_programmes_agree_with_each_one_in_one_query(demo_db, django_assert_num_queries):
    from mueve.programs.models import Program
    from mueve.workshops import selectors as workshop_selectors

    programs = list(Program.objects.all())
    with django_assert_num_queries(1):
        totals = workshop_selectors.program_registration_counts(programs)
    assert totals and all(totals.get(p.pk, 0) == workshop_selectors.program_registration_count(p) for p in programs)
