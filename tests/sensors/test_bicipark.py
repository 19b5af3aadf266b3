"""i-BiciPark: a cyclist checks a bicycle into a slot by its QR page and only that account unlocks it; a weight drop
with no unlock raises a theft alarm (in-app and Web Push to the owner, an event for the security desk) and an unlock
does not; the camera's pictures are checked and attached; the desk closes alarms (a false alarm needs a reason);
the public map shows free slots and nobody's data."""

import io
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from mueve.accounts.models import Role
from mueve.notifications.models import Delivery, Notification
from mueve.realtime.models import Event
from mueve.sensors.bicipark import services
from mueve.sensors.bicipark.models import Parking, TheftAlarm
from mueve.sensors.models import Device
from mueve.stakeholders.models import Level, Organization, Sector
from tests.notifications.test_webpush import Browser, push_service  # noqa: F401 (the test's own push service)

pytestmark = pytest.mark.django_db
INGEST = "/sensores/ingesta/"
CAMERA = "/bicipark/camara/"


@pytest.fixture
def building(db) -> Organization:
    return Organization.objects.create(
        name="Universidad de Concepción", slug="udec", sector=Sector.ACADEMIA, level=Level.LOCAL
    )


@pytest.fixture
def guard(make_user, building):
    return make_user(Role.OPERATOR, organization=building, first_name="Gabriel", last_name="Guardia")


@pytest.fixture
def rack(guard, building, concepcion):
    rack, secrets = services.rack_install(
        actor=guard,
        slug="udec-biblioteca",
        name="Bicicletero Biblioteca UdeC",
        organization=building,
        jurisdiction=concepcion,
        lat=-36.8290,
        lon=-73.0360,
        slots=3,
        address="Víctor Lamas 1290",
    )
    rack.secrets = secrets
    return rack


@pytest.fixture
def cyclist(make_user):
    return make_user(Role.CITIZEN, first_name="Camila", last_name="Ciclista", email="camila@example.org")


@pytest.fixture
def run_hooks(django_capture_on_commit_callbacks):
    """Runs what ingest and services leave for after commit (the on_stored hooks, events, deliveries)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def logged(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def weigh(rack, number: int, kg: float, at=None, run_hooks=None):
    at = at or timezone.now()
    body = json.dumps({"weight": kg, "observedAt": at.isoformat()})
    secret = rack.secrets[f"{rack.slug}-{number}"]
    response = Client().post(INGEST, body, content_type="application/json", HTTP_AUTHORIZATION=f"Device {secret}")
    assert response.status_code == 202, response.content
    return response


def jpeg(size=(64, 48), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 0, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def post_picture(rack, data: bytes, content_type="image/jpeg"):
    secret = rack.secrets[f"{rack.slug}-camara"]
    return Client().post(CAMERA, data, content_type=content_type, HTTP_AUTHORIZATION=f"Device {secret}")


# --- check-in and unlock -------------------------------------------------------------------------------------------


def test_check_in_and_unlock_by_the_same_account_only(rack, cyclist, make_user):
    url = "/bicipark/udec-biblioteca-1/"
    anonymous = Client().get(url)
    assert anonymous.status_code == 200 and "Entrar para estacionar mi bicicleta" in anonymous.content.decode()
    assert Client().post(url, {"action": "check_in"}).status_code == 302
    assert not Parking.objects.exists()

    camila = logged(cyclist)
    assert camila.post(url, {"action": "check_in"}).status_code == 302
    page = camila.get(url).content.decode()
    assert "Su bicicleta está aquí desde" in page and "Desbloquear y retirar mi bicicleta" in page

    other = logged(make_user(Role.CITIZEN))
    assert "ocupado por otra bicicleta" in other.get(url).content.decode()
    again = other.post(url, {"action": "check_in"})
    assert again.status_code == 400 and "ya está ocupado" in again.content.decode()
    refused = other.post(url, {"action": "unlock"})
    assert refused.status_code == 403
    assert "solo esa cuenta puede retirarla" in refused.content.decode()
    parking = Parking.objects.get()
    assert parking.cyclist == cyclist and parking.unlocked_at is None

    assert camila.post(url, {"action": "unlock"}).status_code == 302
    parking.refresh_from_db()
    assert parking.unlocked_at is not None
    assert "Puesto libre." in camila.get(url).content.decode()
    assert camila.post(url, {"action": "unlock"}).status_code == 400  # nothing left to unlock


def test_a_slot_whose_sensor_is_revoked_takes_no_bicycle(rack, cyclist, guard):
    from mueve.sensors.services.devices import device_revoke

    device_revoke(actor=guard, device=Device.objects.get(uid="udec-biblioteca-2"))
    response = logged(cyclist).post("/bicipark/udec-biblioteca-2/", {"action": "check_in"})
    assert response.status_code == 400 and "fuera de servicio" in response.content.decode()
    assert Client().get("/bicipark/no-existe/").status_code == 404


# --- theft vs unlock -----------------------------------------------------------------------------------------------


def test_a_weight_drop_without_unlock_raises_the_alarm_once(rack, cyclist, run_hooks, push_service, settings, tmp_path):  # noqa: F811
    settings.MUEVE_VAPID_PRIVATE_KEY = ""
    settings.MUEVE_VAPID_KEY_FILE = tmp_path / "vapid_private.pem"
    phone = Browser.new()
    camila = logged(cyclist)
    response = camila.post(
        "/avisos/push/suscribir",
        phone.to_json(push_service.url + "/telefono-de-camila"),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    start = timezone.now() - timedelta(seconds=30)
    with run_hooks():
        weigh(rack, 1, 0.2, at=start - timedelta(seconds=10))  # the empty slot
        weigh(rack, 1, 14.5, at=start)  # the bicycle set down, then the QR scanned
        camila.post("/bicipark/udec-biblioteca-1/", {"action": "check_in", "push": "on"})
        start = Parking.objects.get().checked_in_at
        weigh(rack, 1, 14.4, at=start + timedelta(seconds=1))  # no drop yet
    assert not TheftAlarm.objects.exists()

    with run_hooks():
        weigh(rack, 1, 0.3, at=start + timedelta(seconds=2))
    alarm = TheftAlarm.objects.get()
    assert alarm.status == "open" and alarm.slot.number == 1
    assert (alarm.weight_before, alarm.weight_after) == (14.5, 0.3)

    notice = Notification.objects.get(user=cyclist, kind="bike_theft")
    assert notice.listed and "Bicicletero Biblioteca UdeC" in notice.body
    [message] = push_service.received
    assert message.path == "/telefono-de-camila"
    pushed = json.loads(phone.decrypt(message.body))
    assert pushed["title"] == notice.title and pushed["url"].endswith("/bicipark/udec-biblioteca-1/")
    assert Delivery.objects.get(channel="push").status == Delivery.Status.SENT

    event = Event.objects.get(kind="bicipark.alarm_raised")
    assert event.topic == "bicipark" and event.payload["alarm_id"] == alarm.pk
    assert "camila" not in json.dumps(event.payload).lower()  # ids only in the shared log

    with run_hooks():  # still empty, then lower still: the same open alarm, no second one
        weigh(rack, 1, 0.1, at=start + timedelta(seconds=3))
    assert TheftAlarm.objects.count() == 1 and len(push_service.received) == 1


def test_an_unlock_then_the_drop_raises_nothing(rack, cyclist, run_hooks):
    camila = logged(cyclist)
    start = timezone.now() - timedelta(seconds=30)
    with run_hooks():
        camila.post("/bicipark/udec-biblioteca-2/", {"action": "check_in"})
        start = Parking.objects.get().checked_in_at
        weigh(rack, 2, 13.0, at=start + timedelta(seconds=5))
        camila.post("/bicipark/udec-biblioteca-2/", {"action": "unlock"})
        weigh(rack, 2, 0.0, at=start + timedelta(seconds=10))
    assert not TheftAlarm.objects.exists()
    assert not Notification.objects.filter(kind="bike_theft").exists()


def test_a_drop_on_a_slot_nobody_checked_into_raises_nothing(rack, run_hooks):
    start = timezone.now() - timedelta(seconds=30)
    with run_hooks():
        weigh(rack, 3, 15.0, at=start)
        weigh(rack, 3, 0.0, at=start + timedelta(seconds=5))
    assert not TheftAlarm.objects.exists()


# --- the security desk ---------------------------------------------------------------------------------------------


@pytest.fixture
def alarm(rack, cyclist, run_hooks):
    start = timezone.now() - timedelta(seconds=30)
    with run_hooks():
        logged(cyclist).post("/bicipark/udec-biblioteca-1/", {"action": "check_in"})
        start = Parking.objects.get().checked_in_at
        weigh(rack, 1, 15.0, at=start + timedelta(seconds=1))
        weigh(rack, 1, 0.0, at=start + timedelta(seconds=2))
    return TheftAlarm.objects.get()


def test_a_false_alarm_needs_a_reason_and_is_kept_with_who_when_why(alarm, guard, cyclist, run_hooks):
    desk = logged(guard)
    page = desk.get("/bicipark/seguridad/udec/")
    assert page.status_code == 200 and f'id="alarma-{alarm.pk}"' in page.content.decode()

    url = f"/bicipark/seguridad/alarma/{alarm.pk}/cerrar/"
    missing = desk.post(url, {"outcome": "false_alarm", "reason": "  "})
    assert missing.status_code == 400 and "Explique por qué es una falsa alarma." in missing.content.decode()
    assert desk.post(url, {"outcome": "otra-cosa"}).status_code == 400
    alarm.refresh_from_db()
    assert alarm.status == "open"

    with run_hooks():
        assert (
            desk.post(url, {"outcome": "false_alarm", "reason": "La dueña movió la bicicleta al puesto 2."}).status_code
            == 302
        )
    alarm.refresh_from_db()
    assert alarm.status == "false_alarm" and alarm.closed_by == guard and alarm.closed_at
    assert alarm.reason == "La dueña movió la bicicleta al puesto 2."
    assert Parking.objects.get().unlocked_at is None  # the bicycle is still there
    page = desk.get("/bicipark/seguridad/udec/").content.decode()
    assert "Falsa alarma" in page and "La dueña movió la bicicleta al puesto 2." in page and "Gabriel Guardia" in page
    assert desk.post(url, {"outcome": "theft"}).status_code == 400  # closed once
    assert Event.objects.filter(kind="bicipark.alarm_closed").count() == 1


def test_a_theft_needs_no_reason_and_frees_the_slot(alarm, guard):
    assert logged(guard).post(f"/bicipark/seguridad/alarma/{alarm.pk}/cerrar/", {"outcome": "theft"}).status_code == 302
    alarm.refresh_from_db()
    assert alarm.status == "theft" and alarm.reason == ""
    assert Parking.objects.get().unlocked_at is not None
    assert "Puesto libre." in Client().get("/bicipark/udec-biblioteca-1/").content.decode()


def test_only_the_buildings_staff_see_the_desk_and_close_alarms(alarm, cyclist, make_user, concepcion):
    other_building = Organization.objects.create(
        name="Mall del Centro", slug="mall", sector=Sector.PRIVATE, level=Level.LOCAL
    )
    outsider = make_user(Role.OPERATOR, organization=other_building)
    url = f"/bicipark/seguridad/alarma/{alarm.pk}/cerrar/"
    for user in (cyclist, outsider):
        client = logged(user)
        assert client.get("/bicipark/seguridad/udec/").status_code == 403
        assert client.post(url, {"outcome": "theft"}).status_code == 403
    assert Client().get("/bicipark/seguridad/udec/").status_code == 302  # to the login page
    alarm.refresh_from_db()
    assert alarm.status == "open"


# --- the camera ----------------------------------------------------------------------------------------------------


def test_the_cameras_pictures_are_checked(rack, settings):
    settings.MUEVE_BICIPARK_SNAPSHOT_MAX_BYTES = 50_000
    not_image = post_picture(rack, b"GIF89a" + b"\x00" * 100, content_type="image/gif")
    assert not_image.status_code == 415 and "JPEG o PNG" in not_image.json()["image"][0]
    pretending = post_picture(rack, b"<html>hola</html>", content_type="image/jpeg")
    assert pretending.status_code == 415
    truncated = post_picture(rack, jpeg()[:200])
    assert truncated.status_code == 422 and "dañada" in truncated.json()["image"][0]
    huge = post_picture(rack, b"\xff\xd8\xff" + b"\x00" * 60_000)
    assert huge.status_code == 413
    assert post_picture(rack, b"").status_code == 422
    good = post_picture(rack, jpeg())
    assert good.status_code == 201 and good.json()["width"] == 64
    assert post_picture(rack, png(), content_type="image/png").status_code == 201
    # A slot's weight sensor is no camera, and a key nobody issued is refused.
    slot_secret = rack.secrets["udec-biblioteca-1"]
    wrong = Client().post(CAMERA, jpeg(), content_type="image/jpeg", HTTP_AUTHORIZATION=f"Device {slot_secret}")
    assert wrong.status_code == 422
    nobody = Client().post(CAMERA, jpeg(), content_type="image/jpeg", HTTP_AUTHORIZATION="Device dev_nadie")
    assert nobody.status_code == 401
    assert rack.snapshots.count() == 2


def test_the_picture_nearest_the_trigger_is_attached_and_shown_to_staff_only(alarm, rack, guard, cyclist, run_hooks):
    assert alarm.snapshot is None
    alarm.triggered_at = timezone.now() - timedelta(seconds=1)  # the drop, just before the camera posts
    alarm.save()
    with run_hooks():
        response = post_picture(rack, jpeg(color=(1, 2, 3)))
    alarm.refresh_from_db()
    assert alarm.snapshot_id == response.json()["id"]
    assert Event.objects.filter(kind="bicipark.alarm_updated", payload__alarm_id=alarm.pk).exists()
    later = post_picture(rack, jpeg(color=(9, 9, 9)))  # taken after the first: farther from the trigger
    assert later.status_code == 201
    alarm.refresh_from_db()
    assert alarm.snapshot_id == response.json()["id"]
    photo = f"/bicipark/seguridad/foto/{alarm.snapshot_id}/"
    seen = logged(guard).get(photo)
    assert seen.status_code == 200 and seen["Content-Type"] == "image/jpeg"
    assert seen["Cache-Control"] == "private, no-store"
    assert Image.open(io.BytesIO(seen.content)).size == (64, 48)
    assert photo in logged(guard).get("/bicipark/seguridad/udec/").content.decode()
    assert logged(cyclist).get(photo).status_code == 403
    assert Client().get(photo).status_code == 302
    assert photo not in Client().get("/bicipark/").content.decode()

    # A picture long after the trigger belongs to no alarm.
    alarm.snapshot = None
    alarm.triggered_at = timezone.now() - timedelta(minutes=5)
    alarm.save()
    post_picture(rack, jpeg())
    alarm.refresh_from_db()
    assert alarm.snapshot is None


# --- the public map ------------------------------------------------------------------------------------------------


def test_the_public_map_shows_free_slots_and_no_personal_data(alarm, rack, cyclist, make_user):
    other = make_user(Role.CITIZEN, first_name="Benito", email="benito@example.org")
    logged(other).post("/bicipark/udec-biblioteca-2/", {"action": "check_in"})
    response = Client().get("/bicipark/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bicicletero Biblioteca UdeC" in page and "1 puesto libre de 3" in page
    for private in ("Camila", "Ciclista", "camila@example.org", "Benito", "benito@example.org", cyclist.username):
        assert private not in page
    racks = json.loads(page.split('id="bicipark-racks" type="application/json">')[1].split("</script>")[0])
    assert racks == [
        {
            "slug": "udec-biblioteca",
            "name": "Bicicletero Biblioteca UdeC",
            "address": "Víctor Lamas 1290",
            "building": "Universidad de Concepción",
            "lat": -36.829,
            "lon": -73.036,
            "total": 3,
            "free": 1,
        }
    ]


def test_slots_are_bicycle_parking_spots_in_ngsi_ld(rack, cyclist):
    logged(cyclist).post("/bicipark/udec-biblioteca-1/", {"action": "check_in"})
    weigh(rack, 1, 14.0)
    response = Client().get("/ngsi-ld/v1/entities/urn:ngsi-ld:ParkingSpot:udec-biblioteca-1")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["type"] == "ParkingSpot" and body["category"]["value"] == ["forBicycles"]
    assert body["weight"]["value"] == 14.0 and body["weight"]["unitCode"] == "KGM"
    assert cyclist.username not in response.content.decode()
    camera = Client().get("/ngsi-ld/v1/entities/urn:ngsi-ld:Device:udec-biblioteca-camara")
    assert camera.status_code == 200 and "category" not in camera.json()
