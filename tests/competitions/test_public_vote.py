"""The audience award: one vote per verified account, never for one's own team, apart from the jury."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mueve.accounts.models import Role
from mueve.competitions import selectors, services
from mueve.competitions.models import PublicVote

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting(competition, make_team, submit, manager):
    teams = [make_team("Alfa"), make_team("Beta")]
    for team in teams:
        submit(team)
    services.competition_set_flags(actor=manager, competition=competition, public_vote_open=True)
    competition.refresh_from_db()
    return teams


def test_one_vote_per_account_and_tally(voting, make_user):
    alfa, beta = voting
    voters = [make_user(Role.CITIZEN, email=f"v{i}@example.org") for i in range(3)]
    services.public_vote_cast(actor=voters[0], team=alfa)
    services.public_vote_cast(actor=voters[1], team=alfa)
    services.public_vote_cast(actor=voters[2], team=beta)
    with pytest.raises(ValidationError) as exc:
        services.public_vote_cast(actor=voters[0], team=beta)
    assert "un voto por cuenta" in str(exc.value)
    assert [(t.name, n) for t, n in selectors.public_vote_tally(alfa.competition)] == [("Alfa", 2), ("Beta", 1)]


def test_no_vote_for_own_team_without_verified_account_or_when_closed(voting, make_user, manager, competition):
    alfa, beta = voting
    alfa.captain.email = "capitan@example.org"
    alfa.captain.save()
    with pytest.raises(ValidationError):
        services.public_vote_cast(actor=alfa.captain, team=alfa)
    with pytest.raises(PermissionDenied):
        services.public_vote_cast(actor=make_user(Role.CITIZEN), team=alfa)  # no e-mail address
    services.competition_set_flags(actor=manager, competition=competition, public_vote_open=False)
    beta.competition.refresh_from_db()
    with pytest.raises(ValidationError):
        services.public_vote_cast(actor=make_user(Role.CITIZEN, email="x@example.org"), team=beta)
    assert not PublicVote.objects.exists()


def test_vote_through_the_page(client, voting, make_user):
    alfa, _beta = voting
    voter = make_user(Role.CITIZEN, email="voter@example.org")
    client.force_login(voter)
    page = client.get(f"/competencias/{alfa.competition.slug}/").content.decode()
    assert "Premio del público" in page
    client.post(f"/competencias/{alfa.competition.slug}/voto-del-publico/", {"team": alfa.pk})
    assert PublicVote.objects.get().team == alfa
    assert "Usted votó por Alfa" in client.get(f"/competencias/{alfa.competition.slug}/").content.decode()


@pytest.mark.parametrize("team", ["", "abc", "²", "1e3"])
def test_a_vote_for_a_team_that_is_not_a_number_is_a_404_and_counts_nothing(client, voting, make_user, team):
    alfa, _beta = voting
    client.force_login(make_user(Role.CITIZEN, email="voter@example.org"))
    response = client.post(f"/competencias/{alfa.competition.slug}/voto-del-publico/", {"team": team})
    assert response.status_code == 404
    assert not PublicVote.objects.exists()
