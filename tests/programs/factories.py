"""Small builders for program tests. They go through the services, like users do."""

import copy
import itertools
from datetime import date

from mueve.programs import services
from mueve.programs.models import MethodologyTemplate, Program, Sector
from mueve.territory.models import Jurisdiction
from mueve.territory.services import jurisdiction_upsert

_n = itertools.count(1)

TEMPLATE_DOC = {
    "format": "mueve.methodology",
    "version": 1,
    "slug": "metodo-prueba",
    "name": "Método de prueba",
    "description": "Dos componentes para las pruebas.",
    "source": "Pruebas",
    "components": [
        {
            "key": "codesign",
            "name": "Codiseño",
            "theme": "Demostración y campeones",
            "objective": "Formar campeones.",
            "audience": "Funcionarios",
            "phases": [
                {"name": "Análisis de contexto", "description": "Entrevistas."},
                {"name": "Taller de codiseño", "description": ""},
                {"name": "Implementación y prueba", "description": ""},
            ],
        },
        {
            "key": "competition",
            "name": "Competencia",
            "theme": "Innovación abierta práctica",
            "objective": "",
            "audience": "Emprendedores",
            "phases": [{"name": "Vinculación", "description": ""}, {"name": "Competencia", "description": ""}],
        },
    ],
}


def template_doc(**changes) -> dict:
    doc = copy.deepcopy(TEMPLATE_DOC)
    doc.update(changes)
    return doc


def make_template(actor, **changes) -> MethodologyTemplate:
    return services.template_import(data=template_doc(**changes), actor=actor)


def make_jurisdiction(slug: str = "gran-concepcion") -> Jurisdiction:
    return jurisdiction_upsert(slug=slug, name=slug.replace("-", " ").title(), kind=Jurisdiction.Kind.METROPOLITAN_AREA)


def make_program(actor, *, template=None, jurisdiction=None, **fields) -> Program:
    n = next(_n)
    fields.setdefault("name", f"Programa {n}")
    fields.setdefault("sector", Sector.TRANSPORT)
    fields.setdefault("start_date", date(2014, 1, 1))
    fields.setdefault("end_date", date(2014, 12, 31))
    return services.program_create(
        actor=actor,
        template=template or MethodologyTemplate.objects.filter(slug="metodo-prueba").first() or make_template(actor),
        jurisdiction=jurisdiction or make_jurisdiction(),
        **fields,
    )
