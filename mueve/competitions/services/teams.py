"""Registration and teams: participants sign up, found teams, invite each other, withdraw.

Team changes after `Competition.team_changes_until` need an organizer.
"""

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.challenges.models import Challenge
from mueve.competitions import events
from mueve.competitions import rules as crules
from mueve.competitions.models import (
    Competition,
    Invitation,
    InvitationStatus,
    Participant,
    Skill,
    Team,
    TeamStatus,
)
from mueve.competitions.services._common import current_time, raise_errors
from mueve.competitions.services.conflicts import conflicts_after_joining
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.notifications import kinds as notification_kinds
from mueve.notifications import services as notifications


def _check_team_changes(actor: User, competition: Competition, now: datetime | None = None) -> None:
    deadline = competition.team_changes_until
    if deadline is not None and current_time(now) > deadline and not crules.is_organizer(actor, competition):
        raise ValidationError(
            {"__all__": [_("Pasó el plazo de cambios de equipo: solo la organización puede hacerlos ahora.")]}
        )


@transaction.atomic
def participant_register(
    *,
    actor: User,
    competition: Competition,
    skills: Sequence[str],
    other_skill: str = "",
    is_generated: bool = False,
) -> Participant:
    ensure_perm(actor, "competitions.register", competition)
    errors: dict[str, list[str]] = {}
    if not competition.registration_open:
        errors["__all__"] = [_("Las inscripciones de esta competencia no están abiertas.")]
    skills = list(dict.fromkeys(skills))
    if not skills:
        errors["skills"] = [_("Indique al menos una habilidad.")]
    elif any(s not in Skill.values for s in skills):
        errors["skills"] = [_("Habilidad desconocida.")]
    if Skill.OTHER in skills and not other_skill.strip():
        errors["other_skill"] = [_("Describa su otra habilidad.")]
    raise_errors(errors)
    participant, created = Participant.objects.get_or_create(
        competition=competition,
        user=actor,
        defaults={"skills": skills, "other_skill": other_skill.strip(), "is_generated": is_generated},
    )
    if not created:
        participant.skills = skills
        participant.other_skill = other_skill.strip()
        participant.save(update_fields=["skills", "other_skill", "updated_at"])
    publish(events.PARTICIPANT_REGISTERED, events.competition_payload(competition))
    return participant


def _participant_of(actor: User, competition: Competition) -> Participant:
    participant = Participant.objects.filter(competition=competition, user=actor).first()
    if participant is None:
        raise ValidationError({"__all__": [_("Primero inscríbase en la competencia.")]})
    return participant


@transaction.atomic
def team_create(
    *,
    actor: User,
    competition: Competition,
    name: str,
    challenge: Challenge | None = None,
    category: str = "",
    captain: Participant | None = None,
    is_generated: bool = False,
    now: datetime | None = None,
) -> Team:
    """A participant founds a team (and captains it). Organizers may found one for `captain`."""
    if captain is None:
        ensure_perm(actor, "competitions.register", competition)
        captain = _participant_of(actor, competition)
    else:
        ensure_perm(actor, "competitions.change_competition", competition)
    _check_team_changes(actor, competition, now)
    errors: dict[str, list[str]] = {}
    if captain.team_id is not None:
        errors["__all__"] = [_("Ya forma parte de un equipo.")]
    if not name.strip():
        errors["name"] = [_("Escriba el nombre del equipo.")]
    elif competition.teams.filter(name__iexact=name.strip()).exists():
        errors["name"] = [_("Ya existe un equipo con ese nombre.")]
    if challenge is not None and not competition.challenges.filter(pk=challenge.pk).exists():
        errors["challenge"] = [_("El desafío no está entre los que ofrece la competencia.")]
    raise_errors(errors)
    team = Team(
        competition=competition,
        name=name.strip(),
        challenge=challenge,
        category=category,
        captain=captain.user,
        is_generated=is_generated,
    )
    team._history_user = actor
    team.save()
    captain.team = team
    captain.save(update_fields=["team", "updated_at"])
    conflicts_after_joining(actor=actor, team=team, member=captain.user)
    publish(events.TEAM_CREATED, events.team_created_payload(team))
    return team


@transaction.atomic
def team_invite(*, actor: User, team: Team, participant: Participant, now: datetime | None = None) -> Invitation:
    ensure_perm(actor, "competitions.manage_team", team)
    _check_team_changes(actor, team.competition, now)
    errors: dict[str, list[str]] = {}
    if participant.competition_id != team.competition_id:
        errors["participant"] = [_("La persona no está inscrita en esta competencia.")]
    elif participant.team_id is not None:
        errors["participant"] = [_("La persona ya tiene equipo.")]
    elif team.invitations.filter(participant=participant, status=InvitationStatus.PENDING).exists():
        errors["participant"] = [_("Ya tiene una invitación pendiente de este equipo.")]
    if team.status != TeamStatus.ACTIVE:
        errors["__all__"] = [_("El equipo se retiró.")]
    elif team.members.count() >= team.competition.max_team_size:
        errors["__all__"] = [_("El equipo ya tiene el máximo de integrantes.")]
    raise_errors(errors)
    invitation = Invitation.objects.create(team=team, participant=participant, invited_by=actor)
    _invitation_notify(invitation)
    publish(events.INVITATION_SENT, events.invitation_sent_payload(invitation))
    return invitation


def _invitation_notify(invitation: Invitation) -> None:
    """The invited person hears it (kind `team_invitation`): they answer on the competition's page. People the demo
    invented get no notices."""
    if invitation.participant.is_generated:
        return
    team = invitation.team
    competition = team.competition
    inviter = invitation.invited_by
    who = (inviter.get_short_name() or inviter.username) if inviter is not None else ""
    body = _("El equipo «%(team)s» le invita a unirse en %(competition)s.") % {
        "team": team.name,
        "competition": competition.name,
    }
    if who:
        body += " " + _("Le invitó %(who)s.") % {"who": who}
    body += " " + _("Acepte o rechace la invitación en la página de la competencia.")
    url = settings.MUEVE_SITE_URL.rstrip("/") + reverse("competitions:detail", args=[competition.slug]) + "#participar"
    notifications.notify(
        user=invitation.participant.user,
        kind=notification_kinds.TEAM_INVITATION,
        context={"title": _("Invitación al equipo «%(team)s»") % {"team": team.name}, "body": body, "url": url},
    )


@transaction.atomic
def invitation_respond(*, actor: User, invitation: Invitation, accept: bool, now: datetime | None = None) -> Invitation:
    participant = invitation.participant
    if participant.user_id != actor.pk:
        raise PermissionDenied
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError({"__all__": [_("La invitación ya fue respondida.")]})
    team = invitation.team
    if accept:
        _check_team_changes(actor, team.competition, now)
        if participant.team_id is not None:
            raise ValidationError({"__all__": [_("Ya forma parte de un equipo.")]})
        if team.members.count() >= team.competition.max_team_size:
            raise ValidationError({"__all__": [_("El equipo ya tiene el máximo de integrantes.")]})
        if team.status != TeamStatus.ACTIVE:
            raise ValidationError({"__all__": [_("El equipo se retiró.")]})
        participant.team = team
        participant.save(update_fields=["team", "updated_at"])
        conflicts_after_joining(actor=actor, team=team, member=participant.user)
        # Other pending invitations lapse: a person is in one team.
        participant.invitations.filter(status=InvitationStatus.PENDING).exclude(pk=invitation.pk).update(
            status=InvitationStatus.DECLINED
        )
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.save(update_fields=["status"])
    publish(events.INVITATION_ANSWERED, events.invitation_answered_payload(invitation, accepted=accept))
    return invitation


@transaction.atomic
def team_add_member(*, actor: User, team: Team, participant: Participant) -> Participant:
    """Organizers move people between teams (after the deadline, or applying the matching proposal)."""
    ensure_perm(actor, "competitions.change_competition", team.competition)
    if participant.competition_id != team.competition_id:
        raise ValidationError({"participant": [_("La persona no está inscrita en esta competencia.")]})
    if team.members.count() >= team.competition.max_team_size:
        raise ValidationError({"__all__": [_("El equipo ya tiene el máximo de integrantes.")]})
    participant.team = team
    participant.save(update_fields=["team", "updated_at"])
    conflicts_after_joining(actor=actor, team=team, member=participant.user)
    return participant


@transaction.atomic
def teams_from_proposal(
    *, actor: User, competition: Competition, groups: Sequence[Sequence[Participant]], prefix: str = "Equipo"
) -> list[Team]:
    """Creates the teams a matching proposal suggests (organizers): the first member captains."""
    ensure_perm(actor, "competitions.change_competition", competition)
    teams = []
    n = competition.teams.count()
    for group in groups:
        if any(p.team_id is not None for p in group):
            raise ValidationError({"__all__": [_("Alguien de la propuesta ya tiene equipo: vuelva a calcularla.")]})
        n += 1
        name = f"{prefix} {n}"
        while competition.teams.filter(name=name).exists():
            n += 1
            name = f"{prefix} {n}"
        team = team_create(actor=actor, competition=competition, name=name, captain=group[0])
        for p in group[1:]:
            team_add_member(actor=actor, team=team, participant=p)
        teams.append(team)
    return teams


@transaction.atomic
def team_withdraw(*, actor: User, team: Team, reason: str) -> Team:
    ensure_perm(actor, "competitions.withdraw_team", team)
    if team.status == TeamStatus.WITHDRAWN:
        raise ValidationError({"__all__": [_("El equipo ya se retiró.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Indique el motivo del retiro.")]})
    team.status = TeamStatus.WITHDRAWN
    team.withdrawn_reason = reason.strip()
    team._history_user = actor
    team.save()
    publish(events.TEAM_WITHDRAWN, events.team_payload(team))
    return team
