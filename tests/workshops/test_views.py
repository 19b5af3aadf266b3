"""Workshop pages: iCalendar, public pages, manager forms (bad input → 400 with the field's error, nothing stored)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mueve.accounts.models import Role
from mueve.workshops import ics, services
from mueve.workshops.models import Concept

pytestmark = pytest.mark.django_db
SANTIAGO = ZoneInfo("America/Santiago")


def test_ics_is_rfc5545_shaped(manager, make_workshop, make_org):
    venue = make_org("academia", "Universidad de Concepción; sede Tomé, Chile")
    workshop = make_workshop(
        "hub",
        title="Cocreación del hub, fase 1; rol",
        agenda="09:00 Bienvenida\n10:00 Modelos de hub: Citilab, Forum Virium\\Waag " + "x" * 80,
        venue_organization=venue,
        starts_at=datetime(2014, 10, 15, 9, tzinfo=SANTIAGO),
        ends_at=datetime(2014, 10, 15, 18, tzinfo=SANTIAGO),
    )
    text = ics.workshop_ics(workshop, url="http://example.test/talleres/x/")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends in CRLF
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    unfolded = text.replace("\r\n ", "")
    assert "DTSTART:20141015T120000Z" in unfolded  # 09:00 in Santiago (UTC−3 in October 2014)
    assert "DTEND:20141015T210000Z" in unfolded
    assert "SUMMARY:Cocreación del hub\\, fase 1\\; rol" in unfolded
    assert "LOCATION:Universidad de Concepción\\; sede Tomé\\, Chile" in unfolded
    assert "DESCRIPTION:09:00 Bienvenida\\n10:00 Modelos de hub: Citilab\\, Forum Virium\\\\Waag" in unfolded
    for required in ("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:", "UID:", "DTSTAMP:", "END:VCALENDAR"):
        assert required in unfolded


def test_ics_endpoint_and_public_pages(client, make_workshop):
    workshop = make_workshop("codesign", starts_at=datetime(2014, 1, 15, 9, tzinfo=SANTIAGO))
    response = client.get(f"/talleres/{workshop.slug}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert client.get("/talleres/").status_code == 200
    page = client.get(f"/talleres/{workshop.slug}/").content.decode()
    assert workshop.title in page and "Gestión del taller" not in page
    slug = workshop.program.slug
    for path in ("foda", "hoja-de-ruta", "avance", "informe"):
        assert client.get(f"/talleres/programa/{slug}/{path}/").status_code == 200
    undated = make_workshop("vision")
    assert client.get(f"/talleres/{undated.slug}.ics").status_code == 404


def test_registration_names_are_for_managers_only(client, manager, make_workshop, make_user):
    workshop = make_workshop("codesign")
    services.registration_add(actor=manager, workshop=workshop, full_name="Ana Privada")
    assert "Ana Privada" not in client.get(f"/talleres/{workshop.slug}/").content.decode()
    client.force_login(make_user(Role.CITIZEN))
    assert "Ana Privada" not in client.get(f"/talleres/{workshop.slug}/").content.decode()
    client.force_login(manager)
    assert "Ana Privada" in client.get(f"/talleres/{workshop.slug}/").content.decode()


@pytest.mark.parametrize("role", ["citizen", "official", "operator", "participant", "anonymous"])
def test_non_managers_cannot_post_actions(role, client, users_by_role, make_workshop):
    workshop = make_workshop("codesign")
    if users_by_role[role]:
        client.force_login(users_by_role[role])
    response = client.post(
        f"/talleres/{workshop.slug}/accion/concepto/", {"concept-name": "X", "concept-description": "Y"}
    )
    assert response.status_code == 403
    assert not Concept.objects.exists()


def test_bad_concept_form_answers_400_with_field_error(client, manager, make_workshop):
    workshop = make_workshop("codesign")
    client.force_login(manager)
    response = client.post(f"/talleres/{workshop.slug}/accion/concepto/", {"concept-name": "Solo nombre"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_concept-description"' in html and 'aria-invalid="true"' in html
    assert not Concept.objects.exists()
    response = client.post(
        f"/talleres/{workshop.slug}/accion/concepto/",
        {"concept-name": "Cuida tu Luz", "concept-description": "Adopta una luminaria."},
    )
    assert response.status_code == 302
    assert Concept.objects.get().name == "Cuida tu Luz"


def test_manager_creates_a_workshop_through_the_form(client, manager, program):
    client.force_login(manager)
    url = f"/talleres/nuevo/?programa={program.slug}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "programa": program.slug,
            "title": "Taller de visión",
            "kind": "vision",
            "starts_at": "2014-03-25T09:00",
            "ends_at": "2014-03-25T08:00",
            "dots_per_participant": 3,
        },
    )
    assert response.status_code == 200
    assert "posterior al inicio" in response.content.decode()
    assert not program.workshops.exists()


def test_api_lists_workshops_and_progress(client, manager, program, make_workshop):
    make_workshop("roadmap", structure={"horizons": [2015]}, title="Hoja de ruta")
    line = services.roadmap_line_add(actor=manager, program=program, name="Línea")
    item = services.initiative_add(actor=manager, line=line, name="Iniciativa", horizon=2015)
    services.progress_update(actor=manager, item=item, progress=30)
    data = client.get("/api/v1/workshops/", {"program": program.slug}).json()
    assert [w["title"] for w in data["items"]] == ["Hoja de ruta"]
    assert client.get("/api/v1/workshops/", {"kind": "fiesta"}).status_code in (400, 422)
    tree = client.get(f"/api/v1/workshops/programs/{program.slug}/progress").json()
    assert tree["progress"] == 30 and tree["children"][0]["children"][0]["label"] == "Línea"
    assert client.get("/api/v1/datasets/").json()["count"] == 0


def test_manager_records_prototype_pilot_feedback_dataset_and_attendance(client, manager, make_workshop, make_org):
    from mueve.datasets.models import Dataset

    owner = make_org("government", "Unidad de Modernización")
    codesign = make_workshop("codesign")
    concept = services.concept_create(actor=manager, workshop=codesign, name="iTrans", description="Info")
    services.concept_decide(actor=manager, concept=concept, selected=True, reason="Más votado", owner=owner)
    ana = services.registration_add(actor=manager, workshop=codesign, full_name="Ana")
    client.force_login(manager)
    url = f"/talleres/{codesign.slug}/accion/"
    assert (
        client.post(url + "prototipo/", {"proto-concept": concept.pk, "proto-title": "App Android"}).status_code == 302
    )
    assert (
        client.post(url + "piloto/", {"pilot-concept": concept.pk, "pilot-description": "Con vecinos"}).status_code
        == 302
    )
    pilot = concept.pilots.get()
    bad = client.post(
        url + "prueba/", {"fb-pilot": pilot.pk, "fb-tester": "P1", "fb-rating": "9", "fb-day": "2014-05-01"}
    )
    assert bad.status_code == 400 and not pilot.feedback.exists()
    ok = client.post(
        url + "prueba/", {"fb-pilot": pilot.pk, "fb-tester": "P1", "fb-rating": "4", "fb-day": "2014-05-01"}
    )
    assert ok.status_code == 302 and pilot.feedback.get().rating == 4
    assert client.post(url + "asistencia/", {"att-attended": [ana.pk]}).status_code == 302
    ana.refresh_from_db()
    assert ana.attended
    diagnosis = make_workshop("diagnosis")
    response = client.post(
        f"/talleres/{diagnosis.slug}/accion/dato/",
        {
            "ds-title": "Conteos",
            "ds-publisher": owner.pk,
            "ds-accrual_periodicity": "daily",
            "ds-access_rights": "public",
        },
    )
    assert response.status_code == 302
    assert Dataset.objects.get().identified_in == diagnosis
    page = client.get(f"/talleres/{codesign.slug}/").content.decode()
    assert "App Android" in page and "Con vecinos" in page
