import datetime as dt
import re

import pytest
from django.urls import reverse

from mueve.accounts.models import Role
from mueve.challenges import services
from mueve.challenges.models import Challenge, Interview, Kind, Status
from mueve.competitions import services as competition_services
from mueve.workshops import services as workshop_services
from mueve.workshops.models import Kind as WorkshopKind

LIST = "/desafios/"


@pytest.fixture
def sample(make_challenge, other_org):
    return {
        "public": make_challenge(
            "¿Cómo reducir el vandalismo en paraderos?", status=Status.ADDRESSING, kind=Kind.ABSTRACT
        ),
        "concrete": make_challenge(
            "¿Cómo informar incidentes al centro de control?",
            status=Status.PUBLISHED,
            kind=Kind.CONCRETE,
            owner=other_org,
        ),
        "internal": make_challenge("¿Cómo coordinar cortes de ruta con emergencias?", status=Status.VALIDATED),
    }


def test_list_shows_public_challenges_to_anonymous(client, sample):
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "¿Cómo reducir el vandalismo en paraderos?" in html
    assert "¿Cómo informar incidentes al centro de control?" in html
    assert "cortes de ruta" not in html
    assert 'aria-live="polite"' in html
    assert 'hx-get="/desafios/"' in html


def test_staff_see_internal_challenges_in_list(client, sample, official):
    client.force_login(official)
    assert "cortes de ruta" in client.get(LIST).content.decode()


@pytest.mark.parametrize(
    "query, shown, hidden",
    [
        ("?kind=concrete", "centro de control", "vandalismo"),
        ("?status=addressing", "vandalismo", "centro de control"),
        ("?owner=seremitt-test", "centro de control", "vandalismo"),
        ("?q=vandalismo", "vandalismo", "centro de control"),
        ("?program=smart-city-prueba&kind=abstract", "vandalismo", "centro de control"),
    ],
)
def test_list_filters(client, sample, query, shown, hidden):
    html = client.get(LIST + query).content.decode()
    assert shown in html
    assert hidden not in html


def test_bad_filter_value_is_reported_and_others_still_apply(client, sample):
    response = client.get(LIST + "?status=validated&kind=concrete")  # anonymous may not filter by "validated"
    assert response.status_code == 200
    html = response.content.decode()
    assert "errorlist" in html
    assert "centro de control" in html and "vandalismo" not in html


def test_htmx_request_gets_only_the_results(client, sample):
    response = client.get(LIST + "?kind=abstract", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert "vandalismo" in html and "centro de control" not in html
    assert "HX-Request" in response["Vary"]


def test_list_is_paginated(client, make_challenge):
    for n in range(23):
        make_challenge(f"¿Cómo resolver el problema número {n:02d}?", status=Status.PUBLISHED)
    first = client.get(LIST).content.decode()
    assert "23 desafíos" in first and "Página 1 de 2" in first
    second = client.get(LIST + "?page=2").content.decode()
    assert "Página 2 de 2" in second and "problema número 00" in second


def test_detail_shows_question_history_and_links(client, sample):
    challenge = sample["public"]
    html = client.get(reverse("challenges:detail", args=[challenge.slug])).content.decode()
    assert "<h1>¿Cómo reducir el vandalismo en paraderos?</h1>" in html
    assert "Una competencia" in html  # how it is addressed, while no competition offers it yet
    assert "Historial de estados" in html
    assert html.count("<li>\n    <time") == 4
    assert "Entrevistas de origen" not in html
    assert "Cambiar estado" not in html


@pytest.mark.parametrize("role", [None, Role.CITIZEN, Role.PARTICIPANT])
def test_internal_challenge_is_404_for_the_public(client, make_user, sample, role):
    if role:
        client.force_login(make_user(role))
    assert client.get(reverse("challenges:detail", args=[sample["internal"].slug])).status_code == 404


def test_unknown_challenge_is_404(client, db):
    assert client.get("/desafios/no-existe/").status_code == 404


def test_staff_see_interviews_and_manager_sees_transition_form(
    client, sample, official, manager, program, organization
):
    interview = services.interview_create(
        actor=manager,
        program=program,
        institution=organization,
        date=dt.date(2014, 1, 7),
        interviewee_name="Jefatura del centro de control",
        notes="Notas internas de la entrevista.",
    )
    challenge = sample["internal"]
    challenge.interviews.add(interview)
    url = reverse("challenges:detail", args=[challenge.slug])
    client.force_login(official)
    html = client.get(url).content.decode()
    assert "Notas internas de la entrevista." in html
    assert "Cambiar estado" not in html
    client.force_login(manager)
    html = client.get(url).content.decode()
    assert 'action="/desafios/' in html and "Cambiar estado" in html


def test_create_requires_login_and_role(client, make_user, program):
    response = client.get(reverse("challenges:create"))
    assert response.status_code == 302 and "/cuentas/entrar/" in response["Location"]
    client.force_login(make_user(Role.CITIZEN))
    assert client.get(reverse("challenges:create")).status_code == 403
    assert client.post(reverse("challenges:create"), {"title": "¿Cómo algo bastante largo?"}).status_code == 403
    assert not Challenge.objects.exists()


def _payload(program, owner, **extra):
    data = {"program": program.slug, "title": "Faltan ciclovías seguras", "owner": owner.slug, "kind": "concrete"}
    data.update(extra)
    return data


def test_manager_creates_with_bad_title_then_good_one(client, manager, program, organization):
    client.force_login(manager)
    url = reverse("challenges:create")
    assert client.get(url).status_code == 200
    response = client.post(url, _payload(program, organization))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Formule el desafío como una pregunta" in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_title_helptext id_title_error"' in html
    assert 'id="id_title_error"' in html
    assert not Challenge.objects.exists()

    response = client.post(url, _payload(program, organization, title="¿Cómo hacer más seguras las ciclovías?"))
    challenge = Challenge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("challenges:detail", args=[challenge.slug])
    page = client.get(response["Location"]).content.decode()
    assert "Desafío creado" in page
    assert "¿Cómo hacer más seguras las ciclovías?" in client.get(LIST).content.decode()


def test_create_with_missing_fields_shows_spanish_errors(client, manager):
    client.force_login(manager)
    html = client.post(reverse("challenges:create"), {}).content.decode()
    assert "Elija el programa" in html
    assert "Escriba el desafío como una pregunta." in html
    assert "Elija si el desafío es concreto o abstracto." in html
    assert not Challenge.objects.exists()


def test_official_can_create(client, official, program, organization):
    client.force_login(official)
    response = client.post(
        reverse("challenges:create"), _payload(program, organization, title="¿Cómo ver los incidentes a tiempo?")
    )
    assert response.status_code == 302
    assert Challenge.objects.get().created_by == official


def test_create_from_interview_prefills(client, manager, program, other_org):
    interview = services.interview_create(
        actor=manager,
        program=program,
        institution=other_org,
        date=dt.date(2014, 1, 6),
        component=program.components.get(key="codesign"),
    )
    client.force_login(manager)
    html = client.get(reverse("challenges:create") + f"?entrevista={interview.pk}").content.decode()
    assert f'<option value="{other_org.slug}" selected>' in html
    assert re.search(rf'name="interviews" value="{interview.pk}"[^>]*checked', html)
    assert "A partir de la entrevista" in html


def test_official_edits_own_challenge_but_not_others(client, official, sample):
    client.force_login(official)
    own = sample["public"]
    url = reverse("challenges:edit", args=[own.slug])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"title": "sin pregunta", "owner": own.owner.slug, "kind": own.kind})
    assert "Formule el desafío como una pregunta" in bad.content.decode()
    good = client.post(
        url, {"title": "¿Cómo evitar el vandalismo en paraderos?", "owner": own.owner.slug, "kind": own.kind}
    )
    assert good.status_code == 302
    own.refresh_from_db()
    assert own.title == "¿Cómo evitar el vandalismo en paraderos?"
    assert client.get(reverse("challenges:edit", args=[sample["concrete"].slug])).status_code == 403


def test_edit_anonymous_goes_to_login(client, sample):
    response = client.get(reverse("challenges:edit", args=[sample["public"].slug]))
    assert response.status_code == 302 and "/cuentas/entrar/" in response["Location"]


def test_manager_transitions_from_the_page(client, manager, sample):
    challenge = sample["concrete"]
    url = reverse("challenges:transition", args=[challenge.slug])
    client.force_login(manager)
    response = client.post(url, {"to_status": "addressing"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Indique si se aborda mediante un concepto o una competencia." in html
    challenge.refresh_from_db()
    assert challenge.status == Status.PUBLISHED
    response = client.post(url, {"to_status": "addressing", "addressed_via": "concept"})
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert (challenge.status, challenge.addressed_via) == (Status.ADDRESSING, "concept")
    response = client.post(url, {"to_status": "identified"})
    assert "no está permitido" in response.content.decode()


def test_challenge_page_shows_the_competition_addressing_it(client, manager, sample):
    challenge = sample["public"]
    competition = competition_services.competition_create(
        actor=manager, program=challenge.program, name="MueveTT 2014", challenges=[challenge]
    )
    page = reverse("challenges:detail", args=[challenge.slug])
    competition_url = reverse("competitions:detail", args=[competition.slug])
    # An unpublished competition is the organizers' own: its challenges do not announce it yet.
    html = client.get(page).content.decode()
    assert "MueveTT 2014" not in html and competition_url not in html
    client.force_login(manager)
    assert competition_url in client.get(page).content.decode()
    client.logout()

    competition_services.competition_set_flags(actor=manager, competition=competition, is_published=True)
    html = client.get(page).content.decode()
    assert f'<a href="{competition_url}"><strong>MueveTT 2014</strong></a>' in html
    assert "Todavía no se aborda." not in html
    assert "Abordado mediante: MueveTT 2014" in client.get(LIST).content.decode()
    assert challenge.slug in client.get(LIST, {"q": "MueveTT"}).content.decode()


def test_challenge_page_shows_the_concept_made_for_it(client, manager, sample):
    challenge = sample["concrete"]
    page = reverse("challenges:detail", args=[challenge.slug])
    assert "Todavía no se aborda." in client.get(page).content.decode()
    workshop = workshop_services.workshop_create(
        actor=manager, program=challenge.program, kind=WorkshopKind.CODESIGN, title="Taller de codiseño"
    )
    workshop_services.concept_create(
        actor=manager,
        workshop=workshop,
        name="Ciudadano te Informa",
        description="Reportes ciudadanos de incidentes en tiempo real.",
        challenge=challenge,
    )
    html = client.get(page).content.decode()
    assert "Ciudadano te Informa" in html and reverse("workshops:detail", args=[workshop.slug]) in html
    assert "Taller de codiseño" in html


def test_official_cannot_transition(client, official, sample):
    client.force_login(official)
    url = reverse("challenges:transition", args=[sample["internal"].slug])
    assert client.post(url, {"to_status": "published"}).status_code == 403
    sample["internal"].refresh_from_db()
    assert sample["internal"].status == Status.VALIDATED


def test_interview_pages_are_staff_only(client, make_user, official, program, organization):
    url = reverse("challenges:interview_list")
    assert client.get(url).status_code == 302
    client.force_login(make_user(Role.CITIZEN))
    assert client.get(url).status_code == 403
    assert client.get(reverse("challenges:interview_create")).status_code == 403
    client.force_login(official)
    assert client.get(url).status_code == 200
    create = reverse("challenges:interview_create")
    bad = client.post(create, {"program": program.slug, "institution": organization.slug, "date": "ayer"})
    assert "Use una fecha como 2014-01-15." in bad.content.decode()
    future = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    bad = client.post(create, {"program": program.slug, "institution": organization.slug, "date": future})
    assert "no puede estar en el futuro" in bad.content.decode()
    assert not Interview.objects.exists()
    good = client.post(
        create,
        {
            "program": program.slug,
            "institution": organization.slug,
            "date": "2014-01-07",
            "interviewee_name": "Jefatura de la unidad",
            "notes": "Pocas cámaras.",
        },
    )
    assert good.status_code == 302
    html = client.get(url).content.decode()
    assert "Jefatura de la unidad" in html and "Crear desafío desde esta entrevista" in html


def test_admin_lists_challenges_and_refuses_a_non_question(client, make_user, sample):
    client.force_login(make_user(Role.ADMIN))
    assert client.get("/admin/challenges/challenge/").status_code == 200
    assert client.get("/admin/challenges/interview/").status_code == 200
    challenge = sample["public"]
    url = f"/admin/challenges/challenge/{challenge.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "program": challenge.program_id,
            "title": "Sin pregunta alguna aquí",
            "owner": challenge.owner_id,
            "kind": challenge.kind,
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Formule el desafío como una pregunta" in response.content.decode()
    challenge.refresh_from_db()
    assert challenge.title == "¿Cómo reducir el vandalismo en paraderos?"


def test_officials_do_not_see_into_a_private_program(client, make_user, make_challenge, program):
    challenge = make_challenge(status=Status.VALIDATED)
    program.is_public = False
    program.save()
    client.force_login(make_user(Role.OFFICIAL))
    assert challenge.title not in client.get("/desafios/").content.decode()
    assert client.get(f"/desafios/{challenge.slug}/").status_code == 404
    form = client.get("/desafios/nuevo/").content.decode()
    assert f'value="{program.slug}"' not in form
    api = client.get(f"/api/v1/challenges/?program={program.slug}").json()
    assert api["count"] == 0
    client.force_login(make_user(Role.MANAGER))
    assert client.get(f"/desafios/{challenge.slug}/").status_code == 200


def test_a_unicode_digit_in_the_interview_parameter_is_ignored(client, make_user):
    client.force_login(make_user(Role.OFFICIAL))
    assert client.get("/desafios/nuevo/?entrevista=%C2%B2").status_code == 200


def test_notes_of_internal_review_stay_internal(client, make_user, make_challenge):
    manager = make_user(Role.MANAGER)
    challenge = make_challenge(status=Status.PUBLISHED)
    services.challenge_transition(actor=manager, challenge=challenge, to_status=Status.VALIDATED, note="Falta el dato")
    services.challenge_transition(actor=manager, challenge=challenge, to_status=Status.PUBLISHED, note="Listo")
    page = client.get(f"/desafios/{challenge.slug}/").content.decode()
    api = client.get(f"/api/v1/challenges/{challenge.slug}").content.decode()
    for public_view in (page, api):
        assert "Falta el dato" not in public_view
        assert "Listo" in public_view
    client.force_login(manager)
    assert "Falta el dato" in client.get(f"/desafios/{challenge.slug}/").content.decode()
