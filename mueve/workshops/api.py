"""Workshops API: public reads of public programs' workshops and their rolled-up progress."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router

from mueve.core.api.auth import public
from mueve.core.api.responses import MALFORMED, NOT_FOUND, REFUSED, responses
from mueve.core.schemas import PageQuery, Text, choice, paginate
from mueve.workshops import selectors
from mueve.workshops.models import Kind
from mueve.workshops.schemas import ProgressNodeOut, WorkshopOut, WorkshopPage

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
