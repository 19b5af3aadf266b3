"""Pairwise rounds (Crowd-BT, for large events): a juror only says which of two teams is better."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.competitions import crowdbt, events
from mueve.competitions import rules as crules
from mueve.competitions.models import PairwiseAssignment, PairwiseVote, Round, RoundMode, RoundStatus
from mueve.competitions.selectors import eligible_teams, teams_for_juror
from mueve.core.events import publish


def _pairwise_states(round_: Round):
    votes = [(v.juror_id, v.winner_id, v.loser_id) for v in round_.pairwise_votes.all()]
    return crowdbt.replay(votes, items=eligible_teams(round_).values_list("pk", flat=True))


def _pairwise_choose(round_: Round, assignment: PairwiseAssignment, states) -> int | None:
    seen = set(assignment.seen)
    candidates = {t.pk: states.items[t.pk] for t in teams_for_juror(round_=round_, user=assignment.juror)}
    candidates = {k: v for k, v in candidates.items() if k not in seen}
    if not candidates:
        return None
    annotator = states.annotators.get(assignment.juror_id, crowdbt.AnnotatorState())
    if assignment.current_id is None:
        # The first team: the least compared one (fewest votes), so coverage grows evenly.
        counts = {k: 0 for k in candidates}
        for v in round_.pairwise_votes.all():
            for k in (v.winner_id, v.loser_id):
                if k in counts:
                    counts[k] += 1
        return min(candidates, key=lambda k: (counts[k], k))
    return crowdbt.choose_next(annotator, states.items[assignment.current_id], candidates)


def _check_pairwise(actor: User, round_: Round) -> None:
    if not (crules.on_panel(actor, round_) and crules.is_juror(actor)):
        raise PermissionDenied
    if round_.mode != RoundMode.PAIRWISE:
        raise ValidationError({"__all__": [_("Esta ronda se evalúa con rúbrica, no por pares.")]})
    if round_.status != RoundStatus.SCORING:
        raise ValidationError({"__all__": [_("La ronda no está abierta a evaluación.")]})


@transaction.atomic
def pairwise_next(*, actor: User, round: Round, advance: bool = False) -> PairwiseAssignment:
    """The juror's place in the round, assigning the first team when there is none. With `advance`,
    a juror who has looked at the first team moves on to the second (nothing to compare yet)."""
    _check_pairwise(actor, round)
    assignment, _created = PairwiseAssignment.objects.select_for_update().get_or_create(round=round, juror=actor)
    if assignment.current_id is None and not assignment.seen:
        assignment.current_id = _pairwise_choose(round, assignment, _pairwise_states(round))
        if assignment.current_id:
            assignment.seen = [assignment.current_id]
        assignment.save()
    elif advance and assignment.previous_id is None and assignment.current_id is not None:
        following = _pairwise_choose(round, assignment, _pairwise_states(round))
        if following is not None:
            assignment.previous_id, assignment.current_id = assignment.current_id, following
            assignment.seen = [*assignment.seen, following]
            assignment.save()
    return assignment


@transaction.atomic
def pairwise_vote(*, actor: User, round: Round, current_wins: bool) -> PairwiseAssignment:
    """Records "the team I see now is better (or worse) than the one before" and moves on."""
    _check_pairwise(actor, round)
    assignment = PairwiseAssignment.objects.select_for_update().filter(round=round, juror=actor).first()
    if assignment is None or assignment.previous_id is None or assignment.current_id is None:
        raise ValidationError({"__all__": [_("No hay una comparación pendiente.")]})
    if any(crules.conflicted(actor, team) for team in (assignment.current, assignment.previous)):
        # A conflict declared (or arisen) after the pair was shown: that vote must not count.
        raise ValidationError(
            {"__all__": [_("Tiene un conflicto de interés con uno de estos equipos: no puede votar.")]}
        )
    winner, loser = (
        (assignment.current_id, assignment.previous_id)
        if current_wins
        else (assignment.previous_id, assignment.current_id)
    )
    PairwiseVote.objects.create(round=round, juror=actor, winner_id=winner, loser_id=loser)
    following = _pairwise_choose(round, assignment, _pairwise_states(round))
    assignment.previous_id = assignment.current_id
    assignment.current_id = following
    if following is not None:
        assignment.seen = [*assignment.seen, following]
    assignment.save()
    publish(events.PAIRWISE_VOTE, events.round_payload(round))
    return assignment


def pairwise_result(round_: Round) -> dict:
    """Crowd-BT ranking: highest mean belief first; equal means follow the published tie-break."""
    states = _pairwise_states(round_)
    position = {t: i for i, t in enumerate(round_.tie_break_order)}
    order = sorted(states.items, key=lambda t: (-states.items[t].mu, position.get(t, len(position)), t))
    crowd = {
        "order": [int(t) for t in order],
        "scores": {str(t): round(states.items[t].mu, 6) for t in order},
        "ties": [],
    }
    return {
        "method": "crowd-bt",
        "order": crowd["order"],
        "crowdbt": crowd,
        "copeland": {},
        "zscore": {},
        "kemeny": None,
        "kendall_w": None,
        "alpha": None,
        "disagreement": {"agree": True, "differing": [], "top_sets": {}},
        "juror_count": round_.pairwise_votes.values("juror").distinct().count(),
        "tie_break_order": list(round_.tie_break_order),
        "votes": round_.pairwise_votes.count(),
    }
