"""Who receives each report (agencies and routing rules by commune) and the adoptable assets."""

from mueve.accounts.models import User
from mueve.demo.reports.catalogue import COMMUNES
from mueve.reports import services
from mueve.reports.models import Asset, Service
from mueve.stakeholders.models import Level, Organization, Sector
from mueve.stakeholders.services import organization_create
from mueve.territory.models import Area, Jurisdiction

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


def _agency(slug: str) -> Organization:
    return Organization.objects.get(slug=slug)


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
