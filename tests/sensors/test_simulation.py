"""The demo's sensors: illustrative devices with their rules, made alive by `manage.py simulatesensors`, which says
its data is simulated; a simulated night outage of an adopted light opens its incident through the same ingest."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mueve.reports.models import Report
from mueve.sensors.models import Device, Reading, Rule, RuleFiring
from mueve.sensors.simulator import simulate
from tests.sensors.test_rules import night


def test_the_demo_has_illustrative_lights_and_counters_with_rules(demo_db):
    lights = Device.objects.filter(kind=Device.Kind.STREET_LIGHT)
    counters = Device.objects.filter(kind=Device.Kind.TRAFFIC_COUNTER)
    assert lights.count() >= 3 and counters.count() == 2
    assert all("(ilustrativo)" in d.name for d in [*lights, *counters])
    assert all(d.asset is not None for d in lights)
    assert Rule.objects.filter(action=Rule.Action.OPEN_INCIDENT, night_only=True, metric="power").exists()


def test_simulatesensors_says_it_simulates_and_stores_through_ingest(demo_db):
    out = StringIO()
    call_command("simulatesensors", "--once", "--minutes", "3", stdout=out)
    text = out.getvalue()
    assert "simulad" in text.lower()
    devices = Device.objects.filter(kind__in=[Device.Kind.STREET_LIGHT, Device.Kind.TRAFFIC_COUNTER]).count()
    assert f"de {devices} dispositivos" in text
    assert Reading.objects.filter(metric="power").count() == 3 * Device.objects.filter(kind="street_light").count()
    with pytest.raises(CommandError, match="desconocidos"):
        call_command("simulatesensors", "--once", "--night-outage", "no-existe", stdout=StringIO())


def test_a_simulated_night_outage_opens_the_lights_incident(demo_db, django_capture_on_commit_callbacks):
    light = Device.objects.filter(kind=Device.Kind.STREET_LIGHT, asset__adoptions__isnull=False).first()
    with django_capture_on_commit_callbacks(execute=True):
        simulate(devices=[light], at=night(), minutes=20, outages={light.uid}, seed=1)
    firing = RuleFiring.objects.get(device=light)
    report = Report.objects.get(incident=firing.incident, source=Report.Source.SENSOR)
    assert report.asset_id == light.asset_id
    # The others, lit at night, fire nothing.
    others = list(Device.objects.filter(kind=Device.Kind.STREET_LIGHT).exclude(pk=light.pk))
    with django_capture_on_commit_callbacks(execute=True):
        simulate(devices=others, at=night(), minutes=20, seed=2)
    assert RuleFiring.objects.count() == 1
