"""The report catalogue: the services citizens report to, and each commune's municipal units that receive them.

Each service maps to the FIWARE `Alert` model (smart-data-models dataModel.Alert): `category` from its
enumeration, `subCategory` from its list when one fits, empty when none does (the model has no value for street
lights, bus stops or traffic signals). Municipal services name Concepción's unit; the routing rules send them to
each commune's unit.
"""

from mueve.reports.models import ServiceAttribute, Severity
from mueve.reports.services import AttributeSpec
from mueve.stakeholders.models import Level, Organization, Sector
from mueve.stakeholders.services import organization_create
from mueve.territory.models import Jurisdiction

D = ServiceAttribute.Datatype

# Communes whose municipal lighting and traffic units receive reports (Table 2 names the traffic units of
# Concepción, Talcahuano and San Pedro de la Paz).
COMMUNES = [
    ("concepcion", "Concepción"),
    ("talcahuano", "Talcahuano"),
    ("san-pedro-de-la-paz", "San Pedro de la Paz"),
    ("chiguayante", "Chiguayante"),
    ("hualpen", "Hualpén"),
]

YES_NO = [("si", "Sí"), ("no", "No"), ("no-se", "No sé")]


def _services() -> list[dict]:
    return [
        {
            "code": "accidente-transito",
            "fusion": (250, 120),
            "name": "Accidente de tránsito",
            "description": "Choque, colisión o atropello en la vía. Si hay personas heridas, llame también al 131.",
            "group": "Tránsito",
            "keywords": ["choque", "colisión", "atropello", "accidente"],
            "agency": "uoct",
            "alert": ("traffic", "carAccident"),
            "severity": Severity.HIGH,
            "attributes": [
                AttributeSpec(
                    code="heridos",
                    datatype=D.SINGLEVALUELIST,
                    description="¿Hay personas heridas?",
                    required=True,
                    order=1,
                    values=YES_NO,
                ),
                AttributeSpec(
                    code="vehiculos",
                    datatype=D.MULTIVALUELIST,
                    description="Vehículos involucrados",
                    order=2,
                    values=[
                        ("auto", "Automóvil"),
                        ("bus", "Bus o micro"),
                        ("camion", "Camión"),
                        ("moto", "Motocicleta"),
                        ("bicicleta", "Bicicleta"),
                        ("peaton", "Peatón"),
                    ],
                ),
                AttributeSpec(
                    code="pistas-bloqueadas",
                    datatype=D.NUMBER,
                    description="¿Cuántas pistas quedaron bloqueadas?",
                    datatype_description="Un número entero, 0 si ninguna.",
                    order=3,
                ),
                AttributeSpec(
                    code="aviso-emergencia",
                    datatype=D.STRING,
                    description="Emergencias: Ambulancia (SAMU) 131, Carabineros 133, Bomberos 132.",
                    variable=False,
                    order=4,
                ),
            ],
        },
        {
            "code": "congestion",
            "fusion": (300, 90),
            "name": "Congestión",
            "description": "Tránsito detenido o muy lento.",
            "group": "Tránsito",
            "keywords": ["taco", "atochamiento", "congestión"],
            "agency": "uoct",
            "alert": ("traffic", "trafficJam"),
            "severity": Severity.MEDIUM,
            "attributes": [
                AttributeSpec(
                    code="nivel",
                    datatype=D.SINGLEVALUELIST,
                    description="¿Cómo avanza el tránsito?",
                    order=1,
                    values=[("lento", "Lento"), ("detenido", "Detenido")],
                ),
            ],
        },
        {
            "code": "semaforo-falla",
            "fusion": (100, 720),
            "name": "Semáforo con falla",
            "description": "Semáforo apagado, en intermitente, con luces quemadas o descoordinado.",
            "group": "Tránsito",
            "keywords": ["semáforo", "luz", "intermitente"],
            "agency": "uoct",
            "alert": ("traffic", "hazardOnRoad"),
            "severity": Severity.HIGH,
            "attributes": [
                AttributeSpec(
                    code="falla",
                    datatype=D.SINGLEVALUELIST,
                    description="¿Qué le pasa al semáforo?",
                    required=True,
                    order=1,
                    values=[
                        ("apagado", "Apagado"),
                        ("intermitente", "En amarillo intermitente"),
                        ("luz-quemada", "Una luz quemada"),
                        ("descoordinado", "Cambia mal o muy lento"),
                    ],
                ),
            ],
        },
        {
            "code": "obstruccion-via",
            "fusion": (200, 180),
            "name": "Obstrucción de la vía",
            "description": "Objeto, vehículo detenido, árbol caído o derrumbe que bloquea la calzada.",
            "group": "Tránsito",
            "keywords": ["obstáculo", "árbol caído", "derrumbe", "vehículo en panne"],
            "agency": "carabineros-transito",
            "alert": ("traffic", "hazardOnRoad"),
            "severity": Severity.HIGH,
            "attributes": [
                AttributeSpec(
                    code="pistas-bloqueadas",
                    datatype=D.NUMBER,
                    description="¿Cuántas pistas quedaron bloqueadas?",
                    order=1,
                ),
            ],
        },
        {
            "code": "anegamiento",
            "fusion": (300, 720),
            "name": "Anegamiento o inundación",
            "description": "Calle o paso bajo nivel inundado por lluvia o rotura de matriz.",
            "group": "Emergencias",
            "keywords": ["inundación", "agua", "lluvia", "anegamiento"],
            "agency": "onemi",
            "alert": ("naturalDisaster", "flood"),
            "severity": Severity.HIGH,
            "attributes": [
                AttributeSpec(
                    code="profundidad",
                    datatype=D.SINGLEVALUELIST,
                    description="¿Qué tan profunda es el agua?",
                    order=1,
                    values=[
                        ("charco", "Charcos, se puede pasar"),
                        ("rueda", "Hasta media rueda"),
                        ("intransitable", "Intransitable"),
                    ],
                ),
            ],
        },
        {
            "code": "luminaria-apagada",
            "fusion": (50, 10080),
            "name": "Luminaria apagada (Cuida tu Luz)",
            "description": "Poste de alumbrado público apagado, intermitente o dañado.",
            "group": "Alumbrado y espacio público",
            "keywords": ["luz", "poste", "alumbrado", "farol"],
            "agency": "municipalidad-concepcion-alumbrado",
            "alert": ("security", ""),
            "severity": Severity.LOW,
            "attributes": [
                AttributeSpec(
                    code="numero-poste",
                    datatype=D.STRING,
                    description="Número del poste, si lo ve",
                    order=1,
                ),
            ],
        },
        {
            "code": "paradero-vandalizado",
            "fusion": (30, 10080),
            "name": "Paradero dañado o vandalizado",
            "description": "Refugio peatonal de transporte público con daños.",
            "group": "Transporte público",
            "keywords": ["paradero", "refugio", "micro", "vandalismo"],
            "agency": "seremitt",
            "alert": ("security", ""),
            "severity": Severity.LOW,
            "attributes": [
                AttributeSpec(
                    code="danos",
                    datatype=D.MULTIVALUELIST,
                    description="¿Qué está dañado?",
                    order=1,
                    values=[
                        ("vidrio", "Vidrio o panel"),
                        ("techo", "Techo"),
                        ("asiento", "Asiento"),
                        ("informacion", "Información de recorridos"),
                        ("rayado", "Rayado"),
                    ],
                ),
            ],
        },
        {
            "code": "senal-danada",
            "fusion": (50, 10080),
            "name": "Señal de tránsito dañada",
            "description": "Señal caída, girada, ilegible o faltante.",
            "group": "Tránsito",
            "keywords": ["señal", "pare", "ceda el paso", "letrero"],
            "agency": "municipalidad-concepcion-transito",
            "alert": ("traffic", "hazardOnRoad"),
            "severity": Severity.MEDIUM,
            "attributes": [],
        },
        {
            "code": "bache",
            "fusion": (50, 20160),
            "name": "Bache",
            "description": "Hoyo o hundimiento en la calzada.",
            "group": "Calles y veredas",
            "keywords": ["hoyo", "bache", "pavimento"],
            "agency": "municipalidad-concepcion",
            "alert": ("traffic", "pothole"),
            "severity": Severity.MEDIUM,
            "attributes": [
                AttributeSpec(
                    code="tamano",
                    datatype=D.SINGLEVALUELIST,
                    description="Tamaño aproximado",
                    order=1,
                    values=[("pequeno", "Menos de 30 cm"), ("mediano", "30 cm a 1 m"), ("grande", "Más de 1 m")],
                ),
            ],
        },
    ]


def _municipal_units() -> None:
    """Lighting and traffic units of each commune (created once; existing slugs are left as they are)."""
    for slug, name in COMMUNES:
        jurisdiction = Jurisdiction.objects.filter(slug=slug).first()
        parent = Organization.objects.filter(slug=f"municipalidad-{slug}").first()
        if parent is None:
            parent = organization_create(
                name=f"Municipalidad de {name}",
                slug=f"municipalidad-{slug}",
                sector=Sector.GOVERNMENT,
                level=Level.MUNICIPAL,
                jurisdiction=jurisdiction,
            )
        for unit_slug, unit_name in (("alumbrado", "Alumbrado Público"), ("transito", "Dirección de Tránsito")):
            if not Organization.objects.filter(slug=f"municipalidad-{slug}-{unit_slug}").exists():
                organization_create(
                    name=f"{unit_name} — Municipalidad de {name}",
                    slug=f"municipalidad-{slug}-{unit_slug}",
                    sector=Sector.GOVERNMENT,
                    level=Level.MUNICIPAL,
                    parent=parent,
                    jurisdiction=jurisdiction,
                )
