"""Challenges API: public reads (each caller sees what the pages show them), writes by role; signed-in people
follow, support and comment on public challenges (as on the challenge's page).

Program, owner and component are named by slug (component by its key within the program).
"""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status as HttpStatus

from mueve.challenges import selectors, services
from mueve.challenges.models import Interview, Kind, Status
from mueve.challenges.schemas import (
    ChallengeDetailOut,
    ChallengeIn,
    ChallengePage,
    ChallengePatch,
    CommentIn,
    CommentOut,
    CommentPage,
    ParticipationOut,
    TransitionIn,
)
from mueve.core.api.auth import public, session_or_token
from mueve.core.api.responses import AUTH, BODY, MALFORMED, NOT_FOUND, REFUSED, responses
from mueve.core.errors import error_dict
from mueve.core.permissions import ensure_perm
from mueve.core.schemas import PageQuery, SearchText, Text, choice, paginate
from mueve.programs.models import Component, Program
from mueve.stakeholders.models import Organization

router = Router(tags=["challenges"])
CONFLICT = (409,)
TOO_MANY = (429,)


def _program(slug: str, user) -> Program:
    program = selectors.program_choices(user=user).filter(slug=slug).first()
    if program is None:
        raise ValidationError({"program": [_("No existe un programa «%(slug)s».") % {"slug": slug}]})
    return program


def _owner(slug: str) -> Organization:
    owner = Organization.objects.filter(slug=slug).first()
    if owner is None:
        raise ValidationError({"owner": [_("No existe una institución «%(slug)s».") % {"slug": slug}]})
    return owner


def _component(program: Program, key: str | None) -> Component | None:
    if not key:
        return None
    component = Component.objects.filter(program=program, key=key).first()
    if component is None:
        raise ValidationError({"component": [_("El programa no tiene un componente «%(key)s».") % {"key": key}]})
    return component


def _interviews(program: Program, ids: list[int]) -> list[Interview]:
    found = list(Interview.objects.filter(program=program, pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"interviews": [_("Alguna entrevista no existe o no es de este programa.")]})
    return found


@router.get("", response=responses(ChallengePage, REFUSED, MALFORMED), auth=public)
def list_challenges(
    request,
    program: Text | None = None,
    status: choice(Status.values) | None = None,
    kind: choice(Kind.values) | None = None,
    owner: Text | None = None,
    q: SearchText | None = None,
    paging: Query[PageQuery] = None,
):
    """Challenges the caller may see (anonymous: published, addressing and solved), newest first."""
    errors = {}
    if status is not None and status not in Status.values:
        errors["status"] = [_("Estado desconocido. Use: %(values)s.") % {"values": ", ".join(Status.values)}]
    if kind is not None and kind not in Kind.values:
        errors["kind"] = [_("Tipo desconocido. Use: %(values)s.") % {"values": ", ".join(Kind.values)}]
    if errors:
        raise ValidationError(errors)
    qs = selectors.challenge_list_for(user=request.user, program=program, status=status, kind=kind, owner=owner, q=q)
    return paginate(qs, paging)


@router.get("/{slug}", response=responses(ChallengeDetailOut, NOT_FOUND, MALFORMED), auth=public)
def get_challenge(request, slug: Text):
    """One challenge with its status history."""
    return selectors.challenge_get_for(user=request.user, slug=slug)


@router.post("", response=responses({201: ChallengeDetailOut}, AUTH, BODY), auth=session_or_token)
def create_challenge(request, payload: ChallengeIn):
    """Officials, program managers and admins. The title must be a question."""
    ensure_perm(request.user, "challenges.add_challenge")
    program = _program(payload.program, request.user)
    challenge = services.challenge_create(
        actor=request.user,
        program=program,
        title=payload.title,
        owner=_owner(payload.owner),
        kind=payload.kind,
        description=payload.description,
        component=_component(program, payload.component),
        interviews=_interviews(program, payload.interviews),
    )
    return HttpStatus(201, selectors.challenge_get_for(user=request.user, slug=challenge.slug))


@router.patch("/{slug}", response=responses(ChallengeDetailOut, AUTH, NOT_FOUND, BODY), auth=session_or_token)
def update_challenge(request, slug: Text, payload: ChallengePatch):
    """Managers and admins, or officials of the owner institution. Only the fields sent change."""
    challenge = selectors.challenge_get_for(user=request.user, slug=slug)
    ensure_perm(request.user, "challenges.change_challenge", challenge)
    sent = payload.model_dump(exclude_unset=True)
    changes = {name: sent[name] for name in ("title", "description", "kind") if sent.get(name) is not None}
    if sent.get("owner") is not None:
        changes["owner"] = _owner(sent["owner"])
    if "component" in sent:
        changes["component"] = _component(challenge.program, sent["component"])
    if sent.get("interviews") is not None:
        changes["interviews"] = _interviews(challenge.program, sent["interviews"])
    services.challenge_update(actor=request.user, challenge=challenge, **changes)
    return selectors.challenge_get_for(user=request.user, slug=slug)


@router.post("/{slug}/transition", response=responses(ChallengeDetailOut, AUTH, NOT_FOUND, BODY), auth=session_or_token)
def transition_challenge(request, slug: Text, payload: TransitionIn):
    """Program managers and admins move a challenge along identified → … → solved."""
    challenge = selectors.challenge_get_for(user=request.user, slug=slug)
    services.challenge_transition(
        actor=request.user,
        challenge=challenge,
        to_status=payload.to_status,
        note=payload.note,
        addressed_via=payload.addressed_via,
    )
    return selectors.challenge_get_for(user=request.user, slug=slug)


# --- taking part in a public challenge ---------------------------------------------------------------------------
# A challenge that is not public (or does not exist) is a 404 for everyone, as on the page.


def _participation(request, challenge) -> dict:
    state = selectors.participation_for(user=request.user, challenge=challenge)
    return {"following": state.following, "supporting": state.supporting, "support_count": state.support_count}


@router.post("/{slug}/follow", response=responses(ParticipationOut, AUTH, NOT_FOUND, MALFORMED), auth=session_or_token)
def follow_challenge(request, slug: Text):
    """The caller follows the challenge: notices (kind «challenge_update») when it changes. Following twice is
    harmless."""
    challenge = selectors.public_challenge_get(slug=slug)
    services.challenge_follow(user=request.user, challenge=challenge)
    return _participation(request, challenge)


@router.delete(
    "/{slug}/follow", response=responses(ParticipationOut, AUTH, NOT_FOUND, MALFORMED), auth=session_or_token
)
def unfollow_challenge(request, slug: Text):
    """The caller stops following the challenge."""
    challenge = selectors.public_challenge_get(slug=slug)
    services.challenge_unfollow(user=request.user, challenge=challenge)
    return _participation(request, challenge)


@router.post(
    "/{slug}/support",
    response=responses({201: ParticipationOut}, AUTH, NOT_FOUND, MALFORMED, CONFLICT),
    auth=session_or_token,
)
def support_challenge(request, slug: Text):
    """The caller supports the challenge, once per account: a second time is a 409 with a message on `support`,
    and the count does not change."""
    challenge = selectors.public_challenge_get(slug=slug)
    try:
        services.challenge_support(user=request.user, challenge=challenge)
    except ValidationError as exc:
        errors = error_dict(exc)
        return HttpStatus(409, {"detail": errors["support"][0], "errors": errors})
    return HttpStatus(201, _participation(request, challenge))


@router.delete(
    "/{slug}/support", response=responses(ParticipationOut, AUTH, NOT_FOUND, MALFORMED), auth=session_or_token
)
def unsupport_challenge(request, slug: Text):
    """The caller withdraws their support (404 with a message on `support` when they had not given it)."""
    challenge = selectors.public_challenge_get(slug=slug)
    try:
        services.challenge_support_withdraw(user=request.user, challenge=challenge)
    except ValidationError as exc:
        errors = error_dict(exc)
        return HttpStatus(404, {"detail": errors["support"][0], "errors": errors})
    return _participation(request, challenge)


@router.get("/{slug}/comments", response=responses(CommentPage, NOT_FOUND, MALFORMED), auth=public)
def list_comments(request, slug: Text, paging: Query[PageQuery] = None):
    """The published comments, oldest first. Authors are named by first name and initial."""
    challenge = selectors.public_challenge_get(slug=slug)
    return paginate(selectors.published_comments(challenge=challenge).order_by("created_at", "id"), paging)


@router.post(
    "/{slug}/comments",
    response=responses({201: CommentOut}, AUTH, NOT_FOUND, BODY, TOO_MANY),
    auth=session_or_token,
)
def post_comment(request, slug: Text, payload: CommentIn, response: HttpResponse):
    """A comment by the caller. It is published at once (`status` «published») or held for a moderator
    («pending»: the caller's account has no confirmed e-mail, or the text has a link or repeats an earlier one).
    Empty text is a 400 on `text`; too many comments in a row, a 429 with Retry-After."""
    challenge = selectors.public_challenge_get(slug=slug)
    try:
        comment = services.comment_create(author=request.user, challenge=challenge, text=payload.text)
    except services.RateLimited as limited:
        message = services.rate_limited_message(limited.retry_after)
        response["Retry-After"] = str(limited.retry_after)
        return HttpStatus(429, {"detail": message, "errors": {"text": [message]}})
    return HttpStatus(201, comment)
