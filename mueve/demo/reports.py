"""The Gran Concepción report catalogue ("Ciudadano te Informa", seed Box 2 and Table 3) and a demo API key.

Services are the problems the seed's concepts deal with: traffic incidents sent to the traffic control
centre (UOCT), broken street lights (Cuida tu Luz), vandalised bus stops (Refugio Inteligente) and
other city problems. Each service maps to the FIWARE `Alert` model (smart-data-models dataModel.Alert):
`category` from its enumeration, `subCategory` from its list when one fits, empty when none does (the
model has no value for street lights, bus stops or traffic signals).

Each service names the agency that receives it by default. Municipal services name Concepción's unit
until routing by area (category × commune) is in place; the lighting and traffic units of the other
communes are created already so routing rules can point at them.

The demo API key is a well-known constant, so `make demo` can print it on every load and a second
load changes nothing. Everything goes through the services.
"""

from mueve.accounts.models import User
from mueve.reports import services
from mueve.reports.models import ApiKey, ServiceAttribute, Severity
from mueve.reports.services import AttributeSpec
from mueve.stakeholders.models import Level, Organization, Sector
from mueve.stakeholders.services import organization_create
from mueve.territory.models import Jurisdiction

DEMO_API_KEY = "o311_demo_gran_concepcion_2014"
DEMO_APPLICATION = "Aplicación de demostración (Open311)"
JURISDICTION_SLUG = "gran-concepcion"

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


def _agency(slug: str) -> Organization:
    return Organization.objects.get(slug=slug)


def _demo_key(manager: User) -> str:
    if ApiKey.objects.filter(key_hash=ApiKey.hash_key(DEMO_API_KEY), status=ApiKey.Status.APPROVED).exists():
        return DEMO_API_KEY
    request = services.api_key_request(
        application_name=DEMO_APPLICATION,
        contact_email="open311@demo.mueve.cl",
        description="Clave pública de la demo, para probar clientes Open311. No usar en producción.",
    )
    _api_key, key = services.api_key_approve(api_key=request, actor=manager, key=DEMO_API_KEY)
    return key


def load() -> str:
    """Loads the catalogue (needs the territory, stakeholders and accounts demos); returns the demo API key."""
    jurisdiction = Jurisdiction.objects.get(slug=JURISDICTION_SLUG)
    manager = User.objects.get(username="gestora")
    _municipal_units()
    for position, spec in enumerate(_services(), start=1):
        category, subcategory = spec["alert"]
        services.service_upsert(
            jurisdiction=jurisdiction,
            code=spec["code"],
            name=spec["name"],
            description=spec["description"],
            group=spec["group"],
            keywords=spec["keywords"],
            agency=_agency(spec["agency"]),
            alert_category=category,
            alert_subcategory=subcategory,
            default_severity=spec["severity"],
            order=position,
            attributes=spec["attributes"],
            actor=manager,
        )
    return _demo_key(manager)
