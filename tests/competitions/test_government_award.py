"""The roadmap's Government Innovation Award is a kind of competition where public servants compete: officials
register, citizens and entrepreneurs do not (the other way round from an open competition)."""

import pytest

from mueve.accounts.models import Role
from mueve.competitions import services
from mueve.competitions.models import CompetitionKind, Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(program, manager):
    award = services.competition_create(
        actor=manager, program=program, name="Premio a la Innovación en Gobierno", kind=CompetitionKind.GOVERNMENT_AWARD
    )
    services.competition_set_flags(actor=manager, competition=award, is_published=True, registration_open=True)
    return award


def register(client, competition):
    return client.post(f"/competencias/{competition.slug}/inscripcion/", {"skills": ["business"]})


def test_public_servants_register_for_the_award_and_nobody_else(client, award, make_user, organization):
    page = client.get(f"/competencias/{award.slug}/").content.decode()
    assert "compiten funcionarias y funcionarios públicos" in page
    assert "Premio a la Innovación en Gobierno" in client.get("/competencias/").content.decode()
    official = make_user(Role.OFFICIAL, organization=organization)
    client.force_login(official)
    assert register(client, award).status_code == 302
    assert Participant.objects.filter(competition=award, user=official).exists()
    for role in (Role.CITIZEN, Role.PARTICIPANT, Role.MENTOR, Role.JUROR):
        client.force_login(make_user(role))
        assert register(client, award).status_code == 403, role
    assert Participant.objects.filter(competition=award).count() == 1


def test_an_open_competition_stays_closed_to_officials(client, competition, manager, make_user, organization):
    services.competition_set_flags(actor=manager, competition=competition, is_published=True, registration_open=True)
    client.force_login(make_user(Role.OFFICIAL, organization=organization))
    assert register(client, competition).status_code == 403
    assert not Participant.objects.filter(competition=competition).exists()


def test_an_unknown_kind_is_refused(program, manager):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.competition_create(actor=manager, program=program, name="X", kind="lottery")
    assert "kind" in error.value.message_dict
