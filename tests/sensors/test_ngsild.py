"""The NGSI-LD API (ETSI GS CIM 009) as a context consumer or provider meets it: raw HTTP, ProblemDetails errors,
entities from the device registry with their latest readings, queries, temporal history, the device's own upsert,
and subscriptions whose notifications reach a real HTTP receiver exactly once, even when it first refuses."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from mueve.accounts.models import Role
from mueve.api import services as api_services
from mueve.sensors.models import Device, NgsiNotification, Reading
from mueve.sensors.ngsild.notify import deliver_pending
from mueve.sensors.services.devices import device_revoke

BASE = "/ngsi-ld/v1"
ERRORS = "https://uri.etsi.org/ngsi-ld/errors/"


def ingest(secret, body):
    response = Client().post(
        "/sensores/ingesta/",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Device {secret}",
    )
    assert response.status_code == 202, response.content


def ago(minutes):
    return (timezone.now() - timedelta(minutes=minutes)).replace(microsecond=0)


def upsert(secret, entities):
    return Client().post(
        f"{BASE}/entityOperations/upsert",
        data=entities if isinstance(entities, bytes) else json.dumps(entities),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Device {secret}",
    )


@pytest.fixture
def city(provision):
    """Three streetlights along a line east of (-73.05, -36.82) and a traffic counter, with readings."""
    made = {}
    for uid, kind, lon in [
        ("luz-a", "street_light", -73.05),
        ("luz-b", "street_light", -73.04),
        ("luz-c", "street_light", -73.02),
        ("conteo-1", "traffic_counter", -73.03),
    ]:
        device, secret = provision(uid, kind)
        Device.objects.filter(pk=device.pk).update(lon=lon)
        made[uid] = (device, secret)
    ingest(made["luz-a"][1], {"power": 70, "illuminance": 1.5, "observedAt": ago(10).isoformat()})
    ingest(made["luz-a"][1], {"power": 80, "observedAt": ago(5).isoformat()})
    ingest(made["luz-b"][1], {"power": 10, "observedAt": ago(5).isoformat()})
    ingest(made["conteo-1"][1], {"intensity": 900, "averageVehicleSpeed": 32.5})
    return made


def test_entities_by_type_carry_latest_readings_and_only_public_attributes(city):
    response = Client().get(f"{BASE}/entities", {"type": "Streetlight"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert 'rel="http://www.w3.org/ns/json-ld#context"' in response["Link"]
    body = response.json()
    assert [e["id"] for e in body] == [
        "urn:ngsi-ld:Streetlight:luz-a",
        "urn:ngsi-ld:Streetlight:luz-b",
        "urn:ngsi-ld:Streetlight:luz-c",
    ]
    first = body[0]
    assert first["type"] == "Streetlight"
    assert first["power"]["type"] == "Property"
    assert first["power"]["value"] == 80.0  # the latest, not the first
    assert first["power"]["unitCode"] == "WTT"
    assert first["power"]["observedAt"].endswith("Z")
    assert first["illuminance"]["unitCode"] == "LUX"
    assert first["location"] == {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [-73.05, -36.82]}}
    assert first["owner"]["value"] == "Unidad Operativa de Control de Tránsito"
    text = response.content.decode()
    for secret_field in ("key_hash", "key_prefix", "broker_hash", "dev_"):
        assert secret_field not in text
    assert "power" not in body[2]  # luz-c never reported
    counter = Client().get(f"{BASE}/entities", {"type": "TrafficFlowObserved"}).json()[0]
    assert counter["intensity"]["unitCode"] == "H10"
    assert counter["averageVehicleSpeed"]["unitCode"] == "KMH"


def test_json_ld_when_asked_for(city):
    response = Client().get(f"{BASE}/entities", {"type": "Streetlight"}, HTTP_ACCEPT="application/ld+json")
    assert response["Content-Type"] == "application/ld+json"
    assert "Link" not in response
    assert all("@context" in e for e in response.json())


def test_q_attrs_paging_and_count(city):
    client = Client()
    hot = client.get(f"{BASE}/entities", {"type": "Streetlight", "q": "power>50"}).json()
    assert [e["id"] for e in hot] == ["urn:ngsi-ld:Streetlight:luz-a"]
    both = client.get(f"{BASE}/entities", {"type": "Streetlight", "q": "power>=10;power<=80"}).json()
    assert len(both) == 2
    by_name = client.get(f"{BASE}/entities", {"q": 'name=="Sensor luz-b"'}).json()
    assert [e["id"] for e in by_name] == ["urn:ngsi-ld:Streetlight:luz-b"]
    assert client.get(f"{BASE}/entities", {"type": "Streetlight", "q": "power!=80"}).json()[0]["id"].endswith("luz-b")
    projected = client.get(f"{BASE}/entities", {"attrs": "power"}).json()
    assert [sorted(e) for e in projected] == [["id", "power", "type"]] * 2  # only entities that have it
    page = client.get(f"{BASE}/entities", {"type": "Streetlight", "limit": 1, "offset": 1, "count": "true"})
    assert page["NGSILD-Results-Count"] == "3"
    assert [e["id"] for e in page.json()] == ["urn:ngsi-ld:Streetlight:luz-b"]


@pytest.mark.parametrize(
    "params",
    [
        {"type": "Streetlight", "q": "power>>3"},
        {"type": "Streetlight", "q": "power>abc"},
        {"type": "Streetlight", "limit": "-1"},
        {},  # neither type nor id, attrs, q
        {"type": "Streetlight", "georel": "within", "geometry": "Polygon", "coordinates": "[]"},
        {"type": "Streetlight", "georel": "near;maxDistance==x", "geometry": "Point", "coordinates": "[-73,-36]"},
        {"type": "Streetlight", "georel": "near;maxDistance==10", "geometry": "Point", "coordinates": "nowhere"},
    ],
)
def test_bad_queries_are_bad_request_data(city, params):
    response = Client().get(f"{BASE}/entities", params)
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == ERRORS + "BadRequestData"
    assert body["title"] and body["detail"]


def test_georel_near_orders_and_filters_by_distance(city):
    params = {"type": "Streetlight", "geometry": "Point", "coordinates": "[-73.019,-36.82]"}
    near = Client().get(f"{BASE}/entities", {**params, "georel": "near;maxDistance==1500"}).json()
    assert [e["id"].rsplit(":", 1)[1] for e in near] == ["luz-c"]  # luz-b is ~1.9 km away, luz-a ~2.8 km
    ordered = Client().get(f"{BASE}/entities", {**params, "georel": "near;maxDistance==5000"}).json()
    assert [e["id"].rsplit(":", 1)[1] for e in ordered] == ["luz-c", "luz-b", "luz-a"]
    far = Client().get(f"{BASE}/entities", {**params, "georel": "near;minDistance==1000"}).json()
    assert [e["id"].rsplit(":", 1)[1] for e in far] == ["luz-b", "luz-a"]


def test_one_entity_404_and_revoked_devices_hidden(city, official):
    client = Client()
    one = client.get(f"{BASE}/entities/urn:ngsi-ld:Streetlight:luz-a", {"attrs": "power,location"})
    assert one.status_code == 200
    assert sorted(one.json()) == ["id", "location", "power", "type"]
    for unknown in ("urn:ngsi-ld:Streetlight:nadie", "urn:ngsi-ld:ParkingSpot:luz-a", "cualquier-cosa"):
        missing = client.get(f"{BASE}/entities/{unknown}")
        assert missing.status_code == 404
        assert missing.json()["type"] == ERRORS + "ResourceNotFound"
    device_revoke(actor=official, device=city["luz-b"][0])
    listed = [e["id"] for e in client.get(f"{BASE}/entities", {"type": "Streetlight"}).json()]
    assert "urn:ngsi-ld:Streetlight:luz-b" not in listed
    assert client.get(f"{BASE}/entities/urn:ngsi-ld:Streetlight:luz-b").status_code == 404


def test_upsert_stores_readings_through_ingest(city):
    device, secret = city["luz-c"]
    at = ago(2)
    entity = {
        "id": "urn:ngsi-ld:Streetlight:luz-c",
        "type": "Streetlight",
        "power": {"type": "Property", "value": 55, "unitCode": "WTT", "observedAt": at.isoformat()},
        "illuminance": {"type": "Property", "value": 3.25, "observedAt": at.isoformat()},
        "name": {"type": "Property", "value": "ignorado"},
    }
    response = upsert(secret, [entity])
    assert response.status_code == 204, response.content
    assert upsert(secret, [entity]).status_code == 204  # repeated: stored once
    rows = sorted(Reading.objects.filter(device=device).values_list("metric", "value", "unit"))
    assert rows == [("illuminance", 3.25, "lx"), ("power", 55.0, "W")]
    shown = Client().get(f"{BASE}/entities/urn:ngsi-ld:Streetlight:luz-c").json()
    assert shown["power"]["value"] == 55.0
    assert shown["name"]["value"] == "Sensor luz-c"


def test_upsert_refuses_wrong_keys_and_other_devices(city):
    _device, secret = city["luz-c"]
    entity = {"id": "urn:ngsi-ld:Streetlight:luz-a", "type": "Streetlight", "power": {"type": "Property", "value": 1}}
    before = Reading.objects.count()
    assert upsert("dev_no-existe", [entity]).status_code == 401
    other = upsert(secret, [entity])
    assert other.status_code == 403
    assert other.json()["type"] == ERRORS + "Forbidden"
    assert Reading.objects.count() == before
    bad = upsert(secret, [{**entity, "id": "urn:ngsi-ld:Streetlight:luz-c", "power": {"value": 1, "unitCode": "KWT"}}])
    assert bad.status_code == 207
    result = bad.json()
    assert result["success"] == []
    assert result["errors"][0]["entityId"] == "urn:ngsi-ld:Streetlight:luz-c"
    assert result["errors"][0]["error"]["type"] == ERRORS + "BadRequestData"
    assert "unit" in result["errors"][0]["error"]["detail"]
    assert Reading.objects.count() == before
    assert upsert(secret, b"{no es json").status_code == 400


def test_temporal_last_n_between_and_simplified(city):
    _device, secret = city["luz-c"]
    times = [ago(m) for m in (50, 40, 30, 20, 10)]
    for value, at in enumerate(times):
        ingest(secret, {"power": value, "observedAt": at.isoformat()})
    url = f"{BASE}/temporal/entities/urn:ngsi-ld:Streetlight:luz-c"
    client = Client()
    last = client.get(url, {"attrs": "power", "lastN": 2}).json()
    assert [i["value"] for i in last["power"]] == [3.0, 4.0]
    assert all(i["type"] == "Property" and i["unitCode"] == "WTT" for i in last["power"])
    between = client.get(
        url, {"timerel": "between", "timeAt": times[1].isoformat(), "endTimeAt": times[3].isoformat()}
    ).json()
    assert [i["value"] for i in between["power"]] == [1.0, 2.0]
    before = client.get(url, {"timerel": "before", "timeAt": times[1].isoformat()}).json()
    assert [i["value"] for i in before["power"]] == [0.0]
    simple = client.get(url, {"options": "temporalValues", "lastN": 1}).json()
    assert simple["power"]["values"][0][0] == 4.0
    for params in ({"timerel": "between", "timeAt": times[0].isoformat()}, {"timerel": "later"}, {"lastN": "0"}):
        response = client.get(url, params)
        assert response.status_code == 400
        assert response.json()["type"] == ERRORS + "BadRequestData"
    assert client.get(f"{BASE}/temporal/entities/urn:ngsi-ld:Streetlight:nadie").status_code == 404


@pytest.fixture
def api_key(make_user):
    manager = make_user(Role.MANAGER)
    application = api_services.application_add(actor=manager, name="App NGSI-LD", contact_email="dev@example.org")
    _api_key, key = api_services.key_create(application=application, actor=manager)
    return key


def subscribe(key, body):
    return Client().post(
        f"{BASE}/subscriptions", data=json.dumps(body), content_type="application/json", HTTP_X_API_KEY=key or ""
    )


SUBSCRIPTION = {
    "type": "Subscription",
    "entities": [{"type": "Streetlight"}],
    "watchedAttributes": ["power"],
    "q": "power>50",
    "notification": {
        "attributes": ["power"],
        "endpoint": {"uri": "https://example.org/ngsi", "accept": "application/json"},
    },
}


def test_subscriptions_need_a_key_and_a_public_endpoint(city, api_key):
    assert subscribe(None, SUBSCRIPTION).status_code == 401
    assert subscribe("clave-falsa", SUBSCRIPTION).status_code == 401
    for uri in ("http://127.0.0.1:8000/x", "http://10.0.0.5/x", "ftp://example.org/x", "http://localhost/x"):
        body = {**SUBSCRIPTION, "notification": {"endpoint": {"uri": uri}}}
        refused = subscribe(api_key, body)
        assert refused.status_code == 400, uri
        assert refused.json()["type"] == ERRORS + "BadRequestData"
    assert subscribe(api_key, {**SUBSCRIPTION, "q": "power>"}).status_code == 400
    created = subscribe(api_key, SUBSCRIPTION)
    assert created.status_code == 201
    location = created["Location"]
    assert location.startswith(f"{BASE}/subscriptions/urn:ngsi-ld:Subscription:")
    shown = Client().get(location, HTTP_X_API_KEY=api_key)
    assert shown.json()["notification"]["endpoint"]["uri"] == "https://example.org/ngsi"
    assert shown.json()["q"] == "power>50"
    assert Client().get(location).status_code == 401
    assert Client().delete(location, HTTP_X_API_KEY=api_key).status_code == 204
    gone = Client().get(location, HTTP_X_API_KEY=api_key)
    assert gone.status_code == 404
    assert gone.json()["type"] == ERRORS + "ResourceNotFound"


class Receiver(BaseHTTPRequestHandler):
    """Refuses the first `refusals` POSTs with 503, then takes them; keeps what it took."""

    refusals = 1
    taken: list = []
    seen = 0

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).seen += 1
        if type(self).seen <= type(self).refusals:
            self.send_response(503)
        else:
            type(self).taken.append((self.headers["Content-Type"], json.loads(body)))
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.taken, Receiver.seen, Receiver.refusals = [], 0, 1
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/notify"
    server.shutdown()
    server.server_close()


def test_notification_arrives_once_after_the_receiver_comes_back(
    city, api_key, receiver, settings, django_capture_on_commit_callbacks
):
    settings.MUEVE_NGSILD_ALLOW_LOCAL = True
    settings.MUEVE_NGSILD_DELIVER_IN_THREAD = False  # the test drives delivery: first refused, then taken
    body = {**SUBSCRIPTION, "notification": {**SUBSCRIPTION["notification"], "endpoint": {"uri": receiver}}}
    assert subscribe(api_key, body).status_code == 201
    _device, secret = city["luz-c"]
    entity = {"id": "urn:ngsi-ld:Streetlight:luz-c", "type": "Streetlight"}
    with django_capture_on_commit_callbacks(execute=True):
        assert upsert(secret, [{**entity, "power": {"type": "Property", "value": 20}}]).status_code == 204
    assert NgsiNotification.objects.count() == 0  # q power>50 does not match
    with django_capture_on_commit_callbacks(execute=True):
        assert upsert(secret, [{**entity, "power": {"type": "Property", "value": 90}}]).status_code == 204
    assert NgsiNotification.objects.count() == 1
    call_command("deliver_ngsild")
    assert (Receiver.seen, Receiver.taken) == (1, [])  # refused with 503: kept in the outbox
    call_command("deliver_ngsild")
    assert Receiver.seen == 1  # not yet due for a retry
    assert deliver_pending(now=timezone.now() + timedelta(seconds=6))["delivered"] == 1
    assert deliver_pending(now=timezone.now() + timedelta(hours=1))["delivered"] == 0
    assert len(Receiver.taken) == 1
    content_type, notification = Receiver.taken[0]
    assert content_type == "application/json"
    assert notification["type"] == "Notification"
    assert notification["subscriptionId"].startswith("urn:ngsi-ld:Subscription:")
    assert notification["id"].startswith("urn:ngsi-ld:Notification:")
    assert notification["data"] == [
        {
            "id": "urn:ngsi-ld:Streetlight:luz-c",
            "type": "Streetlight",
            "power": {**notification["data"][0]["power"], "value": 90.0, "unitCode": "WTT"},
        }
    ]


def test_the_delivery_thread_sends_after_the_commit(transactional_db, city, api_key, receiver, settings):
    """Without the test driving it: the commit of the readings wakes the delivery thread, which sends."""
    settings.MUEVE_NGSILD_ALLOW_LOCAL = True
    Receiver.refusals = 0
    body = {**SUBSCRIPTION, "notification": {"endpoint": {"uri": receiver, "accept": "application/ld+json"}}}
    assert subscribe(api_key, body).status_code == 201
    _device, secret = city["luz-a"]
    entity = {"id": "urn:ngsi-ld:Streetlight:luz-a", "type": "Streetlight", "power": {"type": "Property", "value": 95}}
    assert upsert(secret, [entity]).status_code == 204
    for thread in threading.enumerate():
        if thread.name == "ngsild-delivery":
            thread.join()
    assert len(Receiver.taken) == 1
    content_type, notification = Receiver.taken[0]
    assert content_type == "application/ld+json"
    assert "@context" in notification
    assert notification["data"][0]["power"]["value"] == 95.0
    assert NgsiNotification.objects.get().delivered_at is not None
