"""Reads for organizations and the stakeholder map, already joined for the pages that use them."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from mueve.programs.models import Component, Program
from mueve.stakeholders.models import (
    Champion,
    Commitment,
    Engagement,
    Membership,
    Organization,
    ProgramStakeholder,
    Sector,
)
from mueve.territory.models import Jurisdiction
from mueve.territory.selectors import jurisdiction_list

# On the 1–5 scales, 4 and 5 count as "high": a 3 is a middling actor, not a key one.
HIGH = 4

QUADRANTS = {
    "manage_closely": _("Gestionar de cerca"),
    "keep_satisfied": _("Mantener satisfecho"),
    "keep_informed": _("Mantener informado"),
    "monitor": _("Monitorear"),
}


def _visible_program(program: Program | str, *, public_only: bool) -> Program | None:
    """The program asked for, if the reader may see it: with `public_only`, a private one is as good as absent."""
    if isinstance(program, Program):
        return program if program.is_public or not public_only else None
    programs = Program.objects.filter(slug=program)
    if public_only:
        programs = programs.filter(is_public=True)
    return programs.first()


def organization_list(
    *,
    sector: str | None = None,
    level: str | None = None,
    q: str | None = None,
    program: Program | str | None = None,
    public_programs_only: bool = False,
) -> QuerySet[Organization]:
    """Organizations filtered by sector, level, free text (name, acronym, description) and program.

    With a program, each organization carries `links_in_program` (its link with roles) for that program.
    With `public_programs_only`, filtering by a program that is not public finds nothing.
    """
    organizations = Organization.objects.select_related("parent")
    if program:
        # Resolve the program first: one condition on one join (an organization has at most one link
        # per program), so a private program's members cannot show through a public one, nor twice.
        visible = _visible_program(program, public_only=public_programs_only)
        if visible is None:
            return Organization.objects.none()
        links = ProgramStakeholder.objects.filter(program=visible).prefetch_related("roles")
        organizations = organizations.filter(program_links__program=visible).prefetch_related(
            Prefetch("program_links", links, to_attr="links_in_program")
        )
    if sector:
        organizations = organizations.filter(sector=sector)
    if level:
        organizations = organizations.filter(level=level)
    if q and q.strip():
        text = q.strip()
        organizations = organizations.filter(
            Q(name__icontains=text) | Q(acronym__icontains=text) | Q(description__icontains=text) | Q(slug=text)
        )
    return organizations.order_by("name")


def organization_get_by_slug(slug: str) -> Organization:
    """The bare organization (with its parent) for a write; Http404 if there is none."""
    organization = Organization.objects.select_related("parent").filter(slug=slug).first()
    if organization is None:
        raise Http404
    return organization


def organization_from_reference(slug: str | None, *, field: str = "parent") -> Organization | None:
    """The organization another record points to by slug: None for no slug, a field error for an unknown one."""
    if not slug:
        return None
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise ValidationError({field: [_("No existe una organización «%(slug)s».") % {"slug": slug}]})
    return organization


def jurisdiction_from_reference(slug: str | None, *, field: str = "jurisdiction") -> Jurisdiction | None:
    """Same as `organization_from_reference`, for the jurisdiction of an organization."""
    if not slug:
        return None
    jurisdiction = jurisdiction_list().filter(slug=slug).first()
    if jurisdiction is None:
        raise ValidationError({field: [_("No existe una jurisdicción «%(slug)s».") % {"slug": slug}]})
    return jurisdiction


def program_stakeholder_find(*, program: Program, organization_slug: str) -> ProgramStakeholder | None:
    """The link of an organization (by slug) with a program, with its roles, or None."""
    return (
        ProgramStakeholder.objects.filter(program=program, organization__slug=organization_slug)
        .prefetch_related("roles")
        .first()
    )


def organization_get(slug: str, *, public_only: bool = True) -> Organization:
    """One organization with its units, people, program roles, engagements, commitments and champions.

    Attributes added: `unit_list`, `membership_list`, `program_roles` (links, each with `roles` and
    `engagement_list`), `commitment_list`, `champion_list`. With `public_only`, only public programs count.
    """
    links = ProgramStakeholder.objects.select_related("program").prefetch_related(
        "roles",
        Prefetch(
            "engagements",
            Engagement.objects.select_related("component").order_by("component__order"),
            to_attr="engagement_list",
        ),
    )
    commitments = Commitment.objects.select_related("program", "component").order_by("program__name", "kind")
    champions = Champion.objects.select_related("program", "component", "person").order_by("program__name", "kind")
    if public_only:
        links = links.filter(program__is_public=True)
        commitments = commitments.filter(program__is_public=True)
        champions = champions.filter(program__is_public=True)
    queryset = Organization.objects.select_related("parent", "jurisdiction").prefetch_related(
        Prefetch("units", Organization.objects.order_by("name"), to_attr="unit_list"),
        Prefetch(
            "memberships",
            Membership.objects.select_related("person").order_by("person__full_name"),
            to_attr="membership_list",
        ),
        Prefetch("program_links", links.order_by("-program__start_date"), to_attr="program_roles"),
        Prefetch("commitments", commitments, to_attr="commitment_list"),
        Prefetch("champion_set", champions, to_attr="champion_list"),
    )
    organization = queryset.filter(slug=slug).first()
    if organization is None:
        raise Http404
    return organization


def program_for_map(slug: str, *, include_private: bool = False) -> Program:
    programs = Program.objects.select_related("jurisdiction")
    if not include_private:
        programs = programs.filter(is_public=True)
    program = programs.filter(slug=slug).first()
    if program is None:
        raise Http404
    return program


# One definition of "instituciones involucradas", stated wherever the figure is shown (the dossier, the map of
# actors, the list of organizations): the organizations linked to the programme with at least one role.
INSTITUTIONS_DEFINITION = _(
    "Qué se cuenta: cada organización vinculada al programa con al menos un rol (contraparte, socio, "
    "patrocinador, sede, participante…), una sola vez, participe o no con registro en un componente."
)


def program_institution_count(program: Program) -> int:
    """How many institutions are involved in the programme (INSTITUTIONS_DEFINITION)."""
    return ProgramStakeholder.objects.filter(program=program).values("organization").distinct().count()


def program_institution_counts(programs) -> dict[int, int]:
    """`program_institution_count` of many programmes, by programme id, in one query."""
    rows = (
        ProgramStakeholder.objects.filter(program__in=programs)
        .values("program")
        .annotate(n=Count("organization", distinct=True))
    )
    return {row["program"]: row["n"] for row in rows}


def programs_with_stakeholders(*, include_private: bool = False) -> QuerySet[Program]:
    """Programs that have at least one organization linked: the ones whose map is worth a link."""
    programs = Program.objects.filter(stakeholders__isnull=False).distinct()
    if not include_private:
        programs = programs.filter(is_public=True)
    return programs.order_by("-start_date", "name")


def program_choices(*, include_private: bool = False) -> QuerySet[Program]:
    programs = Program.objects.all() if include_private else Program.objects.filter(is_public=True)
    return programs.order_by("-start_date", "name")


@dataclass
class MatrixCell:
    component: Component
    organizations: list[Organization] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.organizations)


@dataclass
class MatrixRow:
    sector: str
    label: str
    cells: list[MatrixCell]
    total: int  # distinct organizations of the sector engaged in any component


@dataclass
class StakeholderMatrix:
    components: list[Component]
    rows: list[MatrixRow]
    column_totals: list[int]
    total: int


def _short_label(organization: Organization) -> str:
    # The matrix shows acronyms where there are any, so it sorts by what it shows.
    return (organization.acronym or organization.name).casefold()


def stakeholder_matrix(*, program: Program) -> StakeholderMatrix:
    """Sector × component: how many organizations (and which) took part in each component."""
    components = list(program.components.order_by("order"))
    engagements = Engagement.objects.filter(stakeholder__program=program).select_related("stakeholder__organization")
    by_cell: dict[tuple[str, int], list[Organization]] = {}
    for engagement in engagements:
        org = engagement.stakeholder.organization
        by_cell.setdefault((org.sector, engagement.component_id), []).append(org)
    rows = []
    for code, label in Sector.choices:
        cells = [
            MatrixCell(component, sorted(by_cell.get((code, component.pk), []), key=_short_label))
            for component in components
        ]
        distinct = {org.pk for cell in cells for org in cell.organizations}
        rows.append(MatrixRow(code, str(label), cells, len(distinct)))
    column_totals = [sum(row.cells[i].count for row in rows) for i in range(len(components))]
    total = len({e.stakeholder.organization_id for e in engagements})
    return StakeholderMatrix(components, rows, column_totals, total)


def quadrant_of(*, interest: int, influence: int) -> str:
    if influence >= HIGH:
        return "manage_closely" if interest >= HIGH else "keep_satisfied"
    return "keep_informed" if interest >= HIGH else "monitor"


@dataclass
class InfluencePoint:
    organization: Organization
    sector: str
    sector_label: str
    interest: int
    influence: int
    quadrant: str
    quadrant_label: str
    roles: list[str]


def interest_influence_points(*, program: Program) -> list[InfluencePoint]:
    """One point per organization in the program, most influential and interested first."""
    links = (
        ProgramStakeholder.objects.filter(program=program)
        .select_related("organization")
        .prefetch_related("roles")
        .order_by("-influence", "-interest", "organization__name")
    )
    points = []
    for link in links:
        quadrant = quadrant_of(interest=link.interest, influence=link.influence)
        points.append(
            InfluencePoint(
                organization=link.organization,
                sector=link.organization.sector,
                sector_label=link.organization.get_sector_display(),
                interest=link.interest,
                influence=link.influence,
                quadrant=quadrant,
                quadrant_label=str(QUADRANTS[quadrant]),
                roles=[r.get_role_display() for r in link.roles.all()],
            )
        )
    return points


def commitments_for(program: Program) -> QuerySet[Commitment]:
    return (
        Commitment.objects.filter(program=program)
        .select_related("organization", "component")
        .order_by("component__order", "organization__name", "kind")
    )


def champions_for(program: Program) -> QuerySet[Champion]:
    return (
        Champion.objects.filter(program=program)
        .select_related("person", "organization", "component")
        .order_by("kind", "component__order", "person__full_name")
    )
