"""Pages: what each person sees and what a bad form does (400 with field errors, nothing stored)."""

import pytest
from django.urls import reverse

from mueve.accounts.models import Role
from mueve.competitions import services
from mueve.competitions.models import ConflictReason, Participant, Score, Submission
from tests.competitions.conftest import pdf, values

pytestmark = pytest.mark.django_db


def url(name, competition, *args):
    return reverse(f"competitions:{name}", args=[competition.slug, *args])


def test_public_pages(client, competition, make_team):
    make_team("Despierta")
    response = client.get(reverse("competitions:list"))
    assert competition.name in response.content.decode()
    page = client.get(url("detail", competition)).content.decode()
    assert "svg" in page and "Despierta" in page and "Hackatón" in page
    assert client.get(url("results", competition)).status_code == 404
    assert client.get(url("manage", competition)).status_code == 302  # to the login page


def test_unpublished_competition_is_hidden(client, competition, manager):
    services.competition_set_flags(actor=manager, competition=competition, is_published=False)
    assert client.get(url("detail", competition)).status_code == 404
    client.force_login(manager)
    assert client.get(url("detail", competition)).status_code == 200


def test_participant_registers_and_creates_team(client, competition, make_user, challenge):
    user = make_user(Role.PARTICIPANT)
    client.force_login(user)
    response = client.post(url("register", competition), {"skills": ["design", "technology"]}, follow=True)
    assert "Inscripción guardada" in response.content.decode()
    response = client.post(url("team_create", competition), {"name": "Refugio", "challenge": challenge.pk}, follow=True)
    assert response.status_code == 200
    assert Participant.objects.get(user=user).team.name == "Refugio"


def test_bad_registration_stores_nothing(client, competition, make_user):
    client.force_login(make_user(Role.PARTICIPANT))
    response = client.post(url("register", competition), {"skills": []}, follow=True)
    assert "habilidades" in response.content.decode().lower()
    assert not Participant.objects.exists()


def test_submission_form_errors(client, make_team):
    team = make_team("Solo dos", skills=[["design"], ["business"]])
    client.force_login(team.captain)
    response = client.post(
        url("team_action", team.competition, team.pk, "submit_hackathon"),
        {"hackathon-concept": "Idea", "hackathon-deck": pdf()},
    )
    assert response.status_code == 400
    assert "falta tecnología" in response.content.decode()
    assert not Submission.objects.exists()


def test_oversized_deck_is_refused_by_the_page(client, make_team):
    team = make_team()
    client.force_login(team.captain)
    response = client.post(
        url("team_action", team.competition, team.pk, "submit_hackathon"),
        {"hackathon-concept": "Idea", "hackathon-deck": pdf(size=20 * 1024 * 1024 + 10)},
    )
    assert response.status_code == 400
    assert "20 MB" in response.content.decode()
    assert not Submission.objects.exists()


def test_other_teams_private_parts_are_not_shown(client, make_team, submit):
    mine, theirs = make_team("Mío"), make_team("Suyo")
    submit(theirs, concept="Secreto industrial")
    client.force_login(mine.captain)
    page = client.get(url("team", theirs.competition, theirs.pk)).content.decode()
    assert "Secreto industrial" not in page
    client.force_login(theirs.captain)
    assert "Secreto industrial" in client.get(url("team", theirs.competition, theirs.pk)).content.decode()


@pytest.fixture
def open_round(make_team, submit, first_round, manager):
    teams = [make_team("Alfa"), make_team("Beta")]
    for t in teams:
        submit(t, concept=f"Concepto {t.name}")
    services.round_open(actor=manager, round=first_round)
    return teams


def test_jury_page_hides_conflicted_team_and_validates_scale(client, open_round, first_round, jurors):
    alfa, beta = open_round
    juror = jurors[0]
    services.conflict_declare(actor=juror, team=alfa, reason=ConflictReason.FAMILY)
    client.force_login(juror)
    page = client.get(url("jury", first_round.competition, first_round.pk)).content.decode()
    assert "Concepto Beta" in page and "Concepto Alfa" not in page
    assert client.get(url("team", alfa.competition, alfa.pk)).status_code == 404
    prefix = f"team{beta.pk}"
    bad = {"team": beta.pk, **{f"{prefix}-criterion_{c.pk}": 9 for c in first_round.criteria.all()}}
    response = client.post(url("jury", first_round.competition, first_round.pk), bad)
    assert response.status_code == 400
    assert "va de 1 a 5" in response.content.decode()
    assert not Score.objects.exists()
    # Posting for the conflicted team is a 404, not a score.
    sneaky = {"team": alfa.pk, **{f"team{alfa.pk}-criterion_{c.pk}": 5 for c in first_round.criteria.all()}}
    assert client.post(url("jury", first_round.competition, first_round.pk), sneaky).status_code == 404
    good = {"team": beta.pk, **{f"{prefix}-criterion_{c.pk}": 4 for c in first_round.criteria.all()}}
    assert client.post(url("jury", first_round.competition, first_round.pk), good).status_code == 302
    assert Score.objects.filter(juror=juror, team=beta).count() == 3


def test_other_roles_cannot_open_the_jury_page(client, open_round, first_round, make_user):
    client.force_login(make_user(Role.PARTICIPANT))
    assert client.get(url("jury", first_round.competition, first_round.pk)).status_code == 403


def test_manage_results_and_csv(client, open_round, first_round, jurors, manager):
    alfa, beta = open_round
    for juror in jurors:
        services.score_set(actor=juror, round=first_round, team=alfa, values=values(first_round, 5, 5, 4))
        services.score_set(actor=juror, round=first_round, team=beta, values=values(first_round, 3, 3, 3))
    client.force_login(manager)
    competition = first_round.competition
    assert client.get(url("manage", competition)).status_code == 200
    client.post(url("manage_action", competition, "close-round"), {"round": first_round.pk})
    page = client.get(url("manage", competition)).content.decode()
    assert "Registrar selección" in page
    client.post(url("manage_action", competition, "select"), {"round": first_round.pk})
    client.post(url("manage_action", competition, "publish-results"))
    client.logout()
    results = client.get(url("results", competition)).content.decode()
    assert "Alfa" in results and "Puesto 1 del ranking" in results
    csv_text = client.get(url("results_csv", competition)).content.decode("utf-8-sig")  # with the BOM Excel needs
    assert csv_text.splitlines()[0].startswith("ronda;posicion;equipo")
    assert "Alfa" in csv_text
    api = client.get(f"/api/v1/competitions/{competition.slug}/results").json()
    assert api["rounds"][0]["ranking"][0]["team"] == "Alfa"


def test_clinic_registration_question_answer_and_attendance(client, competition, challenge, manager, make_user):
    clinic = services.clinic_create(
        actor=manager, competition=competition, challenge=challenge, title="Clínica 1", starts_at=competition.created_at
    )
    person = make_user(Role.PARTICIPANT)
    client.force_login(person)
    client.post(url("clinic", competition, clinic.pk, "register"))
    client.post(url("clinic", competition, clinic.pk, "ask"), {"question": "¿Vale usar hardware?"})
    assert "¿Vale usar hardware?" not in client.get(url("detail", competition)).content.decode()
    client.force_login(manager)
    question = clinic.questions.get()
    client.post(url("manage_action", competition, "answer"), {"question": question.pk, "answer": "Sí."})
    client.post(url("manage_action", competition, "attendance"), {"clinic": clinic.pk, "attended": [person.pk]})
    assert clinic.registrations.get(user=person).attended
    client.logout()
    page = client.get(url("detail", competition)).content.decode()
    assert "¿Vale usar hardware?" in page and "Sí." in page


def test_decks_are_served_only_to_those_who_may_see_the_team(client, make_team, submit, make_user):
    team, other = make_team("Dueño"), make_team("Otro")
    submission = submit(team)
    path = url("submission_file", team.competition, submission.pk, "deck")
    assert client.get(path).status_code == 404
    client.force_login(other.captain)
    assert client.get(path).status_code == 404
    client.force_login(team.captain)
    response = client.get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_jurors_do_not_read_mentoring_notes(client, open_round, first_round, jurors, manager, make_user):
    alfa = open_round[0]
    mentor = make_user(Role.MENTOR)
    services.mentor_profile_set(actor=mentor, expertise=["design"])
    services.mentor_assign(actor=manager, team=alfa, mentor=mentor)
    services.mentor_session_log(actor=mentor, team=alfa, held_on=alfa.created_at.date(), notes="Nota reservada")
    client.force_login(jurors[0])
    page = client.get(url("team", alfa.competition, alfa.pk)).content.decode()
    assert "Concepto Alfa" in page and "Nota reservada" not in page
    client.force_login(alfa.captain)
    assert "Nota reservada" in client.get(url("team", alfa.competition, alfa.pk)).content.decode()


def test_organizer_creates_a_round_from_the_page(client, competition, manager, jurors):
    client.force_login(manager)
    path = url("manage_action", competition, "create-round")
    data = {
        "name": "Primera selección",
        "stage": "first_selection",
        "mode": "rubric",
        "criteria": "Impacto; 60; 1; 5\nFactibilidad; 30; 1; 5",
        "tie_break": "Orden de entrega.",
        "top_n": 5,
        "impact_m": 2,
        "jurors": [j.pk for j in jurors],
    }
    response = client.post(path, data)
    assert response.status_code == 400
    assert "deben sumar 100" in response.content.decode()
    assert not competition.rounds.exists()
    response = client.post(path, {**data, "criteria": "Impacto; 70; 1; 5\nFactibilidad; 30; 1; 5"})
    assert response.status_code == 302
    round_ = competition.rounds.get()
    assert [c.weight for c in round_.criteria.all()] == [70, 30] and round_.jurors.count() == 3


def test_api_lists_only_published_competitions(client, competition, manager):
    items = client.get("/api/v1/competitions/").json()["items"]
    assert [i["slug"] for i in items] == [competition.slug]
    assert items[0]["stages"][0]["kind"] == "clinics"
    services.competition_set_flags(actor=manager, competition=competition, is_published=False)
    assert client.get("/api/v1/competitions/").json()["items"] == []
    assert client.get(f"/api/v1/competitions/{competition.slug}").status_code == 404
    assert client.get(f"/api/v1/competitions/{competition.slug}/results").status_code == 404
