"""Role × action matrices for competitions, and what each role can read."""

import pytest
from django.contrib.auth.models import AnonymousUser

from mueve.accounts.models import Role
from mueve.competitions import selectors, services
from mueve.competitions.models import ConflictReason, Score
from tests.competitions.conftest import values
from tests.conftest import ROLES_AND_ANONYMOUS

pytestmark = pytest.mark.django_db

ORGANIZERS = {Role.MANAGER, Role.ADMIN}


def _expect(role, condition: bool) -> bool:
    # Platform admins are superusers: Django grants them every permission.
    return condition or role == Role.ADMIN


def _user(users_by_role, role):
    return users_by_role[role] or AnonymousUser()


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_competition_matrix(users_by_role, competition, manager, role):
    user = _user(users_by_role, role)
    services.competition_set_flags(actor=manager, competition=competition, is_published=False)
    assert user.has_perm("competitions.view_competition", competition) == (role in ORGANIZERS)
    assert user.has_perm("competitions.change_competition", competition) == (role in ORGANIZERS)
    assert user.has_perm("competitions.manage_round", competition) == (role in ORGANIZERS)
    assert user.has_perm("competitions.register", competition) == _expect(role, role == Role.PARTICIPANT)
    services.competition_set_flags(actor=manager, competition=competition, is_published=True)
    assert user.has_perm("competitions.view_competition", competition)


def test_program_managers_organize_their_competition(competition, make_user):
    person = make_user(Role.CITIZEN)
    assert not person.has_perm("competitions.change_competition", competition)
    competition.program.managers.add(person)
    assert person.has_perm("competitions.change_competition", competition)


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_team_private_matrix(users_by_role, make_team, role):
    """Only members, organizers, the team's mentor, officials of the challenge's owner and jurors of a
    round see a team's submissions; an outsider of any role does not."""
    team = make_team()
    user = _user(users_by_role, role)
    # users_by_role's official belongs to the challenge owner (root conftest organization).
    expected = role in ORGANIZERS or role == Role.OFFICIAL
    assert user.has_perm("competitions.view_team_private", team) == expected
    assert user.has_perm("competitions.submit", team) == _expect(role, False)
    assert user.has_perm("competitions.comment_team", team) == expected


def test_participants_cannot_see_other_teams_submissions(make_team, submit):
    mine, theirs = make_team("Mío"), make_team("Suyo")
    submit(theirs)
    assert not mine.captain.has_perm("competitions.view_team_private", theirs)
    assert not selectors.submissions_for(user=mine.captain, team=theirs).exists()
    assert selectors.submissions_for(user=theirs.captain, team=theirs).count() == 1


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_score_matrix(users_by_role, make_team, submit, first_round, manager, role):
    team = make_team()
    submit(team)
    user = _user(users_by_role, role)
    if role == Role.JUROR:
        first_round.jurors.add(user)
    services.round_open(actor=manager, round=first_round)
    assert user.has_perm("competitions.score_team", team) == _expect(role, role == Role.JUROR)
    assert user.has_perm("competitions.view_round", first_round) == (role in ORGANIZERS or role == Role.JUROR)
    assert user.has_perm("competitions.view_all_scores", first_round) == (role in ORGANIZERS)


def test_juror_sees_only_own_scores_before_close(make_team, submit, first_round, jurors, manager):
    team = make_team()
    submit(team)
    services.round_open(actor=manager, round=first_round)
    services.score_set(actor=jurors[0], round=first_round, team=team, values=values(first_round, 5, 5, 5))
    services.score_set(actor=jurors[1], round=first_round, team=team, values=values(first_round, 2, 2, 2))
    seen = selectors.scores_visible_to(round_=first_round, user=jurors[1])
    assert {s.value for s in seen} == {2}
    assert not selectors.scores_visible_to(round_=first_round, user=team.captain).exists()
    assert Score.objects.count() == 6


def test_conflicted_juror_loses_view_and_score(make_team, submit, first_round, jurors, manager):
    team = make_team()
    submit(team)
    services.round_open(actor=manager, round=first_round)
    assert jurors[0].has_perm("competitions.view_team_private", team)
    services.conflict_declare(actor=jurors[0], team=team, reason=ConflictReason.MENTOR)
    assert not jurors[0].has_perm("competitions.view_team_private", team)
    assert not jurors[0].has_perm("competitions.score_team", team)
    assert jurors[1].has_perm("competitions.score_team", team)
