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


# --- the scope axis of the permission matrices (issue 20) ----------------------------------------------------------

# Where a person's role holds, seen from one programme: nowhere limited (the national unit), its jurisdiction, the
# programme itself, another jurisdiction, another programme of the same jurisdiction; named in the programme's
# `managers` while limited to another jurisdiction; limited to another jurisdiction while their institution is one
# of the programme's actors.
SCOPE_AXIS = ("none", "jurisdiction", "program", "other_jurisdiction", "other_program", "named", "takes_part")
COVERING = {"none", "jurisdiction", "program"}


def place_in_scope(user, axis: str, program: Program) -> None:
    """Gives `user` the scope `axis` (one of SCOPE_AXIS) as seen from `program`, as the national unit would."""
    from mueve.accounts.services import role_scope_grant
    from mueve.stakeholders.models import ProgramRole
    from mueve.stakeholders.services import program_stakeholder_set

    if axis == "none":
        return
    if axis == "jurisdiction":
        role_scope_grant(user=user, actor=None, jurisdiction=program.jurisdiction)
    elif axis == "program":
        role_scope_grant(user=user, actor=None, program=program)
    elif axis == "other_program":
        sibling = Program.objects.create(
            name="Programa vecino",
            slug=f"programa-vecino-{next(_n)}",
            jurisdiction=program.jurisdiction,
            start_date=date(2014, 1, 1),
            end_date=date(2014, 12, 31),
        )
        role_scope_grant(user=user, actor=None, program=sibling)
    else:
        role_scope_grant(user=user, actor=None, jurisdiction=make_jurisdiction(f"otra-region-{next(_n)}"))
        if axis == "named":
            program.managers.add(user)
        elif axis == "takes_part" and user.organization_id:
            program_stakeholder_set(
                program=program, organization=user.organization, roles=[ProgramRole.PARTNER], interest=3, influence=3
            )
