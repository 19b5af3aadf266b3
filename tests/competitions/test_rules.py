"""Role × action matrices for competitions, and what each role can read."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse

from mueve.accounts.models import Role
from mueve.competitions import selectors, services
from mueve.competitions.models import ConflictReason, PairwiseVote, Score
from mueve.stakeholders.models import Level, Organization, Sector
from tests.competitions.conftest import judge_honestly, values
from tests.conftest import ROLES_AND_ANONYMOUS
from tests.programs.factories import COVERING, SCOPE_AXIS, place_in_scope

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
    entrepreneurs = (Role.PARTICIPANT, Role.CITIZEN)  # a sign-up is a citizen's account
    assert user.has_perm("competitions.register", competition) == _expect(role, role in entrepreneurs)
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


# --- issue 17: conflicts reach back, through the pages, the API and the services ----------------


def _votes_about(juror, team):
    return PairwiseVote.objects.filter(juror=juror).filter(Q(winner=team) | Q(loser=team))


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_conflict_form_matrix_never_touches_another_jurors_votes(client, users_by_role, pairwise_round, jurors, role):
    """Only the juror's own declaration (or an organizer's on the juror's behalf, in the services)
    withdraws the juror's votes: anyone else posting the form changes nothing and gets 403 / login."""
    round_, teams = pairwise_round
    judge_honestly(round_, jurors[0])
    before = _votes_about(jurors[0], teams["Beta"]).count()
    if users_by_role[role] is not None:
        client.force_login(users_by_role[role])
    url = reverse("competitions:conflict", args=[round_.competition.slug, round_.pk])
    response = client.post(url, {"team": teams["Beta"].pk, "reason": ConflictReason.FAMILY})
    if role == "anonymous":
        assert response.status_code == 302 and "/cuentas/entrar/" in response["Location"]
    elif role in ORGANIZERS:
        assert response.status_code == 302  # an organizer declares for themselves: allowed, harmless
    else:
        assert response.status_code in (403, 404)
    assert _votes_about(jurors[0], teams["Beta"]).count() == before >= 1


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_only_organizers_declare_a_conflict_for_a_juror(users_by_role, pairwise_round, jurors, role):
    round_, teams = pairwise_round
    judge_honestly(round_, jurors[0])
    actor = users_by_role[role]
    if role not in ORGANIZERS:
        with pytest.raises(PermissionDenied):
            services.conflict_declare(
                actor=actor or AnonymousUser(), juror=jurors[0], team=teams["Beta"], reason=ConflictReason.FAMILY
            )
        assert _votes_about(jurors[0], teams["Beta"]).exists()
    else:
        services.conflict_declare(actor=actor, juror=jurors[0], team=teams["Beta"], reason=ConflictReason.FAMILY)
        assert not _votes_about(jurors[0], teams["Beta"]).exists()


def test_juror_declares_on_the_page_and_the_results_api_ignores_the_withdrawn_votes(
    client, pairwise_round, jurors, manager
):
    round_, teams = pairwise_round
    judge_honestly(round_, jurors[0])
    client.force_login(jurors[0])
    url = reverse("competitions:conflict", args=[round_.competition.slug, round_.pk])
    assert client.post(url, {"team": teams["Beta"].pk, "reason": ConflictReason.FAMILY}).status_code == 302
    assert not _votes_about(jurors[0], teams["Beta"]).exists()
    services.round_close(actor=manager, round=round_)
    client.force_login(manager)
    body = client.get(f"/api/v1/competitions/{round_.competition.slug}/results").json()
    scores = {row["team"]: row["main_score"] for row in body["rounds"][0]["ranking"]}
    assert scores["Beta"] == 0.0  # the prior: the only votes about Beta were withdrawn


def test_accepting_an_invitation_on_the_page_records_the_conflict_and_withdraws_scores(
    client, make_team, submit, first_round, jurors, manager, make_user, competition
):
    org = Organization.objects.create(
        name="Municipalidad de Prueba", slug="muni-prueba", sector=Sector.GOVERNMENT, level=Level.MUNICIPAL
    )
    jurors[0].organization = org
    jurors[0].save()
    team = make_team("Alfa")
    submit(team)
    services.round_open(actor=manager, round=first_round)
    first_round.refresh_from_db()
    services.score_set(actor=jurors[0], round=first_round, team=team, values=values(first_round, 5, 5, 5))
    person = services.participant_register(
        actor=make_user(Role.PARTICIPANT, organization=org), competition=competition, skills=["design"]
    )
    invitation = services.team_invite(actor=team.captain, team=team, participant=person)
    client.force_login(person.user)
    response = client.post(reverse("competitions:invitation", args=[competition.slug, invitation.pk]), {"accept": "1"})
    assert response.status_code == 302
    assert team.conflicts.filter(juror=jurors[0], reason=ConflictReason.SAME_ORGANIZATION).exists()
    assert not Score.objects.filter(juror=jurors[0], team=team).exists()
    # The juror no longer reaches the team's page.
    client.force_login(jurors[0])
    assert client.get(reverse("competitions:team", args=[competition.slug, team.pk])).status_code in (403, 404)


# --- the scope axis (issue 20) --------------------------------------------------------------------------------------


@pytest.mark.parametrize("axis", SCOPE_AXIS)
@pytest.mark.parametrize("role", [Role.MANAGER, Role.OFFICIAL, Role.CITIZEN, Role.ADMIN])
def test_scope_axis(make_user, competition, first_round, make_team, manager, role, axis):
    """Organizers are the programme's managers: those whose scope includes it and those it names. Officials answer
    clinic questions where they act for their institution."""
    team = make_team()
    user = make_user(role, organization=Organization.objects.create(name="Otra", slug="otra", sector=Sector.ACADEMIA))
    place_in_scope(user, axis, competition.program)
    organizer = role == Role.ADMIN or (role == Role.MANAGER and axis in COVERING) or axis == "named"
    for perm, obj in (
        ("competitions.change_competition", competition),
        ("competitions.manage_round", competition),
        ("competitions.view_round", first_round),
        ("competitions.view_all_scores", first_round),
        ("competitions.assign_mentor", team),
        ("competitions.view_team_private", team),
        ("competitions.add_competition", competition.program),
    ):
        assert user.has_perm(perm, obj) is organizer, perm
    official_here = role == Role.OFFICIAL and (axis in COVERING or axis == "takes_part")
    assert user.has_perm("competitions.answer_clinic", competition) is (organizer or official_here)
    services.competition_set_flags(actor=manager, competition=competition, is_published=False)
    assert user.has_perm("competitions.view_competition", competition) is organizer
    assert (competition in selectors.competition_list_for(user=user)) is organizer
