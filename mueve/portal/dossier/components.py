"""One section per programme component: method, workshops, participants, champions, and the
result tables of the seed (concepts, diagnosis and roadmap, competition, hub)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mueve.challenges.models import Interview
from mueve.competitions import selectors as competition_selectors
from mueve.competitions.charts import funnel_chart
from mueve.competitions.models import SelectionKind, StageKind
from mueve.datasets.models import Dataset
from mueve.portal.dossier.document import EMPTY, MARK, Block, Figure, ListBlock, Paragraph, Row, Section, Table
from mueve.portal.dossier.formatting import org_label, paragraphs_of, period_text, sector_table
from mueve.programs.models import Program
from mueve.stakeholders import selectors as stakeholder_selectors
from mueve.stakeholders.models import Engagement, Organization
from mueve.workshops import selectors as workshop_selectors
from mueve.workshops.charts import roadmap_description, roadmap_layout
from mueve.workshops.models import ConceptStatus, HubModel, Kind, TechnologySolution, Workshop

# Which component a result table belongs to when its rows do not say (competitions have no component).
COMPONENT_KEYS = {
    "concepts": ("codesign",),
    "roadmap": ("vision", "roadmap", "diagnosis"),
    "competition": ("competition",),
    "hub": ("hub",),
}


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
    return sector_table(
        f"participants-{component.order}",
        _("Instituciones participantes en el componente %(n)d") % {"n": component.order},
        orgs,
    )


def _clinic_line(clinic) -> str:
    """A competition's preparatory clinic, counted as the seed counts component 3's workshops."""
    when = date_format(timezone.localtime(clinic.starts_at), "j \\d\\e F \\d\\e Y")
    parts = [_("Clínica: %(title)s") % {"title": clinic.title}, when]
    if clinic.place:
        parts.append(_("lugar: %(place)s") % {"place": clinic.place})
    parts.append(_("%(reg)d inscritos, %(att)d asistentes") % {"reg": clinic.registered, "att": clinic.attended})
    return " — ".join(parts)


def _workshop_line(w: Workshop, registered: int) -> str:
    parts = [w.title]
    if w.starts_at:
        parts.append(date_format(timezone.localtime(w.starts_at), "DATE_FORMAT"))
    if w.venue_organization_id:
        parts.append(_("sede: %(org)s") % {"org": w.venue_organization.name})
    parts.append(_("%(reg)d inscritos, %(att)d asistentes") % {"reg": registered, "att": w.attended})
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
            [Row([s.name, org_label(s.organization), _("sí") if s.in_use else _("no")]) for s in solutions],
            (4, 3, 0.8),
        )
    )
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
                        org_label(d.publisher),
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


def _roadmap_figure(program: Program, grid) -> list[Figure]:
    """The roadmap as the roadmap page draws it (workshops.charts): lines × horizons."""
    layout = roadmap_layout(grid)
    if layout is None:
        return []
    return [
        Figure(
            "roadmap",
            _("Hoja de ruta: iniciativas por línea y horizonte"),
            "roadmap",
            {"layout": layout, "grid": grid, "program_name": program.name},
            roadmap_description(layout) + " " + _("La tabla siguiente ubica cada iniciativa en su horizonte."),
        )
    ]


def _roadmap_table(program: Program, grid) -> tuple[Table, set]:
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


def _competition_tables(competitions: list) -> list[Table | Figure]:
    rows, funnel_rows, figures = [], [], []
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
        steps = competition_selectors.funnel(competition)
        for label, count in steps:
            funnel_rows.append(Row([competition.name, str(label), str(count)]))
        if steps:
            # The funnel of the competition's results page (competitions.charts).
            figures.append(
                Figure(
                    f"funnel-{competition.pk}",
                    _("Embudo de %(name)s") % {"name": competition.name},
                    "funnel",
                    {"funnel": funnel_chart(steps)},
                    _("De cada etapa a la siguiente: %(steps)s.")
                    % {"steps": "; ".join(f"{label} {count}" for label, count in steps)},
                )
            )
    return [
        Table(
            "competition",
            _("Soluciones seleccionadas para la aceleración y resultado final"),
            [_("Concepto (equipo)"), _("Categoría"), _("Descripción"), _("Selección"), _("Resultado")],
            rows,
            (1.6, 1.3, 4.2, 1.6, 1),
            note=_("* Seleccionado por su potencial de impacto social.") if social else "",
        ),
        *figures,
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
                    Row([line.name, activity.name, org_label(commitment.organization), commitment.contribution])
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


def component_sections(program: Program, workshops: list[Workshop], concepts: list, competitions: list, public: bool):
    components = list(program.components.prefetch_related("phases", "results").order_by("order"))
    by_key = {c.key: c for c in components}
    result_tables: dict[int | None, list[Table | Figure]] = {c.pk: [] for c in components}
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
    grid = workshop_selectors.roadmap_grid(program)
    roadmap, roadmap_components = _roadmap_table(program, grid)
    vision_home = home("roadmap", roadmap_components | {w.component_id for w in vision_workshops if w.component_id})
    result_tables[vision_home] += _vision_tables(program, vision_workshops) + _roadmap_figure(program, grid) + [roadmap]
    result_tables[home("competition", set())] += _competition_tables(competitions)
    hub = [w for w in workshops if w.kind == Kind.HUB]
    result_tables[home("hub", {w.component_id for w in hub if w.component_id})] += _hub_tables(program)

    registered = workshop_selectors.registration_counts(workshops)  # as the list of workshops counts them
    sections = []
    for component in components:
        own = [w for w in workshops if w.component_id == component.pk]
        own_competitions = competitions if component.key == "competition" else []
        blocks: list[Block] = paragraphs_of(component.objective)
        facts = []
        if component.start_date or component.end_date:
            facts.append(_("Período: %(p)s.") % {"p": period_text(component.start_date, component.end_date)})
        if component.audience:
            facts.append(_("Audiencia: %(a)s.") % {"a": component.audience.rstrip(".")})
        if facts:
            blocks.append(Paragraph(" ".join(facts)))
        phases = [
            p.name
            + (f" ({period_text(p.start_date, p.end_date)})" if p.start_date else "")
            + (f": {p.description}" if p.description else "")
            for p in component.phases.all()
        ]
        blocks.append(ListBlock(_("Método: fases"), phases or [_(EMPTY)], ordered=bool(phases)))
        lines = [_workshop_line(w, registered.get(w.pk, 0)) for w in own]
        if component.key == "competition":
            # Clinics are competition records, not workshops: without them component 3 would read "no data".
            lines += [_clinic_line(c) for c in competition_selectors.program_clinics_with_counts(program)]
        blocks.append(ListBlock(_("Talleres"), lines or [_(EMPTY)]))
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
