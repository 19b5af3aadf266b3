"""Refugio Inteligente: impact and glass-break sensors on a shelter's modules open one vandalism incident for its
maintainer (the module named), damage the module and add later hits as evidence; the maintainer records repairs;
Wi-Fi sessions and USB charges are counted per day; the report compares vandalism before and after the shelter
became smart; the display shows predicted arrivals where a bus runs the trip and scheduled ones otherwise."""

import json
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from mueve.accounts.models import Role
from mueve.reports import services as reports
from mueve.reports.models import Incident, Report
from mueve.sensors.models import Device
from mueve.sensors.services.ingest import Message, ingest_batch
from mueve.sensors.shelters import selectors
from mueve.sensors.shelters.models import ModuleConditionChange, ShelterHit, ShelterModule
from mueve.sensors.shelters.services import module_mount, module_set_condition, module_upsert, shelter_upsert
from mueve.stakeholders.models import Level, Organization, Sector
from tests.transit.test_predictions import HALFWAY_S1_S2, _push, clock, small  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
AT = (-36.8200, -73.0450)  # the factory feed's stop S2, Av. Paicaví


def send(device, at, **values):
    body = {**values, "observedAt": at.isoformat()}
    return ingest_batch([Message(device_uid=device.uid, payload=json.dumps(body), via="http")])


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def maintainer(db):
    return Organization.objects.create(
        name="Mobiliario Urbano Biobío", slug="mobiliario-biobio", sector=Sector.PRIVATE, level=Level.REGIONAL
    )


@pytest.fixture
def vandalism(concepcion):
    return reports.service_upsert(
        jurisdiction=concepcion,
        code="vandalismo-refugio",
        name="Vandalismo en refugio de paradero",
        alert_category="security",
        fusion_radius_m=30,
        fusion_window_minutes=60,
        attributes=[],
    )


@pytest.fixture
def shelter(concepcion, maintainer, vandalism):
    return shelter_upsert(
        jurisdiction=concepcion,
        code="refugio-paicavi",
        name="Refugio Av. Paicaví",
        lat=AT[0],
        lon=AT[1],
        maintainer=maintainer,
        service=vandalism,
        smart_since=date(2026, 6, 1),
    )


@pytest.fixture
def modules(shelter, provision):
    made = {}
    for code, kind, name in [
        ("vidrio-izquierdo", ShelterModule.Kind.GLASS, "Panel de vidrio izquierdo"),
        ("techo", ShelterModule.Kind.ROOF, "Techo"),
        ("wifi", ShelterModule.Kind.WIFI, "Punto Wi-Fi"),
        ("usb", ShelterModule.Kind.USB, "Cargador USB"),
    ]:
        module = module_upsert(shelter=shelter, code=code, kind=kind, name=name)
        device, _secret = provision(f"refugio-paicavi-{code}", kind=Device.Kind.SHELTER_MODULE)
        module_mount(module=module, device=device)
        made[code] = (module, device)
    return made


def test_hits_open_one_incident_for_the_maintainer_naming_the_module(committing, modules, shelter, maintainer):
    glass, glass_sensor = modules["vidrio-izquierdo"]
    roof, roof_sensor = modules["techo"]
    t = timezone.now().replace(microsecond=0) - timedelta(minutes=30)

    committing(send, glass_sensor, t - timedelta(minutes=5), impact=4.0)  # a bus passing: no hit
    assert not ShelterHit.objects.exists() and not Report.objects.exists()

    committing(send, glass_sensor, t, impact=48.0)
    report = Report.objects.get()
    assert report.source == Report.Source.SENSOR and report.service == shelter.service
    assert "Panel de vidrio izquierdo" in report.description and "48" in report.description
    incident = report.incident
    assert incident.is_active and incident.agency == maintainer
    glass.refresh_from_db()
    assert glass.condition == ShelterModule.Condition.DAMAGED
    change = ModuleConditionChange.objects.get(module=glass)
    assert (change.from_condition, change.to_condition) == ("ok", "damaged") and change.hit.incident == incident

    # More blows, on the glass and on the roof, while the incident is open: evidence, not new incidents.
    committing(send, glass_sensor, t + timedelta(minutes=1), impact=60.0, glassBreak=1)
    committing(send, roof_sensor, t + timedelta(minutes=2), impact=35.0)
    committing(send, glass_sensor, t + timedelta(minutes=1), impact=60.0)  # the same reading again
    assert Report.objects.count() == 1 and Incident.objects.count() == 1
    hits = list(ShelterHit.objects.order_by("time", "metric"))
    assert [(h.module.code, h.metric, h.incident_id, h.opened_incident) for h in hits] == [
        ("vidrio-izquierdo", "impact", incident.pk, True),
        ("vidrio-izquierdo", "glassBreak", incident.pk, False),
        ("vidrio-izquierdo", "impact", incident.pk, False),
        ("techo", "impact", incident.pk, False),
    ]
    roof.refresh_from_db()
    assert roof.condition == ShelterModule.Condition.DAMAGED
    # The control centre's incident panel shows the blows, per sensor and metric, with their readings.
    from mueve.sensors.selectors import incident_sensor_evidence

    evidence = {
        (e["device"], e["metric_label"]): [r["value"] for r in e["readings"]]
        for e in incident_sensor_evidence(incident)
    }
    assert evidence == {
        ("refugio-paicavi-vidrio-izquierdo", "Impacto"): [48.0, 60.0],
        ("refugio-paicavi-vidrio-izquierdo", "Rotura de vidrio"): [1.0],
        ("refugio-paicavi-techo", "Impacto"): [35.0],
    }
    assert ModuleConditionChange.objects.filter(module=glass).count() == 1  # damaged once, not per blow

    # Once the maintainer closes it, the next blow is a new incident.
    reports.incident_resolve(incident=incident, actor=_manager())
    committing(send, glass_sensor, t + timedelta(minutes=20), impact=70.0)
    assert Incident.objects.count() == 2
    assert ShelterHit.objects.filter(opened_incident=True).count() == 2


def _manager():
    from mueve.accounts.services import user_create

    return user_create(username="gestora-refugios", password="refugio-2026-largo", role=Role.MANAGER)


def test_the_maintainer_records_a_repair_and_others_may_not(client, make_user, modules, shelter, maintainer):
    glass, _sensor = modules["vidrio-izquierdo"]
    stranger = make_user(Role.OFFICIAL)  # of another organization
    with pytest.raises(PermissionDenied):
        module_set_condition(module=glass, condition="out_of_service", actor=stranger)
    crew = make_user(Role.OPERATOR, organization=maintainer)
    client.force_login(crew)
    url = reverse("shelters:module_condition", args=[shelter.pk, glass.pk])
    assert client.post(url, {"condition": "broken"}).status_code == 400  # not a condition: the page says why
    response = client.post(url, {"condition": "out_of_service", "note": "Vidrio retirado"})
    assert response.status_code == 302
    glass.refresh_from_db()
    assert glass.condition == "out_of_service"
    page = client.get(reverse("shelters:detail", args=[shelter.pk])).content.decode()
    assert "Vidrio retirado" in page and "Fuera de servicio" in page
    client.force_login(stranger)
    assert client.post(url, {"condition": "ok"}).status_code == 403
    glass.refresh_from_db()
    assert glass.condition == "out_of_service"


def test_wifi_sessions_and_usb_charges_are_counted_per_day(committing, client, make_user, modules, shelter):
    _wifi, wifi_sensor = modules["wifi"]
    _usb, usb_sensor = modules["usb"]
    today = timezone.localdate()
    yesterday, before = today - timedelta(days=1), today - timedelta(days=2)

    def at(day, hour):
        return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 15))

    committing(send, wifi_sensor, at(before, 23), wifiSessions=4)
    committing(send, wifi_sensor, at(yesterday, 0), wifiSessions=5)  # after midnight: yesterday's
    committing(send, wifi_sensor, at(yesterday, 18), wifiSessions=7)
    committing(send, wifi_sensor, at(yesterday, 18), wifiSessions=7)  # repeated: counted once
    committing(send, usb_sensor, at(yesterday, 9), usbCharges=2)
    committing(send, usb_sensor, at(yesterday, 9) + timedelta(minutes=3), usbCharges=1)

    usage = {u.day: (u.wifi, u.usb) for u in selectors.usage_by_day(shelter, days=3, today=today)}
    assert usage == {today: (0, 0), yesterday: (12, 3), before: (4, 0)}

    client.force_login(make_user(Role.OFFICIAL))
    page = client.get(reverse("shelters:detail", args=[shelter.pk])).content.decode()
    assert "Uso por día" in page and "<td>12</td><td>3</td>" in page


def _citizen_report(service, when: datetime, near=AT):
    return reports.report_submit(
        service=service,
        lat=near[0],
        lon=near[1],
        description="Rompieron el vidrio del paradero",
        source=Report.Source.WEB,
        requested_at=when,
    )


def test_vandalism_before_and_after_it_became_smart(client, make_user, shelter, vandalism):
    def on(y, m, d):
        return timezone.make_aware(datetime(y, m, d, 21, 0))

    # Smart since 2026-06-01. Twelve months before: six incidents (one far away is another place's).
    for when in [on(2025, 6, 3), on(2025, 8, 10), on(2025, 8, 25), on(2025, 11, 2), on(2026, 2, 14), on(2026, 5, 30)]:
        _citizen_report(vandalism, when)
    _citizen_report(vandalism, on(2025, 9, 9), near=(-36.8300, -73.0500))
    _citizen_report(vandalism, on(2024, 12, 1))  # before the window
    # Since: one in three months (to 2026-08-31).
    _citizen_report(vandalism, on(2026, 7, 19))

    [figures] = selectors.vandalism_figures([shelter], until=date(2026, 8, 31))
    assert (figures.before_incidents, figures.before_months, figures.before_rate) == (6, 12.0, 0.5)
    assert (figures.after_incidents, figures.after_months, figures.after_rate) == (1, 3.0, 0.33)
    assert figures.change_pct == -34.0
    months = {m.month: (m.incidents, m.after) for m in figures.months}
    assert len(months) == 15 and months[date(2025, 8, 1)] == (2, False) and months[date(2026, 7, 1)] == (1, True)

    client.force_login(make_user(Role.OFFICIAL))
    query = {"until": "2026-08-31"}
    page = client.get(reverse("shelters:report"), query).content.decode()
    assert "Refugio Av. Paicaví" in page and "0,50" in page and "0,33" in page and "-34,0 %" in page
    csv = client.get(reverse("shelters:report_csv"), query).content.decode("utf-8-sig").splitlines()
    assert csv[0] == "refugio;nombre;inteligente_desde;mes;periodo;incidentes"
    assert "refugio-paicavi;Refugio Av. Paicaví;2026-06-01;2025-08;antes;2" in csv
    assert "refugio-paicavi;Refugio Av. Paicaví;2026-06-01;2026-07;después;1" in csv
    assert client.get(reverse("shelters:report"), {"until": "ayer"}).status_code == 400
    client.logout()
    assert client.get(reverse("shelters:report")).status_code == 302  # officials only


@pytest.fixture
def at_stop(shelter, small):  # noqa: F811
    shelter.feed, shelter.stop_id = small, "S2"
    shelter.save()
    return shelter


def test_display_shows_predicted_arrivals_where_a_bus_runs_the_trip(client, clock, small, at_stop):  # noqa: F811
    now = clock(8, 5)
    _push(small, ("bus-7", "T1", *HALFWAY_S1_S2), header_time=now)
    data = client.get(reverse("shelters:display_data", args=[at_stop.pk])).json()  # no login
    [arrival] = data["arrivals"]
    assert (arrival["line"], arrival["time"], arrival["scheduled"]) == ("10", "08:07", "08:04")
    assert arrival["realtime"] and arrival["status"] == "en tiempo real" and arrival["delay"] == "3 min de atraso"
    assert "Línea 10 hacia" in arrival["spoken"] and "en tiempo real" in arrival["spoken"]
    assert data["spoken"][0] == "Refugio Av. Paicaví, parada Avenida Paicaví."
    page = client.get(reverse("shelters:display", args=[at_stop.pk])).content.decode()
    assert "08:07" in page and "en tiempo real" in page and "Escuchar" in page


def test_display_shows_the_timetable_without_a_bus(client, clock, at_stop, modules):  # noqa: F811
    clock(7, 58)
    usb, _sensor = modules["usb"]
    ShelterModule.objects.filter(pk=usb.pk).update(condition=ShelterModule.Condition.OUT_OF_SERVICE)
    data = client.get(reverse("shelters:display_data", args=[at_stop.pk])).json()
    [arrival] = data["arrivals"]
    assert (arrival["time"], arrival["realtime"], arrival["status"], arrival["when"]) == (
        "08:04",
        False,
        "programado",
        "6 min",
    )
    assert "según el horario, a las 08:04" in arrival["spoken"]
    assert data["notices"] == ["Cargador USB de este refugio: fuera de servicio. Ya se avisó a su mantenedor."]
    assert data["notices"][0] in data["spoken"]


def test_demo_shelters_stand_at_demo_stops_with_their_history(client):
    import io

    from django.core.management import call_command

    from mueve.sensors.shelters.models import Shelter

    call_command("loaddemo", stdout=io.StringIO())
    shelters = list(Shelter.objects.order_by("code"))
    assert len(shelters) == 3
    for shelter in shelters:
        assert selectors.shelter_stop(shelter) is not None and shelter.modules.count() == 7
        assert sum(u.wifi for u in selectors.usage_by_day(shelter, days=7)) > 0
    figures = {f.shelter.code: f for f in selectors.vandalism_figures(shelters)}
    assert all(f.before_incidents >= 12 and f.after_rate < f.before_rate for f in figures.values())
    paicavi = Shelter.objects.get(code="refugio-paicavi")
    [opened] = ShelterHit.objects.filter(shelter=paicavi, opened_incident=True)
    assert opened.incident.is_active and opened.incident.agency == paicavi.maintainer
    assert paicavi.modules.get(code="vidrio-izquierdo").condition == ShelterModule.Condition.DAMAGED
    counts = (Report.objects.count(), ShelterHit.objects.count(), Device.objects.count())
    call_command("loaddemo", stdout=io.StringIO())
    assert counts == (Report.objects.count(), ShelterHit.objects.count(), Device.objects.count())
    assert client.get(reverse("shelters:display", args=[paicavi.pk])).status_code == 200


def test_simulateshelters_says_it_simulates_and_a_simulated_blow_opens_the_incident(committing, modules, shelter):
    import io

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    committing(call_command, "simulateshelters", "--once", "--golpe", "refugio-paicavi-vidrio-izquierdo", stdout=out)
    assert "Datos simulados de refugios" in out.getvalue() and "de 4 sensores" in out.getvalue()
    assert "Golpe simulado en: refugio-paicavi-vidrio-izquierdo" in out.getvalue()
    assert {h.metric for h in ShelterHit.objects.all()} == {"impact", "glassBreak"}
    assert Report.objects.get().incident.is_active
    # The minutes before: vibrations of passing buses, Wi-Fi sessions and charges, no blow.
    committing(call_command, "simulateshelters", "--once", "--minutes", "30", stdout=io.StringIO())
    assert ShelterHit.objects.count() == 2
    from mueve.sensors.models import Reading

    assert Reading.objects.filter(metric="wifiSessions").count() == 30  # the blow's minute is among them, once
    assert Reading.objects.filter(metric="impact", value__lt=5).count() == 30 + 29  # the roof, the glass but its blow
    with pytest.raises(CommandError, match="desconocidos"):
        call_command("simulateshelters", "--once", "--golpe", "no-existe", stdout=io.StringIO())
