"""The audience award: counted apart from the jury and never mixed into its ranking."""

from django.db import transaction
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.competitions import events
from mueve.competitions.models import PublicVote, Team, TeamStatus
from mueve.competitions.services._common import raise_errors
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm


@transaction.atomic
def public_vote_cast(*, actor: User, team: Team) -> PublicVote:
    """One vote per verified account and competition, never for one's own team; counted apart from
    the jury and never mixed into its ranking."""
    competition = team.competition
    ensure_perm(actor, "competitions.public_vote", competition)
    errors: dict[str, list[str]] = {}
    if not competition.public_vote_open:
        errors["__all__"] = [_("La votación del público no está abierta.")]
    elif team.status != TeamStatus.ACTIVE or not team.submissions.exists():
        errors["team"] = [_("Ese equipo no participa en la votación.")]
    elif team.members.filter(user=actor).exists():
        errors["team"] = [_("No puede votar por su propio equipo.")]
    elif PublicVote.objects.filter(competition=competition, user=actor).exists():
        errors["__all__"] = [_("Ya votó en esta competencia: hay un voto por cuenta.")]
    raise_errors(errors)
    vote = PublicVote.objects.create(competition=competition, team=team, user=actor)
    publish(events.PUBLIC_VOTE, events.competition_payload(competition))
    return vote
