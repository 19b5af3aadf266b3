"""Competition results: the rankings of the closed jury rounds of every competition whose results are public (the
same rows as each competition's results page and CSV), as one CSV and one JSON, loaded into the datastore.

Only competitions anyone may see (published, of a public programme) with their results published count; a team
appears by its name, its challenge and the jury's decision, never by its members."""

import json
from datetime import datetime
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.competitions import selectors as competition_selectors
from mueve.competitions.models import Competition, Round, RoundStatus
from mueve.core import csvio
from mueve.datasets.models import Periodicity, Theme
from mueve.datasets.own_data.base import GeneratedFile, Spec, iso, lead_organization, site_url

PREFIX = "competitions"
GENERATOR = "competitions"

FIELDS = [
    {"id": "competencia", "type": "text"},
    {"id": "competencia_id", "type": "text"},
    {"id": "programa", "type": "text"},
    {"id": "ronda", "type": "text"},
    {"id": "ronda_cerrada", "type": "timestamp"},
    {"id": "posicion", "type": "int"},
    {"id": "equipo", "type": "text"},
    {"id": "categoria", "type": "text"},
    {"id": "desafio", "type": "text"},
    {"id": "puntaje_principal", "type": "numeric"},
    {"id": "copeland", "type": "numeric"},
    {"id": "z_media", "type": "numeric"},
    {"id": "seleccion", "type": "text"},
    {"id": "justificacion", "type": "text"},
]


def public_competitions():
    return competition_selectors.competition_list_for(user=None).filter(results_published=True)


def _score(value: float | None) -> float | None:
    return None if value is None else round(float(value), 3)


def rows() -> list[tuple]:
    found = []
    for competition in public_competitions().order_by("created_at", "id"):
        closed = competition.rounds.filter(status=RoundStatus.CLOSED).order_by("id")
        for round_ in closed:
            for row in competition_selectors.ranking_rows(round_):
                selection = row.selection
                found.append(
                    (
                        competition.name,
                        competition.slug,
                        competition.program.name,
                        round_.name,
                        iso(round_.closed_at),
                        row.position,
                        row.team.name,
                        row.team.category,
                        row.team.challenge.title if row.team.challenge else "",
                        _score(row.main_score),
                        _score(row.copeland),
                        _score(row.zscore),
                        str(selection.get_kind_display()) if selection else "",
                        selection.justification if selection else "",
                    )
                )
    return found


def spec(generator: str = GENERATOR) -> Spec | None:
    if generator != GENERATOR:
        return None
    found = rows()
    if not found:
        return None
    programs = {c.program_id: c.program for c in public_competitions()}
    program = next(iter(programs.values())) if len(programs) == 1 else None
    publisher = lead_organization(program)
    if publisher is None:
        return None
    names = [f["id"] for f in FIELDS]
    # Scores as Decimal: the CSV helper writes them with a decimal comma, and a negative z-score stays a number.
    csv_rows = [[Decimal(f"{v:.3f}") if isinstance(v, float) else v for v in row] for row in found]
    records = [dict(zip(names, row, strict=True)) for row in found]
    return Spec(
        generator=GENERATOR,
        title=_("Resultados de las competencias"),
        slug="resultados-de-competencias",
        description=_(
            "Ranking de cada ronda cerrada del jurado en las competencias con resultados publicados (como MueveTT): "
            "posición, equipo, desafío, puntajes (principal, Copeland y media de puntajes z) y la decisión del "
            "jurado con su justificación. No incluye a las personas de los equipos."
        ),
        publisher=publisher,
        keyword=_("competencias, innovación abierta, hackathon, jurado, resultados"),
        themes=",".join([Theme.TECH, Theme.ECON, Theme.TRAN]),
        periodicity=Periodicity.IRREGULAR,
        program=program,
        temporal=_temporal(),
        landing_page=site_url(reverse("competitions:list")),
        distributions=[
            GeneratedFile(
                position=0,
                title=_("Resultados (CSV)"),
                description=_("Separado por punto y coma, con coma decimal y codificado en UTF-8 (con BOM)."),
                format="CSV",
                filename="resultados-de-competencias.csv",
                content=("\ufeff" + csvio.write_rows([names, *csv_rows])).encode("utf-8"),
                fields=FIELDS,
                rows=found,
            ),
            GeneratedFile(
                position=1,
                title=_("Resultados (JSON)"),
                description=_("Una lista de objetos, uno por equipo y ronda, con los mismos campos que el CSV."),
                format="JSON",
                filename="resultados-de-competencias.json",
                content=json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8"),
            ),
        ],
    )


def keys() -> list[str]:
    return [GENERATOR]


def changed_since(generator: str, moment: datetime) -> bool:
    return (
        Competition.objects.filter(updated_at__gt=moment).exists()
        or Round.objects.filter(Q(updated_at__gt=moment) & Q(status=RoundStatus.CLOSED)).exists()
    )


def _temporal():
    moments = list(
        Round.objects.filter(competition__in=public_competitions(), status=RoundStatus.CLOSED)
        .exclude(closed_at=None)
        .values_list("closed_at", flat=True)
    )
    if not moments:
        return (None, None)
    return (timezone.localdate(min(moments)), timezone.localdate(max(moments)))
