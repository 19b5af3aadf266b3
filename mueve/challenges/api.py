"""Challenges API: public reads (each caller sees what the pages show them), writes by role.

Program, owner and component are named by slug (component by its key within the program).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status as HttpStatus

from mueve.challenges import selectors, services
from mueve.challenges.models import Interview, Kind, Status
from mueve.challenges.schemas import ChallengeDetailOut, ChallengeIn, ChallengePage, ChallengePatch, TransitionIn
from mueve.core.api.auth import public, session_or_token
from mueve.core.api.responses import AUTH, BODY, MALFORMED, NOT_FOUND, REFUSED, responses
from mueve.core.permissions import ensure_perm
from mueve.core.schemas import PageQuery, SearchText, Text, choice, paginate
from mueve.programs.models import Component, Program
from mueve.stakeholders.models import Organization

router = Router(tags=["challenges"])


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
