"""Component 1 of the demo: the codesign workshop (the seed's Tables 2 and 3), its concepts and votes."""

from datetime import date

from mueve.challenges.models import Challenge

# --- Component 1 -----------------------------------------------------------------------------------
from mueve.demo.workshops.common import GENERATED, _at, _org, _register, _workshop
from mueve.programs.models import Program
from mueve.workshops import services
from mueve.workshops.models import (
    ConceptStatus,
    Kind,
    Workshop,
)

TABLE_2 = [
    "seremitt",
    "uoct",
    "minvu",
    "mop",
    "sectra",
    "samu",
    "onemi",
    "unidad-prevencion-delito",
    "carabineros-transito",
    "municipalidad-concepcion",
    "municipalidad-talcahuano",
    "municipalidad-san-pedro-de-la-paz",
]

# name, challenge title starts with, users, description (Table 3), technology, expected value
TABLE_3 = [
    (
        "iTransConcepción",
        "¿Cómo dar a la ciudadanía información de transporte público",
        "Usuarios del transporte público y automovilistas",
        "Sistema de acceso en línea y móvil para que la ciudadanía consulte información de transporte público y "
        "de tránsito (por ejemplo, congestión y accidentes).",
        "Web y aplicación móvil sobre datos abiertos de transporte",
        "Viajes mejor planificados y menos incertidumbre en la espera.",
    ),
    (
        "Cuida tu Luz",
        "¿Cómo lograr que los vecinos cuiden el alumbrado público",
        "Vecinos y municipios",
        "Aplicación móvil para que la ciudadanía adopte luminarias públicas y se haga cargo de su cuidado "
        "(siguiendo el modelo «adopta un grifo»).",
        "Aplicación móvil con mapa de luminarias",
        "Fallas de alumbrado detectadas antes, barrios más seguros.",
    ),
    (
        "Cuido mi Barrio",
        "¿Cómo incentivar la participación de los vecinos",
        "Vecinos y juntas de vecinos",
        "Aplicación móvil que incentiva la participación ciudadana en los servicios públicos del barrio mediante "
        "un sistema de recompensas.",
        "Aplicación móvil con puntos y recompensas",
        "Más participación vecinal en el cuidado de los servicios públicos.",
    ),
    (
        "Ciudadano te Informa",
        "¿Cómo obtener en tiempo real información de los incidentes de tránsito",
        "Ciudadanía y operadores de la UOCT",
        "Sistema de reportes ciudadanos en tiempo real de incidentes de tránsito, que alimenta directamente a "
        "los centros de control de tránsito.",
        "Aplicación Android con geolocalización y panel del centro de control",
        "La UOCT conoce los incidentes que sus cámaras y sensores no cubren.",
    ),
]
DOTS = {"iTransConcepción": 14, "Ciudadano te Informa": 12, "Cuida tu Luz": 6, "Cuido mi Barrio": 4}


def _codesign(actor, program: Program) -> Workshop:
    workshop = _workshop(
        actor,
        program,
        "codesign-workshop",
        component="codesign",
        kind=Kind.CODESIGN,
        title="Taller de codiseño con funcionarios locales y municipales",
        agenda="09:00 Bienvenida y objetivos\n09:30 Desafíos identificados en las entrevistas\n"
        "10:30 Ejemplos de soluciones tecnológicas rápidas (inspiración)\n11:30 Trabajo en grupos: conceptos\n"
        "15:00 Presentación de conceptos\n16:00 Votación con puntos y decisión\n16:45 Cierre y próximos pasos",
        venue_organization=_org("seremitt"),
        venue_address="Concepción, Región del Biobío",
        starts_at=_at(date(2014, 1, 15), 9),
        ends_at=_at(date(2014, 1, 15), 17),
        dots_per_participant=3,
        minutes="Los funcionarios crearon cuatro conceptos (Tabla 3). Se seleccionó iTransConcepción para "
        "implementación y prueba con la Unidad de Modernización y Gobierno Digital. El equipo del Banco "
        "prototipó Ciudadano te Informa y lo demostró en tiempo real a la UOCT (Recuadro 2).",
    )
    registrations = _register(actor, workshop, TABLE_2)
    for n in range(1, 5):
        services.group_set(actor=actor, workshop=workshop, number=n, facilitator=f"Equipo Banco Mundial–MTT {n}")
    groups = list(workshop.groups.all())
    challenges = list(Challenge.objects.filter(program=program))
    concepts = {c.name: c for c in workshop.concepts.all()}
    for index, (name, challenge_start, users, description, technology, value) in enumerate(TABLE_3):
        if name not in concepts:
            challenge = next((c for c in challenges if c.title.startswith(challenge_start)), None)
            concepts[name] = services.concept_create(
                actor=actor,
                workshop=workshop,
                name=name,
                description=description,
                challenge=challenge,
                users=users,
                technology=technology,
                expected_value=value,
                group=groups[index],
            )
    # Dots (generated): spread each concept's total over participants, never above 3 per person.
    if all(c.status == ConceptStatus.PROPOSED for c in concepts.values()):
        left = {r.pk: 3 for r in registrations}
        for name, total in DOTS.items():
            need = total
            for registration in registrations:
                if need == 0:
                    break
                give = min(left[registration.pk], need, 2)
                if give:
                    services.dot_vote(
                        actor=actor, concept=concepts[name], voter=registration, dots=give, is_generated=True
                    )
                    left[registration.pk] -= give
                    need -= give
        services.concept_decide(
            actor=actor,
            concept=concepts["iTransConcepción"],
            selected=True,
            reason="El concepto más votado; la Unidad de Modernización y Gobierno Digital ofreció implementarlo "
            "y probarlo con la ciudadanía.",
            owner=_org("modernizacion-gobierno-digital"),
        )
        for name in ("Cuida tu Luz", "Cuido mi Barrio", "Ciudadano te Informa"):
            services.concept_decide(
                actor=actor,
                concept=concepts[name],
                selected=False,
                reason="No seleccionado para implementación en este componente; el desafío pasa a la competencia "
                "MueveTT (Componente 3).",
            )
    services.prototype_add(
        actor=actor,
        concept=concepts["Ciudadano te Informa"],
        title="Prototipo rápido en Android con software libre",
        description="Aplicación de reporte geolocalizado de incidentes que alimenta en tiempo real un panel de "
        "control; demostrada en vivo a los funcionarios de la UOCT, que se volvieron campeones de la actividad.",
        built_by=_org("banco-mundial"),
        built_on=date(2014, 1, 16),
        effort="Un día de desarrollo, bajo costo",
        demonstrated_to="Funcionarios de la UOCT",
    )
    selected = concepts["iTransConcepción"]
    pilot = services.pilot_add(
        actor=actor,
        concept=selected,
        description="Implementación y prueba con la ciudadanía de iTransConcepción por la Unidad de Modernización "
        "y Gobierno Digital.",
        start_date=date(2014, 3, 1),
        end_date=date(2014, 6, 30),
    )
    for n, (rating, comment) in enumerate(
        [
            (4, "Útil para saber si conviene esperar la micro."),
            (3, "Faltan los recorridos de Talcahuano."),
            (5, "La información de congestión me cambió la ruta."),
        ],
        start=1,
    ):
        services.pilot_feedback_add(
            actor=actor,
            pilot=pilot,
            tester=f"Persona usuaria {n}",
            rating=rating,
            comment=comment,
            day=date(2014, 5, n),
            is_generated=True,
        )
    if selected.progress == 0:
        services.progress_update(actor=actor, item=selected, progress=100, note="Piloto terminado. " + GENERATED)
        services.milestone_add(
            actor=actor, item=selected, title="Piloto con ciudadanía", due_date=date(2014, 6, 30), done=True
        )
    return workshop
