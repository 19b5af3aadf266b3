"""Demo workshops of Smart City Gran Concepción: Components 1, 2 and 4 of the seed (Tables 2–5, 8–10, Box 2).

Institutions, concepts, roadmap initiatives, hub models and action lines are the seed's. People's names,
SWOT items, visions, votes, pilot feedback and progress figures are GENERATED for the demo (the seed does
not publish them) and say so. Loading twice changes nothing.
"""

from collections import Counter
from datetime import date, datetime, time

from django.utils import timezone

from mueve.accounts.models import User
from mueve.challenges.models import Challenge
from mueve.demo.stakeholders import TABLE_9
from mueve.programs.models import Program
from mueve.stakeholders.models import Organization
from mueve.workshops import methodology, services
from mueve.workshops.models import (
    ActionLine,
    ConceptStatus,
    Kind,
    ParticipantRole,
    SwotItem,
    Workshop,
)

PROGRAM_SLUG = "smart-city-gran-concepcion"
GENERATED = "(Dato generado para la demostración.)"
ASSIGNMENT_SEED = 20141015


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _org(slug: str) -> Organization:
    return Organization.objects.get(slug=slug)


def _workshop(actor, program: Program, key: str, **fields) -> Workshop:
    existing = program.workshops.filter(format_key=key).first()
    if existing is not None:
        return existing
    components = {c.key: c for c in program.components.all()}
    component = components[fields.pop("component")]
    minutes = fields.pop("minutes", "")
    workshop = services.workshop_create(actor=actor, program=program, component=component, format_key=key, **fields)
    if minutes:
        services.workshop_update(actor=actor, workshop=workshop, minutes=minutes, status="held")
    return workshop


def _register(actor, workshop: Workshop, slugs: list[str], role=ParticipantRole.PARTICIPANT, groups=()) -> list:
    """One participant per institution (names generated), all attended. With `groups`, the institutions are dealt
    sector by sector round the tables, so every table mixes stakeholders (the seed's "four mixed groups")."""
    out = []
    orgs = [_org(slug) for slug in slugs]
    seat = {}
    if groups:
        # Scarcest sectors first, so that each table gets one of them before any table gets a second.
        per_sector = Counter(o.sector for o in orgs)
        for i, org in enumerate(sorted(orgs, key=lambda o: (per_sector[o.sector], o.sector, o.slug))):
            seat[org.pk] = groups[i % len(groups)]
    for n, org in enumerate(orgs, start=1):
        services.invitation_add(actor=actor, workshop=workshop, organization=org, role=role)
        label = org.acronym or org.name
        registration = services.registration_add(
            actor=actor,
            workshop=workshop,
            full_name=f"Participante {n} — {label}",
            organization=org,
            role=role,
            group=seat.get(org.pk),
        )
        out.append(registration)
    services.attendance_set(actor=actor, workshop=workshop, attended_ids={r.pk for r in workshop.registrations.all()})
    return out


# --- Component 1 -----------------------------------------------------------------------------------

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


# --- Component 2 -----------------------------------------------------------------------------------

TABLE_4 = [
    "seremitt",
    "uoct",
    "fesub",
    "sectra",
    "minvu",
    "asociacion-taxis-buses",
    "udec-transporte",
    "pordondevalmicro",
    "concebus",
]
# Everyone in component 2's common sessions: Table 4 (interviewed) and component 1's officials (Table 2).
COMPONENT_2_ALL = list(dict.fromkeys(TABLE_4 + TABLE_2))
SOLUTIONS = [
    ("uoct", "Sistema de control de semáforos y red de cámaras (CCTV)", "Cobertura insuficiente para el área urbana."),
    ("seremitt", "Registro de servicios y flota del transporte público", "Información administrativa, no en línea."),
    ("fesub", "Sistema de venta y horarios de Biotren", ""),
    ("sectra", "Modelos de planificación de transporte y encuestas origen-destino", ""),
]
# Gathered in each institution's workshop (generated, illustrative).
SWOT = {
    "seremitt": [
        ("S", "Equipos técnicos con conocimiento del sistema de transporte regional"),
        ("W", "Datos de transporte dispersos entre instituciones"),
        ("O", "Interés de universidades y emprendedores en soluciones de transporte"),
        ("T", "Crecimiento del parque automotor y de la congestión"),
    ],
    "uoct": [
        ("S", "Centro de control de tránsito operativo"),
        ("W", "Pocas cámaras y sensores para el tamaño del Gran Concepción"),
        ("W", "Datos dispersos entre las instituciones de transporte"),
        ("O", "Teléfonos inteligentes en manos de la ciudadanía"),
    ],
    "municipalidad-concepcion": [
        ("W", "Información de transporte repartida entre instituciones"),
        ("O", "Ciudadanía dispuesta a reportar problemas de su barrio"),
        ("T", "Presupuestos municipales limitados para tecnología"),
        ("S", "Cercanía con la comunidad"),
    ],
}
PERSONAS = ["Conductor de bus", "Familia", "Estudiante", "Visitante o turista"]
VISIONS = {
    "Conductor de bus": "En 2025 conduzco con información en tiempo real de la congestión y prioridad en los "
    "corredores; los pasajeros pagan sin efectivo.",
    "Familia": "En 2025 planificamos los viajes de toda la familia en una sola aplicación, con transporte "
    "seguro, accesible y a horario.",
    "Estudiante": "En 2025 llego a la universidad en bus, tren o bicicleta integrados, sabiendo cuándo pasa "
    "cada servicio.",
    "Visitante o turista": "En 2025 me muevo por el Gran Concepción sin conocerlo: información clara, en mi "
    "idioma y en cada paradero.",
}
# Table 5; the placement at 2015/2019/2025 follows the table's order (the seed's columns are not in the text).
TABLE_5 = [
    (
        "Gestión del cambio y desarrollo para la innovación",
        [
            ("Identificación de agentes de cambio", 2015),
            ("Planificación de políticas: datos abiertos", 2015),
            ("Creación de una política de gobierno abierto", 2015),
            ("Creación del GobLab: laboratorio de innovación para la administración pública", 2015),
            ("Continuación de las competencias de cocreación", 2019),
            ("Integración del GobLab con el hub de innovación", 2019),
            ("Creación del Premio a la Innovación en Gobierno", 2019),
            ("Proyectos piloto de políticas urbanas innovadoras", 2019),
            ("Implementación de ideas de política pública del GobLab", 2025),
        ],
    ),
    (
        "Innovación en infraestructura, medios de transporte público urbano y servicios",
        [
            ("Creación de normativa para la compra de productos innovadores", 2015),
            (
                "Proyectos universitarios inalámbricos para fomentar el emprendimiento en transporte público urbano",
                2019,
            ),
            ("Proyectos piloto de innovación en el pago del transporte público", 2025),
        ],
    ),
    (
        "Plataforma integrada de transporte del Gran Concepción",
        [
            ("Diseño de la plataforma", 2015),
            ("Acuerdos entre organizaciones locales sobre el modelo de gobernanza", 2015),
            ("Acuerdos entre organizaciones locales para compartir datos", 2015),
            ("Desarrollo de la primera versión de la plataforma", 2019),
            ("Proyectos piloto de tecnologías de sensorización", 2019),
            ("Segunda versión de la plataforma con datos de sensores", 2019),
            ("Creación de una API para aplicaciones externas", 2025),
            ("Proyectos piloto de innovación: servicio de pago", 2025),
            ("Integración de datos de nuevas organizaciones", 2025),
            ("Competencias de innovación en servicios", 2025),
        ],
    ),
]
# Generated follow-up figures.
PROGRESS = {
    "Identificación de agentes de cambio": (100, "seremitt"),
    "Creación de una política de gobierno abierto": (40, "modernizacion-gobierno-digital"),
    "Diseño de la plataforma": (100, "mtt-smart-cities"),
    "Acuerdos entre organizaciones locales para compartir datos": (60, "seremitt"),
    "Continuación de las competencias de cocreación": (50, "mtt-smart-cities"),
}


def _vision_component(actor, program: Program) -> dict[str, Workshop]:
    diagnosis = _workshop(
        actor,
        program,
        "vision-diagnosis",
        component="vision",
        kind=Kind.DIAGNOSIS,
        title="Diagnóstico del uso de tecnología en los servicios de transporte",
        agenda="Entrevistas con actores de gobierno y de la ciudad (Tabla 4)\nInventario de soluciones tecnológicas\n"
        "Inventario de bases de datos y conjuntos de datos",
        starts_at=_at(date(2014, 3, 3), 9),
        ends_at=_at(date(2014, 3, 7), 18),
        minutes="Se entrevistó a nueve actores de gobierno y no gubernamentales y se levantó el inventario de "
        "soluciones tecnológicas y de datos, base del catálogo de datos abiertos.",
    )
    _register(actor, diagnosis, TABLE_4)
    for slug, name, description in SOLUTIONS:
        services.solution_add(
            actor=actor, workshop=diagnosis, name=name, organization=_org(slug), description=description
        )
    swot_sessions = {}
    for slug, items in SWOT.items():
        org = _org(slug)
        session = _workshop(
            actor,
            program,
            f"vision-swot-{slug}",
            component="vision",
            kind=Kind.SWOT,
            title=f"FODA del transporte con {org.acronym or org.name}",
            agenda="Fortalezas\nDebilidades\nOportunidades\nAmenazas",
            venue_organization=org,
            starts_at=_at(date(2014, 3, 10 + len(swot_sessions)), 10),
            ends_at=_at(date(2014, 3, 10 + len(swot_sessions)), 13),
            structure={"quadrants": ["S", "W", "O", "T"], "session": "institution"},
        )
        swot_sessions[slug] = session
        for quadrant, text in items:
            services.swot_add(
                actor=actor, workshop=session, quadrant=quadrant, text=text, institution=org, is_generated=True
            )
    validation = _workshop(
        actor,
        program,
        "vision-swot-validation",
        component="vision",
        kind=Kind.SWOT,
        title="Validación común del FODA",
        agenda="Lectura de los FODA institucionales\nFusión de duplicados\nVotación\nValidación",
        starts_at=_at(date(2014, 3, 18), 9),
        ends_at=_at(date(2014, 3, 18), 13),
        structure={"quadrants": ["S", "W", "O", "T"], "session": "validation"},
    )
    # The seed: the validation gathered the officials interviewed, the non-government stakeholders of Table 4 and
    # those of component 1, municipalities included.
    _register(actor, validation, COMPONENT_2_ALL)
    items = SwotItem.objects.filter(program=program)
    if not items.filter(merged_into__isnull=False).exists():
        target = items.get(text="Datos de transporte dispersos entre instituciones")
        services.swot_merge(
            actor=actor,
            target=target,
            sources=list(
                items.filter(
                    text__in=[
                        "Datos dispersos entre las instituciones de transporte",
                        "Información de transporte repartida entre instituciones",
                    ]
                )
            ),
        )
        for n, item in enumerate(items.filter(merged_into__isnull=True).order_by("id")):
            services.swot_vote(actor=actor, item=item, votes=3 + (7 * n) % 11)
            if item.text != "Cercanía con la comunidad":
                services.swot_validate(actor=actor, item=item)
    vision = _workshop(
        actor,
        program,
        "vision-vision",
        component="vision",
        kind=Kind.VISION,
        title="Taller de visión: el transporte del Gran Concepción en 2025",
        agenda="Grupos mixtos, cada uno en el rol de un usuario\nVisión al 2025\nPresentación y discusión",
        starts_at=_at(date(2014, 3, 25), 9),
        ends_at=_at(date(2014, 3, 25), 13),
        structure={"personas": PERSONAS, "horizon_year": 2025},
    )
    vision_groups = []
    for n, persona in enumerate(PERSONAS, start=1):
        group = services.group_set(
            actor=actor, workshop=vision, number=n, persona=persona, facilitator=f"Equipo Banco Mundial–MTT {n}"
        )
        vision_groups.append(group)
        services.vision_add(
            actor=actor,
            workshop=vision,
            persona=persona,
            horizon_year=2025,
            text=VISIONS[persona],
            group=group,
            is_generated=True,
        )
    # "All stakeholders participated", mixed in four groups, each in the role of a user of transport.
    _register(actor, vision, COMPONENT_2_ALL, groups=vision_groups)
    roadmap = _workshop(
        actor,
        program,
        "vision-roadmap",
        component="vision",
        kind=Kind.ROADMAP,
        title="Taller de hoja de ruta para un transporte sostenible",
        agenda="Líneas de la hoja de ruta\nIniciativas por horizonte (2015, 2019, 2025)\nObjetivos y recursos\n"
        "Identificación de agentes de cambio",
        starts_at=_at(date(2014, 3, 25), 14),
        ends_at=_at(date(2014, 3, 25), 18),
        structure={"horizons": [2015, 2019, 2025]},
    )
    roadmap_groups = [
        services.group_set(
            actor=actor, workshop=roadmap, number=n, persona=persona, facilitator=f"Equipo Banco Mundial–MTT {n}"
        )
        for n, persona in enumerate(PERSONAS, start=1)
    ]
    _register(actor, roadmap, COMPONENT_2_ALL, groups=roadmap_groups)
    for line_name, initiatives in TABLE_5:
        line = services.roadmap_line_add(actor=actor, program=program, name=line_name, workshop=roadmap)
        for name, horizon in initiatives:
            initiative = line.initiatives.filter(name=name).first() or services.initiative_add(
                actor=actor, line=line, name=name, horizon=horizon
            )
            if name in PROGRESS and initiative.progress == 0:
                progress, owner = PROGRESS[name]
                services.progress_update(
                    actor=actor, item=initiative, progress=progress, note=GENERATED, responsible=_org(owner)
                )
    return {"diagnosis": diagnosis, "validation": validation, "roadmap": roadmap}


# --- Component 4 -----------------------------------------------------------------------------------

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
REPLICA_SLUG = "muevett-temuco"
PUBLIC_WORKSHOPS = {
    # format key: (start, end, registrations close, seats, place)
    "vision-vision": (
        (date(2027, 5, 12), 9),
        (date(2027, 5, 12), 13),
        (date(2027, 5, 10), 18),
        3,
        "Temuco, sede por confirmar (dato generado para la demostración)",
    ),
    "hub-cocreation": (
        (date(2027, 11, 10), 9),
        (date(2027, 11, 10), 18),
        (date(2027, 11, 5), 18),
        5,
        "Temuco, sede por confirmar (dato generado para la demostración)",
    ),
}


def _open_replica_workshops(actor) -> None:
    replica = Program.objects.filter(slug=REPLICA_SLUG).first()
    if replica is None:
        return
    for key, (start, end, closes, seats, place) in PUBLIC_WORKSHOPS.items():
        workshop = replica.workshops.filter(format_key=key, public_registration=False).first()
        if workshop is None:  # opened already (loading twice changes nothing) or not planned
            continue
        services.workshop_update(
            actor=actor,
            workshop=workshop,
            starts_at=_at(*start),
            ends_at=_at(*end),
            registration_closes_at=_at(*closes),
            venue_address=place,
            status="scheduled",
            public_registration=True,
            capacity=seats,
        )


def load() -> None:
    actor = User.objects.get(username="gestora")
    program = Program.objects.get(slug=PROGRAM_SLUG)
    _codesign(actor, program)
    _vision_component(actor, program)
    _hub(actor, program)
    services.narrative_update(
        actor=actor,
        program=program,
        executive_summary=(
            "Smart City Gran Concepción introdujo la innovación abierta en los servicios locales y municipales de "
            "transporte con cuatro componentes: demostración y campeones, visión y socios, innovación abierta "
            "práctica y un mecanismo de sostenibilidad. Las tablas de este informe salen de la plataforma."
        ),
        background=(
            "Asistencia técnica del Banco Mundial pedida por el Ministerio de Transportes y Telecomunicaciones, "
            "financiada por el Fondo Español para Latinoamérica y el Caribe (SFLAC), entre noviembre de 2013 y "
            "noviembre de 2014."
        ),
        impact=(
            "La Unidad de Ciudades Inteligentes del MTT adoptó la metodología y la replicó en seis regiones; los "
            "funcionarios de la UOCT se volvieron campeones de la actividad."
        ),
        replication=(
            "La metodología, con sus formatos de taller, se exporta como JSON desde la plataforma y se importa en "
            "otra jurisdicción para crear un programa listo para planificar."
        ),
        # The seed's lessons, in its own terms (it names them; it does not list them): they feed the toolkit.
        lessons=(
            "Empezar con un grupo acotado de funcionarios locales y municipales y formar entre ellos campeones: "
            "son el ancla de los componentes siguientes y la semilla de una comunidad de innovación abierta dentro "
            "del gobierno local.\n\n"
            "Ordenar los componentes en secuencia, cada uno sobre los resultados y la comunidad de socios del "
            "anterior: los actores de la ciudad se suman en el diagnóstico y la visión; los emprendedores y la "
            "ciudadanía, en la competencia.\n\n"
            "Separar los desafíos concretos, que la tecnología existente resuelve pronto, de los abstractos, que "
            "piden una competencia abierta.\n\n"
            "Cerrar con un mecanismo de sostenibilidad cocreado por toda la coalición, el hub local de innovación, "
            "para que el proceso continúe cuando termine la asistencia técnica.\n\n"
            "La metodología de Colombia (2012) se aplicó aquí con las mejoras que dejó esa primera experiencia; el "
            "taller del hub fue la primera iteración de su propia metodología, mejorada después en Beirut."
        ),
    )
    if program.template is not None and not program.template.workshop_formats.exists():
        methodology.methodology_capture(actor=actor, program=program)
    # Replicas created from the template get the workshop formats, empty and undated, named for their own city (the
    # copy renames Gran Concepción, its communes and its region by itself, and drops what names its landmarks).
    for replica in Program.objects.filter(template=program.template).exclude(pk=program.pk):
        methodology.program_plan_workshops(actor=actor, program=replica)
    _open_replica_workshops(actor)
    _govlab(actor, program)


# The seed: "Chile's GovLab, in collaboration with the Smart City Unit of MTT, is working on three government
# challenges in the area of transport". Which three is not said: the demo takes three of its transport challenges.
GOVLAB_CHALLENGES = 3


def _govlab(actor, program: Program) -> None:
    from mueve.challenges.models import Challenge
    from mueve.programs import services as program_services
    from mueve.programs.models import GovLab, GovLabProject
    from mueve.workshops.models import Initiative

    initiative = Initiative.objects.filter(line__program=program, name__startswith="Creación del GobLab").first()
    lab = GovLab.objects.filter(program=program, name="Laboratorio de Gobierno (GobLab)").first()
    lab = program_services.govlab_save(
        actor=actor,
        program=program,
        lab=lab,
        name="Laboratorio de Gobierno (GobLab)",
        host=_org("mtt-smart-cities"),
        initiative=initiative,
        mission=(
            "Llevar la innovación abierta y la cocreación a los servicios públicos más allá del transporte, junto a "
            "la Unidad de Ciudades Inteligentes del MTT."
        ),
    )
    GovLab.objects.filter(pk=lab.pk).update(is_generated=True)
    challenges = Challenge.objects.filter(program=program, title__icontains="transporte").order_by("pk")
    for challenge in challenges[:GOVLAB_CHALLENGES]:
        existing = GovLabProject.objects.filter(lab=lab, challenge=challenge).first()
        project = program_services.govlab_project_save(
            actor=actor,
            lab=lab,
            project=existing,
            title=challenge.title[:200],
            challenge=challenge,
            lead=_org("mtt-smart-cities"),
            status=GovLabProject.Status.ACTIVE,
        )
        GovLabProject.objects.filter(pk=project.pk).update(is_generated=True)
