"""`mueve demo` runs simulated buses: the thread it starts moves them along the demo lines, the API and the route
page show them, labelled as simulated; `--no-simulator` leaves them off; stopping the demo stops the thread."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from mueve import cli
from mueve.demo import transit as demo_transit
from mueve.transit.models import VehiclePosition

pytestmark = pytest.mark.django_db(transaction=True)
SANTIAGO = ZoneInfo("America/Santiago")
# Tomorrow at 08:00: line 10 runs every day, every 8 minutes then (and a position from the future is not stale).
SERVICE_HOUR = datetime.combine(datetime.now(SANTIAGO).date() + timedelta(days=1), time(8, 0), tzinfo=SANTIAGO)


def test_the_demo_starts_simulated_buses_that_the_pages_show(client, capsys):
    demo_transit.load()
    assert not VehiclePosition.objects.exists()  # what `make demo` showed: "0 buses en circulación"
    simulator = cli.start_demo_simulator(interval=0.05, clock=lambda: SERVICE_HOUR)
    try:
        # The thread has stored at least two rounds of positions (no sleep: it is asked, not timed).
        while simulator.updates < 2:
            simulator.stopping.wait(0.05)
            assert simulator.thread.is_alive()
    finally:
        simulator.stop()
    assert not simulator.thread.is_alive()
    assert "Buses simulados" in capsys.readouterr().out

    vehicles = client.get(reverse("api-1:transit_route_vehicles", args=[demo_transit.FEED_SLUG, "10"])).json()
    assert len(vehicles) >= 2
    assert all(v["simulated"] and "(simulado)" in v["label"] for v in vehicles)
    html = client.get(reverse("transit:route", args=[demo_transit.FEED_SLUG, "10"])).content.decode()
    assert f"{len(vehicles)} buses en circulación ahora." in html
    assert "Buses simulados para la demostración" in html


def test_real_buses_are_not_called_simulated(client):
    demo_transit.load()
    from mueve.transit.models import Feed, Route

    feed = Feed.objects.get(slug=demo_transit.FEED_SLUG)
    VehiclePosition.objects.create(
        feed=feed, vehicle_id="bus-42", route=Route.objects.get(feed=feed, route_id="10"), lat=-36.80, lon=-73.055,
        timestamp=datetime.now(ZoneInfo("UTC")),
    )  # fmt: skip
    html = client.get(reverse("transit:route", args=[demo_transit.FEED_SLUG, "10"])).content.decode()
    assert "1 bus en circulación ahora." in html and "Buses simulados" not in html


def test_no_simulator_flag_is_taken_by_the_demo_command(monkeypatch):
    calls = []
    monkeypatch.setattr(cli, "_setup", lambda: None)
    monkeypatch.setattr(cli, "_serve", lambda argv: calls.append(("serve", argv)))
    monkeypatch.setattr(cli, "start_demo_simulator", lambda **kw: calls.append(("simulator",)))
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **kw: None)
    cli.main(["demo", "--no-simulator", "--port", "8299"])
    assert calls == [("serve", ["--no-migrate", "--port", "8299"])]
    calls.clear()
    cli.main(["demo", "--port", "8299"])
    assert calls == [("simulator",), ("serve", ["--no-migrate", "--port", "8299"])]
