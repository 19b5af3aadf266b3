"""The methodology template and the Smart City Gran Concepción program, from the seed report.

Everything goes through mueve.programs.services (the template itself is loaded with the same JSON
import a city would use). Loading twice changes nothing: updates that change nothing are no-ops and
results, indicators and milestones are added only when missing.

Dates: the report gives months (component 1 in January 2014, component 2 in March 2014, ...). Where
a component's phases share one month, the split of that month between them is illustrative.
"""

from datetime import date, datetime, time

from django.utils import timezone

from mueve.accounts.models import User
from mueve.programs import services
from mueve.programs.models import Program, Sector, Status
from mueve.territory.models import Jurisdiction

TEMPLATE_SLUG = "innovacion-abierta-4c"
PROGRAM_SLUG = "smart-city-gran-concepcion"
REPLICA_SLUG = "muevett-temuco"
SOURCE = (
    "Banco Mundial, «Introducing Sustainable Open Innovation in Government: Smart City Gran Concepción» "
    "(Chile, 2013–2014)"
)

TEMPLATE = {
    "format": services.TEMPLATE_FORMAT,
    "version": services.TEMPLATE_VERSION,
    "slug": TEMPLATE_SLUG,
    "name": "Metodología de innovación abierta para ciudades (Smart City Gran Concepción)",
    "description": (
        "Cuatro componentes secuenciales, cada uno construido sobre los resultados y la comunidad de socios "
        "del anterior, y una presentación final de resultados. Diseñada por el Banco Mundial en Colombia "
        "(Barranquilla, Cali y Manizales, 2012–2013) y mejorada en Gran Concepción, Chile (2013–2014), desde "
        "donde se replicó en seis regiones bajo la marca MueveTT."
    ),
    "source": SOURCE,
    "components": [
        {
            "key": "codesign",
            "name": "Taller de codiseño de soluciones tecnológicas para desafíos locales y municipales",
            "theme": "Demostración y campeones",
            "objective": (
                "Introducir la innovación abierta entre funcionarios locales y municipales cocreando conceptos "
                "de prototipos rápidos para desafíos concretos de su trabajo, e identificar campeones que "
                "colaboren en los demás componentes y sirvan de modelo a otros funcionarios."
            ),
            "audience": "Un grupo acotado de funcionarios locales y municipales",
            "phases": [
                {
                    "name": "Análisis de contexto",
                    "description": (
                        "Entrevistas a funcionarios para identificar los desafíos de su trabajo diario: "
                        "concretos (resolubles pronto con tecnología existente) y abstractos (requieren una "
                        "competencia)."
                    ),
                },
                {
                    "name": "Taller de codiseño",
                    "description": (
                        "Los funcionarios, en equipos, crean conceptos de soluciones tecnológicas para los "
                        "desafíos concretos, inspirados por ejemplos de soluciones rápidas."
                    ),
                },
                {
                    "name": "Implementación y prueba de conceptos",
                    "description": "El concepto seleccionado se implementa y se prueba con la ciudadanía.",
                },
            ],
        },
        {
            "key": "vision",
            "name": "Diagnóstico, visión y hoja de ruta para la innovación abierta en servicios locales",
            "theme": "Visión y socios",
            "objective": (
                "Construir consenso entre el gobierno y los actores de la ciudad y desarrollar una visión "
                "común y una hoja de ruta para introducir la innovación abierta en los servicios municipales."
            ),
            "audience": "Se suman los actores de la ciudad: sector privado, universidades y sociedad civil",
            "phases": [
                {
                    "name": "Análisis y diagnóstico",
                    "description": (
                        "Diagnóstico del uso de tecnología e inventario de bases y conjuntos de datos; análisis "
                        "FODA en talleres con funcionarios, validado en un taller común con los actores."
                    ),
                },
                {
                    "name": "Visión y hoja de ruta",
                    "description": (
                        "Grupos mixtos asumen el rol de usuarios del servicio, construyen una visión a largo "
                        "plazo y una hoja de ruta con hitos intermedios; se identifican agentes de cambio."
                    ),
                },
            ],
        },
        {
            "key": "competition",
            "name": "Evento de cocreación y competencia para servicios municipales",
            "theme": "Innovación abierta práctica",
            "objective": (
                "Desarrollar un ejercicio práctico de innovación abierta para desafíos de servicios públicos y "
                "crear una comunidad local de emprendedores sociales."
            ),
            "audience": "Se suman emprendedores y ciudadanos",
            "phases": [
                {
                    "name": "Vinculación",
                    "description": (
                        "Clínicas preparatorias donde los funcionarios presentan los desafíos a emprendedores y "
                        "actores de la ciudad, y comienza el trabajo conjunto."
                    ),
                },
                {
                    "name": "Competencia",
                    "description": (
                        "Competencia de dos días con metodología de hackathon, design thinking y modelo de "
                        "negocio; equipos con habilidades de diseño, negocio y tecnología presentan un pitch "
                        "de tres minutos y un jurado selecciona los conceptos."
                    ),
                },
                {
                    "name": "Aceleración",
                    "description": (
                        "Aceleración rápida con mentores: prototipo mínimo viable, plan de negocio básico y "
                        "pitch final ante el jurado."
                    ),
                },
            ],
        },
        {
            "key": "hub",
            "name": "Taller de planificación estratégica para un hub local de innovación",
            "theme": "Mecanismo de sostenibilidad",
            "objective": (
                "Cocrear con los actores de la ciudad un plan estratégico para un hub local de innovación que "
                "fortalezca el ecosistema emprendedor y dé sostenibilidad al proceso de innovación abierta."
            ),
            "audience": "Toda la coalición de socios formada en los componentes anteriores",
            "phases": [
                {
                    "name": "Preparación",
                    "description": (
                        "Expertos de distintos modelos de hub de innovación presentan sus experiencias y "
                        "conocen el ecosistema local."
                    ),
                },
                {
                    "name": "Taller de cocreación",
                    "description": (
                        "Grupos equilibrados (gobierno, sector privado, academia y sociedad civil) definen el "
                        "rol del hub, su propuesta de valor, su plan de negocio y sostenibilidad y sus "
                        "actividades."
                    ),
                },
                {
                    "name": "Presentación de resultados y consenso",
                    "description": (
                        "Un vocero por grupo presenta las líneas de acción y el plan de implementación a las "
                        "autoridades."
                    ),
                },
            ],
        },
        {
            "key": "results",
            "name": "Presentación de resultados",
            "theme": "Presentación de resultados",
            "objective": (
                "Presentar los resultados a las autoridades y a una audiencia internacional y discutir cómo "
                "escalar el modelo a otras ciudades y sectores."
            ),
            "audience": "Autoridades nacionales y regionales; comunidad internacional",
            "phases": [
                {
                    "name": "Taller de resultados con autoridades",
                    "description": "Presentación de resultados y discusión de la escalabilidad del modelo.",
                },
                {
                    "name": "Difusión internacional",
                    "description": "Presentación de la experiencia ante una audiencia internacional.",
                },
            ],
        },
    ],
}

# component key -> (status, start, end, [(status, start, end) per phase, in order])
SCHEDULE = {
    "codesign": (
        Status.DONE,
        date(2014, 1, 2),
        date(2014, 1, 31),
        [
            (Status.DONE, date(2014, 1, 2), date(2014, 1, 15)),
            (Status.DONE, date(2014, 1, 16), date(2014, 1, 22)),
            (Status.DONE, date(2014, 1, 23), date(2014, 1, 31)),
        ],
    ),
    "vision": (
        Status.DONE,
        date(2014, 3, 3),
        date(2014, 3, 31),
        [
            (Status.DONE, date(2014, 3, 3), date(2014, 3, 19)),
            (Status.DONE, date(2014, 3, 20), date(2014, 3, 31)),
        ],
    ),
    "competition": (
        Status.DONE,
        date(2014, 5, 1),
        date(2014, 10, 31),
        [
            (Status.DONE, date(2014, 5, 1), date(2014, 5, 31)),
            (Status.DONE, date(2014, 6, 1), date(2014, 6, 30)),
            (Status.DONE, date(2014, 7, 1), date(2014, 10, 31)),
        ],
    ),
    "hub": (
        Status.DONE,
        date(2014, 10, 1),
        date(2014, 10, 31),
        [
            (Status.DONE, date(2014, 10, 1), date(2014, 10, 10)),
            (Status.DONE, date(2014, 10, 13), date(2014, 10, 24)),
            (Status.DONE, date(2014, 10, 27), date(2014, 10, 31)),
        ],
    ),
    "results": (
        Status.DONE,
        date(2014, 10, 1),
        date(2014, 11, 20),
        [
            # Santiago, hosted by CORFO (October 2014).
            (Status.DONE, date(2014, 10, 1), date(2014, 10, 31)),
            # Barcelona, Smart City Expo World Congress (November 2014).
            (Status.DONE, date(2014, 11, 18), date(2014, 11, 20)),
        ],
    ),
}

RESULTS = {
    "codesign": [
        "Identificación de funcionarios públicos dispuestos a introducir la innovación abierta en su trabajo y "
        "formación de una coalición de apoyo.",
        "Cuatro conceptos de soluciones tecnológicas para desafíos concretos (iTransConcepción, Cuida tu Luz, "
        "Cuido mi Barrio y Ciudadano te Informa) y un plan de implementación para uno de ellos.",
        "Identificación de desafíos abstractos para el componente 3.",
    ],
    "vision": [
        "Diagnóstico e inventario de soluciones tecnológicas, bases de datos y conjuntos de datos que apoyan "
        "los servicios de transporte del Gran Concepción.",
        "Visión y hoja de ruta conjuntas del gobierno y los actores de la ciudad para un transporte sostenible, "
        "apoyado en innovación abierta y soluciones tecnológicas.",
        "Identificación de agentes de cambio para la sostenibilidad y la masificación de la innovación abierta.",
    ],
    "competition": [
        "Capacitación práctica de funcionarios locales y municipales en un proceso de innovación abierta: una "
        "competencia de soluciones tecnológicas para desafíos públicos.",
        "Colaboración práctica entre socios públicos, privados, académicos y de la sociedad civil, y una "
        "coalición más fuerte para un hub local de innovación (componente 4).",
        "Inicio de una comunidad local de emprendimiento para la innovación social y los desafíos de servicios "
        "públicos.",
        "Dos conceptos prácticos de soluciones tecnológicas, Despierta y Refugio Inteligente, que sirven de "
        "modelo a la comunidad naciente.",
    ],
    "hub": [
        "Plan estratégico para un hub local de innovación, con gobernanza, plan de negocio, programa de "
        "actividades y plan de implementación.",
        "Coalición de actores del ecosistema local y socios internacionales para el hub, con compromisos de "
        "apoyo a sus actividades.",
        "Coalición de partidarios activos del ecosistema local para la innovación abierta en el gobierno local "
        "y municipal.",
    ],
    "results": [
        (
            "Taller de resultados en Santiago, acogido por CORFO.",
            "Ante el Vicepresidente Ejecutivo de CORFO, el Viceministro de Transportes y el Intendente de la Región "
            "Metropolitana; allí se firmó el memorando MTT–Gobierno Regional Metropolitano para llevar el modelo "
            "de ciudad inteligente a Santiago.",
        ),
        (
            "Presentación de la experiencia en el Smart City Expo World Congress de Barcelona.",
            "La jefatura de la Unidad de Ciudades Inteligentes del MTT la presentó en el panel «Smart Society & "
            "Collaborative City».",
        ),
    ],
}

# name, unit, component key, description, [(date, value, note)]
INDICATORS = [
    (
        "Funcionarios entrevistados",
        "personas",
        "codesign",
        "Funcionarios locales y municipales entrevistados en el análisis de contexto.",
        [(date(2014, 1, 15), 20, "Más de 20 funcionarios.")],
    ),
    (
        "Conceptos codiseñados con funcionarios",
        "conceptos",
        "codesign",
        "Conceptos de soluciones tecnológicas para desafíos concretos creados en el taller de codiseño.",
        [(date(2014, 1, 22), 4, "iTransConcepción seleccionado para implementación.")],
    ),
    (
        "Participantes en la competencia MueveTT",
        "personas",
        "competition",
        "",
        [(date(2014, 6, 30), 50, "")],
    ),
    (
        "Equipos de MueveTT en carrera",
        "equipos",
        "competition",
        "Equipos activos en cada etapa: competencia, aceleración y final.",
        [
            (date(2014, 6, 30), 14, "Equipos en la competencia."),
            (date(2014, 7, 1), 7, "Conceptos seleccionados para aceleración: 5 por el jurado y 2 por impacto social."),
            (date(2014, 10, 31), 4, "Equipos que terminaron la aceleración; ganan Despierta y Refugio Inteligente."),
        ],
    ),
    (
        "Mentores en la competencia",
        "personas",
        "competition",
        "Mentores con experiencia en diseño, negocios, tecnología y emprendimiento.",
        [(date(2014, 6, 30), 10, "Más de 10 mentores.")],
    ),
    (
        "Instituciones en el taller del hub de innovación",
        "instituciones",
        "hub",
        "",
        [(date(2014, 10, 24), 20, "Más de 20 instituciones locales, nacionales e internacionales.")],
    ),
    (
        "Regiones con competencias MueveTT",
        "regiones",
        "results",
        "Regiones donde la Unidad de Ciudades Inteligentes del MTT replicó la competencia.",
        [
            (date(2014, 6, 30), 1, "Gran Concepción."),
            (
                date(2015, 12, 31),
                6,
                "Temuco, Puerto Montt, Concepción, Antofagasta, Coquimbo y Valparaíso (fecha aproximada).",
            ),
        ],
    ),
]

MILESTONES = [
    (date(2013, 11, 15), "Inicio de la actividad: mapeo de actores y presentación a los actores locales y regionales."),
    (date(2014, 1, 22), "Taller de codiseño con funcionarios: cuatro conceptos; se elige iTransConcepción."),
    (date(2014, 3, 31), "Taller de visión y hoja de ruta: hoja de ruta conjunta para un transporte sostenible."),
    (date(2014, 6, 30), "Competencia MueveTT: 50 participantes en 14 equipos; 7 conceptos pasan a aceleración."),
    (date(2014, 10, 24), "Taller de cocreación del hub de innovación: cuatro líneas de acción."),
    (date(2014, 10, 31), "Final de MueveTT: ganan Despierta y Refugio Inteligente."),
    (date(2014, 11, 20), "Resultados presentados en el Smart City Expo World Congress de Barcelona."),
]

# The replica: planned, with component dates only (phases get theirs when the plan firms up).
REPLICA_SCHEDULE = {
    "codesign": (date(2027, 3, 1), date(2027, 3, 31)),
    "vision": (date(2027, 5, 3), date(2027, 5, 31)),
    "competition": (date(2027, 7, 1), date(2027, 10, 29)),
    "hub": (date(2027, 11, 2), date(2027, 11, 30)),
    "results": (date(2027, 12, 1), date(2027, 12, 15)),
}


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _program(actor, template, *, slug: str, **fields) -> Program:
    program = Program.objects.filter(slug=slug).first()
    if program is None:
        program = services.program_create(
            actor=actor,
            template=template,
            slug=slug,
            name=fields["name"],
            jurisdiction=fields["jurisdiction"],
            sector=fields["sector"],
            start_date=fields["start_date"],
            end_date=fields["end_date"],
            summary=fields["summary"],
        )
    return services.program_update(actor=actor, program=program, **fields)


def _gran_concepcion(actor, template) -> Program:
    program = _program(
        actor,
        template,
        slug=PROGRAM_SLUG,
        name="Smart City Gran Concepción",
        jurisdiction=Jurisdiction.objects.get(slug="gran-concepcion"),
        sector=Sector.TRANSPORT,
        start_date=date(2013, 11, 1),
        end_date=date(2014, 11, 20),
        status=Status.DONE,
        summary=(
            "Asistencia técnica del Banco Mundial, pedida por el Ministerio de Transportes y Telecomunicaciones "
            "(MTT), para servicios locales y municipales más eficientes con tecnología e innovación abierta: una "
            "ciudad inteligente de abajo hacia arriba en el transporte del Gran Concepción, la segunda área "
            "urbana de Chile. Financiada por el Fondo Español para Latinoamérica y el Caribe (SFLAC)."
        ),
    )
    components = {c.key: c for c in program.components.prefetch_related("phases", "results")}
    for key, (status, start, end, phases) in SCHEDULE.items():
        component = components[key]
        services.component_update(actor=actor, component=component, status=status, start_date=start, end_date=end)
        for phase, (p_status, p_start, p_end) in zip(component.phases.all(), phases, strict=True):
            services.phase_update(actor=actor, phase=phase, status=p_status, start_date=p_start, end_date=p_end)
        existing = {r.title for r in component.results.all()}
        for item in RESULTS[key]:
            title, description = item if isinstance(item, tuple) else (item, "")
            if title not in existing:
                services.result_add(actor=actor, component=component, title=title, description=description)
    indicators = {i.name: i for i in program.indicators.all()}
    for name, unit, component_key, description, values in INDICATORS:
        indicator = indicators.get(name) or services.indicator_create(
            actor=actor,
            program=program,
            name=name,
            unit=unit,
            description=description,
            component=components[component_key],
        )
        for day, value, note in values:
            services.indicator_record_value(actor=actor, indicator=indicator, date=day, value=value, note=note)
    logged = set(program.activity.filter(verb="milestone").values_list("message", flat=True))
    for day, message in MILESTONES:
        if message not in logged:
            services.activity_record(
                program=program, actor=actor, verb="milestone", message=message, occurred_at=_aware(day)
            )
    return program


def _temuco(actor, template) -> Program:
    program = _program(
        actor,
        template,
        slug=REPLICA_SLUG,
        name="MueveTT Temuco",
        jurisdiction=Jurisdiction.objects.get(slug="temuco"),
        sector=Sector.TRANSPORT,
        start_date=date(2027, 3, 1),
        end_date=date(2027, 12, 15),
        status=Status.PLANNED,
        summary=(
            "Réplica en Temuco de la metodología de Smart City Gran Concepción, creada desde la misma plantilla "
            "exportable: codiseño con funcionarios, visión con los actores de la ciudad, competencia MueveTT y "
            "hub de innovación."
        ),
    )
    for component in program.components.all():
        start, end = REPLICA_SCHEDULE[component.key]
        services.component_update(
            actor=actor, component=component, status=Status.PLANNED, start_date=start, end_date=end
        )
    return program


def load() -> None:
    actor = User.objects.get(username="gestora")
    template = services.template_import(data=TEMPLATE, actor=actor)
    _gran_concepcion(actor, template)
    _temuco(actor, template)
