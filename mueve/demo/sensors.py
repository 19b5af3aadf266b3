"""Sensors in the demo: a few street lights of Cuida tu Luz with a sensor, and two traffic counters on main avenues
of Concepción, with the rules that open incidents from them. Illustrative: the devices are not real ones (their
names say «(ilustrativo)»), and their readings come from `manage.py simulatesensors`, which says it simulates.

i-BiciPark: two racks in Concepción (the Universidad de Concepción's library, the municipality's at Plaza de la
Independencia), each with its camera and weight-sensing slots; the demo citizen has a bicycle checked into one, and
the university's security guard (`seguridad-udec`, of mueve.demo.accounts) watches its desk,
/bicipark/seguridad/universidad-de-concepcion/."""

from mueve.accounts.models import User
from mueve.reports.models import Asset, Service
from mueve.sensors.bicipark.models import Rack, Slot
from mueve.sensors.bicipark.services import rack_install, slot_check_in
from mueve.sensors.models import Device, Rule
from mueve.sensors.services.devices import device_provision
from mueve.stakeholders.models import Organization
from mueve.territory.models import Jurisdiction

JURISDICTION_SLUG = "gran-concepcion"
# Lights of the generated centre grid (mueve.demo.neighbourhood), the first two the demo citizen adopted.
LIGHTS = ["gen-con-l-0040", "gen-con-l-0041", "gen-con-l-0042", "gen-con-l-0043"]
# slug, name, address, owner organization slug, lat, lon, slots
RACKS = [
    (
        "udec-biblioteca",
        "Bicicletero Biblioteca Central UdeC (ilustrativo)",
        "Víctor Lamas 1290, Concepción",
        "universidad-de-concepcion",
        -36.8290,
        -73.0362,
        8,
    ),
    (
        "plaza-independencia",
        "Bicicletero Plaza de la Independencia (ilustrativo)",
        "Barros Arana con Caupolicán, Concepción",
        "municipalidad-concepcion",
        -36.8270,
        -73.0503,
        6,
    ),
]
COUNTERS = [
    ("contador-paicavi", "Contador Av. Paicaví con Los Carrera (ilustrativo)", -36.8215, -73.0450),
    ("contador-los-carrera", "Contador Av. Los Carrera con Prat (ilustrativo)", -36.8235, -73.0570),
]


def load() -> None:
    jurisdiction = Jurisdiction.objects.get(slug=JURISDICTION_SLUG)
    manager = User.objects.filter(username="gestora").first()
    if manager is None:
        return
    municipality = Organization.objects.get(slug="municipalidad-concepcion")
    uoct = Organization.objects.get(slug="uoct")
    for code in LIGHTS:
        asset = Asset.objects.get(jurisdiction=jurisdiction, code=code)
        uid = f"sensor-{code}"
        if not Device.objects.filter(uid=uid).exists():
            device_provision(
                actor=manager,
                uid=uid,
                name=f"Sensor de {asset.name} (ilustrativo)",
                kind=Device.Kind.STREET_LIGHT,
                owner=municipality,
                jurisdiction=jurisdiction,
                lat=asset.lat,
                lon=asset.lon,
                asset=asset,
            )
    for uid, name, lat, lon in COUNTERS:
        if not Device.objects.filter(uid=uid).exists():
            device_provision(
                actor=manager,
                uid=uid,
                name=name,
                kind=Device.Kind.TRAFFIC_COUNTER,
                owner=uoct,
                jurisdiction=jurisdiction,
                lat=lat,
                lon=lon,
            )
    lights = Service.objects.get(jurisdiction=jurisdiction, code="luminaria-apagada")
    congestion = Service.objects.get(jurisdiction=jurisdiction, code="congestion")
    rules = [
        {
            "name": "Cuida tu Luz: luminaria apagada de noche",
            "device_kind": Device.Kind.STREET_LIGHT,
            "metric": "power",
            "operator": "<=",
            "value": 0,
            "minutes": 15,
            "night_only": True,
            "action": Rule.Action.OPEN_INCIDENT,
            "service": lights,
            "description": "Luminaria apagada de noche según su sensor",
        },
        {
            "name": "Congestión: velocidad media bajo 15 km/h",
            "device_kind": Device.Kind.TRAFFIC_COUNTER,
            "metric": "averageVehicleSpeed",
            "operator": "<",
            "value": 15,
            "minutes": 10,
            "action": Rule.Action.OPEN_INCIDENT,
            "service": congestion,
            "description": "Congestión según el contador de tránsito",
        },
        {
            "name": "Contador sin datos de flujo",
            "device_kind": Device.Kind.TRAFFIC_COUNTER,
            "metric": "intensity",
            "kind": Rule.Kind.ABSENCE,
            "minutes": 30,
        },
    ]
    for fields in rules:
        rule = Rule.objects.filter(jurisdiction=jurisdiction, name=fields["name"]).first() or Rule(
            jurisdiction=jurisdiction
        )
        for key, value in fields.items():
            setattr(rule, key, value)
        rule.full_clean()
        rule.save()
    load_bicipark(jurisdiction, manager)


def load_bicipark(jurisdiction, manager) -> None:
    for slug, name, address, org_slug, lat, lon, slots in RACKS:
        if Rack.objects.filter(slug=slug).exists():
            continue
        rack_install(
            actor=manager,
            slug=slug,
            name=name,
            organization=Organization.objects.get(slug=org_slug),
            jurisdiction=jurisdiction,
            lat=lat,
            lon=lon,
            slots=slots,
            address=address,
        )
    citizen = User.objects.filter(username="ciudadana").first()
    slot = Slot.objects.filter(code="udec-biblioteca-3").first()
    if citizen is not None and slot is not None and not slot.parkings.exists():
        slot_check_in(cyclist=citizen, slot=slot)
