"""Reads for organizations and the stakeholder map, already joined for the pages that use them."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from mueve.accounts import scopes
from mueve.accounts.rules import is_manager
from mueve.programs.models import Component, Program
from mueve.programs.selectors import programs_managed_by
from mueve.stakeholders.models import (
    Champion,
    Commitment,
    Engagement,
    Membership,
    Organization,
    Person,
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


# Which programmes' actors, commitments and champions a reader may see: a Q on Program, or None for every one.
PUBLIC = Q(is_public=True)


def readable_programs(user) -> Q | None:
    """The programmes whose stakeholder data `user` may read: the public ones, and those they manage
    (programs.selectors.programs_managed_by: a scoped manager's own, not another region's); None for the national
    unit, who reads every one."""
    from mueve.programs.selectors import programs_managed_by

    managed = programs_managed_by(user)
    if managed is None:
        return None
    return PUBLIC | Q(pk__in=managed.values("pk"))


def _programs(programs: Q | None) -> QuerySet[Program]:
    return Program.objects.all() if programs is None else Program.objects.filter(programs)


def _visible_program(program: Program | str, *, programs: Q | None) -> Program | None:
    """The program asked for, if the reader may see it (`programs`, see readable_programs): else as good as absent."""
    slug = program.slug if isinstance(program, Program) else program
    return _programs(programs).filter(slug=slug).first()


def organization_list(
    *,
    sector: str | None = None,
    level: str | None = None,
    q: str | None = None,
    program: Program | str | None = None,
    programs: Q | None = None,
) -> QuerySet[Organization]:
    """Organizations filtered by sector, level, free text (name, acronym, description) and program.

    With a program, each organization carries `links_in_program` (its link with roles) for that program.
    Filtering by a program the reader may not see (`programs`, see readable_programs) finds nothing.
    """
    organizations = Organization.objects.select_related("parent")
    if program:
        # Resolve the program first: one condition on one join (an organization has at most one link
        # per program), so a private program's members cannot show through a public one, nor twice.
        visible = _visible_program(program, programs=programs)
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


# --- people's contact details (issue 20) -------------------------------------------------------------------------


def people_with_visible_contacts(user) -> QuerySet[Person] | None:
    """The people whose e-mail and phone `user` may read; None: every one's (the national unit, the platform's
    staff). A manager scoped to some regions or programmes reads those of the people of the organizations within
    their reach (of their jurisdictions, or taking part in a programme they manage) and of their programmes'
    champions; anyone reads their own. Nobody else reads any: the name and position only."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Person.objects.none()
    own = Q(user_id=user.pk)
    if not is_manager(user):
        return Person.objects.filter(own)
    managed = programs_managed_by(user)
    if managed is None:
        return None
    programs = managed.values("pk")
    in_reach = Organization.objects.filter(
        Q(jurisdiction_id__in=scopes.scope_of(user).jurisdiction_ids)
        | Q(pk__in=ProgramStakeholder.objects.filter(program__in=programs).values("organization_id"))
    )
    members = Membership.objects.filter(organization__in=in_reach.values("pk")).values("person_id")
    champions = Champion.objects.filter(program__in=programs).values("person_id")
    return Person.objects.filter(own | Q(pk__in=members) | Q(pk__in=champions))


def contacts_visible_ids(user, people) -> set[int] | None:
    """Of `people`, the ids whose contact details `user` may read (None: all of them). One query."""
    visible = people_with_visible_contacts(user)
    if visible is None:
        return None
    ids = [person.pk for person in people]
    return set(visible.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def organization_get(slug: str, *, programs: Q | None = PUBLIC) -> Organization:
    """One organization with its units, people, program roles, engagements, commitments and champions.

    Attributes added: `unit_list`, `membership_list`, `program_roles` (links, each with `roles` and
    `engagement_list`), `commitment_list`, `champion_list`: those of the programmes the reader may see (`programs`, see
    readable_programs; public ones by default).
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
    if programs is not None:
        visible = _programs(programs).values("pk")
        links = links.filter(program__in=visible)
        commitments = commitments.filter(program__in=visible)
        champions = champions.filter(program__in=visible)
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


def program_for_map(slug: str, *, programs: Q | None = PUBLIC) -> Program:
    program = _programs(programs).select_related("jurisdiction").filter(slug=slug).first()
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


def programs_with_stakeholders(*, programs: Q | None = PUBLIC) -> QuerySet[Program]:
    """Programs that have at least one organization linked: the ones whose map is worth a link."""
    return _programs(programs).filter(stakeholders__isnull=False).distinct().order_by("-start_date", "name")


def program_choices(*, programs: Q | None = PUBLIC) -> QuerySet[Program]:
    return _programs(programs).order_by("-start_date", "name")


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
