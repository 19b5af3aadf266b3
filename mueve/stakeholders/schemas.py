"""API shapes for organizations. No person's email or phone ever appears here."""

from django.urls import reverse
from ninja import Schema

from mueve.core.schemas import Text, choice
from mueve.stakeholders.models import Commitment, EngagementLevel, Level, ProgramRole, Sector

SectorValue = choice(Sector.values)
LevelValue = choice(Level.values)


class OrganizationOut(Schema):
    slug: str
    name: str
    acronym: str
    sector: SectorValue
    sector_label: str
    level: LevelValue
    level_label: str
    is_international: bool
    parent: str | None
    website: str
    description: str
    url: str

    @staticmethod
    def resolve_sector_label(obj) -> str:
        return str(obj.get_sector_display())

    @staticmethod
    def resolve_level_label(obj) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.slug if obj.parent_id else None

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("stakeholders:detail", kwargs={"slug": obj.slug})


class OrganizationPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[OrganizationOut]


class EngagementOut(Schema):
    component: str
    component_name: str
    level: choice(EngagementLevel.values)
    level_label: str

    @staticmethod
    def resolve_component(obj) -> str:
        return obj.component.key

    @staticmethod
    def resolve_component_name(obj) -> str:
        return obj.component.name

    @staticmethod
    def resolve_level_label(obj) -> str:
        return str(obj.get_level_display())


class ProgramRoleOut(Schema):
    program: str
    program_name: str
    roles: list[choice(ProgramRole.values)]
    role_labels: list[str]
    interest: int
    influence: int
    engagements: list[EngagementOut]

    @staticmethod
    def resolve_program(obj) -> str:
        return obj.program.slug

    @staticmethod
    def resolve_program_name(obj) -> str:
        return obj.program.name

    @staticmethod
    def resolve_roles(obj) -> list[str]:
        return [r.role for r in obj.roles.all()]

    @staticmethod
    def resolve_role_labels(obj) -> list[str]:
        return [str(r.get_role_display()) for r in obj.roles.all()]

    @staticmethod
    def resolve_engagements(obj) -> list:
        return obj.engagement_list


class CommitmentOut(Schema):
    program: str
    kind: choice(Commitment.Kind.values)
    kind_label: str
    status: choice(Commitment.Status.values)
    status_label: str
    description: str
    component: str | None

    @staticmethod
    def resolve_program(obj) -> str:
        return obj.program.slug

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_component(obj) -> str | None:
        return obj.component.key if obj.component_id else None


class OrganizationDetailOut(OrganizationOut):
    jurisdiction: str | None
    units: list[str]
    programs: list[ProgramRoleOut]
    commitments: list[CommitmentOut]

    @staticmethod
    def resolve_jurisdiction(obj) -> str | None:
        return obj.jurisdiction.slug if obj.jurisdiction_id else None

    @staticmethod
    def resolve_units(obj) -> list[str]:
        return [unit.slug for unit in obj.unit_list]

    @staticmethod
    def resolve_programs(obj) -> list:
        return obj.program_roles

    @staticmethod
    def resolve_commitments(obj) -> list:
        return obj.commitment_list


class OrganizationIn(Schema):
    """`parent` and `jurisdiction` are slugs."""

    name: Text
    sector: SectorValue
    level: LevelValue
    acronym: Text = ""
    is_international: bool = False
    parent: Text | None = None
    jurisdiction: Text | None = None
    website: Text = ""
    description: Text = ""


class OrganizationPatch(Schema):
    """Only the fields sent change. A null `parent` or `jurisdiction` removes it; other fields take no null."""

    # Declared as plain types with a None default: leaving a field out is fine, sending null is a 422.
    name: Text = None  # type: ignore[assignment]
    sector: SectorValue = None  # type: ignore[assignment]
    level: LevelValue = None  # type: ignore[assignment]
    acronym: Text = None  # type: ignore[assignment]
    is_international: bool = None  # type: ignore[assignment]
    parent: Text | None = None
    jurisdiction: Text | None = None
    website: Text = None  # type: ignore[assignment]
    description: Text = None  # type: ignore[assignment]
