"""Competitions API: public reads of published competitions and their published results."""

from django.http import Http404
from ninja import Query, Router

from mueve.competitions import rules as crules
from mueve.competitions import selectors
from mueve.competitions.models import RoundStatus
from mueve.competitions.schemas import CompetitionOut, CompetitionPage, ResultsOut
from mueve.core.api.auth import public
from mueve.core.api.responses import MALFORMED, NOT_FOUND, responses
from mueve.core.schemas import PageQuery, Text, paginate

router = Router(tags=["competitions"])


@router.get("", response=responses(CompetitionPage, MALFORMED), auth=public)
def list_competitions(request, paging: Query[PageQuery] = None):
    """Published competitions (organizers also see their unpublished ones), newest first."""
    return paginate(selectors.competition_list_for(user=request.user).prefetch_related("stages"), paging)


@router.get("/{slug}", response=responses(CompetitionOut, NOT_FOUND, MALFORMED), auth=public)
def get_competition(request, slug: Text):
    return selectors.competition_get_for(user=request.user, slug=slug)


@router.get("/{slug}/results", response=responses(ResultsOut, NOT_FOUND, MALFORMED), auth=public)
def get_results(request, slug: Text):
    """The frozen ranking of each closed round, the selections with the jury's justifications, and
    the funnel. 404 until the organizers publish the results."""
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    if not (competition.results_published or crules.is_organizer(request.user, competition)):
        raise Http404
    rounds = []
    for round_ in competition.rounds.filter(status=RoundStatus.CLOSED):
        rows = selectors.ranking_rows(round_)
        rounds.append(
            {
                "round": round_.name,
                "stage": round_.stage,
                "tie_break": round_.tie_break,
                "method": round_.result.get("method", ""),
                "ranking": [
                    {
                        "position": r.position,
                        "team": r.team.name,
                        "category": r.team.category,
                        "main_score": r.main_score,
                        "selection": r.selection.kind if r.selection else "",
                        "justification": r.selection.justification if r.selection else "",
                    }
                    for r in rows
                ],
            }
        )
    return {
        "competition": competition.slug,
        "winners": [s.team.name for s in selectors.winners(competition)],
        "rounds": rounds,
        "funnel": {str(label): value for label, value in selectors.funnel(competition)},
    }
