"""How a device and its readings look as an NGSI-LD entity (normalized representation, ETSI GS CIM 009 §4.5).

Entity id `urn:ngsi-ld:<Type>:<uid>`, type the kind's Smart Data Model (Device.SMART_DATA_MODELS). Public
attributes only: name, owner (the organization's name), location (GeoProperty) and each metric's latest reading
as a Property with its value, observedAt and unitCode. Never keys, hashes or people.
"""

from datetime import UTC, datetime

from django.db.models import Max

from mueve.sensors.models import Device, Reading

CORE_CONTEXT = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.6.jsonld"
SDM_CONTEXT = "https://smartdatamodels.org/context.jsonld"
CONTEXT = [SDM_CONTEXT, CORE_CONTEXT]
LINK = f'<{SDM_CONTEXT}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'
PREFIX = "urn:ngsi-ld:"

# UCUM / SenML symbols of mueve.sensors.metrics -> UN/CEFACT Recommendation 20 common codes (NGSI-LD unitCode).
UNIT_CODES = {
    "W": "WTT",  # watt
    "lx": "LUX",  # lux
    "1/h": "H10",  # reciprocal hour (vehicles per hour)
    "km/h": "KMH",  # kilometre per hour
    "%": "P1",  # percent
    "kg": "KGM",  # kilogram
    "1": "C62",  # one (counts, booleans)
    "m/s2": "MSK",  # metre per second squared
    "Cel": "CEL",  # degree Celsius
}
UNITS_BY_CODE = {code: unit for unit, code in UNIT_CODES.items()}
BASE_ATTRIBUTES = ("name", "owner", "location")
TYPES = sorted(set(Device.SMART_DATA_MODELS.values()))


def kinds_for_type(entity_type: str) -> list[str]:
    return [kind for kind, name in Device.SMART_DATA_MODELS.items() if name == entity_type]


def entity_id(device: Device) -> str:
    return f"{PREFIX}{device.smart_data_model}:{device.uid}"


def uid_from_id(value: str) -> tuple[str, str] | None:
    """(type, uid) of an entity id of ours, None for anything else."""
    if not value.startswith(PREFIX):
        return None
    parts = value[len(PREFIX) :].split(":")
    if len(parts) != 2 or parts[0] not in TYPES or not parts[1]:
        return None
    return parts[0], parts[1]


def timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def public_devices():
    """Devices listed in the open API: all but revoked ones."""
    return Device.objects.select_related("owner").exclude(status=Device.Status.REVOKED)


def latest_readings(device_ids) -> dict[int, dict[str, Reading]]:
    """{device_id: {metric: its latest reading}}, in two queries."""
    device_ids = list(device_ids)
    if not device_ids:
        return {}
    newest = {
        (row["device_id"], row["metric"]): row["t"]
        for row in Reading.objects.filter(device_id__in=device_ids)
        .values("device_id", "metric")
        .annotate(t=Max("time"))
    }
    out: dict[int, dict[str, Reading]] = {}
    if not newest:
        return out
    for reading in Reading.objects.filter(device_id__in=device_ids, time__in=set(newest.values())):
        if newest.get((reading.device_id, reading.metric)) == reading.time:
            out.setdefault(reading.device_id, {})[reading.metric] = reading
    return out


def property_of(reading: Reading) -> dict:
    prop = {"type": "Property", "value": reading.value, "observedAt": timestamp(reading.time)}
    code = UNIT_CODES.get(reading.unit)
    if code:
        prop["unitCode"] = code
    return prop


def entity(device: Device, latest: dict[str, Reading], attrs: set[str] | None = None) -> dict:
    """The normalized representation; `attrs` projects (None: every attribute)."""
    body = {"id": entity_id(device), "type": device.smart_data_model}
    candidates = {
        "name": lambda: {"type": "Property", "value": device.name},
        "owner": lambda: {"type": "Property", "value": device.owner.name},
        "location": lambda: {
            "type": "GeoProperty",
            "value": {"type": "Point", "coordinates": [device.lon, device.lat]},
        },
    }
    if device.kind == Device.Kind.BIKE_RACK_SLOT:
        # An i-BiciPark slot: a ParkingSpot for one bicycle (see mueve.sensors.bicipark.models for why not
        # BikeHireDockingStation). Its occupancy is its `weight` reading.
        candidates["category"] = lambda: {"type": "Property", "value": ["forBicycles"]}
    for name, build in candidates.items():
        if attrs is None or name in attrs:
            body[name] = build()
    for metric in sorted(latest):
        if attrs is None or metric in attrs:
            body[metric] = property_of(latest[metric])
    return body


def attribute_value(body: dict, name: str):
    """The value of an attribute of a representation, for `q` (None when the entity lacks it)."""
    attribute = body.get(name)
    if not isinstance(attribute, dict):
        return None
    return attribute.get("value")
