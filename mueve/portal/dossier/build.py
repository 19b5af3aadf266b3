"""`build_dossier(program)`: reads everything once and assembles the dossier's sections.

The narrative (executive summary, background, impact, replication, lessons) is what a manager wrote
in ReportNarrative; every table comes from the apps' selectors. A section whose data is missing says
"Sin datos registrados" instead of disappearing, so a half-run programme still gets a complete outline.

`public=True` builds the version anyone may read for a public programme: no person's name (champions
and change agents are shown by institution) and only competitions whose results are published.
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mueve.competitions.models import Competition
from mueve.portal.dossier.components import component_sections
from mueve.portal.dossier.document import (
    EMPTY,
    Block,
    Figure,
    ListBlock,
    Paragraph,
    ProgramDossier,
    Row,
    Section,
    Table,
)
from mueve.portal.dossier.formatting import day_text, number_text, org_label, paragraphs_of, period_text
from mueve.programs import charts as program_charts
from mueve.programs import selectors as program_selectors
from mueve.programs.models import Program, Status
from mueve.stakeholders import selectors as stakeholder_selectors
from mueve.stakeholders.charts import chart_description
from mueve.stakeholders.models import ProgramRole, Sector
from mueve.workshops import selectors as workshop_selectors
from mueve.workshops.models import Kind, ReportNarrative, TrackStatus, Workshop

# Roles that make an organization a counterpart or partner (Table 1) rather than a mere participant.
PARTNER_ROLES = [
    ProgramRole.MAIN_COUNTERPART,
    ProgramRole.GOVERNMENT_COUNTERPART,
    ProgramRole.MAIN_NON_GOVERNMENT_PARTNER,
    ProgramRole.PARTNER,
    ProgramRole.SPONSOR,
    ProgramRole.HOST,
]


def _key_figures(
    program: Program, workshops: list[Workshop], concepts: list, competitions: list
) -> list[tuple[str, str]]:
    figures = [
        (_("Componentes"), str(program.components.count())),
        (_("Instituciones involucradas"), str(stakeholder_selectors.program_institution_count(program))),
        (_("Talleres"), str(len(workshops))),
        (_("Inscripciones a talleres"), str(workshop_selectors.program_registration_count(program))),
        (_("Desafíos identificados"), str(program.challenges.count())),
        (
            _("Conceptos cocreados"),
            str(len(concepts)),
        ),
    ]
    if competitions:
        figures.append((_("Equipos en competencias"), str(sum(c.teams.count() for c in competitions))))
    figures.append((_("Compromisos de socios"), str(program.commitments.count())))
    return figures


def _summary_section(program: Program, narrative: ReportNarrative, figures) -> Section:
    blocks: list[Block] = paragraphs_of(narrative.executive_summary) or paragraphs_of(program.summary)
    if not blocks:
        blocks = [Paragraph(_(EMPTY), muted=True)]
    blocks.append(ListBlock(_("Cifras clave"), [f"{label}: {value}" for label, value in figures]))
    # The same definitions as the pages that show these figures (map of actors, list of workshops).
    blocks.append(
        Paragraph(
            _("Instituciones involucradas. %(i)s Inscripciones a talleres. %(r)s")
            % {
                "i": stakeholder_selectors.INSTITUTIONS_DEFINITION,
                "r": workshop_selectors.REGISTRATIONS_DEFINITION,
            },
            muted=True,
        )
    )
    return Section("resumen", _("Resumen ejecutivo"), blocks)


def _background_section(program: Program, narrative: ReportNarrative) -> Section:
    blocks: list[Block] = paragraphs_of(narrative.background)
    if not blocks and narrative.executive_summary:  # the summary field already holds program.summary otherwise
        blocks = paragraphs_of(program.summary)
    if not blocks:
        blocks = [Paragraph(_(EMPTY), muted=True)]
    components = [f"{c.name}" + (f" ({c.theme})" if c.theme else "") for c in program.components.order_by("order")]
    blocks.append(ListBlock(_("Componentes del programa"), components, ordered=True))
    timeline = program_selectors.timeline_rows(program)
    if timeline and program.start_date and program.end_date:
        # The same chart as the programme's page draws (programs.views.program_detail).
        chart = program_charts.timeline_chart(
            timeline,
            start=program.start_date,
            end=program.end_date,
            today=timezone.localdate(),
            status_labels={value: str(label) for value, label in Status.choices},
        )
        blocks.append(
            Figure(
                "timeline",
                _("Cronograma del programa"),
                "timeline",
                {"chart": chart, "program_name": program.name},
                chart.summary + " " + _("La tabla siguiente da las fechas de cada componente y fase."),
            )
        )
    rows = []
    for r in timeline:
        label = r.label if r.kind == "component" else f"— {r.label}"
        rows.append(Row([label, day_text(r.start), day_text(r.end), r.status_label], group=False))
    blocks.append(
        Table(
            "schedule",
            _("Cronograma de componentes y fases"),
            [_("Componente / fase"), _("Inicio"), _("Término"), _("Estado")],
            rows,
            (5, 1.4, 1.4, 1.4),
        )
    )
    return Section("antecedentes", _("Antecedentes"), blocks)


def _partners_section(program: Program) -> Section:
    links = (
        program.stakeholders.select_related("organization")
        .prefetch_related("roles")
        .filter(roles__role__in=PARTNER_ROLES)
        .distinct()
    )
    labels = dict(ProgramRole.choices)
    order = {role: n for n, role in enumerate(PARTNER_ROLES)}
    government, others = [], []
    for link in links:
        roles = sorted((r.role for r in link.roles.all() if r.role in order), key=order.get)
        entry = (order[roles[0]], link.organization.name, link.organization, roles)
        (government if link.organization.sector == Sector.GOVERNMENT else others).append(entry)
    rows: list[Row] = []
    for title, entries in (
        (_("Contrapartes y socios de gobierno"), government),
        (_("Socios no gubernamentales"), others),
    ):
        if not entries:
            continue
        rows.append(Row([title, "", ""], group=True))
        for _rank, _name, org, roles in sorted(entries, key=lambda e: (e[0], e[1])):
            rows.append(Row([org_label(org), str(org.get_sector_display()), ", ".join(str(labels[r]) for r in roles)]))
    note = _("* Socio internacional o multinacional.") if any(r.cells[0].endswith("*") for r in rows) else ""
    partners = Table(
        "partners",
        _("Principales contrapartes y socios"),
        [_("Institución"), _("Sector"), _("Rol en el programa")],
        rows,
        (3, 1.3, 2.4),
        note=note,
    )
    commitment_rows = [
        Row(
            [
                org_label(c.organization),
                f"{c.component.order}" if c.component else "—",
                str(c.get_kind_display()),
                c.description,
                str(c.get_status_display()),
            ]
        )
        for c in stakeholder_selectors.commitments_for(program)
    ]
    commitments = Table(
        "commitments",
        _("Aportes de los socios"),
        [_("Institución"), _("Comp."), _("Tipo"), _("Aporte"), _("Estado")],
        commitment_rows,
        (2.4, 0.6, 1.1, 3.4, 1.1),
    )
    intro = Paragraph(
        _(
            "Instituciones que actuaron como contraparte o socio del programa, con sus aportes directos o en "
            "especie. El detalle de las instituciones participantes se presenta en cada componente."
        )
    )
    return Section("socios", _("Contrapartes y socios"), [intro, partners, commitments, *_stakeholder_map(program)])


def _stakeholder_map(program: Program) -> list[Block]:
    """The map of actors of the stakeholders page: interest × influence, one numbered point per institution."""
    points = stakeholder_selectors.interest_influence_points(program=program)
    if not points:
        return []
    figure = Figure(
        "stakeholder_map",
        _("Mapa de actores: interés e influencia"),
        "stakeholder_map",
        {"points": points},
        chart_description(points),
    )
    table = Table(
        "stakeholder_map",
        _("Posición de cada institución en el mapa de actores"),
        [_("N.º"), _("Institución"), _("Sector"), _("Interés"), _("Influencia"), _("Cuadrante")],
        [
            Row(
                [
                    str(n),
                    org_label(p.organization),
                    str(p.sector_label),
                    str(p.interest),
                    str(p.influence),
                    p.quadrant_label,
                ]
            )
            for n, p in enumerate(points, start=1)
        ],
        (0.6, 3.6, 1.5, 1, 1.1, 1.8),
    )
    return [figure, table]


def _progress_section(program: Program) -> Section:
    tree = workshop_selectors.progress_tree(program)
    labels = dict(TrackStatus.choices)
    rows = []

    def walk(node, depth):
        for child in node.children:
            is_group = bool(child.children) and depth == 0
            label = child.label if depth < 2 else f"— {child.label}"
            rows.append(
                Row(
                    [
                        label,
                        f"{child.progress:g} %",
                        str(labels.get(child.status, child.status)),
                        child.responsible or "—",
                    ],
                    group=is_group,
                )
            )
            walk(child, depth + 1)

    walk(tree, 0)
    blocks: list[Block] = []
    if rows:
        blocks.append(
            Paragraph(
                _("Avance global del programa: %(p)s %%, promedio ponderado del avance de sus compromisos.")
                % {"p": f"{tree.progress:g}"}
            )
        )
    blocks.append(
        Table(
            "progress",
            _("Seguimiento de iniciativas, líneas de acción y conceptos seleccionados"),
            [_("Elemento"), _("Avance"), _("Estado"), _("Responsable")],
            rows,
            (5, 1, 1.3, 2.6),
        )
    )
    return Section("seguimiento", _("Seguimiento y rendición de cuentas"), blocks)


def _indicators_section(program: Program, narrative: ReportNarrative) -> Section:
    blocks: list[Block] = paragraphs_of(narrative.impact)
    rows = []
    for indicator in (
        program.indicators.select_related("component").prefetch_related("values").order_by("component__order", "name")
    ):
        values = sorted(indicator.values.all(), key=lambda v: v.date)
        latest = values[-1] if values else None
        rows.append(
            Row(
                [
                    indicator.name,
                    str(indicator.component.order) if indicator.component_id else "—",
                    indicator.unit or "—",
                    number_text(indicator.baseline),
                    number_text(indicator.target),
                    number_text(latest.value) if latest else "—",
                    day_text(latest.date) if latest else "—",
                ]
            )
        )
    charts = [
        (
            series.indicator.name,
            series.indicator.unit,
            program_charts.line_chart(
                [(d, v) for d, v, _note in series.points], target=series.indicator.target, unit=series.indicator.unit
            ),
            series.indicator,
        )
        for series in program_selectors.indicator_series(program)
        if series.points
    ]
    if charts:
        alt = [
            f"{name}: "
            + "; ".join(f"{day_text(p.date)} {number_text(p.value)}" for p in chart.points)
            + (f" ({chart.target_label})" if chart.target_label else "")
            for name, _unit, chart, _indicator in charts
        ]
        blocks.append(
            Figure(
                "indicators",
                _("Evolución de los indicadores medidos"),
                "indicators",
                {"charts": charts},
                _("Mediciones por fecha. %(series)s.") % {"series": ". ".join(alt)},
            )
        )
    blocks.append(
        Table(
            "indicators",
            _("Indicadores de impacto"),
            [_("Indicador"), _("Comp."), _("Unidad"), _("Línea base"), _("Meta"), _("Último valor"), _("Fecha")],
            rows,
            (3.6, 0.7, 1.2, 1, 1, 1.1, 1.3),
        )
    )
    return Section("impacto", _("Impacto e indicadores"), blocks)


def _replication_section(program: Program, narrative: ReportNarrative) -> Section:
    blocks: list[Block] = paragraphs_of(narrative.replication)
    template = program.template
    if template is not None:
        blocks.append(
            Paragraph(
                _(
                    "La metodología «%(name)s» puede exportarse en JSON e importarse en otra jurisdicción, que "
                    "obtiene un programa listo para planificar con los mismos componentes, fases y formatos de taller."
                )
                % {"name": template.name}
            )
        )
        formats = getattr(template, "workshop_formats", None)
        rows = []
        if formats is not None:
            components = {c.key: c for c in template.components.all()}
            for fmt in formats.all():
                component = components.get(fmt.component_key)
                rows.append(
                    Row(
                        [
                            f"{component.order}. {component.name}" if component else fmt.component_key,
                            str(Kind(fmt.kind).label),
                            fmt.title,
                        ]
                    )
                )
        blocks.append(
            Table(
                "formats",
                _("Formatos de taller replicables"),
                [_("Componente"), _("Tipo"), _("Taller")],
                rows,
                (4, 1.5, 4),
            )
        )
    if not blocks:
        blocks = [Paragraph(_(EMPTY), muted=True)]
    lessons = paragraphs_of(getattr(narrative, "lessons", ""))
    subsections = [Section("lecciones", _("Lecciones aprendidas"), lessons or [Paragraph(_(EMPTY), muted=True)])]
    return Section("replicacion", _("Replicación"), blocks, subsections)


def _competitions(program: Program, public: bool) -> list:
    qs = Competition.objects.filter(program=program).order_by("id")
    if public:
        qs = qs.filter(is_published=True, results_published=True)
    return list(qs)


def build_dossier(program: Program, *, public: bool = False) -> ProgramDossier:
    narrative = ReportNarrative.objects.filter(program=program).first() or ReportNarrative(program=program)
    workshops = list(
        workshop_selectors.program_workshops_with_counts(program).prefetch_related(
            "registrations__organization", "invitations__organization", "visions"
        )
    )
    concepts = workshop_selectors.program_concepts(program)
    competitions = _competitions(program, public)
    figures = _key_figures(program, workshops, concepts, competitions)
    components = component_sections(program, workshops, concepts, competitions, public)
    components_section = Section(
        "componentes",
        _("Componentes del programa"),
        [Paragraph(_("Cada componente con su método, participantes y resultados."))]
        if components
        else [Paragraph(_(EMPTY), muted=True)],
        components,
    )
    sections = [
        _summary_section(program, narrative, figures),
        _background_section(program, narrative),
        _partners_section(program),
        components_section,
        _progress_section(program),
        _indicators_section(program, narrative),
        _replication_section(program, narrative),
    ]
    dossier = ProgramDossier(
        program_name=program.name,
        program_slug=program.slug,
        jurisdiction=program.jurisdiction.name,
        period=period_text(program.start_date, program.end_date),
        sector=str(program.get_sector_display()),
        status=str(Status(program.status).label),
        generated_at=date_format(timezone.localdate(), "DATE_FORMAT"),
        public=public,
        sections=sections,
        key_figures=figures,
        narrative_updated=date_format(timezone.localtime(narrative.updated_at), "DATE_FORMAT") if narrative.pk else "",
    )
    for n, table in enumerate(dossier.tables(), start=1):
        table.number = n
    for n, figure in enumerate(dossier.figures(), start=1):
        figure.number = n
    return dossier
