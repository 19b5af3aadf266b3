"""The organisers' page: stages, rounds, selections, winners, invitations to mentors and jurors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mueve.competitions import charts, selectors, services
from mueve.competitions.forms import (
    RoundForm,
    SelectionForm,
    WinnersForm,
)
from mueve.competitions.models import (
    Clinic,
    ClinicQuestion,
    Round,
    RoundStatus,
    SelectionKind,
    StageKind,
)

from ._common import _deny, _flash_errors, _posted_id


def manage(request, slug: str, round_form=None):
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    if not request.user.has_perm("competitions.change_competition", competition):
        return _deny(request)
    rounds = []
    for round_ in competition.rounds.prefetch_related("jurors", "criteria"):
        entry = {"round": round_, "progress": selectors.round_progress(round_=round_)}
        if round_.status == RoundStatus.CLOSED:
            entry["ranking"] = selectors.ranking_rows(round_)
            selected = {s.team_id for s in round_.selections.all()}
            top_ids = [row.team.pk for row in entry["ranking"][: round_.top_n]]
            if round_.stage == StageKind.FIRST_SELECTION:
                candidates = [r.team for r in entry["ranking"] if r.team.pk not in top_ids]
                picks = {s.team_id: s.justification for s in round_.selections.filter(kind=SelectionKind.SOCIAL_IMPACT)}
                initial = {"impact": [str(t) for t in picks], **{f"just_{t}": text for t, text in picks.items()}}
                entry["selection_form"] = SelectionForm(candidates=candidates, initial=initial)
            else:
                entry["winners_form"] = WinnersForm(candidates=[r.team for r in entry["ranking"]])
            entry["selected"] = selected
        rounds.append(entry)
    proposal = selectors.team_proposals(competition=competition)
    context = {
        "competition": competition,
        "rounds": rounds,
        "proposal": proposal,
        "funnel": charts.funnel_chart(selectors.funnel(competition)),
        "milestones": selectors.milestone_summary(competition),
        "teams": competition.teams.select_related("challenge").prefetch_related("members__user", "mentor_assignments"),
        "free_participants": competition.participants.filter(team__isnull=True).count(),
        "clinics": competition.clinics.prefetch_related("registrations__user", "questions"),
        "round_form": round_form or RoundForm(),
    }
    return render(request, "competitions/manage.html", context, status=400 if round_form else 200)


@require_POST
def manage_action(request, slug: str, action: str):
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    if not request.user.has_perm("competitions.change_competition", competition):
        return _deny(request)
    user = request.user
    round_ = None
    if "round" in request.POST:
        round_ = get_object_or_404(Round, pk=_posted_id(request, "round"), competition=competition)
    try:
        if action == "publish":
            services.competition_set_flags(
                actor=user, competition=competition, is_published=True, registration_open=True
            )
            messages.success(request, _("Competencia publicada e inscripciones abiertas."))
        elif action == "close-registration":
            services.competition_set_flags(actor=user, competition=competition, registration_open=False)
            messages.success(request, _("Inscripciones cerradas."))
        elif action in ("open-vote", "close-vote"):
            services.competition_set_flags(actor=user, competition=competition, public_vote_open=action == "open-vote")
            messages.success(request, _("Votación del público actualizada."))
        elif action == "publish-results":
            services.competition_set_flags(actor=user, competition=competition, results_published=True)
            messages.success(request, _("Resultados publicados."))
        elif action == "apply-proposal":
            proposal = selectors.team_proposals(competition=competition)
            teams = services.teams_from_proposal(actor=user, competition=competition, groups=proposal.groups)
            messages.success(
                request, ngettext("Se creó %(n)d equipo.", "Se crearon %(n)d equipos.", len(teams)) % {"n": len(teams)}
            )
        elif action == "assign-mentors":
            made = services.mentors_assign_balanced(actor=user, competition=competition)
            messages.success(
                request,
                ngettext("Se asignó %(n)d mentoría.", "Se asignaron %(n)d mentorías.", len(made)) % {"n": len(made)},
            )
        elif action == "attendance":
            clinic = get_object_or_404(Clinic, pk=_posted_id(request, "clinic"), competition=competition)
            ids = [int(i) for i in request.POST.getlist("attended") if i.isdecimal()]
            n = services.clinic_mark_attendance(
                actor=user,
                clinic=clinic,
                users=clinic.registrations.filter(user_id__in=ids).values_list("user", flat=True),
            )
            messages.success(
                request,
                ngettext("Asistencia registrada: %(n)d persona.", "Asistencia registrada: %(n)d personas.", n)
                % {"n": n},
            )
        elif action == "answer":
            question = get_object_or_404(
                ClinicQuestion, pk=_posted_id(request, "question"), clinic__competition=competition
            )
            services.clinic_answer(actor=user, question=question, answer=request.POST.get("answer", ""))
            messages.success(request, _("Respuesta publicada."))
        elif action == "create-round":
            form = RoundForm(request.POST)
            if not form.is_valid():
                return manage(request, slug, round_form=form)
            try:
                services.round_create(actor=user, competition=competition, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
                return manage(request, slug, round_form=form)
            messages.success(request, _("Ronda creada."))
        elif action == "open-round" and round_:
            services.round_open(actor=user, round=round_)
            messages.success(request, _("Evaluación abierta; el orden de desempate quedó publicado."))
        elif action == "close-round" and round_:
            services.round_close(actor=user, round=round_)
            messages.success(request, _("Ronda cerrada: el ranking quedó congelado."))
        elif action == "select" and round_:
            ranking = selectors.ranking_rows(round_)
            top_ids = [row.team.pk for row in ranking[: round_.top_n]]
            form = SelectionForm(request.POST, candidates=[r.team for r in ranking if r.team.pk not in top_ids])
            if not form.is_valid():
                raise ValidationError(_("Revise la selección."))
            services.selection_record(actor=user, round=round_, impact_picks=form.picks())
            messages.success(request, _("Selección registrada."))
        elif action == "winners" and round_:
            ranking = selectors.ranking_rows(round_)
            form = WinnersForm(request.POST, candidates=[r.team for r in ranking])
            if not form.is_valid():
                raise ValidationError({"winners": [_("Elija ganadores y escriba la justificación.")]})
            text = form.cleaned_data["justification"]
            services.winners_record(
                actor=user, round=round_, winners={int(t): text for t in form.cleaned_data["winners"]}
            )
            messages.success(request, _("Ganadores registrados."))
        else:
            raise Http404
    except ValidationError as exc:
        _flash_errors(request, exc)
    return redirect("competitions:manage", slug=slug)


# --- results -------------------------------------------------------------------------------------
