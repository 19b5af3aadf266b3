"""Component 4 of the demo: the hub cocreation workshop and its action lines (the seed's Tables 8 and 10)."""

from datetime import date

from mueve.demo.stakeholders import TABLE_9

# --- Component 4 -----------------------------------------------------------------------------------
from mueve.demo.workshops.common import ASSIGNMENT_SEED, GENERATED, _at, _org, _register, _workshop
from mueve.programs.models import Program
from mueve.workshops import services
from mueve.workshops.models import (
    ActionLine,
    Kind,
    Workshop,
)

TABLE_8 = [
    (
        "Citilab",
        "citilab",
        "L'Hospitalet de Llobregat, España",
        "Conecta al gobierno de la ciudad con el emprendimiento: formación en habilidades técnicas y de "
        "emprendimiento, competencias, cowork e incubación.",
    ),
    (
        "Forum Virium",
        "forum-virium",
        "Helsinki, Finlandia",
        "Iniciativa público-privada de la ciudad y su ecosistema: coordina iniciativas y facilita la innovación "
        "abierta del gobierno local.",
    ),
    (
        "Waag Society",
        "waag-society",
        "Ámsterdam, Países Bajos",
        "Fundación nexo entre la ciudad y su comunidad creativa y emprendedora; cataliza iniciativas experimentales.",
    ),
    (
        "Urban Lab",
        "urban-lab-barcelona",
        "Barcelona, España",
        "Plataforma de la ciudad para que el sector privado pruebe soluciones a desafíos urbanos, ligada a "
        "competencias.",
    ),
]
HUB_PHASES = [
    {"key": "role", "name": "Rol del hub en el ecosistema local"},
    {"key": "value", "name": "Propuesta de valor"},
    {"key": "business", "name": "Plan de negocio y sostenibilidad"},
    {"key": "activities", "name": "Actividades"},
]
# Table 10 + generated business notes, activities and commitments (the seed names the kinds of commitment).
TABLE_10 = [
    (
        "Hub + Ocio",
        "Promoción de las industrias creativas del Gran Concepción: comunidad de artistas y emprendedores creativos "
        "con eventos de comunidad y de habilidades, y apoyo al escalamiento de proyectos.",
        "Ingresos por eventos y membresías; auspicio de empresas creativas. " + GENERATED,
        [
            (
                "Ciclo de eventos de comunidad creativa",
                [("fablab-concepcion", "Espacio y talleres de fabricación digital")],
            ),
            ("Talleres de habilidades creativas", [("d-mas-diseno", "Mentoría en diseño e innovación")]),
        ],
    ),
    (
        "Inn Port",
        "Innovación y emprendimiento con la industria portuaria local para ampliar la importación y exportación y "
        "apoyar el potencial exportador de la industria local.",
        "Desafíos financiados por empresas portuarias. " + GENERATED,
        [("Desafíos de innovación portuaria", [("kapsch", "Prueba de soluciones con emprendedores locales")])],
    ),
    (
        "Smart Plan",
        "Apoyo a la planificación urbana del Gran Concepción con participación activa de la ciudadanía.",
        "Convenios con municipios y el gobierno regional. " + GENERATED,
        [
            (
                "Laboratorio ciudadano de planificación urbana",
                [
                    ("pais-digital", "Metodologías de participación"),
                    ("municipalidad-san-pedro-de-la-paz", "Casos de planificación reales"),
                ],
            )
        ],
    ),
    (
        "Mobile Hub",
        "Economía del conocimiento: competencias y desafíos, aceleradora e incubadora vinculada con las universidades "
        "y su infraestructura de apoyo al emprendimiento.",
        "Fondos CORFO e InnovaBiobío, aportes de socios multinacionales. " + GENERATED,
        [
            (
                "Formación en habilidades de emprendimiento",
                [
                    ("universidad-de-concepcion", "Cursos de habilidades"),
                    ("inacap", "Formación técnica"),
                    ("duoc-uc", "Talleres prácticos"),
                ],
            ),
            (
                "Pruebas de soluciones con multinacionales",
                [
                    ("indra", "Pruebas de soluciones con emprendedores locales"),
                    ("mozilla", "Mentoría técnica en web abierta"),
                ],
            ),
            ("Programa de aceleración", [("wayra", "Aceleración de emprendimientos seleccionados")]),
        ],
    ),
]
HUB_PROGRESS = {
    "Formación en habilidades de emprendimiento": 60,
    "Programa de aceleración": 30,
    "Ciclo de eventos de comunidad creativa": 100,
    "Laboratorio ciudadano de planificación urbana": 20,
}


def _hub(actor, program: Program) -> Workshop:
    workshop = _workshop(
        actor,
        program,
        "hub-cocreation",
        component="hub",
        kind=Kind.HUB,
        title="Taller de cocreación del hub local de innovación",
        agenda="Presentación de los modelos de hub (Citilab, Forum Virium, Waag Society, Urban Lab)\n"
        "Fase 1: rol del hub\nFase 2: propuesta de valor\nFase 3: plan de negocio y sostenibilidad\n"
        "Fase 4: actividades\nPresentación de los voceros y plan de acción",
        venue_organization=_org("universidad-de-concepcion"),
        venue_address="Concepción",
        starts_at=_at(date(2014, 10, 15), 9),
        ends_at=_at(date(2014, 10, 16), 18),
        structure={"phases": HUB_PHASES, "sectors": ["government", "private", "academia", "civil_society"]},
        minutes="Más de 20 instituciones definieron cuatro líneas de acción con plan de negocio y programa de "
        "actividades; cada grupo designó un vocero para presentarlas a las autoridades.",
    )
    for name, slug, location, description in TABLE_8:
        services.hub_model_add(
            actor=actor,
            workshop=workshop,
            name=name,
            location=location,
            description=description,
            organization=_org(slug),
            expert=f"Experto/a de {name}",
        )
    _register(actor, workshop, TABLE_9)
    if not workshop.assignment_runs.filter(feasible=True).exists():
        services.groups_assign(
            actor=actor,
            workshop=workshop,
            group_count=4,
            seed=ASSIGNMENT_SEED,
            experts=[f"Experto/a de {name}" for name, *_rest in TABLE_8],
            facilitators=[f"Equipo Banco Mundial–MTT {n}" for n in range(1, 5)],
        )
    groups = list(workshop.groups.prefetch_related("members"))
    for group, (line_name, description, business, activities) in zip(groups, TABLE_10, strict=True):
        members = list(group.members.all())
        if group.spokesperson_id is None and members:
            services.spokesperson_set(actor=actor, group=group, registration=members[0])
        for phase in HUB_PHASES:
            services.output_add(
                actor=actor,
                workshop=workshop,
                group=group,
                phase=phase["key"],
                title=f"{phase['name']} — {line_name}",
                text="Síntesis del grupo en esta fase.",
                is_generated=True,
            )
        line = services.action_line_add(
            actor=actor, workshop=workshop, name=line_name, description=description, business_plan=business, group=group
        )
        for activity_name, commitments in activities:
            activity = services.activity_add(actor=actor, action_line=line, name=activity_name)
            for slug, contribution in commitments:
                services.commitment_add(
                    actor=actor, activity=activity, organization=_org(slug), contribution=contribution
                )
            if activity_name in HUB_PROGRESS and activity.progress == 0:
                services.progress_update(
                    actor=actor, item=activity, progress=HUB_PROGRESS[activity_name], note=GENERATED
                )
    mobile = ActionLine.objects.get(workshop=workshop, name="Mobile Hub")
    services.milestone_add(
        actor=actor, item=mobile, title="Convocatoria de la primera aceleración", due_date=date(2015, 6, 30)
    )
    return workshop


# Two of the Temuco replica's workshops, dated within its plan (mueve/demo/programs.py, REPLICA_SCHEDULE) and open to
# the public with few seats, so a visitor can sign up, fill them, and see the waiting list. Dates, places and
# capacities are GENERATED for the demo.
