"""Conflicts of interest between a juror and a team.

A declared conflict, like the implicit ones (mentor of the team, same organization as a member),
blocks both reading and scoring: `rules.conflicted` is the single definition.

A conflict also reaches back: whatever the juror already said about the team (rubric scores,
pairwise votes in any round) is withdrawn, each deletion kept in the audit history, and a round
already closed recomputes its frozen result without it. Selections already recorded from that
result are not undone: the organisers see the new ranking and decide.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.competitions import events
from mueve.competitions import rules as crules
from mueve.competitions.models import Conflict, ConflictReason, PairwiseVote, Round, RoundStatus, Score, Team
from mueve.competitions.services._common import raise_errors
from mueve.competitions.services.rounds import round_result
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm


@transaction.atomic
def conflict_declare(*, actor: User, team: Team, reason: str, note: str = "", juror: User | None = None) -> Conflict:
    """A juror declares a conflict with a team (organizers may record one for a juror). What the
    juror already said about that team is withdrawn (see the module's docstring)."""
    juror = juror or actor
    ensure_perm(actor, "competitions.declare_conflict", team)
    if juror != actor and not crules.is_organizer(actor, team.competition):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if reason not in ConflictReason.values:
        errors["reason"] = [_("Motivo desconocido.")]
    if reason == ConflictReason.OTHER and not note.strip():
        errors["note"] = [_("Describa el conflicto.")]
    raise_errors(errors)
    conflict, _created = Conflict.objects.get_or_create(
        competition=team.competition, juror=juror, team=team, defaults={"reason": reason, "note": note.strip()}
    )
    judgement_withdraw(actor=actor, juror=juror, team=team)
    publish(events.CONFLICT_DECLARED, events.team_payload(team))
    return conflict


def judgement_withdraw(*, actor: User, juror: User, team: Team) -> list[Round]:
    """Deletes the juror's scores and pairwise votes involving `team` (history keeps them, with
    `actor`), and recomputes the frozen result of closed rounds they counted in. Returns the rounds touched."""
    touched: dict[int, Round] = {}
    for score in Score.objects.filter(juror=juror, team=team).select_related("round"):
        touched[score.round_id] = score.round
        score._history_user = actor
        score.delete()
    votes = PairwiseVote.objects.filter(Q(winner=team) | Q(loser=team), juror=juror).select_related("round")
    for vote in votes:
        touched[vote.round_id] = vote.round
        vote._history_user = actor
        vote.delete()
    for round_ in touched.values():
        if round_.status == RoundStatus.CLOSED:
            round_.result = round_result(round_)
            round_._history_user = actor
            round_.save()
    return list(touched.values())


def conflicts_after_joining(*, actor: User, team: Team, member: User) -> list[Conflict]:
    """A new member makes every juror of the competition from the member's organization conflicted
    with the team: the conflict is recorded (so it shows and stays if the member leaves) and the
    juror's earlier judgement of the team withdrawn. Callers run inside their own transaction."""
    if member.organization_id is None:
        return []
    jurors = User.objects.filter(
        jury_rounds__competition=team.competition, organization_id=member.organization_id
    ).distinct()
    conflicts = []
    for juror in jurors:
        conflict, created = Conflict.objects.get_or_create(
            competition=team.competition,
            juror=juror,
            team=team,
            defaults={
                "reason": ConflictReason.SAME_ORGANIZATION,
                "note": _("Se unió al equipo una persona de la misma organización."),
            },
        )
        judgement_withdraw(actor=actor, juror=juror, team=team)
        if created:
            publish(events.CONFLICT_DECLARED, events.team_payload(team))
        conflicts.append(conflict)
    return conflicts
