"""The jury's pages: score a round (by criteria or pairwise) and declare conflicts of interest."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mueve.competitions import rules as crules
from mueve.competitions import selectors, services
from mueve.competitions.forms import (
    ConflictForm,
    ScoreForm,
)
from mueve.competitions.models import (
    Round,
    RoundMode,
    RoundStatus,
)

from ._common import _deny, _flash_errors, _posted_id


def _round_for(request, competition, round_id) -> Round:
    round_ = get_object_or_404(Round, pk=round_id, competition=competition)
    if not request.user.has_perm("competitions.view_round", round_):
        raise PermissionDenied
    return round_


def jury(request, slug: str, round_id: int):
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    if not request.user.is_authenticated:
        return _deny(request)
    round_ = _round_for(request, competition, round_id)
    if round_.mode == RoundMode.PAIRWISE:
        return _pairwise(request, competition, round_)
    teams = selectors.teams_for_juror(round_=round_, user=request.user)
    mine = selectors.my_scores(round_=round_, user=request.user)
    posted_team = _posted_id(request, "team") if request.method == "POST" else 0
    rows = []
    for team in teams:
        latest = selectors.latest_submission(team, round_.submission_stage)
        existing = mine.get(team.pk, {})
        if team.pk == posted_team:
            form = ScoreForm(request.POST, round_=round_, team=team)
        else:
            form = ScoreForm(
                round_=round_,
                team=team,
                initial_values=existing.get("values"),
                initial={"comment": existing.get("comment", "")},
            )
        rows.append({"team": team, "submission": latest, "form": form, "scored": bool(existing)})
    status = 200
    if request.method == "POST":
        row = next((r for r in rows if r["team"].pk == posted_team), None)
        if row is None:
            raise Http404  # a conflicted or unknown team: the juror never gets it
        form = row["form"]
        if form.is_valid():
            try:
                services.score_set(
                    actor=request.user,
                    round=round_,
                    team=row["team"],
                    values=form.values(),
                    comment=form.cleaned_data.get("comment", ""),
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
                status = 400
            except PermissionDenied:
                return _deny(request)
            else:
                messages.success(request, _("Evaluación de %(team)s guardada.") % {"team": row["team"].name})
                return redirect("competitions:jury", slug=slug, round_id=round_.pk)
        else:
            status = 400
    conflict_form = ConflictForm(teams=selectors.eligible_teams(round_))
    context = {
        "competition": competition,
        "round": round_,
        "rows": rows,
        "conflicted": selectors.conflicted_teams(round_=round_, user=request.user),
        "conflict_form": conflict_form,
        "criteria": round_.criteria.all(),
        "tie_break_teams": _teams_in_order(competition, round_.tie_break_order),
    }
    return render(request, "competitions/jury.html", context, status=status)


def _pairwise(request, competition, round_):
    """Pairwise judging: look at a team, then at the next, and say which of the two is better."""
    assignment = None
    if round_.status == RoundStatus.SCORING and crules.on_panel(request.user, round_):
        try:
            if request.method == "POST" and request.POST.get("action") == "vote":
                services.pairwise_vote(
                    actor=request.user, round=round_, current_wins=request.POST.get("winner") == "current"
                )
                messages.success(request, _("Comparación registrada."))
                return redirect("competitions:jury", slug=competition.slug, round_id=round_.pk)
            if request.method == "POST" and request.POST.get("action") == "next":
                services.pairwise_next(actor=request.user, round=round_, advance=True)
                return redirect("competitions:jury", slug=competition.slug, round_id=round_.pk)
            assignment = services.pairwise_next(actor=request.user, round=round_)
        except ValidationError as exc:
            _flash_errors(request, exc)
    submissions = {}
    if assignment is not None:
        for team in (assignment.previous, assignment.current):
            if team is not None:
                submissions[team.pk] = selectors.latest_submission(team, round_.submission_stage)
    context = {
        "competition": competition,
        "round": round_,
        "assignment": assignment,
        "previous_submission": submissions.get(assignment.previous_id) if assignment else None,
        "current_submission": submissions.get(assignment.current_id) if assignment else None,
        "votes": round_.pairwise_votes.filter(juror=request.user).count() if request.user.is_authenticated else 0,
        "conflicted": selectors.conflicted_teams(round_=round_, user=request.user),
    }
    return render(request, "competitions/pairwise.html", context)


def _teams_in_order(competition, ids):
    teams = {t.pk: t for t in competition.teams.all()}
    return [teams[i] for i in ids if i in teams]


@require_POST
def conflict_declare(request, slug: str, round_id: int):
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    if not request.user.is_authenticated:
        return _deny(request)
    round_ = _round_for(request, competition, round_id)
    form = ConflictForm(request.POST, teams=selectors.eligible_teams(round_))
    if form.is_valid():
        try:
            services.conflict_declare(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _flash_errors(request, exc)
        else:
            messages.success(request, _("Conflicto declarado: ese equipo ya no aparece en su lista."))
    else:
        messages.error(request, _("Elija el equipo y el motivo."))
    return redirect("competitions:jury", slug=slug, round_id=round_.pk)


# --- organizers ----------------------------------------------------------------------------------
