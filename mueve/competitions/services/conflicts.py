"""Conflicts of interest between a juror and a team.

A declared conflict, like the implicit ones (mentor of the team, same organization as a member),
blocks both reading and scoring: `rules.conflicted` is the single definition.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.competitions import events
from mueve.competitions import rules as crules
from mueve.competitions.models import Conflict, ConflictReason, RoundStatus, Score, Team
from mueve.competitions.services._common import raise_errors
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm


@transaction.atomic
def conflict_declare(*, actor: User, team: Team, reason: str, note: str = "", juror: User | None = None) -> Conflict:
    """A juror declares a conflict with a team (organizers may record one for a juror). Any score
    the juror already gave that team is removed; the audit history keeps it."""
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
    for score in Score.objects.filter(juror=juror, team=team, round__status=RoundStatus.SCORING):
        score._history_user = actor
        score.delete()
    publish(events.CONFLICT_DECLARED, events.team_payload(team))
    return conflict
