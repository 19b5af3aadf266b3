"""Reads for programs: querysets already shaped for the page or endpoint that uses them."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from mueve.accounts import scopes
from mueve.accounts.rules import is_manager
from mueve.programs.models import (
    ActivityLogEntry,
    Component,
    Indicator,
    IndicatorValue,
    MethodologyTemplate,
    Phase,
    Program,
    Status,
    TemplateComponent,
)


def program_public_list() -> QuerySet[Program]:
    """Public programs, newest first, with what a card needs."""
    return Program.objects.filter(is_public=True).select_related("jurisdiction", "template")


def programs_managed_by(user) -> QuerySet[Program] | None:
    """The programmes `user` manages (rule programs.change_program), to filter lists and the back office by; None
    when they manage every one (the national unit). Managers in their scope, and whoever a programme names."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Program.objects.none()
    named = Q(pk__in=Program.managers.through.objects.filter(user_id=user.pk).values("program_id"))
    if is_manager(user):
        in_scope = scopes.program_filter(user)
        if in_scope is None:
            return None
        return Program.objects.filter(in_scope | named)
    return Program.objects.filter(named)


def programs_reached_by(user) -> QuerySet[Program] | None:
    """The programmes where `user` acts for their institution (rule programs.acts_in_program): those their scope
    covers and those their organization takes part in (one of the programme's actors, stakeholders'
    ProgramStakeholder); None when their scope covers every programme."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Program.objects.none()
    in_scope = scopes.program_filter(user)
    if in_scope is None:
        return None
    if user.organization_id:
        taking_part = Program.objects.filter(stakeholders__organization_id=user.organization_id).values("pk")
        in_scope |= Q(pk__in=taking_part)
    return Program.objects.filter(in_scope)


def program_list_for(user) -> QuerySet[Program]:
    """What `user` may see in the list: public programmes (public to everyone, whatever their scope), and those they
    manage that are not public yet."""
    programs = Program.objects.select_related("jurisdiction", "template")
    managed = programs_managed_by(user)
    if managed is None:
        return programs
    if user is None or not user.is_authenticated:
        return programs.filter(is_public=True)
    return programs.filter(Q(is_public=True) | Q(pk__in=managed.values("pk")))


def _program_detail_queryset() -> QuerySet[Program]:
    return Program.objects.select_related("jurisdiction", "template").prefetch_related(
        Prefetch(
            "components",
            queryset=Component.objects.prefetch_related(
                Prefetch("phases", queryset=Phase.objects.order_by("order")), "results"
            ).order_by("order"),
        ),
        Prefetch(
            "indicators",
            queryset=Indicator.objects.select_related("component")
            .prefetch_related(Prefetch("values", queryset=IndicatorValue.objects.order_by("date")))
            .order_by("component__order", "name"),
        ),
    )


def program_get_public(slug: str) -> Program:
    """A public program with components → phases and results, and indicators → values. Http404 if not."""
    return get_object_or_404(_program_detail_queryset(), slug=slug, is_public=True)


def program_get_for(user, slug: str, *, detail: bool = True) -> Program:
    """Like `program_get_public`, but its managers also get a programme that is not public (others: Http404).

    `detail=False` skips the prefetches, for pages that only need the program's own fields.
    """
    queryset = _program_detail_queryset() if detail else Program.objects.select_related("jurisdiction")
    program = get_object_or_404(queryset, slug=slug)
    if not user.has_perm("programs.view_program", program):
        raise Http404
    return program


def program_get_for_edit(slug: str) -> Program:
    return get_object_or_404(Program.objects.select_related("jurisdiction"), slug=slug)


def phase_get(*, program: Program, phase_id: int) -> Phase:
    return get_object_or_404(
        Phase.objects.select_related("component__program"), pk=phase_id, component__program=program
    )


def component_get(*, program: Program, component_id: int) -> Component:
    """A component of `program` with its results (for the manager pages). Http404 if it is not there."""
    return get_object_or_404(
        Component.objects.select_related("program").prefetch_related("results"), pk=component_id, program=program
    )


def indicator_get(*, program: Program, indicator_id: int) -> Indicator:
    """An indicator of `program` with its component and values by date. Http404 if it is not there."""
    return get_object_or_404(
        Indicator.objects.select_related("program", "component").prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.order_by("date"))
        ),
        pk=indicator_id,
        program=program,
    )


@dataclass(frozen=True)
class TimelineRow:
    kind: str  # "component" or "phase"
    label: str
    start: date | None
    end: date | None
    status: str
    status_label: str
    component_key: str


def timeline_rows(program: Program) -> list[TimelineRow]:
    """One row per component followed by one per phase. Uses the prefetched components/phases.

    A component without its own dates spans its phases' dates.
    """
    rows: list[TimelineRow] = []
    for component in program.components.all():
        phases = list(component.phases.all())
        start, end = component.start_date, component.end_date
        if not (start and end):
            dated = [p for p in phases if p.start_date and p.end_date]
            if dated:
                start = min(p.start_date for p in dated)
                end = max(p.end_date for p in dated)
        rows.append(
            TimelineRow(
                "component",
                f"{component.order}. {component.name}",
                start,
                end,
                component.status,
                str(Status(component.status).label),
                component.key,
            )
        )
        for phase in phases:
            rows.append(
                TimelineRow(
                    "phase",
                    phase.name,
                    phase.start_date,
                    phase.end_date,
                    phase.status,
                    str(Status(phase.status).label),
                    component.key,
                )
            )
    return rows


@dataclass(frozen=True)
class IndicatorSeries:
    indicator: Indicator
    points: list[tuple[date, float, str]]

    @property
    def latest(self) -> float | None:
        return self.points[-1][1] if self.points else None


def indicator_series(program: Program) -> list[IndicatorSeries]:
    """Each indicator with its values by date (uses the prefetched indicators/values)."""
    return [
        IndicatorSeries(indicator, [(v.date, v.value, v.note) for v in indicator.values.all()])
        for indicator in program.indicators.all()
    ]


def activity_for(program: Program, limit: int | None = None) -> QuerySet[ActivityLogEntry]:
    """The program's public activity, newest first (withdrawn entries are left out)."""
    entries = ActivityLogEntry.objects.filter(program=program, is_public=True).select_related("actor")
    return entries[:limit] if limit else entries


def template_list() -> QuerySet[MethodologyTemplate]:
    return MethodologyTemplate.objects.annotate(
        component_count=Count("components", distinct=True),
        program_count=Count("program", distinct=True),
    ).prefetch_related(Prefetch("components", queryset=TemplateComponent.objects.order_by("order")))


def template_list_for(user) -> QuerySet[MethodologyTemplate]:
    """The templates `user` may read: the public ones, and for managers the private ones too."""
    templates = template_list()
    if not user.has_perm("programs.view_template", MethodologyTemplate(is_public=False)):
        templates = templates.filter(is_public=True)
    return templates


def template_get_for(user, slug: str) -> MethodologyTemplate:
    """Like `template_get`, but a private template is Http404 for those who may not read it."""
    template = template_get(slug)
    if not user.has_perm("programs.view_template", template):
        raise Http404
    return template


def template_get(slug: str) -> MethodologyTemplate:
    """A template with its components and phases (for export). Http404 if it does not exist."""
    return get_object_or_404(
        MethodologyTemplate.objects.prefetch_related(
            Prefetch("components", queryset=TemplateComponent.objects.prefetch_related("phases").order_by("order"))
        ),
        slug=slug,
    )


def template_find(slug: str) -> MethodologyTemplate | None:
    return MethodologyTemplate.objects.filter(slug=slug).first()


def govlabs_for(program: Program) -> list:
    """The programme's GovLabs with their projects (and each project's challenge and lead), in two queries."""
    from django.db.models import Prefetch

    from mueve.programs.models import GovLab, GovLabProject

    projects = GovLabProject.objects.select_related("challenge", "lead").order_by("status", "title")
    return list(
        GovLab.objects.filter(program=program)
        .select_related("host", "initiative__line")
        .prefetch_related(Prefetch("projects", queryset=projects))
    )


def template_origin(template: MethodologyTemplate, *, exclude: Program | None = None):
    """The jurisdiction the template was first applied in (its earliest programme's): where the texts copied from it
    were written, and whose names a copy for another place must not keep. None if no programme uses it yet."""
    programs = Program.objects.filter(template=template).select_related("jurisdiction__parent")
    if exclude is not None and exclude.pk is not None:
        programs = programs.exclude(pk=exclude.pk)
    first = programs.order_by("created_at", "id").first()
    return first.jurisdiction if first is not None else None


def template_most_used() -> MethodologyTemplate | None:
    """The template most programmes were made from (a new region's likely choice)."""
    return template_list().order_by("-program_count", "name").first()
