from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mueve.challenges import selectors, services
from mueve.challenges.forms import (
    ChallengeFilterForm,
    ChallengeForm,
    InterviewForm,
    TransitionForm,
)
from mueve.core.permissions import require_perm

PAGE_SIZE = 20


def challenge_list(request):
    choices = selectors.challenge_filter_choices(user=request.user)
    form = ChallengeFilterForm(request.GET or None, choices=choices)
    filters = form.filters()
    challenges = selectors.challenge_list_for(user=request.user, **filters)
    page = Paginator(challenges, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_addressers(page.object_list, user=request.user)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "filtered": bool(filters),
        "query": query.urlencode(),
        "can_add": request.user.has_perm("challenges.add_challenge"),
        "can_view_interviews": request.user.has_perm("challenges.view_interviews"),
    }
    template = "challenges/_results.html" if request.headers.get("HX-Request") else "challenges/list.html"
    response = render(request, template, context)
    # The same URL answers a whole page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _detail_context(request, challenge, transition_form=None) -> dict:
    user = request.user
    can_transition = user.has_perm("challenges.transition_challenge", challenge)
    if can_transition and transition_form is None and services.allowed_transitions(challenge):
        transition_form = TransitionForm(challenge=challenge)
    return {
        "challenge": challenge,
        "addressed_by": selectors.addressed_by(challenge, user=user),
        "history": list(challenge.status_changes.all()),
        "can_view_interviews": user.has_perm("challenges.view_interviews"),
        "can_change": user.has_perm("challenges.change_challenge", challenge),
        "transition_form": transition_form if can_transition else None,
    }


def challenge_detail(request, slug: str):
    challenge = selectors.challenge_get_for(user=request.user, slug=slug)
    return render(request, "challenges/detail.html", _detail_context(request, challenge))


@require_POST
@require_perm("challenges.transition_challenge")
def challenge_transition(request, slug: str):
    challenge = selectors.challenge_get_for(user=request.user, slug=slug)
    form = TransitionForm(request.POST, challenge=challenge)
    if form.is_valid():
        try:
            services.challenge_transition(actor=request.user, challenge=challenge, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("El desafío pasó a «%(status)s».") % {"status": challenge.get_status_display()})
            return redirect("challenges:detail", slug=challenge.slug)
    challenge = selectors.challenge_get_for(user=request.user, slug=slug)
    return render(request, "challenges/detail.html", _detail_context(request, challenge, form))


@require_perm("challenges.add_challenge")
def challenge_create(request):
    interview = _source_interview(request)
    if request.method == "POST":
        form = ChallengeForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                challenge = services.challenge_create(
                    actor=request.user,
                    program=data["program"],
                    title=data["title"],
                    owner=data["owner"],
                    kind=data["kind"],
                    description=data["description"],
                    component=data["component"],
                    interviews=data["interviews"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Desafío creado. Queda «Identificado» hasta que se valide."))
                return redirect("challenges:detail", slug=challenge.slug)
    else:
        initial: dict = {}
        if request.user.organization_id:
            initial["owner"] = request.user.organization
        if interview is not None:
            initial.update(
                program=interview.program,
                owner=interview.institution,
                component=interview.component,
                interviews=[interview],
            )
        form = ChallengeForm(initial=initial, user=request.user)
    return render(request, "challenges/form.html", {"form": form, "challenge": None, "interview": interview})


def _source_interview(request):
    """The interview named by ?entrevista=<id>, when creating a challenge from it."""
    interview_id = request.GET.get("entrevista", "")
    # isdecimal: "²" is a digit to isdigit() but not a number int() can read.
    if interview_id.isascii() and interview_id.isdecimal() and request.user.has_perm("challenges.view_interviews"):
        return selectors.interview_choices(user=request.user).filter(pk=int(interview_id)).first()
    return None


def challenge_edit(request, slug: str):
    challenge = selectors.challenge_get_for(user=request.user, slug=slug)
    if not request.user.has_perm("challenges.change_challenge", challenge):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    if request.method == "POST":
        form = ChallengeForm(request.POST, user=request.user, program=challenge.program)
        if form.is_valid():
            try:
                services.challenge_update(actor=request.user, challenge=challenge, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Cambios guardados."))
                return redirect("challenges:detail", slug=challenge.slug)
    else:
        form = ChallengeForm(
            user=request.user,
            program=challenge.program,
            initial={
                "title": challenge.title,
                "description": challenge.description,
                "owner": challenge.owner,
                "kind": challenge.kind,
                "component": challenge.component,
                "interviews": list(challenge.interviews.all()),
            },
        )
    return render(request, "challenges/form.html", {"form": form, "challenge": challenge, "interview": None})


@require_perm("challenges.view_interviews")
def interview_list(request):
    interviews = selectors.interview_list(user=request.user)
    page = Paginator(interviews, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "challenges/interview_list.html",
        {"page": page, "can_add": request.user.has_perm("challenges.add_interview")},
    )


@require_perm("challenges.add_interview")
def interview_create(request):
    if request.method == "POST":
        form = InterviewForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.interview_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Entrevista registrada."))
                return redirect("challenges:interview_list")
    else:
        form = InterviewForm(user=request.user)
    return render(request, "challenges/interview_form.html", {"form": form})
