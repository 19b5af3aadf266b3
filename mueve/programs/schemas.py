from datetime import date, datetime
from typing import Any

from django.urls import reverse
from ninja import Schema
from pydantic import Field

from mueve.core.schemas import Text, choice
from mueve.programs.models import Sector, Status

SectorValue = choice(Sector.values)
StatusValue = choice(Status.values)


class ProgramSummaryOut(Schema):
    slug: str
    name: str
    summary: str
    jurisdiction: str
    jurisdiction_name: str
    sector: SectorValue
    sector_label: str
    status: StatusValue
    status_label: str
    start_date: date
    end_date: date
    template: str | None
    is_public: bool
    url: str

    @staticmethod
    def resolve_jurisdiction(obj) -> str:
        return obj.jurisdiction.slug

    @staticmethod
    def resolve_jurisdiction_name(obj) -> str:
        return obj.jurisdiction.name

    @staticmethod
    def resolve_sector_label(obj) -> str:
        return str(obj.get_sector_display())

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_template(obj) -> str | None:
        return obj.template.slug if obj.template_id else None

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("programs:detail", args=[obj.slug])


class ProgramPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ProgramSummaryOut]


class PhaseOut(Schema):
    id: int
    order: int
    name: str
    description: str
    status: StatusValue
    status_label: str
    start_date: date | None
    end_date: date | None

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class ResultOut(Schema):
    title: str
    description: str


class ComponentOut(Schema):
    key: str
    order: int
    name: str
    theme: str
    objective: str
    audience: str
    status: StatusValue
    status_label: str
    start_date: date | None
    end_date: date | None
    phases: list[PhaseOut]
    results: list[ResultOut]

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_phases(obj) -> list:
        return list(obj.phases.all())

    @staticmethod
    def resolve_results(obj) -> list:
        return list(obj.results.all())


class IndicatorValueOut(Schema):
    date: date
    value: float
    note: str


class IndicatorOut(Schema):
    id: int
    name: str
    unit: str
    description: str
    baseline: float | None
    target: float | None
    component: str | None
    values: list[IndicatorValueOut]

    @staticmethod
    def resolve_component(obj) -> str | None:
        return obj.component.key if obj.component_id else None

    @staticmethod
    def resolve_values(obj) -> list:
        return list(obj.values.all())


class ProgramDetailOut(ProgramSummaryOut):
    components: list[ComponentOut]
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_components(obj) -> list:
        return list(obj.components.all())

    @staticmethod
    def resolve_indicators(obj) -> list:
        return list(obj.indicators.all())


class ActivityOut(Schema):
    verb: str
    message: str
    target_url: str
    created_at: datetime


class ActivityPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ActivityOut]


class TemplateSummaryOut(Schema):
    slug: str
    name: str
    description: str
    source: str
    components: list[str]
    program_count: int
    url: str

    @staticmethod
    def resolve_components(obj) -> list[str]:
        return [c.key for c in obj.components.all()]

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("api-1:program_template_detail", kwargs={"slug": obj.slug})


class TemplatePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[TemplateSummaryOut]


class ProgramCreateIn(Schema):
    template: Text = Field(..., description="Identificador (slug) de la plantilla metodológica.")
    name: Text
    jurisdiction: Text = Field(..., description="Identificador (slug) de la jurisdicción.")
    sector: SectorValue
    start_date: date
    end_date: date
    summary: Text = ""
    slug: Text | None = None
    is_public: bool = True


class PhasePatchIn(Schema):
    status: StatusValue | None = None
    start_date: date | None = None
    end_date: date | None = None


TemplateDocument = dict[str, Any]
