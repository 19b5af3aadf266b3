from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mueve.challenges import selectors, services
from mueve.challenges.forms import (
    ChallengeFilterForm,
    ChallengeForm,
    CommentForm,
    CommentReportForm,
    InterviewForm,
    TransitionForm,
)
from mueve.challenges.models import CommentDecision
from mueve.core.errors import error_dict
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
        "can_moderate": request.user.has_perm("challenges.moderate_comments"),
    }
    template = "challenges/_results.html" if request.headers.get("HX-Request") else "challenges/list.html"
    response = render(request, template, context)
    # The same URL answers a whole page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _detail_context(
    request, challenge, transition_form=None, *, comment_form=None, participation_errors=(), report_errors=None
) -> dict:
    user = request.user
    can_transition = user.has_perm("challenges.transition_challenge", challenge)
    if can_transition and transition_form is None and services.allowed_transitions(challenge):
        transition_form = TransitionForm(challenge=challenge)
    participation = selectors.participation_for(user=user, challenge=challenge)
    return {
        "challenge": challenge,
        "addressed_by": selectors.addressed_by(challenge, user=user),
        "history": list(challenge.status_changes.all()),
        "can_view_interviews": user.has_perm("challenges.view_interviews"),
        "can_change": user.has_perm("challenges.change_challenge", challenge),
        "transition_form": transition_form if can_transition else None,
        "participation": participation,
        "comments": selectors.comments_for(user=user, challenge=challenge) if participation.open else [],
        "comment_form": comment_form or CommentForm(),
        "participation_errors": list(participation_errors),
        # {comment id: [messages]} for a refused "Denunciar".
        "report_errors": report_errors or {},
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


# --- taking part: follow, support, comment, report -----------------------------------------------------------------


def _to_login(slug: str):
    # Back to the challenge's page after signing in: the action's own URL only answers POST.
    return redirect_to_login(reverse("challenges:detail", kwargs={"slug": slug}))


def _back(challenge, anchor: str = "participar"):
    return redirect(reverse("challenges:detail", kwargs={"slug": challenge.slug}) + f"#{anchor}")


def _refused(request, challenge, *, status: int = 400, **context):
    """The challenge's page again, with what was refused (nothing was stored)."""
    challenge = selectors.challenge_get_for(user=request.user, slug=challenge.slug)
    return render(request, "challenges/detail.html", _detail_context(request, challenge, **context), status=status)


@require_POST
def challenge_follow(request, slug: str):
    if not request.user.is_authenticated:
        return _to_login(slug)
    challenge = selectors.public_challenge_get(slug=slug)
    services.challenge_follow(user=request.user, challenge=challenge)
    messages.success(request, _("Ahora sigue este desafío: le avisaremos cuando cambie."))
    return _back(challenge)


@require_POST
def challenge_unfollow(request, slug: str):
    if not request.user.is_authenticated:
        return _to_login(slug)
    challenge = selectors.public_challenge_get(slug=slug)
    services.challenge_unfollow(user=request.user, challenge=challenge)
    messages.success(request, _("Dejó de seguir este desafío."))
    return _back(challenge)


@require_POST
def challenge_support(request, slug: str):
    if not request.user.is_authenticated:
        return _to_login(slug)
    challenge = selectors.public_challenge_get(slug=slug)
    try:
        services.challenge_support(user=request.user, challenge=challenge)
    except ValidationError as exc:
        return _refused(request, challenge, participation_errors=_messages(exc))
    messages.success(request, _("Gracias: su apoyo quedó registrado."))
    return _back(challenge)


@require_POST
def challenge_unsupport(request, slug: str):
    if not request.user.is_authenticated:
        return _to_login(slug)
    challenge = selectors.public_challenge_get(slug=slug)
    try:
        services.challenge_support_withdraw(user=request.user, challenge=challenge)
    except ValidationError as exc:
        return _refused(request, challenge, participation_errors=_messages(exc))
    messages.success(request, _("Retiró su apoyo a este desafío."))
    return _back(challenge)


def _messages(exc: ValidationError) -> list[str]:
    return [message for messages_ in error_dict(exc).values() for message in messages_]


@require_POST
def comment_create(request, slug: str):
    if not request.user.is_authenticated:
        return _to_login(slug)
    challenge = selectors.public_challenge_get(slug=slug)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _refused(request, challenge, comment_form=form)
    try:
        comment = services.comment_create(author=request.user, challenge=challenge, text=form.cleaned_data["text"])
    except ValidationError as exc:
        form.add_service_errors(exc)
        return _refused(request, challenge, comment_form=form)
    except services.RateLimited as limited:
        form.add_error("text", services.rate_limited_message(limited.retry_after))
        response = _refused(request, challenge, comment_form=form, status=429)
        response["Retry-After"] = str(limited.retry_after)
        return response
    if comment.status == comment.Status.PUBLISHED:
        messages.success(request, _("Su comentario fue publicado."))
    else:
        messages.info(
            request, _("Su comentario quedó en revisión: solo usted lo ve hasta que un moderador lo publique.")
        )
    return _back(challenge, f"comentario-{comment.pk}")


@require_POST
def comment_report(request, slug: str, pk: int):
    if not request.user.is_authenticated:
        return _to_login(slug)
    challenge = selectors.public_challenge_get(slug=slug)
    comment = selectors.comment_reportable_get(pk=pk, challenge=challenge)
    form = CommentReportForm(request.POST)
    form.is_valid()  # the reason is optional: the service checks its length
    try:
        services.comment_report(reporter=request.user, comment=comment, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        return _refused(request, challenge, report_errors={comment.pk: _messages(exc)})
    messages.success(request, _("Gracias: su denuncia llegó al equipo de moderación."))
    return _back(challenge, "comentarios")


# --- moderation ------------------------------------------------------------------------------------------------------

MODERATION_ACTIONS = {"publicar": CommentDecision.Action.PUBLISH, "ocultar": CommentDecision.Action.HIDE}


def _moderation_page(request, *, errors: dict | None = None, status: int = 200):
    comments = selectors.moderation_queue(user=request.user)
    errors = errors or {}
    shown = {comment.pk for comment in comments}
    context = {
        "comments": comments,
        "decisions": selectors.moderation_decisions(user=request.user),
        "errors": errors,
        # About a comment no longer in the queue (someone decided meanwhile): said at the top of the page.
        "stray_errors": [message for pk, messages_ in errors.items() if pk not in shown for message in messages_],
    }
    return render(request, "challenges/moderation.html", context, status=status)


@require_GET
@require_perm("challenges.moderate_comments")
def moderation_queue(request):
    return _moderation_page(request)


@require_POST
@require_perm("challenges.moderate_comments")
def moderation_decide(request, pk: int, action: str):
    if action not in MODERATION_ACTIONS:
        raise Http404
    comment = selectors.moderation_comment_get(user=request.user, pk=pk)
    try:
        services.comment_moderate(actor=request.user, comment=comment, action=MODERATION_ACTIONS[action])
    except ValidationError as exc:
        return _moderation_page(request, errors={comment.pk: _messages(exc)}, status=400)
    if MODERATION_ACTIONS[action] == CommentDecision.Action.PUBLISH:
        messages.success(request, _("Comentario publicado."))
    else:
        messages.success(request, _("Comentario ocultado: ya no lo ve el público."))
    return redirect("challenges:moderation")
