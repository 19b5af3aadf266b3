from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mueve.competitions import charts, selectors, services
from mueve.competitions import rules as crules
from mueve.competitions.forms import (
    CommentForm,
    ConflictForm,
    InviteForm,
    MilestoneForm,
    QuestionForm,
    RegistrationForm,
    RoundForm,
    ScoreForm,
    SelectionForm,
    SessionForm,
    SubmissionForm,
    TeamForm,
    WinnersForm,
    WithdrawForm,
)
from mueve.competitions.models import (
    Clinic,
    ClinicQuestion,
    Invitation,
    Milestone,
    Round,
    RoundMode,
    RoundStatus,
    SelectionKind,
    StageKind,
    Submission,
    Team,
    TeamStatus,
)
from mueve.core import csvio
from mueve.core.errors import error_dict


def _posted_id(request, name: str) -> int:
    """A row id from the POSTed form; anything but digits is a missing row (404), never a 500."""
    value = (request.POST.get(name) or "").strip()
    if not value.isdecimal():
        raise Http404
    return int(value)


def _deny(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _flash_errors(request, exc: ValidationError) -> None:
    for msgs in error_dict(exc).values():
        for msg in msgs:
            messages.error(request, msg)


def competition_list(request):
    competitions = selectors.competition_list_for(user=request.user)
    return render(
        request,
        "competitions/list.html",
        {"competitions": competitions, "can_add": request.user.has_perm("competitions.add_competition")},
    )


def competition_detail(request, slug: str):
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    participant = selectors.participant_of(user=request.user, competition=competition)
    stages = list(competition.stages.all())
    invitations = participant.invitations.filter(status="pending").select_related("team") if participant else []
    context = {
        "competition": competition,
        "stages": stages,
        "timeline": charts.stage_timeline(stages),
        "challenges": competition.challenges.select_related("owner"),
        "prizes": competition.prizes.all(),
        "partners": competition.partners.select_related("organization"),
        "clinics": competition.clinics.select_related("challenge", "presenter").prefetch_related("questions"),
        "participant": participant,
        "invitations": invitations,
        "registration_form": RegistrationForm(
            initial={"skills": participant.skills, "other_skill": participant.other_skill} if participant else None
        ),
        "team_form": TeamForm(competition=competition),
        "can_register": request.user.has_perm("competitions.register", competition),
        "is_organizer": crules.is_organizer(request.user, competition),
        "jury_rounds": competition.rounds.filter(jurors=request.user) if request.user.is_authenticated else [],
        "question_form": QuestionForm(),
        "teams": competition.teams.select_related("challenge").order_by("name"),
        "public_vote": (
            {
                "candidates": selectors.public_vote_candidates(competition),
                "can_vote": request.user.has_perm("competitions.public_vote", competition),
                "mine": competition.public_votes.filter(user=request.user).select_related("team").first()
                if request.user.is_authenticated
                else None,
            }
            if competition.public_vote_open
            else None
        ),
        "my_mentored": (
            competition.teams.filter(mentor_assignments__mentor=request.user) if request.user.is_authenticated else []
        ),
    }
    return render(request, "competitions/detail.html", context)


@require_POST
def register(request, slug: str):
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    if not request.user.has_perm("competitions.register", competition):
        return _deny(request)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            services.participant_register(actor=request.user, competition=competition, **form.cleaned_data)
        except ValidationError as exc:
            _flash_errors(request, exc)
        else:
            messages.success(request, _("Inscripción guardada. Ahora forme o únase a un equipo."))
    else:
        for field in form:
            for error in field.errors:
                messages.error(request, f"{field.label}: {error}")
    return redirect("competitions:detail", slug=slug)


@require_POST
def team_create(request, slug: str):
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    if not request.user.is_authenticated:
        return _deny(request)
    form = TeamForm(request.POST, competition=competition)
    if form.is_valid():
        try:
            team = services.team_create(actor=request.user, competition=competition, **form.cleaned_data)
        except ValidationError as exc:
            _flash_errors(request, exc)
        except PermissionDenied:
            return _deny(request)
        else:
            messages.success(request, _("Equipo creado. Invite a quienes completen las habilidades."))
            return redirect("competitions:team", slug=slug, team_id=team.pk)
    else:
        for field in form:
            for error in field.errors:
                messages.error(request, f"{field.label}: {error}")
    return redirect("competitions:detail", slug=slug)


@require_POST
def invitation_respond(request, slug: str, invitation_id: int):
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    invitation = get_object_or_404(Invitation, pk=invitation_id, team__competition=competition)
    accept = request.POST.get("accept") == "1"
    try:
        services.invitation_respond(actor=request.user, invitation=invitation, accept=accept)
    except ValidationError as exc:
        _flash_errors(request, exc)
    except PermissionDenied:
        return _deny(request)
    else:
        if accept:
            messages.success(request, _("Se unió al equipo %(team)s.") % {"team": invitation.team.name})
            return redirect("competitions:team", slug=slug, team_id=invitation.team_id)
        messages.success(request, _("Invitación rechazada."))
    return redirect("competitions:detail", slug=slug)


def _team_context(request, competition, team, **forms) -> dict:
    user = request.user
    private = selectors.can_view_private(user, team)
    members = list(team.members.select_related("user"))
    subs = list(selectors.submissions_for(user=user, team=team))
    stages = {s.kind: s for s in competition.stages.all()}
    submission_blocks = []
    if private:
        for stage in services.SUBMISSION_STAGES:
            if stage not in stages:
                continue
            if stage == StageKind.ACCELERATION and not selectors.selected_in_first_round(team):
                continue
            latest = next((s for s in subs if s.stage == stage), None)
            submission_blocks.append(
                {
                    "stage": stages[stage],
                    "latest": latest,
                    "versions": [s for s in subs if s.stage == stage],
                    "checklist": selectors.checklist(stage, latest),
                    "form": forms.get(f"submit_{stage}") or SubmissionForm(stage=stage),
                }
            )
    is_member = crules.is_team_member(user, team)
    notes = user.has_perm("competitions.view_team_notes", team)
    return {
        "competition": competition,
        "team": team,
        "members": members,
        "private": private,
        "is_member": is_member,
        "is_organizer": crules.is_organizer(user, competition),
        "skills": selectors.team_skill_matrix(competition, team),
        "missing": selectors.missing_skills(competition, members),
        "submission_blocks": submission_blocks,
        "invite_form": forms.get("invite") or InviteForm(competition=competition),
        "pending_invitations": team.invitations.filter(status="pending").select_related("participant__user"),
        "can_manage": user.has_perm("competitions.manage_team", team) and team.status == TeamStatus.ACTIVE,
        "has_room": len(members) < competition.max_team_size,
        "notes": notes,
        "sessions": team.mentor_sessions.select_related("mentor") if notes else [],
        "comments": team.comments.select_related("author") if notes else [],
        "mentors": [a.mentor for a in team.mentor_assignments.select_related("mentor")],
        "milestones": team.milestones.all() if notes else [],
        "can_log_session": user.has_perm("competitions.log_mentor_session", team),
        "can_comment": user.has_perm("competitions.comment_team", team),
        "can_sign_off": user.has_perm("competitions.sign_off_milestone", team),
        "can_update_milestone": user.has_perm("competitions.update_milestone", team),
        "session_form": forms.get("session") or SessionForm(),
        "comment_form": forms.get("comment") or CommentForm(),
        "milestone_form": forms.get("milestone") or MilestoneForm(),
        "withdraw_form": forms.get("withdraw") or WithdrawForm(),
        "selected": selectors.selected_in_first_round(team),
    }


def team_detail(request, slug: str, team_id: int):
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    team = selectors.team_get_for(user=request.user, competition=competition, team_id=team_id)
    # A conflicted juror never sees the team's page.
    if crules.is_juror(request.user) and crules.conflicted(request.user, team):
        raise Http404
    return render(request, "competitions/team.html", _team_context(request, competition, team))


@require_POST
def team_action(request, slug: str, team_id: int, action: str):
    """Every POST from the team page: the form is re-rendered with its errors, or we redirect."""
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    team = selectors.team_get_for(user=request.user, competition=competition, team_id=team_id)
    if not request.user.is_authenticated:
        return _deny(request)
    user = request.user
    handlers = {
        "invite": (
            InviteForm,
            {"competition": competition},
            lambda d: services.team_invite(actor=user, team=team, **d),
        ),
        "submit_hackathon": (
            SubmissionForm,
            {"stage": StageKind.HACKATHON},
            lambda d: services.submission_create(actor=user, team=team, stage=StageKind.HACKATHON, **d),
        ),
        "submit_acceleration": (
            SubmissionForm,
            {"stage": StageKind.ACCELERATION},
            lambda d: services.submission_create(actor=user, team=team, stage=StageKind.ACCELERATION, **d),
        ),
        "session": (SessionForm, {}, lambda d: services.mentor_session_log(actor=user, team=team, **d)),
        "comment": (CommentForm, {}, lambda d: services.team_comment(actor=user, team=team, **d)),
        "milestone": (MilestoneForm, {}, lambda d: services.milestone_add(actor=user, team=team, **d)),
        "withdraw": (WithdrawForm, {}, lambda d: services.team_withdraw(actor=user, team=team, **d)),
    }
    if action not in handlers:
        raise Http404
    form_class, kwargs, call = handlers[action]
    form = form_class(request.POST, request.FILES, **kwargs)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, False) or k in ("held_on", "due_on")}
        try:
            call(data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        except PermissionDenied:
            return _deny(request)
        else:
            messages.success(request, _("Guardado."))
            return redirect("competitions:team", slug=slug, team_id=team.pk)
    context = _team_context(request, competition, team, **{action: form})
    return render(request, "competitions/team.html", context, status=400)


def submission_file(request, slug: str, submission_id: int, field: str):
    """Decks and plans are private: served only to those who may see the team's submissions."""
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    submission = get_object_or_404(Submission, pk=submission_id, team__competition=competition)
    if field not in ("deck", "business_plan") or not selectors.can_view_private(request.user, submission.team):
        raise Http404
    file = getattr(submission, field)
    if not file:
        raise Http404
    name = file.name.rsplit("/", 1)[-1]
    return FileResponse(file.open("rb"), as_attachment=False, filename=name)


@require_POST
def public_vote(request, slug: str):
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    if not request.user.is_authenticated:
        return _deny(request)
    team = get_object_or_404(Team, pk=_posted_id(request, "team"), competition=competition)
    try:
        services.public_vote_cast(actor=request.user, team=team)
    except ValidationError as exc:
        _flash_errors(request, exc)
    except PermissionDenied:
        messages.error(request, _("Para votar necesita una cuenta con correo electrónico y contraseña."))
    else:
        messages.success(request, _("Gracias: su voto por %(team)s quedó registrado.") % {"team": team.name})
    return redirect("competitions:detail", slug=slug)


@require_POST
def milestone_action(request, slug: str, milestone_id: int, action: str):
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    milestone = get_object_or_404(Milestone, pk=milestone_id, team__competition=competition)
    try:
        if action == "done":
            services.milestone_mark_done(
                actor=request.user, milestone=milestone, evidence_url=request.POST.get("evidence_url", "")
            )
        elif action == "sign-off":
            services.milestone_sign_off(actor=request.user, milestone=milestone)
        else:
            raise Http404
    except ValidationError as exc:
        _flash_errors(request, exc)
    except PermissionDenied:
        return _deny(request)
    else:
        messages.success(request, _("Hito actualizado."))
    return redirect("competitions:team", slug=slug, team_id=milestone.team_id)


@require_POST
def clinic_action(request, slug: str, clinic_id: int, action: str):
    competition = selectors.competition_get_for(user=request.user, slug=slug)
    clinic = get_object_or_404(Clinic, pk=clinic_id, competition=competition)
    if not request.user.is_authenticated:
        return _deny(request)
    try:
        if action == "register":
            services.clinic_register(actor=request.user, clinic=clinic)
            messages.success(request, _("Quedó inscrito/a en la clínica."))
        elif action == "ask":
            services.clinic_ask(actor=request.user, clinic=clinic, question=request.POST.get("question", ""))
            messages.success(request, _("Pregunta enviada: se publicará con su respuesta."))
        else:
            raise Http404
    except ValidationError as exc:
        _flash_errors(request, exc)
    except PermissionDenied:
        return _deny(request)
    return redirect("competitions:detail", slug=slug)


# --- jury ----------------------------------------------------------------------------------------


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
            messages.success(request, _("Se crearon %(n)d equipos.") % {"n": len(teams)})
        elif action == "assign-mentors":
            made = services.mentors_assign_balanced(actor=user, competition=competition)
            messages.success(request, _("Se asignaron %(n)d mentorías.") % {"n": len(made)})
        elif action == "attendance":
            clinic = get_object_or_404(Clinic, pk=_posted_id(request, "clinic"), competition=competition)
            ids = [int(i) for i in request.POST.getlist("attended") if i.isdecimal()]
            n = services.clinic_mark_attendance(
                actor=user,
                clinic=clinic,
                users=clinic.registrations.filter(user_id__in=ids).values_list("user", flat=True),
            )
            messages.success(request, _("Asistencia registrada: %(n)d personas.") % {"n": n})
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
