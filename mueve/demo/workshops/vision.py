"""Component 2 of the demo: diagnosis, SWOT, personas' visions and the roadmap (the seed's Tables 4 and 5)."""

from datetime import date

from mueve.demo.workshops.codesign import TABLE_2

# --- Component 2 -----------------------------------------------------------------------------------
from mueve.demo.workshops.common import GENERATED, _at, _org, _register, _workshop
from mueve.programs.models import Program
from mueve.workshops import services
from mueve.workshops.models import (
    Kind,
    SwotItem,
    Workshop,
)

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
