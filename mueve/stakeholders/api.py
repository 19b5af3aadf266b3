"""Organizations API: public reads, writes for program managers. Parents and jurisdictions by slug."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from mueve.core.api.auth import public, session_or_token
from mueve.core.api.responses import AUTH, BODY, MALFORMED, NOT_FOUND, REFUSED, responses
from mueve.core.permissions import ensure_perm
from mueve.core.schemas import PageQuery, SearchText, Text, choice, paginate
from mueve.stakeholders import selectors, services
from mueve.stakeholders.models import Level, Organization, Sector
from mueve.stakeholders.schemas import OrganizationDetailOut, OrganizationIn, OrganizationPage, OrganizationPatch

router = Router(tags=["stakeholders"])


def _detail(request, slug: str) -> Organization:
    return selectors.organization_get(slug, programs=selectors.readable_programs(request.user))


@router.get("", response=responses(OrganizationPage, REFUSED, MALFORMED), auth=public)
def list_organizations(
    request,
    sector: choice(Sector.values) | None = None,
    level: choice(Level.values) | None = None,
    q: SearchText | None = None,
    program: Text | None = None,
    paging: Query[PageQuery] = None,
):
    """Organizations by name; filter by sector, level, text (`q`) and program slug."""
    errors = {}
    if sector is not None and sector not in Sector.values:
        errors["sector"] = [_("Sector desconocido. Use: %(values)s.") % {"values": ", ".join(Sector.values)}]
    if level is not None and level not in Level.values:
        errors["level"] = [_("Nivel desconocido. Use: %(values)s.") % {"values": ", ".join(Level.values)}]
    if errors:
        raise ValidationError(errors)
    qs = selectors.organization_list(
        sector=sector,
        level=level,
        q=q,
        program=program,
        programs=selectors.readable_programs(request.user),
    )
    return paginate(qs, paging)


@router.get("/{slug}", response=responses(OrganizationDetailOut, NOT_FOUND, MALFORMED), auth=public)
def get_organization(request, slug: Text):
    """One organization with its units, roles in public programs and commitments (no personal contacts)."""
    return _detail(request, slug)


@router.post("", response=responses({201: OrganizationDetailOut}, AUTH, BODY), auth=session_or_token)
def create_organization(request, payload: OrganizationIn):
    ensure_perm(request.user, "stakeholders.add_organization")
    data = payload.dict()
    data["parent"] = selectors.organization_from_reference(data["parent"], field="parent")
    data["jurisdiction"] = selectors.jurisdiction_from_reference(data["jurisdiction"], field="jurisdiction")
    organization = services.organization_create(actor=request.user, **data)
    return Status(201, _detail(request, organization.slug))


@router.patch("/{slug}", response=responses(OrganizationDetailOut, AUTH, NOT_FOUND, BODY), auth=session_or_token)
def update_organization(request, slug: Text, payload: OrganizationPatch):
    ensure_perm(request.user, "stakeholders.change_organization")
    organization = selectors.organization_get_by_slug(slug)
    changes = payload.dict(exclude_unset=True)
    if "parent" in changes:
        changes["parent"] = selectors.organization_from_reference(changes["parent"], field="parent")
    if "jurisdiction" in changes:
        changes["jurisdiction"] = selectors.jurisdiction_from_reference(changes["jurisdiction"], field="jurisdiction")
    services.organization_update(organization=organization, actor=request.user, **changes)
    return _detail(request, slug)
