"""Who may do what in a competition.

Organizers are the programme's managers (programs.rules.manages_program): the managers whose scope includes the
programme (none: the national unit, every programme), and the people the programme names, even if their role changes.
Officials answer clinic questions in the programmes where they act for their institution.
Objects passed to the predicates: a Competition, a Team, or a Round, depending on the permission.
A juror with a conflict of interest with a team can neither view nor score it: `not_conflicted`
is checked here AND the selectors never hand conflicted teams to that juror.
"""

import rules

from mueve.accounts.rules import is_citizen, is_juror, is_mentor, is_official, is_participant
from mueve.programs.rules import acts_in_program, manages_program


def _competition_of(obj):
    # Permissions take a Competition, a Team or a Round; the last two know their competition.
    if obj is None:
        return None
    return getattr(obj, "competition", obj)


is_organizer = manages_program
# Officials act for their institution in the programmes their scope covers or their institution is an actor of.
is_official_here = is_official & acts_in_program


@rules.predicate
def competition_is_published(user, obj) -> bool:
    competition = _competition_of(obj)
    return competition is None or bool(competition.is_published and competition.program.is_public)


@rules.predicate
def is_team_member(user, team) -> bool:
    if team is None or user is None or not user.is_authenticated:
        return False
    return team.members.filter(user=user).exists()


@rules.predicate
def mentors_team(user, team) -> bool:
    if team is None or user is None or not user.is_authenticated:
        return False
    return team.mentor_assignments.filter(mentor=user).exists()


@rules.predicate
def official_of_team_challenge(user, team) -> bool:
    return bool(
        team is not None
        and team.challenge_id is not None
        and user is not None
        and user.is_authenticated
        and user.organization_id is not None
        and team.challenge.owner_id == user.organization_id
    )


def conflicted(user, team) -> bool:
    """Declared conflicts, plus the obvious ones: mentor of the team, same organization as a member."""
    if user is None or not user.is_authenticated or team is None:
        return False
    if team.conflicts.filter(juror=user).exists() or team.mentor_assignments.filter(mentor=user).exists():
        return True
    if user.organization_id is not None:
        return team.members.filter(user__organization_id=user.organization_id).exists()
    return False


@rules.predicate
def not_conflicted(user, team) -> bool:
    return not conflicted(user, team)


@rules.predicate
def juror_of_a_round(user, team) -> bool:
    if team is None or user is None or not user.is_authenticated:
        return False
    return team.competition.rounds.filter(jurors=user).exists()


@rules.predicate
def on_panel(user, round_) -> bool:
    return bool(round_ is not None and user is not None and round_.jurors.filter(pk=user.pk).exists())


@rules.predicate
def is_verified_account(user) -> bool:
    # The platform has no e-mail confirmation yet: an active account that can sign in and has an
    # e-mail address stands for "verified". Generated demo people (no password) never vote.
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.email and user.has_usable_password()
    )


rules.add_perm("competitions.public_vote", is_verified_account)
rules.add_perm("competitions.view_competition", competition_is_published | is_organizer)
rules.add_perm("competitions.change_competition", is_organizer)
# The object is the Program the competition is for.
rules.add_perm("competitions.add_competition", manages_program)
# Entrepreneurs: accounts made for a competition, and anybody who signed up on their own (a new account is a citizen's)
# and wants to compete. Officials, mentors and jurors judge or help: they do not compete.
# The Government Innovation Award is the other way round: public servants (officials) compete, nobody else.


@rules.predicate
def is_government_award(user, obj) -> bool:
    competition = _competition_of(obj)
    return competition is not None and competition.kind == "government_award"


rules.add_perm(
    "competitions.register",
    (~is_government_award & (is_participant | is_citizen)) | (is_government_award & is_official),
)
rules.add_perm("competitions.attend_clinic", rules.is_authenticated)
rules.add_perm("competitions.ask_clinic", rules.is_authenticated)
rules.add_perm("competitions.answer_clinic", is_organizer | is_official_here)
# Teams: the private part (submissions, mentor notes, comments) of a team.
rules.add_perm(
    "competitions.view_team_private",
    is_team_member
    | is_organizer
    | (is_mentor & mentors_team)
    | (is_official_here & official_of_team_challenge)
    | (is_juror & juror_of_a_round & not_conflicted),
)
# Mentoring notes, officials' comments and milestones: the team, its mentors, the challenge's
# officials and the organizers — not the jury.
rules.add_perm(
    "competitions.view_team_notes",
    is_team_member | is_organizer | (is_mentor & mentors_team) | (is_official_here & official_of_team_challenge),
)
rules.add_perm("competitions.submit", is_team_member)
rules.add_perm("competitions.manage_team", is_team_member | is_organizer)
rules.add_perm("competitions.withdraw_team", is_team_member | is_organizer)
rules.add_perm("competitions.assign_mentor", is_organizer)
rules.add_perm("competitions.log_mentor_session", (is_mentor & mentors_team) | is_organizer)
rules.add_perm("competitions.comment_team", (is_official_here & official_of_team_challenge) | is_organizer)
rules.add_perm("competitions.sign_off_milestone", (is_mentor & mentors_team) | is_organizer)
rules.add_perm("competitions.update_milestone", is_team_member | is_organizer)
# Jury.
rules.add_perm("competitions.declare_conflict", is_juror | is_organizer)
rules.add_perm("competitions.score_team", is_juror & juror_of_a_round & not_conflicted)
rules.add_perm("competitions.view_round", (is_juror & on_panel) | is_organizer)
rules.add_perm("competitions.manage_round", is_organizer)
rules.add_perm("competitions.view_all_scores", is_organizer)
