"""A competition's results, as a page and as CSV."""

from decimal import Decimal

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from mueve.competitions import charts, selectors
from mueve.competitions import rules as crules
from mueve.competitions.models import (
    RoundStatus,
    SelectionKind,
)
from mueve.core import csvio


def _results_context(request, competition) -> dict:
    if not (competition.results_published or crules.is_organizer(request.user, competition)):
        raise Http404
    rounds = [
        {"round": r, "ranking": selectors.ranking_rows(r)} for r in competition.rounds.filter(status=RoundStatus.CLOSED)
    ]
    return {
        "competition": competition,
        "rounds": rounds,
        "winners": selectors.winners(competition),
        "selected": selectors.selected_first_round(competition),
        "funnel": charts.funnel_chart(selectors.funnel(competition)),
        "SOCIAL_IMPACT": SelectionKind.SOCIAL_IMPACT,
        "public_tally": selectors.public_vote_tally(competition),
    }


def results(request, slug: str):
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    return render(request, "competitions/results.html", _results_context(request, competition))


def _results_table(request, competition) -> list[list]:
    context = _results_context(request, competition)
    rows = [
        [
            "ronda",
            "posicion",
            "equipo",
            "desafio",
            "puntaje_principal",
            "copeland",
            "z_media",
            "seleccion",
            "justificacion",
        ]
    ]
    for block in context["rounds"]:
        for row in block["ranking"]:
            sel = row.selection
            rows.append(
                [
                    block["round"].name,
                    row.position,
                    row.team.name,
                    row.team.challenge.title if row.team.challenge else "",
                    _score(row.main_score),
                    _score(row.copeland),
                    _score(row.zscore),
                    sel.get_kind_display() if sel else "",
                    sel.justification if sel else "",
                ]
            )
    return rows


def results_csv(request, slug: str):
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    return csvio.download(
        csvio.write_rows(_results_table(request, competition)), filename=f"{competition.slug}-resultados.csv"
    )


def results_xlsx(request, slug: str):
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    data = csvio.xlsx_rows(_results_table(request, competition), sheet=_("Resultados"))
    return csvio.download_xlsx(data, filename=f"{competition.slug}-resultados.xlsx")


def _score(value: float | None):
    # A number, not text, so that a negative z-score is not mistaken for a formula and quoted.
    return "" if value is None else Decimal(f"{value:.3f}")
