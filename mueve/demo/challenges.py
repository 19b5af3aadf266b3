"""Interviews and challenges of Smart City Gran Concepción (2014), from the seed report.

- Interviews: the institutions of Table 2 (component 1, context analysis, January 2014). No personal
  names: only the position interviewed. Days within the month are illustrative.
- Concrete challenges behind the four concepts of Table 3 (codesign workshop, January 2014).
- The six abstract challenges of Box 3, presented in the preparatory clinics (May 2014) and addressed
  by the MueveTT competition (June 2014); notes name the concepts of Table 7 that took them up.
- Two internal challenges (one validated, one identified) are illustrative, not from the report:
  they show that unpublished challenges are visible only to the program team.

Everything goes through the services, as the gestora (program manager) account. Loading twice
updates in place: interviews are found by program, institution and date; challenges by slug.
"""

import datetime as dt

from django.utils import timezone

from mueve.accounts.models import User
from mueve.challenges import services
from mueve.challenges.models import AddressedVia, Challenge, Interview, Kind, Status
from mueve.programs.models import Program
from mueve.stakeholders.models import Level, Organization, Sector
from mueve.stakeholders.services import organization_create

PROGRAM_SLUG = "smart-city-gran-concepcion"
CONCEPT = AddressedVia.CONCEPT
COMPETITION = AddressedVia.COMPETITION

# Institutions of Table 2 the stakeholders demo may not create: (slug, name, acronym, level, description).
EXTRA_ORGANIZATIONS = {
    "mop": ("Ministerio de Obras Públicas", "MOP", Level.REGIONAL, "Unidad de planificación vial."),
    "samu": ("Servicio de Atención Médica de Urgencia", "SAMU", Level.REGIONAL, "Servicio de emergencias médicas."),
    "onemi": (
        "Oficina Nacional de Emergencia",
        "ONEMI",
        Level.NATIONAL,
        "Unidad de gestión del riesgo de desastres.",
    ),
    "unidad-prevencion-delito": (
        "Unidad de Prevención del Delito",
        "",
        Level.REGIONAL,
        "Prevención del delito en el Gran Concepción.",
    ),
    "carabineros-transito": (
        "Carabineros de Chile — Departamento de Tránsito",
        "Carabineros",
        Level.REGIONAL,
        "Policía de tránsito regional.",
    ),
    "seremitt": ("Secretaría Regional Ministerial de Transportes y Telecomunicaciones", "SEREMITT", Level.REGIONAL, ""),
    "uoct": ("Unidad Operativa de Control de Tránsito", "UOCT", Level.REGIONAL, "Centro de control de tránsito."),
    "minvu": ("Secretaría Regional Ministerial de Vivienda y Urbanismo", "MINVU", Level.REGIONAL, ""),
    "sectra": ("Secretaría de Planificación de Transporte", "SECTRA", Level.REGIONAL, ""),
    "municipalidad-concepcion": ("Municipalidad de Concepción", "", Level.MUNICIPAL, ""),
    "municipalidad-talcahuano": ("Municipalidad de Talcahuano", "", Level.MUNICIPAL, ""),
    "municipalidad-san-pedro-de-la-paz": ("Municipalidad de San Pedro de la Paz", "", Level.MUNICIPAL, ""),
}

# Table 2: (institution slug, day of January 2014, position interviewed, notes)
INTERVIEWS = [
    (
        "seremitt",
        6,
        "Jefatura de la unidad de transporte público",
        "La ciudadanía no tiene información confiable de recorridos, horarios ni del estado del tránsito. "
        "Los paraderos, buses y semáforos sufren vandalismo frecuente.",
    ),
    (
        "uoct",
        7,
        "Jefatura del centro de control",
        "Sensores y cámaras no cubren gran parte del Gran Concepción. Los incidentes se conocen por reclamos a "
        "la radio, que llegan a la autoridad en vivo; el equipo debe ir al lugar para entender qué pasa.",
    ),
    (
        "minvu",
        8,
        "Jefatura de la unidad de desarrollo urbano",
        "Las obras urbanas y viales afectan los recorridos y no se informan a tiempo.",
    ),
    ("mop", 8, "Jefatura de la unidad de planificación vial", "Coordinación de obras y cortes de ruta."),
    (
        "sectra",
        9,
        "Jefatura de la secretaría de planificación",
        "Interés en fomentar modos de transporte alternativos y contar con más datos de movilidad.",
    ),
    (
        "samu",
        9,
        "Jefatura de la central de despacho",
        "En zonas rurales no hay direcciones uniformes: cuesta ubicar una emergencia y llegar a tiempo.",
    ),
    ("onemi", 10, "Jefatura regional", "Información de emergencias y cortes de ruta llega tarde al centro de control."),
    ("unidad-prevencion-delito", 13, "Jefatura de la unidad", "Vandalismo en infraestructura de transporte."),
    (
        "carabineros-transito",
        13,
        "Jefatura del departamento de tránsito",
        "Incumplimiento de normas de tránsito por parte de conductores.",
    ),
    (
        "municipalidad-concepcion",
        14,
        "Jefatura de la dirección de tránsito",
        "Alumbrado público dañado que se reporta tarde.",
    ),
    (
        "municipalidad-talcahuano",
        15,
        "Jefatura de la dirección de tránsito",
        "Baja participación de vecinos en el cuidado de los servicios del barrio.",
    ),
    (
        "municipalidad-san-pedro-de-la-paz",
        15,
        "Jefatura de la dirección de tránsito",
        "Congestión en horas punta y falta de información para quienes viajan.",
    ),
]


def _at(year: int, month: int, day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 10, 0))


def _box3(title: str, owner: str, description: str, interviews: list[str], note: str) -> dict:
    """An abstract challenge of Box 3: interviews (Jan.), validated (Mar.), clinics (May), MueveTT (June)."""
    return {
        "title": title,
        "owner": owner,
        "kind": Kind.ABSTRACT,
        "component": "competition",
        "description": description,
        "interviews": interviews,
        "steps": [
            (Status.IDENTIFIED, (2014, 1, 16), "", ""),
            (Status.VALIDATED, (2014, 3, 20), "Validado en el taller de diagnóstico y visión.", ""),
            (Status.PUBLISHED, (2014, 5, 20), "Presentado en las clínicas preparatorias.", ""),
            (Status.ADDRESSING, (2014, 6, 14), note, COMPETITION),
        ],
    }


# Each challenge: title, owner, kind, component key, description, source interviews, steps.
# A step is (status, date, note, addressed_via); the first step is the creation. What addresses each
# challenge is linked by the workshops demo (a concept's challenge) and the competitions demo (MueveTT's challenges).
CHALLENGES = [
    {
        "title": "¿Cómo obtener en tiempo real información de los incidentes de tránsito que no cubren "
        "las cámaras ni los sensores?",
        "owner": "uoct",
        "kind": Kind.CONCRETE,
        "component": "codesign",
        "description": (
            "El centro de control de tránsito reacciona a incidentes con poca información: la red de cámaras y "
            "sensores no cubre buena parte del Gran Concepción. Los incidentes se conocen cuando la ciudadanía "
            "reclama en la radio local, lo que presiona a toda la cadena de mando y obliga al equipo a ir al lugar."
        ),
        "interviews": ["uoct"],
        "steps": [
            (Status.IDENTIFIED, (2014, 1, 7), "", ""),
            (Status.VALIDATED, (2014, 1, 20), "Priorizado en el taller de codiseño.", ""),
            (Status.PUBLISHED, (2014, 1, 21), "", ""),
            (
                Status.ADDRESSING,
                (2014, 1, 24),
                "Prototipo rápido (Android y software libre) demostrado en tiempo real a los funcionarios del "
                "centro de control: reportes ciudadanos geolocalizados que alimentan su tablero.",
                CONCEPT,
            ),
        ],
    },
    {
        "title": "¿Cómo dar a la ciudadanía información de transporte público y de tránsito, como congestión "
        "y accidentes, en línea y en el celular?",
        "owner": "seremitt",
        "kind": Kind.CONCRETE,
        "component": "codesign",
        "description": (
            "Quienes viajan en el Gran Concepción no cuentan con información accesible sobre el transporte público "
            "ni sobre el estado del tránsito."
        ),
        "interviews": ["seremitt", "municipalidad-san-pedro-de-la-paz"],
        "steps": [
            (Status.IDENTIFIED, (2014, 1, 6), "", ""),
            (Status.VALIDATED, (2014, 1, 20), "Priorizado en el taller de codiseño.", ""),
            (Status.PUBLISHED, (2014, 1, 21), "", ""),
            (
                Status.ADDRESSING,
                (2014, 1, 24),
                "Concepto seleccionado en el taller para prueba e implementación por la Unidad de "
                "Modernización y Gobierno Digital.",
                CONCEPT,
            ),
            (
                Status.SOLVED,
                (2014, 4, 30),
                "Implementado y probado con ciudadanos por la Unidad de Modernización y Gobierno Digital.",
                "",
            ),
        ],
    },
    {
        "title": "¿Cómo lograr que los vecinos cuiden el alumbrado público y avisen cuando falla?",
        "owner": "municipalidad-concepcion",
        "kind": Kind.CONCRETE,
        "component": "codesign",
        "description": "Luminarias dañadas que se reportan tarde y calles oscuras que afectan la seguridad vial.",
        "interviews": ["municipalidad-concepcion"],
        "steps": [
            (Status.IDENTIFIED, (2014, 1, 14), "", ""),
            (Status.VALIDATED, (2014, 1, 20), "", ""),
            (Status.PUBLISHED, (2014, 1, 21), "", ""),
            (
                Status.ADDRESSING,
                (2014, 1, 24),
                "Concepto del taller de codiseño, siguiendo el modelo «adopta un grifo»; no fue seleccionado "
                "para implementación.",
                CONCEPT,
            ),
        ],
    },
    {
        "title": "¿Cómo incentivar la participación de los vecinos en los servicios públicos de su barrio?",
        "owner": "municipalidad-talcahuano",
        "kind": Kind.CONCRETE,
        "component": "codesign",
        "description": "Los servicios del barrio funcionan mejor con vecinos que participan, y hoy participan poco.",
        "interviews": ["municipalidad-talcahuano"],
        "steps": [
            (Status.IDENTIFIED, (2014, 1, 15), "", ""),
            (Status.VALIDATED, (2014, 1, 20), "", ""),
            (Status.PUBLISHED, (2014, 1, 21), "", ""),
            (
                Status.ADDRESSING,
                (2014, 1, 24),
                "Concepto del taller de codiseño: una aplicación con un sistema de recompensas.",
                CONCEPT,
            ),
        ],
    },
    # Box 3: the abstract challenges of the MueveTT competition.
    _box3(
        "¿Cómo reducir el vandalismo en paraderos, buses y semáforos?",
        "seremitt",
        "Paraderos, buses y señales de tránsito se dañan con frecuencia, con costos de reposición y riesgos "
        "para quienes viajan. Refugio Inteligente, uno de los dos ganadores de MueveTT, propuso un paradero "
        "modular con materiales inteligentes resistentes al vandalismo.",
        ["seremitt", "unidad-prevencion-delito"],
        "Ganador: Refugio Inteligente (paradero modular resistente al vandalismo).",
    ),
    _box3(
        "¿Cómo incentivar a los conductores a respetar las normas de tránsito?",
        "carabineros-transito",
        "El incumplimiento de las normas de tránsito afecta la seguridad y la fluidez de la ciudad.",
        ["carabineros-transito"],
        "",
    ),
    _box3(
        "¿Cómo recolectar información de tránsito para hacer la ciudad más sustentable?",
        "uoct",
        "Hay pocas cámaras y sensores: falta información para gestionar el tránsito.",
        ["uoct"],
        "Concepto acelerado: Alerta Drone (drones que entregan video al centro de control).",
    ),
    _box3(
        "¿Cómo mejorar la experiencia de viaje en el transporte público?",
        "seremitt",
        "Las micros no tienen paraderos formales y en la calle falta información de recorridos. Despierta, uno "
        "de los dos ganadores de MueveTT, avisa la cercanía del destino, también a personas ciegas.",
        ["seremitt", "municipalidad-san-pedro-de-la-paz"],
        "Conceptos acelerados: Despierta (ganador), Ya Voy y Tu Colectivo.",
    ),
    _box3(
        "¿Cómo reducir la mortalidad en accidentes de tránsito en zonas rurales?",
        "samu",
        "Sin direcciones uniformes en caminos rurales, cuesta ubicar una emergencia y llegar a tiempo.",
        ["samu"],
        "Concepto acelerado: 911-R (georreferencia de viviendas en caminos rurales).",
    ),
    _box3(
        "¿Cómo fomentar modos de transporte alternativos para hacer la ciudad más sustentable?",
        "sectra",
        "El robo de bicicletas es una de las razones principales para no usarlas.",
        ["sectra"],
        "Concepto acelerado: i-BiciPark (estacionamiento de bicicletas con sensores).",
    ),
    # Illustrative internal challenges (not in the report).
    {
        "title": "¿Cómo coordinar en tiempo real los cortes de ruta y las emergencias entre ONEMI, "
        "el MOP y el centro de control?",
        "owner": "onemi",
        "kind": Kind.CONCRETE,
        "component": "codesign",
        "description": "Surgió en las entrevistas de contexto; queda pendiente para una próxima versión del taller.",
        "interviews": ["onemi", "mop"],
        "steps": [
            (Status.IDENTIFIED, (2014, 1, 10), "", ""),
            (Status.VALIDATED, (2014, 1, 20), "Validado con ONEMI y MOP; no se abordó en el taller.", ""),
        ],
    },
    {
        "title": "¿Cómo informar a tiempo las obras urbanas que cambian los recorridos del transporte público?",
        "owner": "minvu",
        "kind": Kind.ABSTRACT,
        "component": "vision",
        "description": "Surgió en las entrevistas de contexto; falta validarlo con las demás instituciones.",
        "interviews": ["minvu"],
        "steps": [(Status.IDENTIFIED, (2014, 1, 8), "", "")],
    },
]


def _organization(slug: str, actor: User) -> Organization:
    found = Organization.objects.filter(slug=slug).first()
    if found is not None:
        return found
    name, acronym, level, description = EXTRA_ORGANIZATIONS[slug]
    # Another loader may have created it under a different slug: match its name or acronym.
    found = Organization.objects.filter(name__iexact=name).first()
    if found is None and acronym and acronym.isupper():
        found = Organization.objects.filter(acronym__iexact=acronym, sector=Sector.GOVERNMENT).first()
    if found is not None:
        return found
    return organization_create(
        name=name,
        acronym=acronym,
        sector=Sector.GOVERNMENT,
        level=level,
        description=description,
        slug=slug,
        actor=actor,
    )


def load() -> None:
    # The loader runs the programs and accounts demos first: both must exist.
    program = Program.objects.get(slug=PROGRAM_SLUG)
    actor = User.objects.get(username="gestora")
    components = {c.key: c for c in program.components.all()}
    organizations = {slug: _organization(slug, actor) for slug, *_rest in INTERVIEWS}
    interviews = {
        slug: _interview(program, organizations[slug], components, actor, *rest) for slug, *rest in INTERVIEWS
    }
    for spec in CHALLENGES:
        owner = organizations.get(spec["owner"]) or _organization(spec["owner"], actor)
        _challenge(program, owner, components, [interviews[s] for s in spec["interviews"]], spec, actor)


def _interview(program, institution, components, actor, day: int, position: str, notes: str) -> Interview:
    date = dt.date(2014, 1, day)
    existing = Interview.objects.filter(program=program, institution=institution, date=date).first()
    if existing is not None:
        return services.interview_update(
            actor=actor,
            interview=existing,
            interviewee_name=position,
            notes=notes,
            component=components.get("codesign"),
        )
    return services.interview_create(
        actor=actor,
        program=program,
        institution=institution,
        date=date,
        interviewee_name=position,
        notes=notes,
        component=components.get("codesign"),
        occurred_at=_at(2014, 1, day),
    )


def _challenge(program, owner, components, interviews, spec: dict, actor) -> Challenge:
    title = spec["title"]
    existing = Challenge.objects.filter(program=program, title=title).first()
    if existing is not None:
        return services.challenge_update(
            actor=actor,
            challenge=existing,
            title=title,
            description=spec["description"],
            owner=owner,
            kind=spec["kind"],
            component=components.get(spec["component"]),
            interviews=interviews,
        )
    first, *rest = spec["steps"]
    challenge = services.challenge_create(
        actor=actor,
        program=program,
        title=title,
        owner=owner,
        kind=spec["kind"],
        description=spec["description"],
        component=components.get(spec["component"]),
        interviews=interviews,
        occurred_at=_at(*first[1]),
    )
    for status, when, note, via in rest:
        challenge = services.challenge_transition(
            actor=actor,
            challenge=challenge,
            to_status=status,
            note=note,
            addressed_via=via,
            occurred_at=_at(*when),
        )
    return challenge
