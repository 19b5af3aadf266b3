"""Issue 18: workshops show what is theirs, the demo follows the seed, and invented data says so."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from mueve.accounts.models import User
from mueve.competitions import selectors as competition_selectors
from mueve.competitions import services as competition_services
from mueve.competitions.models import Competition, Round, RoundStatus, StageKind
from mueve.demo.competitions import CONFLICTED_PRACTICE_TEAM, CRITERIA, PRACTICE_SLUG, SLUG, TIE_BREAK
from mueve.programs.models import Program
from mueve.workshops import services
from mueve.workshops.models import Kind, SwotItem, Workshop, WorkshopStatus

PROGRAM = "smart-city-gran-concepcion"
LABEL = "dato generado"


def _client(username: str = "gestora") -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- 1. a workshop's SWOT is the workshop's ------------------------------------------------------------------


def test_institution_swot_workshop_shows_only_its_items_and_links_to_the_programme(demo_db):
    program = Program.objects.get(slug=PROGRAM)
    uoct = Workshop.objects.get(program=program, format_key="vision-swot-uoct")
    page = _text(_client().get(reverse("workshops:detail", args=[uoct.slug])))
    for item in SwotItem.objects.filter(workshop=uoct):
        assert item.text in page
    merged_into = SwotItem.objects.filter(merged__workshop=uoct)  # named once, as where its duplicate went
    for other in SwotItem.objects.filter(program=program).exclude(workshop=uoct).exclude(pk__in=merged_into):
        assert other.text not in page, other.text
    # Its duplicate was merged in the common session: it says so, and no votes cast elsewhere show here.
    assert "fusionado en «Datos de transporte dispersos entre instituciones»" in page
    assert not re.search(r"\d+ votos?\b", page)
    assert reverse("workshops:swot", args=[program.slug]) in page


def test_a_new_swot_workshop_starts_empty(demo_db):
    program = Program.objects.get(slug=PROGRAM)
    gestora = User.objects.get(username="gestora")
    fresh = services.workshop_create(actor=gestora, program=program, kind=Kind.SWOT, title="FODA con la SEREMI")
    page = _text(_client().get(reverse("workshops:detail", args=[fresh.slug])))
    assert "Sin ítems." in page
    assert not any(item.text in page for item in SwotItem.objects.filter(program=program))
    assert "Ver el FODA del programa" in page


def test_common_session_and_programme_page_show_the_consolidated_swot_labelled_generated(demo_db):
    program = Program.objects.get(slug=PROGRAM)
    common = Workshop.objects.get(program=program, format_key="vision-swot-validation")
    page = _text(_client().get(reverse("workshops:detail", args=[common.slug])))
    assert "Centro de control de tránsito operativo" in page and "Ciudadanía dispuesta a reportar" in page
    assert LABEL in page
    programme = _text(Client().get(reverse("workshops:swot", args=[program.slug])))
    assert "Datos de transporte dispersos entre instituciones" in programme
    assert programme.count(LABEL) >= SwotItem.objects.filter(program=program, validated=True).count()
    assert common.title in programme  # the sessions are listed and linked


# --- 3. component 2's workshops had people in them --------------------------------------------------------------


def test_component_2_common_workshops_have_everyone_in_four_mixed_groups(demo_db):
    program = Program.objects.get(slug=PROGRAM)
    for key in ("vision-swot-validation", "vision-vision", "vision-roadmap"):
        workshop = Workshop.objects.get(program=program, format_key=key)
        registrations = list(workshop.registrations.all())
        assert len(registrations) >= 15, key
        assert all(r.attended for r in registrations), key
    for key in ("vision-vision", "vision-roadmap"):
        workshop = Workshop.objects.get(program=program, format_key=key)
        groups = list(workshop.groups.prefetch_related("members"))
        assert [g.persona for g in groups] == ["Conductor de bus", "Familia", "Estudiante", "Visitante o turista"]
        for group in groups:
            sectors = {m.sector for m in group.members.all()}
            assert len(sectors) >= 2, (key, group.number, sectors)
        sizes = [g.members.count() for g in groups]
        assert max(sizes) - min(sizes) <= 1


# --- 4. invented values are labelled ------------------------------------------------------------------------------


def test_competition_rankings_are_labelled_generated(demo_db):
    page = _text(Client().get(reverse("competitions:results", args=[SLUG])))
    captions = [c for c in re.findall(r"<caption[^>]*>(.*?)</caption>", page) if c.startswith("Ranking")]
    assert captions and all(LABEL in c for c in captions), captions


def test_visions_and_dots_are_labelled_generated(demo_db):
    program = Program.objects.get(slug=PROGRAM)
    vision = Workshop.objects.get(program=program, format_key="vision-vision")
    page = _text(Client().get(reverse("workshops:detail", args=[vision.slug])))
    assert page.count(LABEL) >= 4
    assert "(Dato generado para la demostración.)" not in page  # one mechanism, not text tacked on
    codesign = Workshop.objects.get(program=program, format_key="codesign-workshop")
    page = _text(Client().get(reverse("workshops:detail", args=[codesign.slug])))
    assert LABEL in page


# --- 6. the juror has work to do ---------------------------------------------------------------------------------


def test_demo_juror_has_an_open_round_with_teams_and_a_conflicted_team(demo_db):
    jurado = User.objects.get(username="jurado")
    open_rounds = Round.objects.filter(jurors=jurado, status=RoundStatus.SCORING)
    assert open_rounds.count() == 1
    round_ = open_rounds.get()
    assert round_.competition.slug == PRACTICE_SLUG
    teams = competition_selectors.teams_for_juror(round_=round_, user=jurado)
    assert len(teams) == 3 and CONFLICTED_PRACTICE_TEAM not in {t.name for t in teams}
    page = _text(_client("jurado").get(reverse("competitions:jury", args=[PRACTICE_SLUG, round_.pk])))
    for team in teams:
        assert team.name in page
    assert f"{CONFLICTED_PRACTICE_TEAM} — <strong>en conflicto: no se evalúa</strong>" in page
    # The seed's competition keeps its history: both MueveTT 2014 rounds are closed.
    assert set(Competition.objects.get(slug=SLUG).rounds.values_list("status", flat=True)) == {RoundStatus.CLOSED}


def test_a_second_round_for_a_stage_names_the_existing_one(demo_db):
    competition = Competition.objects.get(slug=SLUG)
    with pytest.raises(ValidationError) as exc:
        competition_services.round_create(
            actor=User.objects.get(username="gestora"),
            competition=competition,
            stage=StageKind.FINAL,
            name="Otra final",
            tie_break=TIE_BREAK,
            criteria=CRITERIA,
        )
    message = exc.value.message_dict["stage"][0]
    assert "«Final»" in message and "cerrada" in message


# --- 5. a copy names its own city ---------------------------------------------------------------------------------

REPLICA = "muevett-temuco"


def test_temuco_copy_names_temuco_not_concepcion(demo_db):
    replica = Program.objects.get(slug=REPLICA)
    titles = list(replica.workshops.values_list("title", flat=True))
    assert titles
    assert not [t for t in titles if "Gran Concepción" in t or "Municipalidad de Concepción" in t], titles
    # "del Gran Concepción" needs its article; "Temuco" does not: the copy reads "de Temuco", not "del Temuco".
    assert "Taller de visión: el transporte de Temuco en 2025" in titles, titles
    assert not [t for t in titles if re.search(r"\b(del|al|el) Temuco\b", t)], titles
    assert "FODA del transporte con Municipalidad de Temuco" in titles


def test_copy_service_renames_by_itself_and_lists_what_still_names_the_origin(demo_db):
    from mueve.workshops import methodology

    replica = Program.objects.get(slug=REPLICA)
    gestora = User.objects.get(username="gestora")
    replica.workshops.all().delete()
    # Untold, the copy renames Gran Concepción (the template's origin), its communes and its region; a pair given
    # names one place otherwise (here the municipality, as if the sessions were with a neighbouring commune's).
    methodology.program_plan_workshops(
        actor=gestora,
        program=replica,
        replacements=[("Municipalidad de Concepción", "Municipalidad de Padre Las Casas")],
    )
    titles = set(replica.workshops.values_list("title", flat=True))
    assert "FODA del transporte con Municipalidad de Padre Las Casas" in titles
    assert "Taller de visión: el transporte de Temuco en 2025" in titles
    assert methodology.place_mentions(replica, ["Gran Concepción", "Municipalidad de Concepción"]) == []
    # A title later written with the origin's name shows up for review; planning again renames it (not held yet).
    workshop = replica.workshops.get(format_key="vision-diagnosis")
    Workshop.objects.filter(pk=workshop.pk).update(title="Diagnóstico en el Gran Concepción")
    mentions = {w.title: names for w, names in methodology.place_mentions(replica, ["Gran Concepción"])}
    assert mentions == {"Diagnóstico en el Gran Concepción": ["Concepción", "Gran Concepción"]}
    methodology.program_plan_workshops(actor=gestora, program=replica)
    workshop.refresh_from_db()
    assert workshop.title == "Diagnóstico en Temuco"
    assert methodology.place_mentions(replica, ["Gran Concepción"]) == []
    with pytest.raises(ValidationError):
        methodology.program_plan_workshops(actor=gestora, program=replica, replacements=[("Temuco", "")])


def test_copy_page_asks_for_the_new_place_and_shows_the_review(demo_db):
    replica = Program.objects.get(slug=REPLICA)
    client = _client()
    url = reverse("workshops:plan", args=[REPLICA])
    page = _text(client.get(url))
    assert 'value="Gran Concepción"' in page and 'value="Temuco"' in page
    assert 'value="Municipalidad de Concepción"' in page and 'value="Municipalidad de Temuco"' in page
    assert "Ningún taller del programa nombra el lugar de origen." in page
    # A workshop still named for the origin shows up for review, linked to its edit page. (A planned one: the copy
    # renames only what is still planned, and the demo has opened two of Temuco's to the public.)
    workshop = replica.workshops.filter(status=WorkshopStatus.PLANNED).order_by("pk").first()
    Workshop.objects.filter(pk=workshop.pk).update(title="Taller en la Municipalidad de Concepción")
    page = _text(client.get(url))
    assert reverse("workshops:edit", args=[workshop.slug]) in page
    response = client.post(
        url,
        {
            "old_place": "Gran Concepción",
            "new_place": "Temuco",
            "old_municipality": "Municipalidad de Concepción",
            "new_municipality": "Municipalidad de Temuco",
        },
    )
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.title == "Taller en la Municipalidad de Temuco"
    bad = client.post(url, {"old_place": "Gran Concepción", "new_place": ""})
    assert bad.status_code == 400
    assert "Indique el nombre de origen y el nuevo." in _text(bad)
    assert Client().get(url).status_code in (302, 403)


def test_component_3_clinics_have_their_people(demo_db):
    """The seed's two preparatory clinics exist with the entrepreneurs who attended. They are competition clinics,
    not workshops, which is why a component's workshop list alone shows none: the selector gives them with counts."""
    program = Program.objects.get(slug=PROGRAM)
    clinics = list(competition_selectors.program_clinics_with_counts(program))
    assert len(clinics) == 2
    assert all(c.registered > 0 and c.attended == c.registered for c in clinics)
    assert sum(c.registered for c in clinics) == 50  # every hackathon participant went to one clinic
