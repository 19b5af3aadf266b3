"""The programme's roadmap and its progress: one dataset per public programme with roadmap initiatives (Table 5 of
the seed), one row per initiative with its line, horizon, status and progress, and the progress of its line and of
the whole roadmap rolled up as the programme's progress page does (workshops.selectors.progress_tree)."""

import json
from datetime import date, datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from mueve.core import csvio
from mueve.datasets.models import Periodicity, Theme
from mueve.datasets.own_data.base import GeneratedFile, Spec, lead_organization, site_url
from mueve.programs import selectors as program_selectors
from mueve.programs.models import Program
from mueve.workshops import selectors as workshop_selectors
from mueve.workshops.models import Initiative, ProgressUpdate, TrackStatus

PREFIX = "roadmap"

FIELDS = [
    {"id": "programa", "type": "text"},
    {"id": "linea", "type": "text"},
    {"id": "orden_linea", "type": "int"},
    {"id": "iniciativa", "type": "text"},
    {"id": "horizonte", "type": "int"},
    {"id": "estado", "type": "text"},
    {"id": "estado_texto", "type": "text"},
    {"id": "avance", "type": "int"},
    {"id": "peso", "type": "numeric"},
    {"id": "responsable", "type": "text"},
    {"id": "objetivos", "type": "text"},
    {"id": "recursos", "type": "text"},
    {"id": "hitos", "type": "int"},
    {"id": "hitos_cumplidos", "type": "int"},
    {"id": "avance_linea", "type": "numeric"},
    {"id": "avance_hoja_de_ruta", "type": "numeric"},
]


def generator_of(program: Program) -> str:
    return f"{PREFIX}:{program.pk}"


def public_programs():
    return program_selectors.program_list_for(None).filter(roadmap_lines__initiatives__isnull=False).distinct()


def _program_of(generator: str) -> Program | None:
    prefix, _sep, pk = generator.partition(":")
    if prefix != PREFIX or not pk.isdigit():
        return None
    return public_programs().filter(pk=int(pk)).first()


def spec(generator: str) -> Spec | None:
    program = _program_of(generator)
    return _spec(program) if program is not None else None


def keys() -> list[str]:
    return [generator_of(program) for program in public_programs()]


def changed_since(generator: str, moment: datetime) -> bool:
    program = _program_of(generator)
    if program is None:
        return True  # gone or no longer public: the next run withdraws it
    return (
        program.updated_at > moment
        or Initiative.history.filter(history_date__gt=moment, line__program_id=program.pk).exists()
        or ProgressUpdate.objects.filter(program=program, created_at__gt=moment).exists()
    )


def _rolled_progress(program: Program) -> dict[str, float]:
    """ref -> rolled-up progress (0–100) of the progress tree's nodes."""
    found: dict[str, float] = {}
    stack = [workshop_selectors.progress_tree(program)]
    while stack:
        node = stack.pop()
        found[node.ref] = node.progress
        stack.extend(node.children)
    return found


def rows(program: Program) -> list[tuple]:
    rolled = _rolled_progress(program)
    statuses = dict(TrackStatus.choices)
    found = []
    grid = workshop_selectors.roadmap_grid(program)
    for line, cells in grid.lines:
        for horizon in grid.horizons:
            for initiative in cells[horizon]:
                milestones = list(initiative.milestones.all())
                found.append(
                    (
                        program.name,
                        line.name,
                        line.order,
                        initiative.name,
                        initiative.horizon,
                        initiative.track_status,
                        str(statuses.get(initiative.track_status, initiative.track_status)),
                        initiative.progress,
                        float(initiative.weight),
                        initiative.responsible.name if initiative.responsible else "",
                        initiative.objectives,
                        initiative.resources,
                        len(milestones),
                        sum(1 for m in milestones if m.done),
                        rolled.get(f"rl:{line.pk}"),
                        rolled.get("roadmap"),
                    )
                )
    return found


def _spec(program: Program) -> Spec | None:
    found = rows(program)
    if not found:
        return None
    publisher = lead_organization(program)
    if publisher is None:
        return None
    names = [f["id"] for f in FIELDS]
    records = [dict(zip(names, row, strict=True)) for row in found]
    horizons = [row[names.index("horizonte")] for row in found]
    return Spec(
        generator=generator_of(program),
        title=_("Hoja de ruta y avance: %(name)s") % {"name": program.name},
        slug=f"hoja-de-ruta-{program.slug}",
        description=_(
            "Las iniciativas de la hoja de ruta que acordaron los actores del programa «%(name)s», por línea y "
            "horizonte, con su estado, su avance (0–100), su peso, la institución responsable y sus hitos; y el "
            "avance de cada línea y de toda la hoja de ruta, calculado como en la página de avance del programa "
            "(promedio ponderado)."
        )
        % {"name": program.name},
        publisher=publisher,
        keyword=_("hoja de ruta, rendición de cuentas, avance, iniciativas, ciudad inteligente"),
        themes=",".join([Theme.GOVE, Theme.TRAN, Theme.REGI]),
        periodicity=Periodicity.WEEKLY,
        program=program,
        jurisdiction=program.jurisdiction,
        temporal=(program.start_date, max(program.end_date, date(max(horizons), 12, 31))),
        landing_page=site_url(reverse("workshops:progress", args=[program.slug])),
        distributions=[
            GeneratedFile(
                position=0,
                title=_("Hoja de ruta y avance (CSV)"),
                description=_("Separado por punto y coma, con coma decimal y codificado en UTF-8 (con BOM)."),
                format="CSV",
                filename=f"hoja-de-ruta-{program.slug}.csv",
                content=("\ufeff" + csvio.write_rows([names, *found])).encode("utf-8"),
                fields=FIELDS,
                rows=found,
            ),
            GeneratedFile(
                position=1,
                title=_("Hoja de ruta y avance (JSON)"),
                description=_("Una lista de objetos, uno por iniciativa, con los mismos campos que el CSV."),
                format="JSON",
                filename=f"hoja-de-ruta-{program.slug}.json",
                content=json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8"),
            ),
        ],
    )
