"""What a closed round decides: the first selection (top N plus social-impact picks) and the winners."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.competitions import events
from mueve.competitions.models import Round, RoundStatus, Selection, SelectionKind, StageKind
from mueve.competitions.selectors import eligible_teams
from mueve.competitions.services._common import raise_errors
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm


@transaction.atomic
def selection_record(
    *,
    actor: User,
    round: Round,
    impact_picks: dict[int, str] | None = None,
    top_justification: str = "",
) -> list[Selection]:
    """First selection: the top N of the frozen ranking plus up to M social-impact picks (team id →
    justification) chosen by the jury from the rest. Replaces an earlier selection of the round."""
    # scoring brings numpy: load it when a selection is recorded, not with every process that imports services.
    from mueve.competitions import scoring

    ensure_perm(actor, "competitions.manage_round", round.competition)
    if round.status != RoundStatus.CLOSED:
        raise ValidationError({"__all__": [_("Primero cierre la ronda.")]})
    order = [int(t) for t in round.result.get("order", [])]
    picks = {int(k): v.strip() for k, v in (impact_picks or {}).items()}
    result = scoring.select(order, top_n=round.top_n, extra=picks, max_extra=round.impact_m)
    round.selections.all().delete()
    made = []
    for rank, team_id in enumerate(result.top, start=1):
        text = top_justification.strip() or _("Puesto %(n)d del ranking agregado del jurado.") % {"n": rank}
        made.append(
            Selection.objects.create(
                round=round,
                team_id=team_id,
                kind=SelectionKind.RANKING,
                rank=rank,
                justification=text,
                selected_by=actor,
            )
        )
    for pick in result.extra:
        made.append(
            Selection.objects.create(
                round=round,
                team_id=pick.entry,
                kind=SelectionKind.SOCIAL_IMPACT,
                justification=pick.justification,
                selected_by=actor,
            )
        )
    publish(events.SELECTION_RECORDED, events.round_payload(round))
    return made


@transaction.atomic
def winners_record(*, actor: User, round: Round, winners: dict[int, str]) -> list[Selection]:
    """Final: the winners (team id → the jury's justification), normally the top of the final ranking."""
    ensure_perm(actor, "competitions.manage_round", round.competition)
    errors: dict[str, list[str]] = {}
    if round.stage != StageKind.FINAL:
        errors["__all__"] = [_("Los ganadores se eligen en la ronda final.")]
    elif round.status != RoundStatus.CLOSED:
        errors["__all__"] = [_("Primero cierre la ronda.")]
    if not winners:
        errors["winners"] = [_("Elija al menos un equipo ganador.")]
    eligible = set(eligible_teams(round).values_list("pk", flat=True))
    if any(int(t) not in eligible for t in winners):
        errors["winners"] = [_("Un equipo elegido no participó en la final.")]
    if any(not text.strip() for text in winners.values()):
        errors["justification"] = [_("Cada ganador necesita una justificación.")]
    raise_errors(errors)
    order = [int(t) for t in round.result.get("order", [])]
    round.selections.all().delete()
    return [
        Selection.objects.create(
            round=round,
            team_id=int(team_id),
            kind=SelectionKind.WINNER,
            rank=(order.index(int(team_id)) + 1) if int(team_id) in order else None,
            justification=text.strip(),
            selected_by=actor,
        )
        for team_id, text in winners.items()
    ]
