"""Readings over HTTP: JSON attributes and SenML stored once; every kind of bad input refused with its reason,
counted and kept apart, and nothing else lost; a flooding device refused, then quarantined, and its owner told."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from mueve.notifications.models import Notification
from mueve.sensors.models import Device, Reading, RejectedReading, Rollup

URL = "/sensores/ingesta/"


def post(client, secret, body, content_type="application/json"):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(URL, data=data, content_type=content_type, HTTP_AUTHORIZATION=f"Device {secret}")


@pytest.fixture
def light(provision):
    return provision("luz-ohiggins-1")


def test_json_attributes_are_stored_once(light):
    device, secret = light
    client = Client()
    at = (timezone.now() - timedelta(minutes=3)).replace(microsecond=0)
    body = {"power": 0, "illuminance": 2.5, "observedAt": at.isoformat()}
    first = post(client, secret, body)
    assert first.status_code == 202, first.content
    assert first.json()["stored"] == 2
    again = post(client, secret, body)  # a redelivery: same device, metrics and time
    assert again.json() == {"stored": 0, "duplicates": 2, "rejected": 0, "problems": []}
    rows = sorted(Reading.objects.filter(device=device).values_list("metric", "value", "unit"))
    assert rows == [("illuminance", 2.5, "lx"), ("power", 0.0, "W")]
    minute = Rollup.objects.get(device=device, metric="illuminance", grain="minute")
    assert (minute.count, minute.minimum, minute.maximum) == (1, 2.5, 2.5)
    assert Rollup.objects.filter(device=device, grain="hour").count() == 2
    device.refresh_from_db()
    assert device.last_seen_at is not None


def test_senml_records_with_base_fields(light):
    device, secret = light
    now = int(timezone.now().timestamp())
    senml = [
        {"bn": "urn:dev:mueve:luz-ohiggins-1:", "bt": now - 120, "bu": "W", "n": "power", "v": 70},
        {"n": "power", "t": 60, "v": 0},
        {"n": "illuminance", "u": "lx", "t": 60, "v": 1.5},
    ]
    response = post(Client(), secret, senml, content_type="application/senml+json")
    assert response.status_code == 202, response.content
    assert response.json()["stored"] == 3
    values = list(Reading.objects.filter(device=device, metric="power").order_by("time").values_list("value", "time"))
    assert [v for v, _t in values] == [70.0, 0.0]
    assert values[1][1] - values[0][1] == timedelta(seconds=60)
    hour = (
        Rollup.objects.get(device=device, metric="power", grain="hour")
        if (values[0][1].hour == values[1][1].hour)
        else None
    )
    if hour is not None:
        assert (hour.count, hour.total) == (2, 70.0)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"power": 1', "malformed"),
        (b'[{"n": "power"}]', "malformed"),
        (b'{"power": NaN}', "not_finite"),
        (b'{"illuminance": Infinity}', "not_finite"),
        (b'[{"n": "power", "u": "kW", "v": 1}]', "unit"),
        (b'{"power": {"value": 3, "unit": "lx"}}', "unit"),
        (b'{"occupancy": 140}', "range"),
        (b'{"colour": 3}', "unknown_metric"),
    ],
)
def test_bad_input_is_refused_with_its_reason_and_kept(light, body, reason):
    device, secret = light
    response = post(Client(), secret, body)
    assert response.status_code == 400
    assert response.json()["problems"][0]["reason"] == reason
    assert not Reading.objects.filter(device=device).exists()
    kept = RejectedReading.objects.get(device=device)
    assert kept.reason == reason and kept.payload == body.decode()


@pytest.mark.parametrize("offset", [timedelta(days=365), -timedelta(days=365)])
def test_a_year_ahead_or_a_year_old_is_refused(light, offset):
    device, secret = light
    at = datetime.now(UTC) + offset
    response = post(Client(), secret, {"power": 5, "observedAt": at.isoformat()})
    assert response.status_code == 400
    assert RejectedReading.objects.get(device=device).reason == "time"


def test_late_but_in_window_readings_are_accepted_out_of_order(light):
    device, secret = light
    client = Client()
    now = timezone.now().replace(microsecond=0)
    post(client, secret, {"power": 1, "observedAt": now.isoformat()})
    late = post(client, secret, {"power": 2, "observedAt": (now - timedelta(hours=30)).isoformat()})
    assert late.json()["stored"] == 1
    assert Reading.objects.filter(device=device).count() == 2


def test_a_bad_value_does_not_lose_the_good_ones_beside_it(light):
    device, secret = light
    response = post(Client(), secret, {"power": 40, "illuminance": float("nan"), "occupancy": 500})
    assert response.status_code == 202
    assert response.json()["stored"] == 1 and response.json()["rejected"] == 2
    assert list(Reading.objects.filter(device=device).values_list("metric", flat=True)) == ["power"]


def test_unknown_or_missing_key_is_401(light):
    client = Client()
    assert post(client, "dev_nobody", {"power": 1}).status_code == 401
    assert client.post(URL, data="{}", content_type="application/json").status_code == 401
    assert client.get(URL).status_code == 405


def test_revoked_device_is_cut_off(light, official):
    from mueve.sensors.services.devices import device_revoke

    device, secret = light
    device_revoke(actor=official, device=device)
    response = post(Client(), secret, {"power": 1})
    assert response.status_code == 403
    assert not Reading.objects.filter(device=device).exists()
    assert RejectedReading.objects.get(device=device).reason == "not_active"


def test_a_flood_is_refused_then_quarantined_and_the_owner_told(light, official, settings, after_commit):
    settings.MUEVE_SENSORS_MAX_READINGS_PER_MINUTE = 5
    device, secret = light
    client = Client()
    base = timezone.now().replace(microsecond=0)
    statuses = []
    with after_commit():
        for i in range(40):
            at = (base - timedelta(seconds=i)).isoformat()
            statuses.append(post(client, secret, {"power": i, "observedAt": at}).status_code)
    assert statuses[:5] == [202] * 5
    assert 429 in statuses and statuses[-1] == 403
    device.refresh_from_db()
    assert device.status == Device.Status.QUARANTINED
    assert Reading.objects.filter(device=device).count() == 5
    assert RejectedReading.objects.filter(device=device, reason="rate").exists()
    notice = Notification.objects.get(user=official, kind="device_alert")
    assert "cuarentena" in notice.title


def test_owner_page_lists_devices_and_provisions_with_a_secret_shown_once(client, official, concepcion, light):
    client.force_login(official)
    page = client.get("/sensores/")
    assert page.status_code == 200 and "luz-ohiggins-1" in page.content.decode()
    bad = client.post(
        "/sensores/", {"uid": "", "name": "x", "kind": "nope", "jurisdiction": concepcion.pk, "lat": 100, "lon": 0}
    )
    assert bad.status_code == 400
    assert "Este campo es obligatorio" in bad.content.decode()
    made = client.post(
        "/sensores/",
        {
            "uid": "contador-1",
            "name": "Contador Paicaví",
            "kind": "traffic_counter",
            "jurisdiction": concepcion.pk,
            "lat": -36.82,
            "lon": -73.05,
        },
    )
    assert made.status_code == 200
    secret = made.context["secret"]
    assert secret.startswith("dev_")
    assert Device.objects.get(uid="contador-1").key_hash == Device.hash_key(secret)
    assert secret not in client.get("/sensores/").content.decode()


def test_citizens_cannot_see_or_revoke_devices(client, make_user, light):
    citizen = make_user("citizen")
    client.force_login(citizen)
    assert client.get("/sensores/").status_code == 403
    assert client.post("/sensores/luz-ohiggins-1/revocar/").status_code == 404
    assert Device.objects.get(uid="luz-ohiggins-1").status == "active"
