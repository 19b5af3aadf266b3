"""The program completion report (issue 6): the seed document's structure, filled from the database.

`build_report(program)` reads everything once into plain dataclasses (sections made of paragraphs,
lists and numbered tables); `render_html` and `render_pdf` only lay them out, so both say the same.
The narrative (executive summary, background, impact, replication, lessons) is what a manager wrote
in ReportNarrative; every table comes from the apps' selectors. A section whose data is missing says
"Sin datos registrados" instead of disappearing, so a half-run program still gets a complete outline.

`public=True` builds the version anyone may read for a public program: no person's name (champions
and change agents are shown by institution) and only competitions whose results are published.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mueve.challenges.models import Interview
from mueve.programs import selectors as program_selectors
from mueve.programs.models import Program, Status
from mueve.stakeholders import selectors as stakeholder_selectors
from mueve.stakeholders.models import Engagement, Organization, ProgramRole, Sector
from mueve.workshops import selectors as workshop_selectors
from mueve.workshops.models import (
    ConceptStatus,
    HubModel,
    Kind,
    ReportNarrative,
    TechnologySolution,
    TrackStatus,
    Workshop,
)

EMPTY = gettext_noop("Sin datos registrados")  # translated where shown: _(EMPTY)
MARK = "●"  # a roadmap initiative placed at a horizon; HTML adds a text alternative

# Roles that make an organization a counterpart or partner (Table 1) rather than a mere participant.
PARTNER_ROLES = [
    ProgramRole.MAIN_COUNTERPART,
    ProgramRole.GOVERNMENT_COUNTERPART,
    ProgramRole.MAIN_NON_GOVERNMENT_PARTNER,
    ProgramRole.PARTNER,
    ProgramRole.SPONSOR,
    ProgramRole.HOST,
]
SECTOR_COLUMNS = [Sector.GOVERNMENT, Sector.PRIVATE, Sector.ACADEMIA, Sector.CIVIL_SOCIETY]
# Which component a result table belongs to when its rows do not say (competitions have no component).
COMPONENT_KEYS = {
    "concepts": ("codesign",),
    "roadmap": ("vision", "roadmap", "diagnosis"),
    "competition": ("competition",),
    "hub": ("hub",),
}


# --- the document model -------------------------------------------------------------------------------


@dataclass
class Paragraph:
    text: str
    muted: bool = False
    kind: str = "paragraph"


@dataclass
class ListBlock:
    title: str
    items: list[str]
    ordered: bool = False
    kind: str = "list"


@dataclass
class Row:
    cells: list[str]
    group: bool = False  # a heading row spanning every column (e.g. a roadmap line)


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[Row]
    widths: tuple[float, ...]  # relative column widths for the PDF
    note: str = ""
    number: int = 0  # set when the report is assembled, in reading order
    kind: str = "table"

    @property
    def title(self) -> str:
        return _("Tabla %(n)d: %(caption)s") % {"n": self.number, "caption": self.caption}

    @property
    def empty(self) -> bool:
        return not self.rows

    def text(self) -> str:
        return "\n".join(" | ".join(r.cells) for r in self.rows)


Block = Paragraph | ListBlock | Table


@dataclass
class Section:
    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    subtitle: str = ""

    @property
    def empty(self) -> bool:
        return not self.blocks and not self.subsections


@dataclass
class ProgramReport:
    program_name: str
    program_slug: str
    jurisdiction: str
    period: str
    sector: str
    status: str
    generated_at: str
    public: bool
    sections: list[Section]
    key_figures: list[tuple[str, str]]
    narrative_updated: str = ""

    def all_sections(self) -> list[Section]:
        out = []
        for section in self.sections:
            out.append(section)
            out.extend(section.subsections)
        return out

    def section(self, section_id: str) -> Section:
        return next(s for s in self.all_sections() if s.id == section_id)

    def tables(self) -> list[Table]:
        return [b for s in self.all_sections() for b in s.blocks if isinstance(b, Table)]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables() if t.key == key)


# --- helpers ------------------------------------------------------------------------------------------


def _paragraphs(text: str) -> list[Paragraph]:
    return [Paragraph(p.strip()) for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]


def _org_label(org: Organization | None) -> str:
    if org is None:
        return ""
    label = org.name
    if org.acronym and org.acronym.lower() not in org.name.lower():
        label = f"{org.name} ({org.acronym})"
    return label + ("*" if org.is_international else "")


def _day(value: date | None) -> str:
    return date_format(value, "j M Y") if value else ""


def _month(value: date | None) -> str:
    return date_format(value, "F \\d\\e Y") if value else ""


def _period(start: date | None, end: date | None) -> str:
    if start and end and (start.year, start.month) == (end.year, end.month):
        return _month(start)
    if start and end:
        return _("%(start)s – %(end)s") % {"start": _month(start), "end": _month(end)}
    return _month(start or end)


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")  # Spanish: 1.234,5


def _sector_table(key: str, caption: str, orgs: list[Organization], note: str = "") -> Table:
    """Table 2/9 style: one column per sector, institutions listed down each column.

    International bodies get their own column only when there are some (Table 9 marks them with *).
    """
    sectors = list(SECTOR_COLUMNS)
    by_sector: dict[str, list[str]] = {s: [] for s in sectors}
    for org in sorted(set(orgs), key=lambda o: o.name):
        if org.sector not in by_sector:
            sectors.append(org.sector)
            by_sector[org.sector] = []
        by_sector[org.sector].append(_org_label(org))
    if orgs:  # a component run with one sector (officials only) should not print empty columns
        sectors = [s for s in sectors if by_sector[s]]
    columns = [str(Sector(s).label) if s in Sector.values else s for s in sectors]
    rows = [Row(list(cells)) for cells in itertools.zip_longest(*[by_sector[s] for s in sectors], fillvalue="")]
    if any(o.is_international for o in orgs):
        note = (note + " " if note else "") + _("* Socio internacional o multinacional.")
    return Table(key, caption, columns, rows, (1,) * len(sectors), note=note)


# --- sections -----------------------------------------------------------------------------------------


def _key_figures(
    program: Program, workshops: list[Workshop], concepts: list, competitions: list
) -> list[tuple[str, str]]:
    figures = [
        (_("Componentes"), str(program.components.count())),
        (_("Instituciones involucradas"), str(program.stakeholders.count())),
        (_("Talleres"), str(len(workshops))),
        (_("Inscripciones a talleres"), str(sum(w.registered for w in workshops))),
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
    blocks: list[Block] = _paragraphs(narrative.executive_summary) or _paragraphs(program.summary)
    if not blocks:
        blocks = [Paragraph(_(EMPTY), muted=True)]
    blocks.append(ListBlock(_("Cifras clave"), [f"{label}: {value}" for label, value in figures]))
    return Section("resumen", _("Resumen ejecutivo"), blocks)


def _background_section(program: Program, narrative: ReportNarrative) -> Section:
    blocks: list[Block] = _paragraphs(narrative.background)
    if not blocks and narrative.executive_summary:  # the summary field already holds program.summary otherwise
        blocks = _paragraphs(program.summary)
    if not blocks:
        blocks = [Paragraph(_(EMPTY), muted=True)]
    components = [f"{c.name}" + (f" ({c.theme})" if c.theme else "") for c in program.components.order_by("order")]
    blocks.append(ListBlock(_("Componentes del programa"), components, ordered=True))
    rows = []
    for r in program_selectors.timeline_rows(program):
        label = r.label if r.kind == "component" else f"— {r.label}"
        rows.append(Row([label, _day(r.start), _day(r.end), r.status_label], group=False))
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
            rows.append(Row([_org_label(org), str(org.get_sector_display()), ", ".join(str(labels[r]) for r in roles)]))
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
                _org_label(c.organization),
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
    return Section("socios", _("Contrapartes y socios"), [intro, partners, commitments])


def _participants_table(component, workshops: list[Workshop], competitions: list) -> Table:
    orgs: list[Organization] = []
    for w in workshops:
        orgs += [r.organization for r in w.registrations.all() if r.organization_id]
        orgs += [i.organization for i in w.invitations.all() if i.organization_id]
    orgs += [i.institution for i in Interview.objects.filter(component=component).select_related("institution")]
    orgs += [
        e.stakeholder.organization
        for e in Engagement.objects.filter(component=component).select_related("stakeholder__organization")
    ]
    for competition in competitions:
        orgs += [p.organization for p in competition.partners.select_related("organization")]
    return _sector_table(
        f"participants-{component.order}",
        _("Instituciones participantes en el componente %(n)d") % {"n": component.order},
        orgs,
    )


def _workshop_line(w: Workshop) -> str:
    parts = [w.title]
    if w.starts_at:
        parts.append(date_format(timezone.localtime(w.starts_at), "j \\d\\e F \\d\\e Y"))
    if w.venue_organization_id:
        parts.append(_("sede: %(org)s") % {"org": w.venue_organization.name})
    parts.append(_("%(reg)d inscritos, %(att)d asistentes") % {"reg": w.registered, "att": w.attended})
    return " — ".join(parts)


def _concept_tables(concepts: list) -> list[Table]:
    rows, proto_rows = [], []
    for c in concepts:
        decision = str(c.get_status_display())
        if c.status == ConceptStatus.SELECTED and c.responsible_id:
            decision += _(" — implementa: %(org)s") % {"org": c.responsible.name}
        if c.decision_reason:
            decision += f". {c.decision_reason}"
        description = c.description
        if c.users:
            description += " " + _("Usuarios: %(u)s.") % {"u": c.users}
        rows.append(
            Row([c.name, c.challenge.title if c.challenge_id else "—", description, str(c.dot_total or 0), decision])
        )
        for p in c.prototypes.all():
            detail = p.title + (f" — {p.description}" if p.description else "")
            extra = "; ".join(
                x for x in (p.effort, p.demonstrated_to and _("demostrado a %(who)s") % {"who": p.demonstrated_to}) if x
            )
            proto_rows.append(Row([c.name, _("Prototipo rápido"), detail, extra]))
        for pilot in c.pilots.all():
            ratings = [f.rating for f in pilot.feedback.all()]
            extra = (
                _("%(n)d pruebas con ciudadanía, nota media %(avg)s")
                % {"n": len(ratings), "avg": f"{sum(ratings) / len(ratings):.1f}".replace(".", ",")}
                if ratings
                else _("avance %(p)d %%") % {"p": c.progress}
            )
            proto_rows.append(Row([c.name, _("Piloto"), pilot.description, extra]))
    return [
        Table(
            "concepts",
            _("Conceptos de soluciones tecnológicas para los desafíos"),
            [_("Concepto"), _("Desafío"), _("Descripción"), _("Puntos"), _("Decisión")],
            rows,
            (1.9, 2, 3.2, 0.8, 2.4),
        ),
        Table(
            "prototypes",
            _("Prototipos y pilotos de los conceptos"),
            [_("Concepto"), _("Tipo"), _("Detalle"), _("Esfuerzo / resultado")],
            proto_rows,
            (1.5, 1.2, 4, 2),
        ),
    ]


def _vision_tables(program: Program, workshops: list[Workshop]) -> list[Table]:
    tables = []
    solutions = TechnologySolution.objects.filter(workshop__in=workshops).select_related("organization")
    tables.append(
        Table(
            "solutions",
            _("Inventario de soluciones tecnológicas en uso"),
            [_("Solución"), _("Institución"), _("En uso")],
            [Row([s.name, _org_label(s.organization), _("sí") if s.in_use else _("no")]) for s in solutions],
            (4, 3, 0.8),
        )
    )
    try:
        from mueve.datasets.models import Dataset
    except ImportError:  # the catalogue app is optional for the report
        Dataset = None
    if Dataset is not None:
        datasets = (
            Dataset.objects.filter(Q(identified_in__in=workshops) | Q(program=program))
            .select_related("publisher")
            .distinct()
        )
        tables.append(
            Table(
                "datasets",
                _("Inventario de bases de datos y conjuntos de datos"),
                [
                    _("Conjunto de datos"),
                    _("Institución dueña"),
                    _("Formato"),
                    _("Actualización"),
                    _("Acceso"),
                    _("Licencia"),
                ],
                [
                    Row(
                        [
                            d.title,
                            _org_label(d.publisher),
                            d.format,
                            str(d.get_accrual_periodicity_display()),
                            str(d.get_access_rights_display()),
                            d.license or "—",
                        ]
                    )
                    for d in datasets
                ],
                (3, 2.4, 1, 1.2, 1.2, 1.2),
            )
        )
    swot_rows = []
    for quadrant in workshop_selectors.validated_swot(program):
        for item in quadrant.items:
            swot_rows.append(Row([quadrant.label, item.text, str(item.votes)]))
    tables.append(
        Table("swot", _("FODA validado"), [_("Cuadrante"), _("Elemento"), _("Votos")], swot_rows, (1.4, 5, 0.8))
    )
    vision_rows = []
    for w in workshops:
        for v in w.visions.all():
            vision_rows.append(Row([v.persona, str(v.horizon_year), v.text]))
    tables.append(
        Table(
            "visions",
            _("Visiones por rol de usuario"),
            [_("Rol de usuario"), _("Año"), _("Visión")],
            vision_rows,
            (1.6, 0.7, 6),
        )
    )
    return tables


def _roadmap_table(program: Program) -> tuple[Table, set]:
    grid = workshop_selectors.roadmap_grid(program)
    rows: list[Row] = []
    components = set()
    for line, cells in grid.lines:
        if line.workshop_id and line.workshop.component_id:
            components.add(line.workshop.component_id)
        rows.append(Row([line.name] + [""] * len(grid.horizons), group=True))
        for col, horizon in enumerate(grid.horizons):
            for initiative in cells[horizon]:
                row = [initiative.name] + [""] * len(grid.horizons)
                row[col + 1] = MARK
                rows.append(Row(row))
    table = Table(
        "roadmap",
        _("Hoja de ruta acordada"),
        [_("Iniciativa")] + [str(h) for h in grid.horizons],
        rows,
        (6,) + (1,) * len(grid.horizons),
        note=_("● = horizonte en que se ubica la iniciativa.") if rows else "",
    )
    return table, components


def _competition_tables(competitions: list) -> list[Table]:
    from mueve.competitions import selectors as competition_selectors
    from mueve.competitions.models import SelectionKind, StageKind

    rows, funnel_rows = [], []
    social = False
    for competition in competitions:
        winners = {s.team_id for s in competition_selectors.winners(competition)}
        for selection in competition_selectors.selected_first_round(competition):
            team = selection.team
            submission = (
                team.submissions.filter(stage=StageKind.HACKATHON).exclude(concept="").order_by("-version").first()
            )
            how = str(selection.get_kind_display())
            name = team.name
            if selection.kind == SelectionKind.SOCIAL_IMPACT:
                name += "*"
                social = True
            elif selection.rank:
                how += _(" (puesto %(n)d)") % {"n": selection.rank}
            rows.append(
                Row(
                    [
                        name,
                        team.category or "—",
                        submission.concept if submission else (team.challenge.title if team.challenge_id else "—"),
                        how,
                        _("Ganador") if team.pk in winners else "",
                    ]
                )
            )
        for label, count in competition_selectors.funnel(competition):
            funnel_rows.append(Row([competition.name, str(label), str(count)]))
    return [
        Table(
            "competition",
            _("Soluciones seleccionadas para la aceleración y resultado final"),
            [_("Concepto (equipo)"), _("Categoría"), _("Descripción"), _("Selección"), _("Resultado")],
            rows,
            (1.6, 1.3, 4.2, 1.6, 1),
            note=_("* Seleccionado por su potencial de impacto social.") if social else "",
        ),
        Table(
            "funnel",
            _("Embudo de la competencia"),
            [_("Competencia"), _("Etapa"), _("Cantidad")],
            funnel_rows,
            (2, 3, 1),
        ),
    ]


def _hub_tables(program: Program) -> list[Table]:
    model_rows, line_rows, commitment_rows = [], [], []
    for m in HubModel.objects.filter(workshop__program=program).order_by("workshop__starts_at", "name"):
        model_rows.append(Row([m.name, m.location, m.description]))
    for line in workshop_selectors.program_hub_lines(program):
        activities = list(line.activities.all())
        line_rows.append(
            Row(
                [
                    line.name
                    + (f" ({line.group.name or _('Grupo %(n)d') % {'n': line.group.number}})" if line.group_id else ""),
                    line.description,
                    line.business_plan,
                    "; ".join(a.name for a in activities) or "—",
                ]
            )
        )
        for activity in activities:
            for commitment in activity.commitments.all():
                commitment_rows.append(
                    Row([line.name, activity.name, _org_label(commitment.organization), commitment.contribution])
                )
    return [
        Table(
            "hub_models",
            _("Modelos de hub de innovación de referencia"),
            [_("Hub"), _("Lugar"), _("Descripción")],
            model_rows,
            (1.4, 1.6, 6),
        ),
        Table(
            "hub_lines",
            _("Líneas de acción del hub definidas en el taller de cocreación"),
            [_("Línea de acción"), _("Descripción"), _("Plan de negocio"), _("Programa de actividades")],
            line_rows,
            (1.5, 3, 2.2, 2.4),
        ),
        Table(
            "hub_commitments",
            _("Actividades del hub nominadas por los socios"),
            [_("Línea"), _("Actividad"), _("Institución"), _("Aporte")],
            commitment_rows,
            (1.3, 2.4, 2.4, 2.6),
        ),
    ]


def _champions_block(program: Program, component, public: bool) -> ListBlock | None:
    champions = [c for c in stakeholder_selectors.champions_for(program) if c.component_id == component.pk]
    if not champions:
        return None
    items: dict[str, int] = {}
    for c in champions:
        org = c.organization.name if c.organization_id else "—"
        # Names of people stay in the internal version; the public one counts them per institution.
        item = f"{c.get_kind_display()}: {org}" if public else f"{c.get_kind_display()}: {c.person} — {org}"
        items[item] = items.get(item, 0) + 1
    return ListBlock(
        _("Campeones y agentes de cambio identificados"),
        [item if n == 1 else f"{item} ({n})" for item, n in items.items()],
    )


def _component_sections(program: Program, workshops: list[Workshop], concepts: list, competitions: list, public: bool):
    components = list(program.components.prefetch_related("phases", "results").order_by("order"))
    by_key = {c.key: c for c in components}
    result_tables: dict[int | None, list[Table]] = {c.pk: [] for c in components}
    result_tables[None] = []

    def home(kind: str, from_workshops: set) -> int | None:
        if len(from_workshops) == 1:
            return next(iter(from_workshops))
        for key in COMPONENT_KEYS[kind]:
            if key in by_key:
                return by_key[key].pk
        return None

    concept_components = {c.workshop.component_id for c in concepts if c.workshop.component_id}
    result_tables[home("concepts", concept_components)] += _concept_tables(concepts)
    vision_workshops = [w for w in workshops if w.kind in (Kind.DIAGNOSIS, Kind.SWOT, Kind.VISION, Kind.ROADMAP)]
    roadmap, roadmap_components = _roadmap_table(program)
    vision_home = home("roadmap", roadmap_components | {w.component_id for w in vision_workshops if w.component_id})
    result_tables[vision_home] += _vision_tables(program, vision_workshops) + [roadmap]
    result_tables[home("competition", set())] += _competition_tables(competitions)
    hub = [w for w in workshops if w.kind == Kind.HUB]
    result_tables[home("hub", {w.component_id for w in hub if w.component_id})] += _hub_tables(program)

    sections = []
    for component in components:
        own = [w for w in workshops if w.component_id == component.pk]
        own_competitions = competitions if component.key == "competition" else []
        blocks: list[Block] = _paragraphs(component.objective)
        facts = []
        if component.start_date or component.end_date:
            facts.append(_("Período: %(p)s.") % {"p": _period(component.start_date, component.end_date)})
        if component.audience:
            facts.append(_("Audiencia: %(a)s.") % {"a": component.audience.rstrip(".")})
        if facts:
            blocks.append(Paragraph(" ".join(facts)))
        phases = [
            p.name
            + (f" ({_period(p.start_date, p.end_date)})" if p.start_date else "")
            + (f": {p.description}" if p.description else "")
            for p in component.phases.all()
        ]
        blocks.append(ListBlock(_("Método: fases"), phases or [_(EMPTY)], ordered=bool(phases)))
        blocks.append(ListBlock(_("Talleres"), [_workshop_line(w) for w in own] or [_(EMPTY)]))
        blocks.append(_participants_table(component, own, own_competitions))
        champions = _champions_block(program, component, public)
        if champions:
            blocks.append(champions)
        blocks.append(
            ListBlock(_("Resultados del componente"), [r.title for r in component.results.all()] or [_(EMPTY)])
        )
        blocks += result_tables[component.pk]
        sections.append(
            Section(
                f"componente-{component.order}",
                _("Componente %(n)d: %(name)s") % {"n": component.order, "name": component.name},
                blocks,
                subtitle=component.theme,
            )
        )
    if result_tables[None]:
        sections.append(Section("otros-resultados", _("Otros resultados"), result_tables[None]))
    return sections


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
    blocks: list[Block] = _paragraphs(narrative.impact)
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
                    _number(indicator.baseline),
                    _number(indicator.target),
                    _number(latest.value) if latest else "—",
                    _day(latest.date) if latest else "—",
                ]
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
    blocks: list[Block] = _paragraphs(narrative.replication)
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
    lessons = _paragraphs(getattr(narrative, "lessons", ""))
    subsections = [Section("lecciones", _("Lecciones aprendidas"), lessons or [Paragraph(_(EMPTY), muted=True)])]
    return Section("replicacion", _("Replicación"), blocks, subsections)


# --- assembly -----------------------------------------------------------------------------------------


def _competitions(program: Program, public: bool) -> list:
    try:
        from mueve.competitions.models import Competition
    except ImportError:  # pragma: no cover — the report works without the competitions app
        return []
    qs = Competition.objects.filter(program=program).order_by("id")
    if public:
        qs = qs.filter(is_published=True, results_published=True)
    return list(qs)


def build_report(program: Program, *, public: bool = False) -> ProgramReport:
    narrative = ReportNarrative.objects.filter(program=program).first() or ReportNarrative(program=program)
    workshops = list(
        workshop_selectors.program_workshops_with_counts(program).prefetch_related(
            "registrations__organization", "invitations__organization", "visions"
        )
    )
    concepts = workshop_selectors.program_concepts(program)
    competitions = _competitions(program, public)
    figures = _key_figures(program, workshops, concepts, competitions)
    components = _component_sections(program, workshops, concepts, competitions, public)
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
    report = ProgramReport(
        program_name=program.name,
        program_slug=program.slug,
        jurisdiction=program.jurisdiction.name,
        period=_period(program.start_date, program.end_date),
        sector=str(program.get_sector_display()),
        status=str(Status(program.status).label),
        generated_at=date_format(timezone.localdate(), "j \\d\\e F \\d\\e Y"),
        public=public,
        sections=sections,
        key_figures=figures,
        narrative_updated=date_format(timezone.localtime(narrative.updated_at), "j \\d\\e F \\d\\e Y")
        if narrative.pk
        else "",
    )
    for n, table in enumerate(report.tables(), start=1):
        table.number = n
    return report


# --- HTML ---------------------------------------------------------------------------------------------


def render_html(report: ProgramReport, *, standalone: bool = True) -> str:
    """The printable document (standalone) or just its body, for the page that wraps it in the site."""
    template = "workshops/report/program_report.html" if standalone else "workshops/report/_body.html"
    return render_to_string(template, {"report": report, "MARK": MARK})


# --- PDF ----------------------------------------------------------------------------------------------

FONT_CANDIDATES = [
    Path(__file__).resolve().parents[1] / "static" / "vendor" / "fonts",  # if ever vendored
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts/dejavu"),
]
# Characters the built-in (Windows-1252) fonts lack, mapped to ones they have.
CORE_FONT_REPLACEMENTS = str.maketrans(
    {"●": "•", "✓": "x", "→": "->", "←": "<-", "≥": ">=", "≤": "<=", "·": "·", "\u00a0": " ", "\u202f": " "}
)
BLUE = (31, 78, 121)
INK = (27, 27, 27)
GREY = (90, 90, 90)


def find_unicode_font() -> tuple[Path, Path] | None:
    """DejaVu Sans regular + bold if installed (or vendored); None means use the built-in Helvetica."""
    for folder in FONT_CANDIDATES:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


def render_pdf(report: ProgramReport, *, font: tuple[Path, Path] | None | str = "auto") -> bytes:
    """A4 PDF: title page, contents, sections, numbered tables whose headings repeat on every page.

    `font="auto"` embeds DejaVu Sans when the machine has it; `font=None` forces the built-in
    Helvetica (Windows-1252: all Spanish letters, dashes and curly quotes; other symbols replaced).
    """
    from fpdf import FPDF
    from fpdf.enums import TableCellFillMode
    from fpdf.fonts import FontFace

    font_files = find_unicode_font() if font == "auto" else font
    edition = _("Versión pública") if report.public else _("Versión completa (uso interno)")

    class ReportPDF(FPDF):
        def header(self):
            if self.page_no() == 1:
                return
            self.set_font(family, "", 8)
            self.set_text_color(*GREY)
            self.cell(0, 6, clean(f"{report.program_name} — {_('Informe de cierre')}"), align="L")
            self.ln(8)

        def footer(self):
            self.set_y(-12)
            self.set_font(family, "", 8)
            self.set_text_color(*GREY)
            self.cell(
                0,
                6,
                clean(_("Página %(n)s de %(total)s") % {"n": self.page_no(), "total": "{nb}"}),
                align="C",
            )

    pdf = ReportPDF(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_lang("es")
    pdf.set_title(_("Informe de cierre: %(name)s") % {"name": report.program_name})
    pdf.set_subject(report.jurisdiction)
    pdf.set_creator("Mueve")
    if font_files:
        pdf.add_font("DejaVu", "", str(font_files[0]))
        pdf.add_font("DejaVu", "B", str(font_files[1]))
        family = "DejaVu"

        def clean(text: str) -> str:
            return text or ""
    else:
        family = "helvetica"
        pdf.core_fonts_encoding = "windows-1252"

        def clean(text: str) -> str:
            return (text or "").translate(CORE_FONT_REPLACEMENTS).encode("cp1252", "replace").decode("cp1252")

    width = pdf.epw

    def write(text: str, size: float = 10, style: str = "", color=INK, height: float = 5, align: str = "L") -> None:
        pdf.set_font(family, style, size)
        pdf.set_text_color(*color)
        pdf.multi_cell(0, height, clean(text), new_x="LMARGIN", new_y="NEXT", align=align)

    # Title page.
    pdf.add_page()
    pdf.ln(50)
    write(_("Informe de cierre del programa"), 12, color=GREY)
    pdf.ln(2)
    write(report.program_name, 26, "B", BLUE, height=12)
    pdf.ln(4)
    for line in (
        _("Jurisdicción: %(j)s") % {"j": report.jurisdiction},
        _("Período: %(p)s") % {"p": report.period},
        _("Sector: %(s)s · Estado: %(st)s") % {"s": report.sector, "st": report.status},
    ):
        write(line, 12, height=7)
    pdf.ln(30)
    write(edition, 10, "B", GREY)
    write(
        _("Generado por Mueve el %(d)s a partir de los datos del programa.") % {"d": report.generated_at}, 9, color=GREY
    )
    if report.narrative_updated:
        write(_("Textos narrativos actualizados el %(d)s.") % {"d": report.narrative_updated}, 9, color=GREY)

    def render_toc(pdf_, outline) -> None:
        pdf_.set_font(family, "B", 16)
        pdf_.set_text_color(*BLUE)
        pdf_.set_xy(pdf_.l_margin, pdf_.t_margin + 8)
        pdf_.cell(width, 10, clean(_("Contenido")), new_x="LMARGIN", new_y="NEXT")
        pdf_.ln(2)
        for entry in outline:
            pdf_.set_font(family, "B" if entry.level == 0 else "", 10 if entry.level == 0 else 9)
            pdf_.set_text_color(*INK)
            indent = 6 * entry.level
            link = pdf_.add_link(page=entry.page_number)
            pdf_.set_x(pdf_.l_margin + indent)
            label = clean(entry.name)
            pdf_.cell(width - indent - 12, 6, label, link=link)
            pdf_.cell(12, 6, str(entry.page_number), align="R", link=link, new_x="LMARGIN", new_y="NEXT")

    pdf.add_page()
    pdf.insert_toc_placeholder(render_toc, pages=1)

    heading_style = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=BLUE)
    group_style = FontFace(emphasis="BOLD", fill_color=(226, 234, 243))

    def fit(text: str, column_mm: float) -> str:
        # fpdf2 cannot split one table row over two pages: cap a cell at ~25 lines of 8-pt text.
        limit = max(40, int(column_mm * 0.5 * 25))
        if len(text) <= limit:
            return text
        return text[:limit].rsplit(" ", 1)[0] + " … " + _("(texto completo en la versión HTML)")

    def table(t: Table) -> None:
        pdf.set_font(family, "B", 10)
        if pdf.will_page_break(24):
            pdf.add_page()
        write(t.title, 10, "B", BLUE)
        pdf.ln(1)
        if t.empty:
            write(_(EMPTY), 9, color=GREY)
            pdf.ln(3)
            return
        pdf.set_font(family, "", 8)
        pdf.set_text_color(*INK)
        total = sum(t.widths)
        col_mm = [width * w / total for w in t.widths]
        with pdf.table(
            col_widths=tuple(col_mm),
            headings_style=heading_style,
            line_height=4,
            text_align="LEFT",
            repeat_headings=1,
            cell_fill_mode=TableCellFillMode.NONE,
            padding=1,
            v_align="TOP",
        ) as grid:
            head = grid.row()
            for column in t.columns:
                head.cell(clean(column))
            for row in t.rows:
                cells = grid.row()
                if row.group:
                    cells.cell(clean(row.cells[0]), colspan=len(t.columns), style=group_style)
                    continue
                for value, mm in zip(row.cells, col_mm, strict=False):
                    cells.cell(clean(fit(value, mm)), align="C" if value == MARK else None)
        if t.note:
            write(t.note, 8, color=GREY, height=4)
        pdf.ln(4)

    def block(b: Block) -> None:
        if isinstance(b, Paragraph):
            write(b.text, 10, color=GREY if b.muted else INK)
            pdf.ln(2)
        elif isinstance(b, ListBlock):
            if pdf.will_page_break(16):  # never leave a list's title alone at the foot of a page
                pdf.add_page()
            write(b.title, 10, "B")
            for n, item in enumerate(b.items, start=1):
                marker = f"{n}." if b.ordered else "•"
                pdf.set_font(family, "", 9.5)
                pdf.set_text_color(*INK)
                pdf.set_x(pdf.l_margin + 2)
                pdf.cell(6, 5, clean(marker))
                pdf.multi_cell(0, 5, clean(item), new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(2)
        else:
            table(b)

    for section in report.sections:
        pdf.add_page()
        pdf.start_section(clean(section.title), level=0)
        write(section.title, 18, "B", BLUE, height=9)
        pdf.ln(3)
        for b in section.blocks:
            block(b)
        for sub in section.subsections:
            if pdf.will_page_break(40):
                pdf.add_page()
            pdf.start_section(clean(sub.title), level=1)
            write(sub.title, 14, "B", BLUE, height=7)
            if sub.subtitle:
                write(sub.subtitle, 10, "B", GREY)
            pdf.ln(2)
            for b in sub.blocks:
                block(b)
    return bytes(pdf.output())


# --- files --------------------------------------------------------------------------------------------


def write_report(program: Program, out_dir: Path, *, public: bool = False) -> tuple[Path, Path]:
    """`mueve programreport`: report.html and report.pdf in `out_dir` (created if missing)."""
    report = build_report(program, public=public)
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path, pdf_path = out_dir / "report.html", out_dir / "report.pdf"
    html_path.write_text(render_html(report), encoding="utf-8")
    pdf_path.write_bytes(render_pdf(report))
    return html_path, pdf_path
