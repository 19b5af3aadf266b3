"""Opening a region in one sitting (the national unit's wizard, /regiones/nueva/): its territory, its programme from a
methodology template, its report catalogue copied from another jurisdiction, and its team. Each part is written by
its own app's services; this module only puts them in order, in one transaction: a region opens whole or not at
all, and the team's invitations leave only after the commit.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mueve.accounts import services as account_services
from mueve.accounts.models import Role, User
from mueve.core.permissions import ensure_perm
from mueve.core.text import fold
from mueve.programs import selectors as program_selectors
from mueve.programs import services as program_services
from mueve.programs.models import MethodologyTemplate, Program
from mueve.reports import services as report_services
from mueve.stakeholders import services as stakeholder_services
from mueve.stakeholders.models import Organization
from mueve.territory import selectors as territory_selectors
from mueve.territory import services as territory_services
from mueve.territory.models import Jurisdiction
from mueve.territory.renaming import Renaming
from mueve.workshops import methodology

STEPS = ("territorio", "programa", "reportes", "equipo")


@dataclass(frozen=True)
class AgencyChoice:
    """The replacement of one agency of the origin: an existing organization, or a new one by this name."""

    organization: Organization | None = None
    new_name: str = ""


@dataclass(frozen=True)
class Invite:
    email: str
    role: str
    organization: Organization | None = None
    # An official of an agency created by this same opening: the origin agency it replaces.
    new_agency_of: int | None = None


@dataclass
class RegionPlan:
    name: str
    slug: str
    kind: str
    center_lat: float | None
    center_lon: float | None
    areas_geojson: str
    template: MethodologyTemplate
    program_name: str
    sector: str
    start_date: date
    end_date: date
    summary: str = ""
    is_public: bool = True
    catalogue_source: Jurisdiction | None = None
    agencies: dict[int, AgencyChoice] = field(default_factory=dict)
    invites: list[Invite] = field(default_factory=list)


@dataclass(frozen=True)
class RegionOpened:
    jurisdiction: Jurisdiction
    program: Program
    workshops: int
    catalogue: report_services.CatalogueCopy | None
    new_agencies: list[Organization]
    invitations: list[account_services.Invitation]


class RegionNotOpened(Exception):
    """Nothing was written: `step` (one of STEPS) has `error` (a ValidationError with field messages)."""

    def __init__(self, step: str, error: ValidationError):
        super().__init__(step, error)
        self.step = step
        self.error = error


def renaming_for(plan: RegionPlan, target: Jurisdiction) -> Renaming:
    """The place the template's texts were written for (its first programme's, else the catalogue's origin)
    becomes the new region."""
    origin = program_selectors.template_origin(plan.template) or plan.catalogue_source
    return territory_selectors.renaming_between(origin, target)


@contextmanager
def _step(name: str):
    """Turns a part's ValidationError into RegionNotOpened(name)."""
    try:
        yield
    except ValidationError as exc:
        raise RegionNotOpened(name, exc) from exc


def _agencies(plan: RegionPlan, *, actor: User, jurisdiction: Jurisdiction) -> tuple[dict[int, Organization], list]:
    """The replacement of each origin agency; new ones are made once per name (two communes' municipalities of the
    origin may both become the new region's one)."""
    chosen: dict[int, Organization] = {}
    made: dict[str, Organization] = {}
    originals = {o.pk: o for o in Organization.objects.filter(pk__in=plan.agencies)}
    for origin_pk, choice in plan.agencies.items():
        if choice.organization is not None:
            chosen[origin_pk] = choice.organization
            continue
        key = fold(choice.new_name)
        if key not in made:
            original = originals.get(origin_pk)
            try:
                made[key] = stakeholder_services.organization_create(
                    name=choice.new_name,
                    acronym=original.acronym if original is not None else "",
                    sector=original.sector if original is not None else "government",
                    level=original.level if original is not None else "regional",
                    jurisdiction=jurisdiction,
                    actor=actor,
                )
            except ValidationError as exc:
                raise ValidationError(
                    {report_services.agency_field(original or Organization(pk=origin_pk)): exc.messages}
                ) from exc
        chosen[origin_pk] = made[key]
    return chosen, list(made.values())


@transaction.atomic
def region_open(*, actor: User, plan: RegionPlan) -> RegionOpened:
    """Creates the region from the plan, all or nothing (RegionNotOpened names the step to fix). Only the ministry's
    national unit and the platform's administrators open regions (accounts.manage_scopes)."""
    ensure_perm(actor, "accounts.manage_scopes")
    with _step("territorio"):
        jurisdiction = territory_services.jurisdiction_open(
            actor=actor,
            name=plan.name,
            slug=plan.slug,
            kind=plan.kind,
            center_lat=plan.center_lat,
            center_lon=plan.center_lon,
            areas_geojson=plan.areas_geojson,
        )
    renaming = renaming_for(plan, jurisdiction)
    with _step("programa"):
        program = program_services.program_create(
            actor=actor,
            template=plan.template,
            name=plan.program_name,
            jurisdiction=jurisdiction,
            sector=plan.sector,
            start_date=plan.start_date,
            end_date=plan.end_date,
            summary=plan.summary,
            is_public=plan.is_public,
            renaming=renaming,
        )
        workshops = methodology.program_plan_workshops(actor=actor, program=program, renaming=renaming)
    catalogue, new_agencies, agencies = None, [], {}
    if plan.catalogue_source is not None:
        with _step("reportes"):
            agencies, new_agencies = _agencies(plan, actor=actor, jurisdiction=jurisdiction)
            catalogue = report_services.catalogue_copy(
                source=plan.catalogue_source, target=jurisdiction, agencies=agencies, actor=actor, renaming=renaming
            )
    invitations = []
    with _step("equipo"):
        seen: set[str] = set()
        for line, invite in enumerate(plan.invites):
            address = invite.email.strip().lower()
            if address in seen:
                raise ValidationError({f"{line}-email": [_("Esta dirección ya está en otra fila.")]})
            seen.add(address)
            organization = invite.organization
            if invite.new_agency_of is not None:
                organization = agencies.get(invite.new_agency_of)
            try:
                invitation = account_services.member_invite(
                    actor=actor,
                    email=invite.email,
                    role=invite.role,
                    jurisdiction=jurisdiction,
                    organization=organization,
                )
            except ValidationError as exc:
                per_row = {f"{line}-{key}": messages for key, messages in exc.message_dict.items()}
                raise ValidationError(per_row) from exc
            if invite.role == Role.MANAGER:
                program_services.program_manager_add(actor=actor, program=program, user=invitation.user)
            invitations.append(invitation)
    return RegionOpened(
        jurisdiction=jurisdiction,
        program=program,
        workshops=len(workshops),
        catalogue=catalogue,
        new_agencies=new_agencies,
        invitations=invitations,
    )


def agency_suggestions(plan: report_services.CataloguePlan, region_name: str) -> dict[int, str]:
    """A name for the new region's counterpart of each origin agency: the origin's name with its places renamed
    ("… del Gran Concepción" → "… de Valparaíso"), or with the region's name after it when it names no place."""
    renaming = territory_selectors.renaming_between(plan.source, Jurisdiction(name=region_name))
    suggestions = {}
    for agency in plan.agencies:
        name = renaming.line(agency.name)
        suggestions[agency.pk] = name if fold(name) != fold(agency.name) else f"{agency.name} ({region_name})"
    return suggestions
