"""Organizations, people and the stakeholder map of Smart City Gran Concepción, from the seed report.

Organizations come from Tables 1 (counterparts and partners), 2 (component 1), 4 (interviewed in
component 2), 6 (partners of the MueveTT competition), 8 (innovation hubs: international experts)
and 9 (hub co-creation workshop). An asterisk in Tables 6 and 9 marks an international or
multinational partner (`is_international`). Where the report does not say which kind of support a
Table 6 partner gave, companies appear as sponsors, universities and NGOs as mentors: the report
says the competition had "sponsorship, in-kind contribution and mentorship" from them.

Interest and influence (1–5) are reasoned from the report: counterparts that led or hosted the
work and had authority over its results score high on both; ministries and regional bodies that
can decide but took part occasionally have high influence and lower interest; NGOs, startups and
hub participants that were keen but hold little formal power have high interest and low influence.

People are fictional ("Persona Demo ...") with fictional contacts: the report names no officials
other than public authorities, and the demo must not invent personal data of real people.

Everything goes through mueve.stakeholders.services; loading twice changes nothing.
"""

from datetime import date, datetime, time

from django.utils import timezone

from mueve.accounts.models import User
from mueve.programs.models import Component, Program
from mueve.stakeholders import services
from mueve.stakeholders.models import (
    Champion,
    Commitment,
    EngagementLevel,
    Level,
    Membership,
    Organization,
    Person,
    ProgramRole,
    Sector,
)
from mueve.territory.models import Jurisdiction

PROGRAM_SLUG = "smart-city-gran-concepcion"

GOV, PRIV, ACAD, CIVIL, INTL = (
    Sector.GOVERNMENT,
    Sector.PRIVATE,
    Sector.ACADEMIA,
    Sector.CIVIL_SOCIETY,
    Sector.INTERNATIONAL,
)
NAT, REG, MUN, LOC = Level.NATIONAL, Level.REGIONAL, Level.MUNICIPAL, Level.LOCAL

# slug, name, acronym, sector, level, international, parent slug, jurisdiction slug, description.
# Parents come before their units.
ORGANIZATIONS: list[tuple[str, str, str, str, str, bool, str, str, str]] = [
    # --- Table 1: government counterparts and partners ---
    (
        "mtt",
        "Ministerio de Transportes y Telecomunicaciones",
        "MTT",
        GOV,
        NAT,
        False,
        "",
        "",
        "Contraparte principal de la actividad, a través de la Subsecretaría de Transportes.",
    ),
    (
        "mtt-smart-cities",
        "Unidad de Ciudades Inteligentes del MTT",
        "",
        GOV,
        NAT,
        False,
        "mtt",
        "",
        "Unidad de la Subsecretaría de Transportes que lideró la actividad junto al equipo del Banco Mundial, "
        "con un enlace creado en Concepción. Luego replicó la metodología en seis regiones.",
    ),
    ("ministerio-economia", "Ministerio de Economía, Fomento y Turismo", "", GOV, NAT, False, "", "", ""),
    (
        "economia-estrategia-digital",
        "Unidad de Estrategia Digital del Ministerio de Economía",
        "",
        GOV,
        NAT,
        False,
        "ministerio-economia",
        "",
        "",
    ),
    (
        "corfo",
        "Corporación de Fomento de la Producción",
        "CORFO",
        GOV,
        NAT,
        False,
        "ministerio-economia",
        "",
        "Agencia de gobierno que apoya la innovación y el emprendimiento. Aportó en especie con sus equipos, "
        "acogió el taller de resultados en Santiago y, con su sede regional, puede apoyar el hub local.",
    ),
    ("segpres", "Ministerio Secretaría General de la Presidencia", "SEGPRES", GOV, NAT, False, "", "", ""),
    (
        "modernizacion-gobierno-digital",
        "Unidad de Modernización y Gobierno Digital",
        "",
        GOV,
        NAT,
        False,
        "segpres",
        "",
        "Implementó y probó con la ciudadanía iTransConcepción, el concepto elegido en el taller de codiseño, "
        "y ofreció apoyo al hub mediante la iniciativa GobLab.",
    ),
    ("mineduc", "Ministerio de Educación", "MINEDUC", GOV, NAT, False, "", "", ""),
    (
        "conicyt",
        "Comisión Nacional de Investigación Científica y Tecnológica",
        "CONICYT",
        GOV,
        NAT,
        False,
        "mineduc",
        "",
        "",
    ),
    (
        "gore-biobio",
        "Gobierno Regional del Biobío",
        "GORE Biobío",
        GOV,
        REG,
        False,
        "",
        "biobio",
        "Contraparte de gobierno: la mayoría de los talleres de la actividad se realizó en sus dependencias.",
    ),
    (
        "gore-santiago",
        "Gobierno Regional Metropolitano de Santiago",
        "GORE Santiago",
        GOV,
        REG,
        False,
        "",
        "",
        "Recibió los resultados y luego, con CORFO y el MTT, aplicó la metodología en Santiago.",
    ),
    (
        "innova-biobio",
        "Innova Biobío",
        "",
        GOV,
        REG,
        False,
        "",
        "biobio",
        "Agencia regional de fomento a la innovación y el emprendimiento (rama de Innova Chile en la región). "
        "Con CORFO regional, tiene la facultad de apoyar la implementación del hub local.",
    ),
    (
        "municipalidad-concepcion",
        "Municipalidad de Concepción",
        "",
        GOV,
        MUN,
        False,
        "",
        "concepcion",
        "Contraparte de gobierno; su unidad de tránsito participó en el taller de codiseño.",
    ),
    (
        "municipalidad-talcahuano",
        "Municipalidad de Talcahuano",
        "",
        GOV,
        MUN,
        False,
        "",
        "talcahuano",
        "Contraparte de gobierno; su unidad de tránsito participó en el taller de codiseño.",
    ),
    (
        "municipalidad-san-pedro-de-la-paz",
        "Municipalidad de San Pedro de la Paz",
        "",
        GOV,
        MUN,
        False,
        "",
        "san-pedro-de-la-paz",
        "Contraparte de gobierno; su unidad de tránsito participó en el taller de codiseño.",
    ),
    (
        "municipalidad-chiguayante",
        "Municipalidad de Chiguayante",
        "",
        GOV,
        MUN,
        False,
        "",
        "chiguayante",
        "Contraparte de gobierno.",
    ),
    # --- Table 2: institutions in component 1 (and Table 4: interviewed in component 2) ---
    (
        "seremitt",
        "Secretaría Regional Ministerial de Transportes y Telecomunicaciones del Biobío",
        "SEREMITT",
        GOV,
        REG,
        False,
        "mtt",
        "biobio",
        "Representa al MTT en la región; contraparte de gobierno a través del área de transporte.",
    ),
    (
        "uoct",
        "Unidad Operativa de Control de Tránsito del Gran Concepción",
        "UOCT",
        GOV,
        REG,
        False,
        "mtt",
        "gran-concepcion",
        "Centro de control de tránsito. Sus funcionarios se volvieron campeones de la actividad tras la "
        "demostración en tiempo real del prototipo Ciudadano te Informa.",
    ),
    (
        "minvu",
        "Secretaría Regional Ministerial de Vivienda y Urbanismo del Biobío",
        "MINVU",
        GOV,
        REG,
        False,
        "",
        "biobio",
        "Vivienda y planificación urbana.",
    ),
    (
        "mop",
        "Ministerio de Obras Públicas — Unidad de Planificación Vial",
        "MOP",
        GOV,
        REG,
        False,
        "",
        "biobio",
        "Planificación vial.",
    ),
    (
        "sectra",
        "Secretaría de Planificación de Transporte",
        "SECTRA",
        GOV,
        REG,
        False,
        "mtt",
        "biobio",
        "Secretaría de planificación del MTT; participó su oficina regional.",
    ),
    (
        "samu",
        "Servicio de Atención Médica de Urgencia",
        "SAMU",
        GOV,
        REG,
        False,
        "",
        "biobio",
        "Servicio de emergencias médicas.",
    ),
    (
        "onemi",
        "Oficina Nacional de Emergencia",
        "ONEMI",
        GOV,
        NAT,
        False,
        "",
        "",
        "Unidad de gestión del riesgo de desastres.",
    ),
    (
        "unidad-prevencion-delito",
        "Unidad de Prevención del Delito",
        "",
        GOV,
        REG,
        False,
        "",
        "biobio",
        "Prevención del delito en el Gran Concepción.",
    ),
    (
        "carabineros-transito",
        "Carabineros de Chile — Departamento de Tránsito",
        "Carabineros",
        GOV,
        REG,
        False,
        "",
        "biobio",
        "Policía de tránsito regional.",
    ),
    # --- Table 4: stakeholders interviewed in component 2 ---
    (
        "fesub",
        "Ferrocarriles del Sur",
        "FESUB",
        GOV,
        REG,
        False,
        "",
        "biobio",
        "Servicio ferroviario regional (empresa pública).",
    ),
    (
        "asociacion-taxis-buses",
        "Asociación Gremial Regional de Taxis y Buses",
        "",
        PRIV,
        REG,
        False,
        "",
        "gran-concepcion",
        "Gremio de los operadores de taxis colectivos y buses.",
    ),
    (
        "universidad-de-concepcion",
        "Universidad de Concepción",
        "UdeC",
        ACAD,
        REG,
        False,
        "",
        "concepcion",
        "Participa también su incubadora de empresas.",
    ),
    (
        "udec-transporte",
        "Centro de Gestión Integral y Servicios de Transporte de la Universidad de Concepción",
        "",
        ACAD,
        REG,
        False,
        "universidad-de-concepcion",
        "concepcion",
        "",
    ),
    (
        "pordondevalmicro",
        "Pordondevalmicro",
        "",
        CIVIL,
        LOC,
        False,
        "",
        "gran-concepcion",
        "ONG de usuarios de micros.",
    ),
    ("concebus", "Concebus", "", CIVIL, LOC, False, "", "gran-concepcion", "ONG de transporte público."),
    # --- Table 6: non-government partners of the MueveTT competition ---
    ("movistar", "Movistar Chile", "Movistar", PRIV, NAT, True, "", "", "Operador de telecomunicaciones."),
    (
        "wayra",
        "Wayra Chile",
        "Wayra",
        PRIV,
        NAT,
        True,
        "",
        "",
        "Aceleradora de empresas. Su director en Chile integró el jurado final de MueveTT, y la gira de los "
        "ganadores incluyó sus aceleradoras de Barcelona y Madrid.",
    ),
    ("microsoft", "Microsoft Chile", "Microsoft", PRIV, NAT, True, "", "", ""),
    ("indra", "Indra", "", PRIV, NAT, True, "", "", "Empresa de tecnología y consultoría."),
    ("cvx-r", "CVX-R", "", PRIV, REG, False, "", "", ""),
    ("mci-electronics", "MCI Electronics", "", PRIV, NAT, False, "", "", "Proveedor de electrónica."),
    ("universidad-del-bio-bio", "Universidad del Bío-Bío", "UBB", ACAD, REG, False, "", "biobio", "Con incubadora."),
    ("duoc-uc", "DUOC UC", "", ACAD, NAT, False, "", "", ""),
    ("inacap", "INACAP", "", ACAD, NAT, False, "", "", ""),
    ("universidad-del-desarrollo", "Universidad del Desarrollo", "UDD", ACAD, NAT, False, "", "", "Con incubadora."),
    (
        "pais-digital",
        "Fundación País Digital",
        "País Digital",
        CIVIL,
        NAT,
        False,
        "",
        "",
        "Socio principal no gubernamental de la actividad.",
    ),
    ("red-plus", "Red Plus", "", CIVIL, REG, False, "", "", "ONG."),
    ("observatorio-metropolitano", "Observatorio Metropolitano", "", CIVIL, REG, False, "", "gran-concepcion", "ONG."),
    ("no-mas-abusos", "No Más Abusos", "", CIVIL, REG, False, "", "", "ONG."),
    ("cidere", "CIDERE Biobío", "CIDERE", CIVIL, REG, False, "", "biobio", "Corporación gremial (cámara de comercio)."),
    (
        "corbiobio",
        "CORBIOBIO",
        "",
        CIVIL,
        REG,
        False,
        "",
        "biobio",
        "Corporación de desarrollo regional (asociación público-privada).",
    ),
    # --- Table 9: participants in the hub co-creation workshop ---
    ("biotren", "Biotren", "", GOV, REG, False, "fesub", "gran-concepcion", "Operador ferroviario regional."),
    ("mozilla", "Mozilla", "", PRIV, NAT, True, "", "", ""),
    ("kapsch", "Kapsch", "", PRIV, NAT, False, "", "", ""),
    ("elun", "Elun", "", PRIV, LOC, False, "", "gran-concepcion", ""),
    ("austral-solutions", "Austral Solutions", "", PRIV, REG, False, "", "", ""),
    (
        "ucsc",
        "Universidad Católica de la Santísima Concepción",
        "UCSC",
        ACAD,
        REG,
        False,
        "",
        "concepcion",
        "",
    ),
    ("carnegie-mellon", "Carnegie Mellon University", "CMU", ACAD, NAT, True, "", "", ""),
    ("socialab", "Socialab", "", CIVIL, NAT, True, "", "", "Innovación social."),
    ("fablab-concepcion", "FabLab Concepción", "", CIVIL, LOC, False, "", "concepcion", "Laboratorio de fabricación."),
    ("d-mas-diseno", "D+ Diseño e Innovación", "D+", CIVIL, LOC, False, "", "gran-concepcion", ""),
    # --- Table 8: innovation hubs whose experts supported component 4; the workshop's designers ---
    (
        "citilab",
        "Citilab (L'Hospitalet de Llobregat, España)",
        "Citilab",
        INTL,
        LOC,
        True,
        "",
        "",
        "Hub que conecta al gobierno de la ciudad con el ecosistema emprendedor: formación, competencias, "
        "cowork e incubación.",
    ),
    (
        "forum-virium",
        "Forum Virium Helsinki (Finlandia)",
        "Forum Virium",
        INTL,
        MUN,
        True,
        "",
        "",
        "Iniciativa público-privada de la ciudad de Helsinki y su ecosistema: coordina acciones y facilita la "
        "innovación abierta del gobierno local.",
    ),
    (
        "waag-society",
        "Waag Society (Ámsterdam, Países Bajos)",
        "Waag",
        INTL,
        LOC,
        True,
        "",
        "",
        "Fundación que une a la ciudad de Ámsterdam con su comunidad creativa y emprendedora.",
    ),
    (
        "urban-lab-barcelona",
        "Urban Lab (Barcelona, España)",
        "Urban Lab",
        INTL,
        MUN,
        True,
        "",
        "",
        "Iniciativa de la ciudad de Barcelona para probar soluciones en los servicios e infraestructura urbana.",
    ),
    (
        "aalto",
        "Universidad Aalto (Finlandia)",
        "Aalto",
        INTL,
        NAT,
        True,
        "",
        "",
        "Diseñó y facilitó el taller de cocreación del hub de innovación.",
    ),
    (
        "banco-mundial",
        "Banco Mundial",
        "",
        INTL,
        NAT,
        True,
        "",
        "",
        "Prestó la asistencia técnica junto al MTT; un miembro de su equipo integró el jurado final de MueveTT.",
    ),
]

# full name, email, phone, organization slug, position. All fictional.
PEOPLE = [
    ("Persona Demo UOCT Jefatura de Turno", "uoct.turno@demo.mueve.cl", "+56 41 000 0001", "uoct", "Jefatura de turno"),
    (
        "Persona Demo UOCT Operación",
        "uoct.operacion@demo.mueve.cl",
        "+56 41 000 0002",
        "uoct",
        "Operador/a de tránsito",
    ),
    (
        "Persona Demo MTT Ciudades Inteligentes",
        "mtt.ci@demo.mueve.cl",
        "+56 2 0000 0003",
        "mtt-smart-cities",
        "Jefatura de la unidad",
    ),
    (
        "Persona Demo Enlace Concepción",
        "mtt.enlace@demo.mueve.cl",
        "+56 41 000 0004",
        "mtt-smart-cities",
        "Enlace en Concepción",
    ),
    ("Persona Demo SEREMITT", "seremitt@demo.mueve.cl", "+56 41 000 0005", "seremitt", "Profesional de transporte"),
    (
        "Persona Demo Municipalidad de Concepción",
        "concepcion@demo.mueve.cl",
        "+56 41 000 0006",
        "municipalidad-concepcion",
        "Dirección de Tránsito",
    ),
    (
        "Persona Demo Municipalidad de Talcahuano",
        "talcahuano@demo.mueve.cl",
        "+56 41 000 0007",
        "municipalidad-talcahuano",
        "Dirección de Tránsito",
    ),
    (
        "Persona Demo Municipalidad de San Pedro de la Paz",
        "sanpedro@demo.mueve.cl",
        "+56 41 000 0008",
        "municipalidad-san-pedro-de-la-paz",
        "Dirección de Tránsito",
    ),
    ("Persona Demo País Digital", "paisdigital@demo.mueve.cl", "+56 2 0000 0009", "pais-digital", "Coordinación"),
    ("Persona Demo Wayra", "wayra@demo.mueve.cl", "+56 2 0000 0010", "wayra", "Dirección de la aceleradora"),
    ("Persona Demo GORE Biobío", "gore@demo.mueve.cl", "+56 41 000 0011", "gore-biobio", "División de planificación"),
]

R = ProgramRole
MAIN, GOV_CP, NONGOV = R.MAIN_COUNTERPART, R.GOVERNMENT_COUNTERPART, R.MAIN_NON_GOVERNMENT_PARTNER
PARTNER, SPONSOR, MENTOR, JURY, HOST = R.PARTNER, R.SPONSOR, R.MENTOR, R.JURY, R.HOST
INTERVIEWED, PARTICIPANT, EXPERT = R.INTERVIEWED, R.PARTICIPANT, R.EXPERT

# slug: (roles, interest, influence, notes)
LINKS: dict[str, tuple[list[str], int, int, str]] = {
    "mtt": ([MAIN], 5, 5, "Contraparte principal: pidió la asistencia y la lideró."),
    "mtt-smart-cities": ([MAIN], 5, 5, "Trabajó codo a codo con el Banco Mundial en todas las decisiones."),
    "pais-digital": ([NONGOV, PARTNER, MENTOR, PARTICIPANT], 5, 4, "Socio principal no gubernamental."),
    "banco-mundial": ([PARTNER, JURY, EXPERT], 5, 4, "Asistencia técnica; integró el jurado final."),
    "gore-biobio": ([GOV_CP, HOST], 4, 4, "La mayoría de los talleres se realizó en sus dependencias."),
    "seremitt": ([GOV_CP, INTERVIEWED, PARTICIPANT], 5, 4, "Contraparte regional del MTT."),
    "uoct": ([INTERVIEWED, PARTICIPANT], 5, 4, "Sus funcionarios fueron campeones desde el componente 1."),
    "corfo": ([GOV_CP, HOST, PARTICIPANT], 4, 5, "Puede financiar y sostener el hub; acogió el taller de resultados."),
    "innova-biobio": ([GOV_CP, PARTNER], 4, 4, "Con CORFO regional, puede apoyar la implementación del hub."),
    "modernizacion-gobierno-digital": ([GOV_CP, PARTNER], 4, 4, "Implementó iTransConcepción."),
    "municipalidad-concepcion": ([GOV_CP, INTERVIEWED, PARTICIPANT], 5, 3, "Autoridad municipal limitada."),
    "municipalidad-talcahuano": ([GOV_CP, INTERVIEWED, PARTICIPANT], 5, 3, "Autoridad municipal limitada."),
    "municipalidad-san-pedro-de-la-paz": ([GOV_CP, INTERVIEWED, PARTICIPANT], 5, 3, "Autoridad municipal limitada."),
    "municipalidad-chiguayante": ([GOV_CP, PARTICIPANT], 4, 3, "Autoridad municipal limitada."),
    "gore-santiago": ([GOV_CP], 3, 4, "Recibió los resultados; luego aplicó la metodología en Santiago."),
    "economia-estrategia-digital": ([GOV_CP], 2, 3, ""),
    "conicyt": ([GOV_CP], 2, 3, ""),
    "minvu": ([INTERVIEWED, PARTICIPANT], 2, 4, "Decide sobre obras urbanas que afectan el transporte."),
    "mop": ([INTERVIEWED, PARTICIPANT], 2, 4, "Decide sobre la planificación vial."),
    "sectra": ([INTERVIEWED, PARTICIPANT], 3, 4, "Planifica el transporte de la región."),
    "samu": ([INTERVIEWED, PARTICIPANT], 2, 2, ""),
    "onemi": ([INTERVIEWED, PARTICIPANT], 2, 3, ""),
    "unidad-prevencion-delito": ([INTERVIEWED, PARTICIPANT], 3, 2, ""),
    "carabineros-transito": ([INTERVIEWED, PARTICIPANT], 3, 3, ""),
    "fesub": ([INTERVIEWED], 3, 3, ""),
    "biotren": ([PARTICIPANT], 3, 3, ""),
    "asociacion-taxis-buses": ([INTERVIEWED], 3, 4, "Los operadores privados del transporte público."),
    "udec-transporte": ([INTERVIEWED], 4, 2, ""),
    "pordondevalmicro": ([INTERVIEWED], 4, 1, "Usuarios organizados: mucho interés, poca influencia formal."),
    "concebus": ([INTERVIEWED], 4, 1, "Usuarios organizados: mucho interés, poca influencia formal."),
    "wayra": ([SPONSOR, MENTOR, JURY, PARTICIPANT], 4, 4, "Su director en Chile integró el jurado final."),
    "movistar": ([SPONSOR], 3, 3, ""),
    "microsoft": ([SPONSOR], 2, 3, ""),
    "indra": ([SPONSOR, PARTICIPANT], 3, 3, "Ofreció probar soluciones con emprendedores locales."),
    "cvx-r": ([SPONSOR], 2, 1, ""),
    "mci-electronics": ([SPONSOR], 2, 1, ""),
    "universidad-de-concepcion": ([PARTNER, MENTOR, PARTICIPANT], 4, 3, "Ofreció formación para el hub."),
    "universidad-del-bio-bio": ([PARTNER, MENTOR, PARTICIPANT], 4, 2, ""),
    "duoc-uc": ([PARTNER, MENTOR, PARTICIPANT], 3, 2, ""),
    "inacap": ([PARTNER, MENTOR, PARTICIPANT], 3, 2, ""),
    "universidad-del-desarrollo": ([PARTNER, MENTOR], 3, 2, ""),
    "red-plus": ([PARTNER, MENTOR, PARTICIPANT], 4, 1, ""),
    "observatorio-metropolitano": ([PARTNER, MENTOR], 4, 2, ""),
    "no-mas-abusos": ([PARTNER, MENTOR], 4, 1, ""),
    "cidere": ([PARTNER, SPONSOR], 3, 3, ""),
    "corbiobio": ([PARTNER, SPONSOR], 3, 3, ""),
    "mozilla": ([PARTICIPANT], 3, 2, ""),
    "kapsch": ([PARTICIPANT], 2, 2, ""),
    "elun": ([PARTICIPANT], 4, 1, ""),
    "austral-solutions": ([PARTICIPANT], 4, 1, ""),
    "ucsc": ([PARTICIPANT], 3, 2, ""),
    "carnegie-mellon": ([PARTICIPANT], 3, 2, ""),
    "socialab": ([PARTICIPANT], 4, 2, ""),
    "fablab-concepcion": ([PARTICIPANT], 5, 1, ""),
    "d-mas-diseno": ([PARTICIPANT], 4, 1, ""),
    "citilab": ([EXPERT], 3, 2, "Experto internacional en modelos de hub."),
    "forum-virium": ([EXPERT], 3, 2, "Experto internacional en modelos de hub."),
    "waag-society": ([EXPERT], 3, 2, "Experto internacional en modelos de hub."),
    "urban-lab-barcelona": ([EXPERT], 3, 2, "Experto internacional en modelos de hub."),
    "aalto": ([EXPERT], 3, 2, "Diseño y facilitación del taller del hub."),
}

E = EngagementLevel
LEAD, COLLAB, INVOLVED, CONSULTED, INFORMED = E.LEADING, E.COLLABORATING, E.INVOLVED, E.CONSULTED, E.INFORMED
_TABLE_6 = [
    "movistar",
    "wayra",
    "microsoft",
    "indra",
    "cvx-r",
    "mci-electronics",
    "universidad-del-bio-bio",
    "duoc-uc",
    "inacap",
    "universidad-del-desarrollo",
    "universidad-de-concepcion",
    "pais-digital",
    "red-plus",
    "observatorio-metropolitano",
    "no-mas-abusos",
    "cidere",
    "corbiobio",
]
# Table 9: the partners of the innovation-hub cocreation (component 4); the hub workshop's participants too.
TABLE_9 = [
    "seremitt",
    "municipalidad-san-pedro-de-la-paz",
    "municipalidad-chiguayante",
    "municipalidad-talcahuano",
    "uoct",
    "corfo",
    "biotren",
    "wayra",
    "indra",
    "mozilla",
    "kapsch",
    "elun",
    "austral-solutions",
    "universidad-del-bio-bio",
    "duoc-uc",
    "inacap",
    "universidad-de-concepcion",
    "ucsc",
    "carnegie-mellon",
    "pais-digital",
    "red-plus",
    "socialab",
    "fablab-concepcion",
    "d-mas-diseno",
]
_LEADERS = {"mtt": LEAD, "mtt-smart-cities": LEAD}

# component key: {organization slug: engagement level}
ENGAGEMENTS: dict[str, dict[str, str]] = {
    # Component 1: the officials of Table 2, the host, and the unit that implemented iTransConcepción.
    "codesign": {
        **_LEADERS,
        "banco-mundial": COLLAB,
        "uoct": COLLAB,
        "modernizacion-gobierno-digital": COLLAB,
        "gore-biobio": INVOLVED,
        **{
            slug: INVOLVED
            for slug in [
                "seremitt",
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
        },
    },
    # Component 2: Table 4 (interviews, SWOT and vision workshops) plus the municipalities.
    "vision": {
        **_LEADERS,
        "banco-mundial": COLLAB,
        "gore-biobio": INVOLVED,
        **{slug: INVOLVED for slug in ["seremitt", "uoct", "fesub", "sectra", "minvu"]},
        **{slug: CONSULTED for slug in ["asociacion-taxis-buses", "udec-transporte", "pordondevalmicro", "concebus"]},
        **{
            slug: INVOLVED
            for slug in [
                "municipalidad-concepcion",
                "municipalidad-talcahuano",
                "municipalidad-san-pedro-de-la-paz",
                "municipalidad-chiguayante",
            ]
        },
    },
    # Component 3: Table 6 partners, plus the officials who presented challenges and worked with the teams.
    "competition": {
        **_LEADERS,
        "banco-mundial": COLLAB,
        **{slug: COLLAB for slug in _TABLE_6},
        **{
            slug: INVOLVED
            for slug in [
                "uoct",
                "seremitt",
                "gore-biobio",
                "municipalidad-concepcion",
                "municipalidad-talcahuano",
                "municipalidad-san-pedro-de-la-paz",
                "municipalidad-chiguayante",
            ]
        },
    },
    # Component 4: Table 9 participants and Table 8 hubs; MTT, Innova Biobío and GobLab offered support.
    "hub": {
        **{slug: INVOLVED for slug in TABLE_9},
        **{slug: COLLAB for slug in ["citilab", "forum-virium", "waag-society", "urban-lab-barcelona", "aalto"]},
        **{slug: COLLAB for slug in ["innova-biobio", "modernizacion-gobierno-digital", "banco-mundial"]},
        "gore-biobio": INVOLVED,
        **_LEADERS,
    },
    # Presentation of results in Santiago (hosted by CORFO) and Barcelona.
    "results": {**_LEADERS, "corfo": COLLAB, "gore-santiago": INFORMED},
}

K, S = Commitment.Kind, Commitment.Status
# organization slug, kind, component key (or ""), description, status
COMMITMENTS = [
    ("gore-biobio", K.VENUE, "", "Salas para la mayoría de los talleres de la actividad.", S.DELIVERED),
    ("corfo", K.IN_KIND, "", "Apoyo en especie de sus equipos en uno o más componentes.", S.DELIVERED),
    ("corfo", K.VENUE, "results", "Sede del taller de presentación de resultados en Santiago.", S.DELIVERED),
    ("innova-biobio", K.IN_KIND, "hub", "Apoyo de su equipo a la implementación del hub local.", S.AGREED),
    (
        "modernizacion-gobierno-digital",
        K.IN_KIND,
        "codesign",
        "Implementación y prueba con la ciudadanía de iTransConcepción.",
        S.DELIVERED,
    ),
    ("modernizacion-gobierno-digital", K.IN_KIND, "hub", "Apoyo al hub mediante la iniciativa GobLab.", S.AGREED),
    (
        "uoct",
        K.DATA,
        "vision",
        "Datos del centro de control (flujos e incidentes) para el inventario de datos y la competencia.",
        S.AGREED,
    ),
    *(
        (slug, K.SPONSORSHIP, "competition", "Patrocinio de la competencia MueveTT.", S.DELIVERED)
        for slug in ["movistar", "microsoft", "indra", "cvx-r", "cidere", "corbiobio"]
    ),
    ("mci-electronics", K.IN_KIND, "competition", "Materiales para los prototipos de MueveTT.", S.DELIVERED),
    *(
        (slug, K.MENTORSHIP, "competition", "Mentores para los equipos de MueveTT.", S.DELIVERED)
        for slug in [
            "wayra",
            "pais-digital",
            "universidad-de-concepcion",
            "universidad-del-bio-bio",
            "universidad-del-desarrollo",
            "duoc-uc",
            "inacap",
            "red-plus",
            "observatorio-metropolitano",
            "no-mas-abusos",
        ]
    ),
    (
        "wayra",
        K.IN_KIND,
        "competition",
        "Visitas a sus aceleradoras de Barcelona y Madrid en la gira de los equipos ganadores.",
        S.DELIVERED,
    ),
    ("universidad-de-concepcion", K.IN_KIND, "hub", "Formación en habilidades para la comunidad del hub.", S.PROPOSED),
    ("indra", K.IN_KIND, "hub", "Pruebas de soluciones con emprendedores locales.", S.PROPOSED),
]

CHAMPIONS = [
    # full name, kind, component key, notes
    (
        "Persona Demo UOCT Jefatura de Turno",
        Champion.Kind.CHAMPION,
        "codesign",
        "Tras ver funcionar en tiempo real el prototipo de Ciudadano te Informa.",
    ),
    (
        "Persona Demo UOCT Operación",
        Champion.Kind.CHAMPION,
        "codesign",
        "Tras ver funcionar en tiempo real el prototipo de Ciudadano te Informa.",
    ),
    ("Persona Demo SEREMITT", Champion.Kind.CHANGE_AGENT, "vision", "Identificado/a al cierre del taller de visión."),
    (
        "Persona Demo Municipalidad de Concepción",
        Champion.Kind.CHANGE_AGENT,
        "vision",
        "Identificado/a al cierre del taller de visión.",
    ),
    (
        "Persona Demo Municipalidad de Talcahuano",
        Champion.Kind.CHANGE_AGENT,
        "vision",
        "Identificado/a al cierre del taller de visión.",
    ),
    (
        "Persona Demo Municipalidad de San Pedro de la Paz",
        Champion.Kind.CHANGE_AGENT,
        "vision",
        "Identificado/a al cierre del taller de visión.",
    ),
]

MAPPING_DAY = date(2013, 11, 15)  # preliminary phase: mapping all stakeholders


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


# Seats in Gran Concepción (approximate points, within about 200 m), for the place search.
SEATS = {
    "municipalidad-concepcion": (-36.8264, -73.0499),
    "municipalidad-talcahuano": (-36.7245, -73.1160),
    "gore-biobio": (-36.8264, -73.0610),
    "universidad-de-concepcion": (-36.8296, -73.0352),
}


def _organization(spec: tuple[str, str, str, str, str, bool, str, str, str]) -> Organization:
    slug, name, acronym, sector, level, international, parent_slug, jurisdiction_slug, description = spec
    fields = {
        "name": name,
        "acronym": acronym,
        "sector": sector,
        "level": level,
        "is_international": international,
        "parent": Organization.objects.get(slug=parent_slug) if parent_slug else None,
        "jurisdiction": Jurisdiction.objects.filter(slug=jurisdiction_slug).first() if jurisdiction_slug else None,
        "description": description,
        "lat": SEATS.get(slug, (None, None))[0],
        "lon": SEATS.get(slug, (None, None))[1],
    }
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        return services.organization_create(slug=slug, **fields)
    changed = {k: v for k, v in fields.items() if getattr(organization, k) != v}
    if changed:
        organization = services.organization_update(organization=organization, **changed)
    return organization


def _person(full_name: str, email: str, phone: str) -> Person:
    return Person.objects.filter(full_name=full_name).first() or services.person_create(
        full_name=full_name, email=email, phone=phone, notes="Persona ficticia de la demostración."
    )


def load_organizations() -> None:
    for spec in ORGANIZATIONS:
        _organization(spec)
    for full_name, email, phone, org_slug, position in PEOPLE:
        person = _person(full_name, email, phone)
        organization = Organization.objects.get(slug=org_slug)
        if not Membership.objects.filter(person=person, organization=organization, position=position).exists():
            services.membership_add(person=person, organization=organization, position=position)


def _actor() -> User | None:
    return User.objects.filter(username="gestora", is_active=True).first()


def load_program_links() -> None:
    # The loader runs the programs demo first.
    link_program(Program.objects.get(slug=PROGRAM_SLUG), actor=_actor())


def link_program(program: Program, *, actor: User | None = None) -> None:
    """Roles, engagement, commitments and champions of the Gran Concepción report, on `program`."""
    organizations = {o.slug: o for o in Organization.objects.filter(slug__in=LINKS)}
    components: dict[str, Component] = {c.key: c for c in program.components.all()}
    start = _aware(MAPPING_DAY if program.start_date <= MAPPING_DAY <= program.end_date else program.start_date)

    def when(component: Component | None, *, end: bool = False) -> datetime:
        day = (component.end_date if end else component.start_date) if component else None
        return _aware(day) if day else start

    for slug, (roles, interest, influence, notes) in LINKS.items():
        services.program_stakeholder_set(
            program=program,
            organization=organizations[slug],
            roles=roles,
            interest=interest,
            influence=influence,
            notes=notes,
            actor=actor,
            occurred_at=start,
        )
    for key, levels in ENGAGEMENTS.items():
        component = components.get(key)
        if component is None:
            continue
        for slug, level in levels.items():
            services.engagement_set(
                program=program,
                organization=organizations[slug],
                component=component,
                level=level,
                actor=actor,
                occurred_at=when(component),
            )
    existing = {(c.organization_id, c.kind, c.description): c for c in Commitment.objects.filter(program=program)}
    for slug, kind, key, description, status in COMMITMENTS:
        organization = organizations[slug]
        component = components.get(key) if key else None
        found = existing.get((organization.pk, str(kind), description))
        if found is None:
            services.commitment_create(
                program=program,
                organization=organization,
                kind=kind,
                description=description,
                component=component,
                status=status,
                actor=actor,
                occurred_at=when(component),
            )
        elif found.status != status:
            services.commitment_set_status(commitment=found, status=status, actor=actor)
    people = {p.full_name: p for p in Person.objects.filter(full_name__in=[c[0] for c in CHAMPIONS])}
    for full_name, kind, key, notes in CHAMPIONS:
        person = people.get(full_name)
        if person is None:
            continue
        component = components.get(key)
        services.champion_add(
            program=program,
            person=person,
            kind=kind,
            component=component,
            notes=notes,
            actor=actor,
            occurred_at=when(component, end=True),
        )
