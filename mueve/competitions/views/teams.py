"""A team's page and what participants do there: form and join teams, submit, meet milestones, book clinics."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mueve.competitions import rules as crules
from mueve.competitions import selectors, services
from mueve.competitions.forms import (
    CommentForm,
    InviteForm,
    MilestoneForm,
    SessionForm,
    SubmissionForm,
    TeamForm,
    WithdrawForm,
)
from mueve.competitions.models import (
    Clinic,
    Invitation,
    Milestone,
    StageKind,
    Submission,
    TeamStatus,
)

from ._common import _deny, _flash_errors


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
