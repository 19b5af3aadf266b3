"""The Gran Concepción report catalogue ("Ciudadano te Informa", seed Box 2 and Table 3) and a demo API key.

Services are the problems the seed's concepts deal with: traffic incidents sent to the traffic control
centre (UOCT), broken street lights (Cuida tu Luz), vandalised bus stops (Refugio Inteligente) and
other city problems. Each service maps to the FIWARE `Alert` model (smart-data-models dataModel.Alert):
`category` from its enumeration, `subCategory` from its list when one fits, empty when none does (the
model has no value for street lights, bus stops or traffic signals).

Each service names the agency that receives it by default (used when no routing rule matches).
Municipal services name Concepción's unit there; the rules send them to each commune's unit.

Routing rules send each category to its agency by commune (injured people: SAMU and Carabineros told too);
street lights and bus stops are adoptable assets; a few hundred GENERATED reports over the last week
(source "generated", descriptions marked "[Generado]", seed 2014) are fused into incidents, and the
operator has acknowledged, resolved or discarded the older ones.

The demo API key is a well-known constant, so `make demo` can print it on every load and a second
load changes nothing. Everything goes through the services.
"""

import random
from datetime import timedelta

from django.utils import timezone

from mueve.accounts.models import User
from mueve.core.geo import M_PER_DEG_LAT
from mueve.reports import services
from mueve.reports.models import ApiKey, Asset, Incident, Report, Service, ServiceAttribute, Severity
from mueve.reports.services import AttributeSpec
from mueve.stakeholders.models import Level, Organization, Sector
from mueve.stakeholders.services import organization_create
from mueve.territory.models import Area, Jurisdiction

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
    _ensure_agencies()
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
            fusion_radius_m=spec["fusion"][0],
            fusion_window_minutes=spec["fusion"][1],
            actor=manager,
        )
    _routing_rules(jurisdiction, manager)
    _assets(jurisdiction)
    _generated_reports(jurisdiction)
    return _demo_key(manager)


# --- agencies, routing, assets and generated reports ------------------------------------------------------------

# Agencies that receive reports (seed Table 2). The stakeholders demo usually created them already.
AGENCIES = [
    ("uoct", "Unidad Operativa de Control de Tránsito del Gran Concepción", "UOCT", Level.REGIONAL),
    ("samu", "Servicio de Atención Médica de Urgencia", "SAMU", Level.REGIONAL),
    ("carabineros-transito", "Carabineros de Chile — Departamento de Tránsito", "Carabineros", Level.REGIONAL),
    ("onemi", "Oficina Nacional de Emergencia", "ONEMI", Level.NATIONAL),
    (
        "seremitt",
        "Secretaría Regional Ministerial de Transportes y Telecomunicaciones del Biobío",
        "SEREMITT",
        Level.REGIONAL,
    ),
]


def _ensure_agencies() -> None:
    for slug, name, acronym, level in AGENCIES:
        if not Organization.objects.filter(slug=slug).exists():
            organization_create(name=name, acronym=acronym, slug=slug, sector=Sector.GOVERNMENT, level=level)


def _routing_rules(jurisdiction: Jurisdiction, manager: User) -> None:
    """Category × commune → agency. Injured people: SAMU and Carabineros are told too. Fallback: Concepción."""
    service = {s.code: s for s in Service.objects.filter(jurisdiction=jurisdiction)}
    areas = {a.code: a for a in Area.objects.filter(jurisdiction=jurisdiction)}
    rule = services.routing_rule_save
    rule(
        jurisdiction=jurisdiction,
        service=service["accidente-transito"],
        attribute_code="heridos",
        attribute_value="si",
        agency=_agency("uoct"),
        also_notify=[_agency("samu"), _agency("carabineros-transito")],
        order=10,
        name="Accidente con personas heridas",
        actor=manager,
    )
    rule(
        jurisdiction=jurisdiction,
        service=service["accidente-transito"],
        agency=_agency("uoct"),
        also_notify=[_agency("carabineros-transito")],
        order=20,
        name="Accidente de tránsito",
        actor=manager,
    )
    for code in ("congestion", "semaforo-falla"):
        rule(jurisdiction=jurisdiction, service=service[code], agency=_agency("uoct"), order=20, actor=manager)
    rule(
        jurisdiction=jurisdiction,
        service=service["obstruccion-via"],
        agency=_agency("carabineros-transito"),
        also_notify=[_agency("uoct")],
        order=20,
        actor=manager,
    )
    rule(
        jurisdiction=jurisdiction,
        service=service["anegamiento"],
        agency=_agency("onemi"),
        also_notify=[_agency("uoct")],
        order=20,
        actor=manager,
    )
    rule(jurisdiction=jurisdiction, service=service["paradero-vandalizado"], agency=_agency("seremitt"), actor=manager)
    for slug, name in COMMUNES:
        area = areas.get(slug)
        if area is None:
            continue
        for code, unit in (("luminaria-apagada", "alumbrado"), ("senal-danada", "transito"), ("bache", "")):
            agency = _agency(f"municipalidad-{slug}-{unit}" if unit else f"municipalidad-{slug}")
            rule(
                jurisdiction=jurisdiction,
                service=service[code],
                area=area,
                agency=agency,
                order=30,
                name=f"{service[code].name} en {name}",
                actor=manager,
            )
    rule(
        jurisdiction=jurisdiction,
        agency=_agency("municipalidad-concepcion"),
        order=1000,
        name="Respaldo: Municipalidad de Concepción",
        actor=manager,
    )


# (code, name, lat, lon): illustrative positions on real streets, not an inventory of the real network.
STREET_LIGHTS = [
    ("CON-L-0101", "Plaza de la Independencia, costado Barros Arana", -36.82700, -73.05030),
    ("CON-L-0102", "Plaza de la Independencia, costado O'Higgins", -36.82650, -73.05070),
    ("CON-L-0215", "Parque Ecuador frente a calle Caupolicán", -36.83150, -73.05180),
    ("CON-L-0216", "Parque Ecuador frente a calle Rengo", -36.83190, -73.04960),
    ("CON-L-0330", "Diagonal Pedro Aguirre Cerda con Serrano", -36.83030, -73.04600),
    ("TAL-L-0044", "Plaza de Armas de Talcahuano", -36.71400, -73.11350),
    ("TAL-L-0051", "Avenida Colón con Cruz", -36.72500, -73.11600),
    ("SPP-L-0012", "Avenida Pedro Aguirre Cerda, Villa San Pedro", -36.84300, -73.10000),
    ("HUA-L-0020", "Avenida Las Golondrinas con Colón", -36.78600, -73.09000),
    ("CHI-L-0031", "Avenida Manuel Rodríguez, Chiguayante centro", -36.91700, -73.02900),
]
BUS_STOPS = [
    ("PC-0412", "Paradero Los Carrera con Paicaví", -36.82150, -73.04450),
    ("PC-0418", "Paradero Chacabuco con Tucapel", -36.83050, -73.04550),
    ("PC-0533", "Paradero Terminal Collao", -36.80200, -73.03500),
    ("PT-0107", "Paradero Colón con Valdivia, Talcahuano", -36.72100, -73.11450),
    ("PS-0210", "Paradero Pedro Aguirre Cerda, San Pedro de la Paz", -36.84350, -73.10250),
    ("PH-0301", "Paradero Colón, Hualpén", -36.78400, -73.09200),
]


def _assets(jurisdiction: Jurisdiction) -> None:
    lights = Service.objects.get(jurisdiction=jurisdiction, code="luminaria-apagada")
    stops = Service.objects.get(jurisdiction=jurisdiction, code="paradero-vandalizado")
    for kind, service, rows in (
        (Asset.Kind.STREET_LIGHT, lights, STREET_LIGHTS),
        (Asset.Kind.BUS_STOP, stops, BUS_STOPS),
    ):
        for code, name, lat, lon in rows:
            services.asset_upsert(
                jurisdiction=jurisdiction, kind=kind, code=code.lower(), name=name, lat=lat, lon=lon, service=service
            )
    citizen = User.objects.filter(username="ciudadana").first()
    if citizen is not None:
        for code in ("con-l-0101", "con-l-0215", "pc-0412"):
            services.asset_adopt(asset=Asset.objects.get(jurisdiction=jurisdiction, code=code), user=citizen)


# Places where generated reports happen (commune, place, lat, lon, services most reported there).
HOTSPOTS = [
    (
        "Concepción",
        "Los Carrera con Paicaví",
        -36.8215,
        -73.0445,
        ["congestion", "accidente-transito", "semaforo-falla"],
    ),
    (
        "Concepción",
        "Chacabuco con Tucapel",
        -36.8305,
        -73.0455,
        ["semaforo-falla", "congestion", "paradero-vandalizado"],
    ),
    ("Concepción", "Plaza de la Independencia", -36.8270, -73.0503, ["luminaria-apagada", "bache", "senal-danada"]),
    ("Concepción", "Parque Ecuador", -36.8317, -73.0507, ["luminaria-apagada", "anegamiento", "bache"]),
    (
        "Concepción",
        "Acceso Puente Llacolén",
        -36.8340,
        -73.0620,
        ["congestion", "accidente-transito", "obstruccion-via"],
    ),
    ("Concepción", "Terminal Collao", -36.8020, -73.0350, ["congestion", "paradero-vandalizado", "bache"]),
    ("Concepción", "Avenida Los Carrera con Prat", -36.8235, -73.0570, ["anegamiento", "semaforo-falla", "congestion"]),
    ("Talcahuano", "Colón con Cruz", -36.7250, -73.1160, ["congestion", "accidente-transito", "luminaria-apagada"]),
    ("Talcahuano", "Plaza de Armas", -36.7140, -73.1135, ["luminaria-apagada", "bache", "senal-danada"]),
    (
        "Talcahuano",
        "Autopista Concepción–Talcahuano, Las Higueras",
        -36.7560,
        -73.0850,
        ["accidente-transito", "congestion"],
    ),
    ("San Pedro de la Paz", "Pedro Aguirre Cerda", -36.8430, -73.1000, ["congestion", "paradero-vandalizado", "bache"]),
    ("San Pedro de la Paz", "Los Batros", -36.8600, -73.1090, ["anegamiento", "bache", "luminaria-apagada"]),
    (
        "Hualpén",
        "Colón con Las Golondrinas",
        -36.7860,
        -73.0900,
        ["congestion", "semaforo-falla", "accidente-transito"],
    ),
    (
        "Chiguayante",
        "Manuel Rodríguez centro",
        -36.9170,
        -73.0290,
        ["luminaria-apagada", "congestion", "obstruccion-via"],
    ),
    ("Chiguayante", "Estación Chiguayante", -36.9250, -73.0260, ["anegamiento", "paradero-vandalizado", "bache"]),
]

DESCRIPTIONS = {
    "accidente-transito": ["Choque entre dos autos", "Colisión por alcance", "Moto caída en la pista", "Atropello"],
    "congestion": ["Taco enorme, no avanza", "Tránsito detenido hace 20 minutos", "Muy lento en ambos sentidos"],
    "semaforo-falla": ["Semáforo apagado", "Está en amarillo intermitente", "Cambia muy rápido, no alcanzan a cruzar"],
    "obstruccion-via": ["Camión en panne", "Árbol caído en la calzada", "Escombros en la pista derecha"],
    "anegamiento": ["Calle inundada", "El paso bajo nivel está con agua", "Agua hasta media rueda"],
    "luminaria-apagada": ["Poste apagado hace días", "La luz parpadea toda la noche", "Foco roto"],
    "paradero-vandalizado": ["Vidrio del paradero roto", "Rayaron el panel de recorridos", "Le falta el asiento"],
    "senal-danada": ["Señal PARE caída", "Señal girada, no se ve", "Falta la señal de ceda el paso"],
    "bache": ["Hoyo grande en la pista", "Bache profundo, peligroso para motos", "Hundimiento del pavimento"],
}
GENERATED_EVENTS = 110
GENERATED_SEED = 2014


def _attributes_for(code: str, rng: random.Random) -> dict:
    if code == "accidente-transito":
        return {
            "heridos": rng.choices(["si", "no", "no-se"], weights=[2, 6, 2])[0],
            "pistas-bloqueadas": str(rng.randint(0, 2)),
        }
    if code == "semaforo-falla":
        return {"falla": rng.choice(["apagado", "intermitente", "luz-quemada", "descoordinado"])}
    if code == "congestion":
        return {"nivel": rng.choice(["lento", "detenido"])}
    if code == "anegamiento":
        return {"profundidad": rng.choice(["charco", "rueda", "intransitable"])}
    return {}


def _generated_reports(jurisdiction: Jurisdiction) -> None:
    """A few hundred GENERATED reports over the last week (source=generated, marked in the description), fused
    into incidents as they arrive, and the operator's work on the older ones. Deterministic (seed 2014); loaded
    once: a second load finds them and changes nothing."""
    if Report.objects.filter(jurisdiction=jurisdiction, source=Report.Source.GENERATED).exists():
        return
    rng = random.Random(GENERATED_SEED)
    catalogue = Service.objects.filter(jurisdiction=jurisdiction).select_related("jurisdiction")
    by_code = {s.code: s for s in catalogue.prefetch_related("attributes__values")}
    citizen = User.objects.filter(username="ciudadana").first()
    operator = User.objects.filter(username="operadora").first()
    now = timezone.now().replace(second=0, microsecond=0)
    planned = []
    for event in range(GENERATED_EVENTS):
        _commune, place, lat, lon, codes = rng.choice(HOTSPOTS)
        code = rng.choice(codes)
        service = by_code[code]
        start = now - timedelta(minutes=rng.randint(30, 7 * 24 * 60))
        # A few reports per event, close in space and within the service's window: they fuse.
        for k in range(rng.choices([1, 2, 3, 4, 6, 8], weights=[4, 4, 3, 2, 1, 1])[0]):
            minutes = rng.uniform(0, min(service.fusion_window_minutes * 0.6, 90))
            spread = service.fusion_radius_m * 0.3 / M_PER_DEG_LAT
            planned.append(
                (
                    start + timedelta(minutes=minutes),
                    service,
                    lat + rng.uniform(-spread, spread),
                    lon + rng.uniform(-spread, spread),
                    place,
                    f"demo-{event}-{k}",
                )
            )
    planned.sort(key=lambda row: row[0])
    for i, (moment, service, lat, lon, place, device) in enumerate(planned):
        if moment > now:
            continue
        services.report_submit(
            service=service,
            lat=round(lat, 6),
            lon=round(lon, 6),
            address_string=place,
            description=f"[Generado] {rng.choice(DESCRIPTIONS[service.code])}.",
            attributes=_attributes_for(service.code, rng),
            device_id=device,
            reporter=citizen if citizen is not None and i % 23 == 0 else None,
            source=Report.Source.GENERATED,
            requested_at=moment,
        )
    if operator is None:
        return
    # The operator has worked the older incidents: most acknowledged, many resolved, a few discarded.
    for incident in Incident.objects.filter(jurisdiction=jurisdiction).order_by("opened_at", "pk"):
        age = now - incident.last_report_at
        roll = rng.random()
        if age < timedelta(hours=2) or roll < 0.15:
            continue
        if roll < 0.2:
            services.incident_reject(incident=incident, actor=operator, reason="invalid", note="No se encontró nada.")
            continue
        incident = services.incident_acknowledge(incident=incident, actor=operator)
        if age > timedelta(hours=12) and roll < 0.85:
            services.incident_resolve(incident=incident, actor=operator, note="Atendido por el organismo.")
        elif roll < 0.5:
            services.incident_dispatch(incident=incident, actor=operator)
