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


# --- Refugio Inteligente ---------------------------------------------------------------------------------------------

# Shelters on stops of the demo's illustrative lines (mueve.demo.transit): code, name, feed stop_id, months smart,
# vandalism incidents per month over the year before (oldest first) and since. Illustrative figures.
SHELTERS = [
    ("refugio-paicavi", "Refugio Av. Paicaví con Freire (ilustrativo)", "10-02", 4,
     [2, 1, 3, 2, 2, 4, 1, 3, 2, 2, 3, 2], [1, 0, 1, 0]),
    ("refugio-los-carrera", "Refugio Av. Los Carrera con Tucapel (ilustrativo)", "20-02", 6,
     [1, 2, 2, 1, 3, 1, 2, 2, 1, 2, 2, 1], [1, 0, 0, 1, 0, 0]),
    ("refugio-udec", "Refugio Av. Pedro de Valdivia, Universidad de Concepción (ilustrativo)", "30-02", 3,
     [3, 2, 2, 4, 3, 2, 3, 3, 2, 4, 3, 2], [1, 1, 0]),
]  # fmt: skip
MODULES = [
    ("techo", "roof", "Techo"),
    ("vidrio-izquierdo", "glass", "Panel de vidrio izquierdo"),
    ("vidrio-derecho", "glass", "Panel de vidrio derecho"),
    ("banca", "bench", "Banca"),
    ("wifi", "wifi", "Punto Wi-Fi"),
    ("usb", "usb", "Cargador USB"),
    ("pantalla", "screen", "Pantalla de llegadas"),
]
SENSED = {"vidrio-izquierdo", "vidrio-derecho", "techo", "wifi", "usb"}  # the modules with a sensor


def _month_start(day, back: int):
    from mueve.sensors.shelters.selectors import add_months

    return add_months(day.replace(day=1), -back)


def _history(shelter, manager, before: list[int], after: list[int]) -> None:
    """Vandalism reported by citizens at the shelter, month by month (generated, marked so), closed by the
    control centre: before it became smart, and since."""
    from datetime import datetime, timedelta

    from django.utils import timezone

    from mueve.reports import services as reports
    from mueve.reports.models import Report

    months = [(_month_start(shelter.smart_since, len(before) - i), n) for i, n in enumerate(before)]
    months += [(_month_start(shelter.smart_since, -i), n) for i, n in enumerate(after)]
    today = timezone.localdate()
    for month, count in months:
        for k in range(count):
            day = month + timedelta(days=3 + k * 9)
            if day >= today:
                continue
            report = reports.report_submit(
                service=shelter.service,
                lat=shelter.lat,
                lon=shelter.lon,
                asset=shelter.asset,
                description="Vidrio roto o rayados en el paradero (reporte generado para la demostración).",
                source=Report.Source.GENERATED,
                requested_at=timezone.make_aware(datetime(day.year, day.month, day.day, 22, 10)),
                idempotency_key=f"demo-{shelter.code}-{month:%Y%m}-{k}",
            )
            report.refresh_from_db(fields=["incident"])
            if report.incident is not None and report.incident.is_active:
                reports.incident_resolve(incident=report.incident, actor=manager, note="Reparado (demostración).")


def _use(devices: dict, seed: int) -> None:
    """The last six days of Wi-Fi sessions and USB charges, hour by hour, through the ingest as devices send them."""
    import json
    import random
    from datetime import timedelta

    from django.utils import timezone

    from mueve.sensors.services.ingest import Message, ingest_batch

    rng = random.Random(seed)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    messages = []
    for hours_back in range(6 * 24, 0, -1):
        moment = now - timedelta(hours=hours_back)
        hour = timezone.localtime(moment).hour
        busy = 1.0 if hour in (7, 8, 13, 18, 19) else 0.5 if 6 <= hour <= 22 else 0.05
        for code, metric, peak in (("wifi", "wifiSessions", 14), ("usb", "usbCharges", 4)):
            value = max(0, round(peak * busy + rng.uniform(-1, 1)))
            body = {metric: value, "observedAt": moment.isoformat()}
            messages.append(Message(device_uid=devices[code].uid, payload=json.dumps(body), via="http"))
    ingest_batch(messages)


def load_shelters() -> None:
    """Three smart shelters on the demo's lines, their modules and sensors, a year of vandalism before and the
    months since, a week of use, and one recent blow on a glass panel (through the ingest, as the sensor sends it)."""
    import json
    from datetime import timedelta

    from django.utils import timezone

    from mueve.demo import transit as demo_transit
    from mueve.reports import services as reports
    from mueve.sensors.services.ingest import Message, ingest_batch
    from mueve.sensors.shelters.models import Shelter
    from mueve.sensors.shelters.services import module_mount, module_upsert, shelter_upsert, shelters_on_stored
    from mueve.transit.models import Feed, Stop

    jurisdiction = Jurisdiction.objects.get(slug=JURISDICTION_SLUG)
    manager = User.objects.filter(username="gestora").first()
    feed = Feed.objects.filter(slug=demo_transit.FEED_SLUG).first()
    if manager is None or feed is None:
        return
    maintainer = Organization.objects.get(slug="municipalidad-concepcion")
    service = Service.objects.get(jurisdiction=jurisdiction, code="paradero-vandalizado")
    today = timezone.localdate()
    for n, (code, name, stop_id, months_smart, before, after) in enumerate(SHELTERS):
        stop = Stop.objects.filter(feed=feed, stop_id=stop_id).first()
        if stop is None:
            continue
        existing = Shelter.objects.filter(jurisdiction=jurisdiction, code=code).first()
        asset = reports.asset_upsert(
            jurisdiction=jurisdiction,
            kind=Asset.Kind.BUS_STOP,
            code=code,
            name=name,
            lat=stop.lat,
            lon=stop.lon,
            service=service,
        )
        shelter = shelter_upsert(
            jurisdiction=jurisdiction,
            code=code,
            name=name,
            lat=stop.lat,
            lon=stop.lon,
            maintainer=maintainer,
            service=service,
            smart_since=existing.smart_since if existing else _month_start(today, months_smart),
            feed=feed,
            stop_id=stop_id,
            asset=asset,
        )
        devices = {}
        for module_code, kind, module_name in MODULES:
            module = module_upsert(shelter=shelter, code=module_code, kind=kind, name=module_name)
            if module_code not in SENSED:
                continue
            uid = f"{code}-{module_code}"
            device = Device.objects.filter(uid=uid).first()
            if device is None:
                device, _secret = device_provision(
                    actor=manager,
                    uid=uid,
                    name=f"Sensor {module_name.lower()}, {name}",
                    kind=Device.Kind.SHELTER_MODULE,
                    owner=maintainer,
                    jurisdiction=jurisdiction,
                    lat=stop.lat,
                    lon=stop.lon,
                    asset=asset,
                )
            module_mount(module=module, device=device)
            devices[module_code] = device
        if existing is not None:
            continue  # loaded before: its history and readings are there
        _history(shelter, manager, before, after)
        _use(devices, seed=n)
        if n == 0:
            glass = devices["vidrio-izquierdo"]
            blow = timezone.now().replace(microsecond=0) - timedelta(hours=5)
            for minutes, values in ((0, {"impact": 52.0}), (1, {"impact": 64.0, "glassBreak": 1})):
                body = {**values, "observedAt": (blow + timedelta(minutes=minutes)).isoformat()}
                ingest_batch([Message(device_uid=glass.uid, payload=json.dumps(body), via="http")])
            # Inside the demo's transaction the ingest's after-commit hooks wait: the hits are recorded now.
            shelters_on_stored({(glass.pk, "impact"), (glass.pk, "glassBreak")})
