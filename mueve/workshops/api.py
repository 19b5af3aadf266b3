"""Workshops API: public reads of public programs' workshops and their rolled-up progress."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status as HttpStatus

from mueve.core.api.auth import public, session_or_token
from mueve.core.api.responses import AUTH, MALFORMED, NOT_FOUND, REFUSED, responses
from mueve.core.schemas import PageQuery, Text, choice, paginate
from mueve.workshops import selectors, services
from mueve.workshops.models import Kind
from mueve.workshops.schemas import ProgressNodeOut, WorkshopOut, WorkshopPage, WorkshopRegistrationOut

router = Router(tags=["workshops"])


@router.get("", response=responses(WorkshopPage, REFUSED, MALFORMED), auth=public)
def list_workshops(
    request, program: Text | None = None, kind: choice(Kind.values) | None = None, paging: Query[PageQuery] = None
):
    """Workshops the caller may see, by program and date."""
    if kind is not None and kind not in Kind.values:
        raise ValidationError({"kind": [_("Tipo desconocido. Use: %(v)s.") % {"v": ", ".join(Kind.values)}]})
    return paginate(selectors.workshop_list_for(request.user, program=program, kind=kind), paging)


@router.get("/programs/{program_slug}/progress", response=responses(ProgressNodeOut, NOT_FOUND, MALFORMED), auth=public)
def program_progress(request, program_slug: Text):
    """The accountability tree: roadmap, hub and concepts, each parent the weighted mean of its children."""
    program = selectors.program_get_for(request.user, program_slug)
    return selectors.progress_tree(program)


@router.get("/{slug}", response=responses(WorkshopOut, NOT_FOUND, MALFORMED), auth=public)
def get_workshop(request, slug: Text):
    try:
        return selectors.workshop_get_for(request.user, slug)
    except Http404 as exc:
        raise Http404(_("No existe el taller.")) from exc


def _registration_out(workshop, user) -> dict:
    summary = selectors.public_registration_for(workshop, user, always=True)
    mine = summary.mine
    return {
        "workshop": workshop.slug,
        "status": mine.status,
        "position": summary.my_position,
        "seats_left": summary.seats_left,
        "waitlisted": summary.waitlisted,
    }


def _visible(request, slug: str):
    try:
        return selectors.workshop_get_for(request.user, slug)
    except Http404 as exc:
        raise Http404(_("No existe el taller.")) from exc


@router.post(
    "/{slug}/registration",
    response=responses({201: WorkshopRegistrationOut}, REFUSED, AUTH, NOT_FOUND, MALFORMED),
    auth=session_or_token,
)
def register(request, slug: Text):
    """The caller signs up for a workshop open to the public: `confirmed` while there are seats, `waitlisted`
    after. 400 with a message on `workshop` when the workshop takes no public registration (or no more), or the
    caller is already registered or waiting."""
    workshop = _visible(request, slug)
    services.workshop_register(workshop=workshop, user=request.user)
    return HttpStatus(201, _registration_out(workshop, request.user))


@router.delete(
    "/{slug}/registration",
    response=responses(WorkshopRegistrationOut, REFUSED, AUTH, NOT_FOUND, MALFORMED),
    auth=session_or_token,
)
def unregister(request, slug: Text):
    """The caller cancels their registration or leaves the waiting list; a freed seat goes to the first in line.
    400 with a message on `workshop` when there is nothing to cancel or the workshop has started."""
    workshop = _visible(request, slug)
    services.workshop_unregister(workshop=workshop, user=request.user)
    return _registration_out(workshop, request.user)
