"""The MueveTT 2014 demo: the seed's facts, reached through the services, loaded twice without duplicates."""

import pytest

from mueve.accounts.models import User
from mueve.competitions import selectors
from mueve.competitions.models import Competition, Score, SelectionKind, Team
from mueve.demo.loader import load_demo

pytestmark = pytest.mark.django_db


def test_muevett_2014_demo_follows_the_seed(demo_db):
    competition = Competition.objects.get(slug="muevett-2014")
    assert competition.challenges.count() == 6
    assert competition.partners.count() >= 15
    assert dict(selectors.funnel(competition)) == {
        "Inscritos": 50,
        "Equipos": 14,
        "Entregaron": 14,
        "Seleccionados": 7,
        "Terminaron la aceleración": 4,
        "Ganadores": 2,
    }
    selected = {s.team.name: s.kind for s in selectors.selected_first_round(competition)}
    assert selected == {
        "911-R": SelectionKind.RANKING,
        "Despierta": SelectionKind.RANKING,
        "Refugio Inteligente": SelectionKind.RANKING,
        "i-BiciPark": SelectionKind.RANKING,
        "Ya Voy": SelectionKind.RANKING,
        "Alerta Drone": SelectionKind.SOCIAL_IMPACT,
        "Tu Colectivo": SelectionKind.SOCIAL_IMPACT,
    }
    assert {s.team.name for s in selectors.winners(competition)} == {"Despierta", "Refugio Inteligente"}
    assert Team.objects.get(competition=competition, name="Despierta").members.filter(user__username="emprendedora")
    assert not Score.objects.filter(round__competition=competition, is_generated=False).exists()
    assert competition.results_published

    load_demo()
    assert Competition.objects.filter(slug="muevett-2014").count() == 1
    assert Team.objects.filter(competition=competition).count() == 14


def test_demo_pages_for_each_demo_user(client, demo_db):
    competition = Competition.objects.get(slug="muevett-2014")
    despierta = Team.objects.get(competition=competition, name="Despierta")
    base = f"/competencias/{competition.slug}/"
    public = client.get(base).content.decode()
    assert "Movistar" in public and "Clínica 1" in public and "Refugio Inteligente" in public
    results = client.get(base + "resultados/").content.decode()
    assert "Despierta" in results and "impacto social" in results.lower()
    for username, path, expected in [
        ("gestora", base + "gestion/", "Kemeny"),
        ("emprendedora", f"{base}equipos/{despierta.pk}/", "personas ciegas"),
        ("mentor", f"{base}equipos/{despierta.pk}/", "aprobado por"),
        ("jurado", base, "Evaluar: Primera selección"),
    ]:
        client.force_login(User.objects.get(username=username))
        response = client.get(path)
        assert response.status_code == 200, (username, path)
        assert expected in response.content.decode(), (username, expected)
    round_ = competition.rounds.get(stage="first_selection")
    assert client.get(f"{base}jurado/{round_.pk}/").status_code == 200
