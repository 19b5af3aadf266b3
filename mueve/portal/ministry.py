"""The ministry's view in its three forms: the page's charts, the CSV and the PDF. All three are drawn from one
`MinistryOverview` (mueve.portal.selectors), so they always say the same."""

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mueve.core import csvio
from mueve.portal.charts import BarChart, Series, bar_chart
from mueve.portal.printing import Printer
from mueve.portal.selectors import MinistryOverview, RegionRow


def _num(value: float) -> str:
    return number_format(value, decimal_pos=1) if isinstance(value, float) else str(value)


def roadmap_text(row: RegionRow) -> str:
    return _("Sin hoja de ruta") if row.roadmap_progress is None else f"{_num(row.roadmap_progress)} %"


def median_text(row: RegionRow) -> str:
    if row.median_resolution_hours is None:
        return _("Sin incidentes resueltos")
    return _("%(h)s h") % {"h": _num(row.median_resolution_hours)}


def components_text(row: RegionRow) -> str:
    return _("%(done)d de %(total)d") % {"done": row.components_done, "total": row.components_total}


def resolved_text(row: RegionRow) -> str:
    return _("%(n)d de %(total)d") % {"n": row.incidents_resolved, "total": row.incidents_total}


def charts(overview: MinistryOverview) -> list[BarChart]:
    rows = overview.rows
    region = _("Programa")

    def single(key, title, description, values, maximum=None) -> BarChart:
        return bar_chart(
            key=key,
            title=title,
            description=description,
            categories=[title],
            series=[Series(r.label, [v]) for r, v in zip(rows, values, strict=True)],
            region_column=region,
            maximum=maximum,
        )

    def grouped(key, title, description, categories, values) -> BarChart:
        return bar_chart(
            key=key,
            title=title,
            description=description,
            categories=categories,
            series=[Series(r.label, v) for r, v in zip(rows, values, strict=True)],
            region_column=region,
        )

    return [
        single(
            "componentes",
            _("Componentes terminados"),
            _("Porcentaje de los componentes de la metodología que cada programa terminó (sin los cancelados)."),
            [(r.components_percent, components_text(r)) for r in rows],
            maximum=100,
        ),
        grouped(
            "talleres",
            _("Talleres por estado"),
            _("Talleres del programa según su estado."),
            [label for _v, label in overview.workshop_statuses],
            [[(c.count, str(c.count)) for c in r.workshops] for r in rows],
        ),
        grouped(
            "desafios",
            _("Desafíos por estado"),
            _("Desafíos del programa en cada etapa, de identificado a resuelto."),
            [label for _v, label in overview.challenge_statuses],
            [[(c.count, str(c.count)) for c in r.challenges] for r in rows],
        ),
        grouped(
            "embudo",
            _("Embudo de la competencia"),
            _(
                "Personas inscritas, equipos, equipos que entregaron en la hackatón, finalistas (terminaron la "
                "aceleración) y ganadores, sumando las competencias del programa."
            ),
            [label for label, _n in rows[0].funnel.steps()] if rows else [],
            [[(n, str(n)) for _label, n in r.funnel.steps()] for r in rows],
        ),
        single(
            "acelerados",
            _("Conceptos acelerados"),
            _("Equipos seleccionados por el jurado (por puntaje o por impacto social) para la aceleración."),
            [(r.funnel.accelerated, str(r.funnel.accelerated)) for r in rows],
        ),
        single(
            "hoja-de-ruta",
            _("Avance de la hoja de ruta"),
            _("Avance ponderado de las iniciativas de la hoja de ruta, como en la página de seguimiento."),
            [(r.roadmap_progress, roadmap_text(r)) for r in rows],
            maximum=100,
        ),
        single(
            "incidentes",
            _("Incidentes resueltos"),
            _("Incidentes resueltos en la jurisdicción del programa, de todos los registrados allí."),
            [(r.incidents_resolved, resolved_text(r)) for r in rows],
        ),
        single(
            "resolucion",
            _("Mediana del tiempo de resolución"),
            _("Horas entre el primer reporte y el cierre, en la mediana de los incidentes resueltos."),
            [(r.median_resolution_hours, median_text(r)) for r in rows],
        ),
    ]


# --- CSV ---------------------------------------------------------------------------------------------


def csv_rows(overview: MinistryOverview) -> list[list]:
    """Header and one row per programme; numbers as numbers (csvio writes them with a decimal comma)."""
    header = [
        _("Programa"),
        _("Identificador"),
        _("Jurisdicción"),
        _("Estado"),
        _("Inicio"),
        _("Término"),
        _("Componentes"),
        _("Componentes terminados"),
        _("Fase alcanzada"),
        *[_("Talleres: %(status)s") % {"status": label} for _v, label in overview.workshop_statuses],
        _("Talleres en total"),
        *[_("Desafíos: %(status)s") % {"status": label} for _v, label in overview.challenge_statuses],
        _("Desafíos en total"),
        _("Inscritos en competencias"),
        _("Equipos"),
        _("Equipos que entregaron"),
        _("Conceptos acelerados"),
        _("Finalistas"),
        _("Ganadores"),
        _("Avance de la hoja de ruta (%)"),
        _("Incidentes registrados"),
        _("Incidentes resueltos"),
        _("Mediana de resolución (horas)"),
    ]
    out: list[list] = [header]
    for r in overview.rows:
        out.append(
            [
                r.name,
                r.slug,
                r.jurisdiction,
                r.status_label,
                r.start_date.isoformat(),
                r.end_date.isoformat(),
                r.components_total,
                r.components_done,
                r.phase_reached,
                *[c.count for c in r.workshops],
                r.workshops_total,
                *[c.count for c in r.challenges],
                r.challenges_total,
                r.funnel.registered,
                r.funnel.teams,
                r.funnel.submitted,
                r.funnel.accelerated,
                r.funnel.finalists,
                r.funnel.winners,
                "" if r.roadmap_progress is None else r.roadmap_progress,
                r.incidents_total,
                r.incidents_resolved,
                "" if r.median_resolution_hours is None else r.median_resolution_hours,
            ]
        )
    return out


def csv_text(overview: MinistryOverview) -> str:
    return csvio.write_rows(csv_rows(overview))


# --- PDF ---------------------------------------------------------------------------------------------


def render_pdf(overview: MinistryOverview, *, font="auto") -> bytes:
    title = _("Vista del ministerio: programas por región")
    printer = Printer(title=title, running_head=title, landscape=True, font=font)
    rows = overview.rows
    printer.title(
        title,
        [
            ngettext("%(n)d programa.", "%(n)d programas.", len(rows)) % {"n": len(rows)},
            _("Generado por Mueve el %(d)s a partir de los datos de la plataforma.")
            % {"d": date_format(timezone.localtime(), "DATETIME_FORMAT")},
        ],
    )
    if not rows:
        printer.paragraph(_("No hay programas registrados."))
        return printer.output()
    printer.heading(_("Avance de cada programa"))
    printer.table(
        [_("Programa"), _("Estado"), _("Fase alcanzada"), _("Talleres realizados"), _("Desafíos"), _("Hoja de ruta")],
        [
            [
                r.label,
                r.status_label,
                r.phase_reached,
                _("%(n)d de %(total)d") % {"n": r.workshops_held, "total": r.workshops_total},
                "; ".join(f"{c.label}: {c.count}" for c in r.challenges if c.count) or "0",
                roadmap_text(r),
            ]
            for r in rows
        ],
        widths=[3, 1.3, 4, 1.4, 2.6, 1.4],
    )
    printer.heading(_("Competencias"))
    printer.table(
        [_("Programa"), _("Inscritos"), _("Equipos"), _("Entregaron")]
        + [_("Acelerados"), _("Finalistas"), _("Ganadores")],
        [
            [
                r.label,
                str(r.funnel.registered),
                str(r.funnel.teams),
                str(r.funnel.submitted),
                str(r.funnel.accelerated),
                str(r.funnel.finalists),
                str(r.funnel.winners),
            ]
            for r in rows
        ],
        widths=[4, 1, 1, 1, 1, 1, 1],
    )
    printer.heading(_("Incidentes en la jurisdicción de cada programa"))
    printer.table(
        [_("Programa"), _("Registrados"), _("Resueltos"), _("Mediana de resolución")],
        [[r.label, str(r.incidents_total), str(r.incidents_resolved), median_text(r)] for r in rows],
        widths=[4, 1.2, 1.2, 2],
    )
    printer.heading(_("Comparaciones"), keep_with=60)
    for chart in charts(overview):
        printer.bar_chart(chart)
    return printer.output()
