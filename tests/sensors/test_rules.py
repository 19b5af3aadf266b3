"""Rules over readings: a threshold held for its minutes fires once; an absence fires from the periodic command; a
street light off at night opens an incident on its light that its adopter hears of and that citizens' reports of
the same light join; a congested counter opens an incident whose panel shows the readings; a scoped operator sees
their own jurisdiction's firings only."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from mueve.accounts.models import Role
from mueve.neighbourhood import services as neighbourhood
from mueve.notifications import kinds
from mueve.notifications.models import Notification
from mueve.reports import services as reports
from mueve.reports.models import Report
from mueve.sensors.models import Device, Rule, RuleFiring
from mueve.sensors.services.ingest import Message, ingest_batch
from mueve.sensors.solar import is_night
from tests.scoping import logged_in, scoped

LIGHT_AT = (-36.82, -73.05)  # where the `provision` fixture puts its devices


def send(device, at, **values):
    """One message of the device, as the MQTT subscriber or HTTP ingest hands it over."""
    body = {**values, "observedAt": at.isoformat()}
    return ingest_batch([Message(device_uid=device.uid, payload=json.dumps(body), via="http")])


def night() -> datetime:
    """Yesterday 06:00 UTC: 02:00 or 03:00 in Concepción, night all year (checked below)."""
    moment = (timezone.now() - timedelta(days=1)).astimezone(UTC).replace(hour=6, minute=0, second=0, microsecond=0)
    assert is_night(*LIGHT_AT, moment) and is_night(*LIGHT_AT, moment + timedelta(minutes=30))
    return moment


def day() -> datetime:
    """Yesterday 17:00 UTC: 13:00 or 14:00 in Concepción, day all year."""
    moment = (timezone.now() - timedelta(days=1)).astimezone(UTC).replace(hour=17, minute=0, second=0, microsecond=0)
    assert not is_night(*LIGHT_AT, moment) and not is_night(*LIGHT_AT, moment + timedelta(minutes=30))
    return moment


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Runs what a committed ingest batch triggers (the rules), as a real commit would."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def lights(concepcion):
    return reports.service_upsert(
        jurisdiction=concepcion,
        code="luminaria-apagada",
        name="Luminaria apagada",
        alert_category="security",
        fusion_radius_m=50,
        fusion_window_minutes=7 * 24 * 60,
        attributes=[],
    )


@pytest.fixture
def congestion(concepcion):
    return reports.service_upsert(
        jurisdiction=concepcion,
        code="congestion",
        name="Congestión vehicular",
        alert_category="traffic",
        fusion_radius_m=300,
        fusion_window_minutes=120,
        attributes=[],
    )


@pytest.fixture
def pole(concepcion, lights):
    return reports.asset_upsert(
        jurisdiction=concepcion,
        kind="street_light",
        code="poste-0142",
        name="Poste 0142, Plaza de la Independencia",
        lat=LIGHT_AT[0],
        lon=LIGHT_AT[1],
        service=lights,
    )


@pytest.fixture
def light(provision, pole):
    device, _secret = provision("luz-plaza-1")
    Device.objects.filter(pk=device.pk).update(asset=pole)
    device.refresh_from_db()
    return device


@pytest.fixture
def dark_rule(concepcion, lights):
    return Rule.objects.create(
        jurisdiction=concepcion,
        name="Cuida tu Luz: luminaria apagada de noche",
        device_kind=Device.Kind.STREET_LIGHT,
        metric="power",
        kind=Rule.Kind.THRESHOLD,
        operator="<=",
        value=0,
        minutes=15,
        night_only=True,
        action=Rule.Action.OPEN_INCIDENT,
        service=lights,
        description="Luminaria apagada de noche según su sensor",
    )


def test_a_threshold_fires_once_after_its_minutes_not_before(provision, concepcion, committing):
    counter, _secret = provision("contador-paicavi", kind="traffic_counter")
    Rule.objects.create(
        jurisdiction=concepcion,
        name="Velocidad baja en Paicaví",
        device_kind=Device.Kind.TRAFFIC_COUNTER,
        metric="averageVehicleSpeed",
        operator="<",
        value=15,
        minutes=10,
    )
    start = (timezone.now() - timedelta(minutes=40)).replace(microsecond=0)
    committing(send, counter, start, averageVehicleSpeed=40)
    for minute in (2, 5, 9):  # slow, but for 7 minutes only (from minute 2)
        committing(send, counter, start + timedelta(minutes=minute), averageVehicleSpeed=12)
    assert not RuleFiring.objects.exists()
    committing(send, counter, start + timedelta(minutes=12), averageVehicleSpeed=10)  # 10 minutes slow
    firing = RuleFiring.objects.get()
    assert firing.ended_at is None and firing.incident is None  # record only
    assert [r["value"] for r in firing.evidence["readings"]] == [12, 12, 12, 10]
    committing(send, counter, start + timedelta(minutes=14), averageVehicleSpeed=8)
    assert RuleFiring.objects.count() == 1  # still the same firing
    committing(send, counter, start + timedelta(minutes=16), averageVehicleSpeed=30)
    firing.refresh_from_db()
    assert firing.ended_at == start + timedelta(minutes=16)


def test_absence_fires_from_the_periodic_command(provision, concepcion, committing, capsys):
    talking, _secret = provision("contador-collao", kind="traffic_counter")
    silent, _secret = provision("contador-paicavi", kind="traffic_counter")
    Rule.objects.create(
        jurisdiction=concepcion,
        name="Contador mudo",
        device_kind=Device.Kind.TRAFFIC_COUNTER,
        metric="intensity",
        kind=Rule.Kind.ABSENCE,
        minutes=30,
    )
    committing(send, talking, timezone.now() - timedelta(minutes=20), intensity=800)
    committing(send, silent, timezone.now() - timedelta(minutes=50), intensity=700)
    assert not RuleFiring.objects.exists()  # ingest never fires an absence
    call_command("evaluatesensorrules")
    assert "1 activación" in capsys.readouterr().out
    firing = RuleFiring.objects.get()  # 50 minutes of silence; 20 is not yet
    assert firing.device == silent and firing.ended_at is None
    call_command("evaluatesensorrules")
    assert RuleFiring.objects.count() == 1  # not twice
    committing(send, silent, timezone.now(), intensity=650)  # it speaks again
    firing.refresh_from_db()
    assert firing.ended_at is not None


def test_a_night_outage_opens_an_incident_on_the_light_and_its_adopter_hears(
    light, pole, dark_rule, make_user, after_commit, committing
):
    ana = make_user(Role.CITIZEN, first_name="Ana", email="ana@example.org")
    neighbourhood.adopt(asset=pole, user=ana, name="La luz de mi pasaje")
    start = night()
    committing(send, light, start - timedelta(minutes=5), power=70)
    for minute in (0, 5, 10):
        committing(send, light, start + timedelta(minutes=minute), power=0)
    assert not RuleFiring.objects.exists()  # off for 10 of 15 minutes
    with after_commit():
        send(light, start + timedelta(minutes=16), power=0)
    firing = RuleFiring.objects.get()
    incident = firing.incident
    assert incident is not None and incident.service.code == "luminaria-apagada"
    report = Report.objects.get(incident=incident)
    assert report.source == Report.Source.SENSOR and report.asset_id == pole.pk
    assert report.description == "Luminaria apagada de noche según su sensor"
    assert (report.first_name, report.email, report.phone, report.reporter_id) == ("", "", "", None)
    notice = Notification.objects.get(user=ana, kind=kinds.ADOPTION_INCIDENT)
    assert "La luz de mi pasaje" in notice.title
    # The light comes back on: the firing ends, the incident stays for the crew to close.
    committing(send, light, start + timedelta(minutes=25), power=68)
    firing.refresh_from_db()
    incident.refresh_from_db()
    assert firing.ended_at is not None and incident.is_active


def test_a_zero_by_day_does_not_fire(light, dark_rule, committing):
    start = day()
    for minute in (0, 10, 20, 30):
        committing(send, light, start + timedelta(minutes=minute), power=0)
    assert not RuleFiring.objects.exists()
    assert not Report.objects.exists()


def test_a_citizens_report_of_the_same_light_joins_the_sensors_incident(
    light, lights, dark_rule, make_user, committing
):
    start = night()
    for minute in (0, 10, 20):
        committing(send, light, start + timedelta(minutes=minute), power=0)
    incident = RuleFiring.objects.get().incident
    bruno = make_user(Role.CITIZEN)
    citizen = reports.report_submit(
        service=lights, lat=LIGHT_AT[0] + 0.0001, lon=LIGHT_AT[1], reporter=bruno, description="Está apagada"
    )
    citizen.refresh_from_db()
    incident.refresh_from_db()
    assert citizen.incident_id == incident.pk
    assert incident.report_count == 2 and incident.source_count == 2


@pytest.fixture
def operator(make_user):
    return make_user(Role.OPERATOR)


def test_congestion_opens_an_incident_whose_panel_shows_the_readings(
    provision, concepcion, congestion, operator, committing
):
    counter, _secret = provision("contador-paicavi", kind="traffic_counter")
    Rule.objects.create(
        jurisdiction=concepcion,
        name="Congestión en Paicaví",
        device_kind=Device.Kind.TRAFFIC_COUNTER,
        metric="occupancy",
        operator=">",
        value=80,
        minutes=10,
        action=Rule.Action.OPEN_INCIDENT,
        service=congestion,
    )
    start = (timezone.now() - timedelta(minutes=30)).replace(microsecond=0)
    for minute, occupancy in ((0, 85), (6, 90), (11, 93)):
        committing(send, counter, start + timedelta(minutes=minute), occupancy=occupancy)
    incident = RuleFiring.objects.get().incident
    assert incident is not None and incident.service.code == "congestion"
    # A driver reports the jam a block away: the same incident.
    citizen = reports.report_submit(
        service=congestion, lat=LIGHT_AT[0] + 0.001, lon=LIGHT_AT[1], description="Taco enorme"
    )
    citizen.refresh_from_db()
    assert citizen.incident_id == incident.pk
    detail = logged_in(operator).get(f"/control/incidentes/{incident.pk}/").json()
    assert {r["description"] for r in detail["reports"]} == {
        "Taco enorme",
        "Congestión en Paicaví: occupancy > 80 durante 10 min",
    }
    [sensor] = detail["sensors"]
    assert sensor["device"] == "contador-paicavi" and sensor["metric_label"] == "Ocupación"
    assert [(r["value"], r["unit"]) for r in sensor["readings"]] == [(85, "%"), (90, "%"), (93, "%")]
    page = logged_in(operator).get("/control/sensores/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Congestión en Paicaví" in text and f"incidente={incident.pk}" in text


def test_a_temuco_operator_does_not_see_concepcions_firings(
    provision, concepcion, temuco, make_user, operator, committing
):
    counter, _secret = provision("contador-paicavi", kind="traffic_counter")
    Rule.objects.create(
        jurisdiction=concepcion,
        name="Velocidad baja en Paicaví",
        device_kind=Device.Kind.TRAFFIC_COUNTER,
        metric="averageVehicleSpeed",
        operator="<",
        value=15,
        minutes=5,
    )
    start = (timezone.now() - timedelta(minutes=20)).replace(microsecond=0)
    for minute in (0, 6):
        committing(send, counter, start + timedelta(minutes=minute), averageVehicleSpeed=9)
    assert RuleFiring.objects.count() == 1
    assert "Velocidad baja en Paicaví" in logged_in(operator).get("/control/sensores/").content.decode()
    in_temuco = scoped(make_user, Role.OPERATOR, temuco)
    page = logged_in(in_temuco).get("/control/sensores/")
    assert page.status_code == 200
    assert "Velocidad baja en Paicaví" not in page.content.decode()
    citizen = logged_in(make_user(Role.CITIZEN)).get("/control/sensores/")
    assert citizen.status_code == 403


BIKE_THEFT = {
    "initial": "armado",
    "alarm": "alarma",
    "transitions": [
        {"from": "armado", "to": "abierto", "metric": "locked", "op": "==", "value": 0},
        {"from": "abierto", "to": "armado", "metric": "locked", "op": "==", "value": 1},
        {"from": "armado", "to": "alarma", "metric": "weight", "drop": 5},
        {"from": "alarma", "to": "abierto", "metric": "locked", "op": "==", "value": 0},
    ],
}


def test_a_state_machine_alarms_when_the_bike_leaves_without_unlocking(provision, concepcion, committing):
    slot, _secret = provision("bicicletero-plaza-3", kind="bike_rack_slot")
    rule = Rule(
        jurisdiction=concepcion,
        name="Bicicleta retirada sin abrir el candado",
        device_kind=Device.Kind.BIKE_RACK_SLOT,
        kind=Rule.Kind.STATES,
        states=BIKE_THEFT,
    )
    rule.full_clean()
    rule.save()
    start = (timezone.now() - timedelta(minutes=30)).replace(microsecond=0)
    # Its owner unlocks it and takes the bike: no alarm.
    committing(send, slot, start, weight=14.0, locked=1)
    committing(send, slot, start + timedelta(minutes=1), locked=0)
    committing(send, slot, start + timedelta(minutes=2), weight=0.2)
    assert not RuleFiring.objects.exists()
    # A bike is locked in again, then its weight drops with the lock closed: alarm, once.
    committing(send, slot, start + timedelta(minutes=5), weight=13.5, locked=1)
    committing(send, slot, start + timedelta(minutes=9), weight=0.1)
    firing = RuleFiring.objects.get()
    assert firing.ended_at is None and firing.evidence["readings"][-1]["value"] == 0.1
    committing(send, slot, start + timedelta(minutes=10), weight=0.0)
    assert RuleFiring.objects.count() == 1
    committing(send, slot, start + timedelta(minutes=12), locked=0)  # the warden opens it: the alarm ends
    firing.refresh_from_db()
    assert firing.ended_at == start + timedelta(minutes=12)


def test_a_state_machine_without_its_alarm_state_is_refused(concepcion):
    from django.core.exceptions import ValidationError

    rule = Rule(
        jurisdiction=concepcion, name="Mal definida", device_kind="bike_rack_slot", kind="states", states={"x": 1}
    )
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "states" in error.value.message_dict
