"""Mentors accompany teams (never one with a colleague from their own organization); officials
of the challenge's institution comment on the team's work."""

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mueve.accounts.models import Role, User
from mueve.accounts.rules import is_manager
from mueve.competitions import events
from mueve.competitions.models import (
    Competition,
    MentorAssignment,
    MentorProfile,
    MentorSession,
    Skill,
    Team,
    TeamComment,
    TeamStatus,
)
from mueve.competitions.selectors import missing_skills
from mueve.competitions.services._common import raise_errors
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm


@transaction.atomic
def mentor_profile_set(
    *, actor: User, expertise: Sequence[str], bio: str = "", max_teams: int = 3, user: User | None = None
) -> MentorProfile:
    user = user or actor
    if user.role != Role.MENTOR:
        raise ValidationError({"__all__": [_("Solo las cuentas de mentoría tienen perfil de mentor/a.")]})
    if user != actor and not is_manager(actor):
        raise PermissionDenied
    if not expertise or any(s not in Skill.values for s in expertise):
        raise ValidationError({"expertise": [_("Indique al menos un área de experiencia válida.")]})
    if max_teams < 1:
        raise ValidationError({"max_teams": [_("Debe poder acompañar al menos a un equipo.")]})
    profile, _created = MentorProfile.objects.update_or_create(
        user=user, defaults={"expertise": list(expertise), "bio": bio, "max_teams": max_teams}
    )
    return profile


def mentor_conflict(mentor: User, team: Team) -> bool:
    """A mentor does not accompany a team with a member of their own organization."""
    return bool(mentor.organization_id and team.members.filter(user__organization_id=mentor.organization_id).exists())


@transaction.atomic
def mentor_assign(*, actor: User, team: Team, mentor: User) -> MentorAssignment:
    ensure_perm(actor, "competitions.assign_mentor", team)
    errors: dict[str, list[str]] = {}
    profile = MentorProfile.objects.filter(user=mentor).first()
    if mentor.role != Role.MENTOR or profile is None:
        errors["mentor"] = [_("La persona no tiene perfil de mentor/a.")]
    elif mentor_conflict(mentor, team):
        errors["mentor"] = [_("Conflicto: la persona es de la misma organización que alguien del equipo.")]
    elif (
        MentorAssignment.objects.filter(mentor=mentor, team__competition=team.competition).count() >= profile.max_teams
    ):
        errors["mentor"] = [_("La persona ya acompaña al máximo de equipos que indicó.")]
    raise_errors(errors)
    assignment, _created = MentorAssignment.objects.get_or_create(team=team, mentor=mentor)
    publish(events.MENTOR_ASSIGNED, events.mentor_assigned_payload(assignment))
    return assignment


@transaction.atomic
def mentors_assign_balanced(*, actor: User, competition: Competition) -> list[MentorAssignment]:
    """Every active team without a mentor gets the least-loaded mentor without a conflict whose
    expertise covers a skill the team lacks (or any, if none does). Ties by name, so it is repeatable."""
    ensure_perm(actor, "competitions.assign_mentor", competition)
    profiles = list(MentorProfile.objects.select_related("user").order_by("user__username"))
    load = {
        p.user_id: MentorAssignment.objects.filter(mentor=p.user, team__competition=competition).count()
        for p in profiles
    }
    made = []
    teams = competition.teams.filter(status=TeamStatus.ACTIVE, mentor_assignments__isnull=True).order_by("pk")
    for team in teams:
        members = list(team.members.all())
        lacking = set(missing_skills(competition, members))
        candidates = [p for p in profiles if load[p.user_id] < p.max_teams and not mentor_conflict(p.user, team)]
        if not candidates:
            continue
        candidates.sort(key=lambda p: (not (lacking & set(p.expertise)), load[p.user_id], p.user.username))
        chosen = candidates[0]
        made.append(MentorAssignment.objects.create(team=team, mentor=chosen.user))
        load[chosen.user_id] += 1
    return made


@transaction.atomic
def mentor_session_log(*, actor: User, team: Team, held_on: date, notes: str) -> MentorSession:
    ensure_perm(actor, "competitions.log_mentor_session", team)
    if not notes.strip():
        raise ValidationError({"notes": [_("Escriba las notas de la sesión.")]})
    return MentorSession.objects.create(team=team, mentor=actor, held_on=held_on, notes=notes.strip())


@transaction.atomic
def team_comment(*, actor: User, team: Team, body: str) -> TeamComment:
    ensure_perm(actor, "competitions.comment_team", team)
    if not body.strip():
        raise ValidationError({"body": [_("Escriba el comentario.")]})
    return TeamComment.objects.create(team=team, author=actor, body=body.strip())
