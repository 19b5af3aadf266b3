"""Transit pages, the planner API, GTFS-Realtime feeds (vehicles pushed and served, alerts from citizen reports)."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from google.transit import gtfs_realtime_pb2

from mueve.accounts.models import Role
from mueve.demo import transit as demo_transit
from mueve.reports.models import Incident, Service
from mueve.territory.models import Jurisdiction
from mueve.transit import realtime, services
from mueve.transit.models import Feed, FeedImport, Route, Trip, VehiclePosition
from tests.keys import issue_key
from tests.transit.factory import gtfs_zip

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 11, 30)
FEED = demo_transit.FEED_SLUG


@pytest.fixture
def demo():
    demo_transit.load()
    return Feed.objects.get(slug=FEED)


def test_public_pages_render(client, demo):
    home = client.get(reverse("transit:home"))
    assert home.status_code == 200
    html = home.content.decode()
    assert "ilustrativo" in html and "Concepción – Talcahuano por Av. Colón" in html
    route = client.get(reverse("transit:route", args=[FEED, "10"]), {"lat": -36.7920, "lon": -73.0660})
    assert route.status_code == 200
    text = route.content.decode()
    assert "cualquier punto del recorrido" in text and "Mall Plaza Trébol" in text
    assert client.get(reverse("transit:planner")).status_code == 200
    page = client.get(reverse("transit:despierta"))
    assert page.status_code == 200 and "speech" not in page.content.decode().lower()
    assert client.get(reverse("transit:route", args=[FEED, "99"])).status_code == 404


def test_planner_page_without_javascript(client, demo):
    response = client.get(
        reverse("transit:planner"),
        {
            "origin": "-36.7249, -73.1168",
            "destination": "-36.8460, -73.1120",
            "depart_from": "08:00",
            "depart_until": "08:20",
            "day": MONDAY.isoformat(),
            "max_transfers": "3",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"tome la línea 10", html) and re.search(r"tome la línea 20", html)


def test_planner_page_shows_field_errors(client, demo):
    response = client.get(
        reverse("transit:planner"), {"origin": "aquí", "destination": "-36.8, -73.1", "depart_from": "8"}
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_plan_api(client, demo):
    url = reverse("api-1:transit_plan")
    ok = client.get(
        url,
        {
            "origin": "-36.8270,-73.0503",
            "destination": "-36.7920,-73.0663",
            "depart_from": "07:00",
            "depart_until": "07:20",
            "day": MONDAY.isoformat(),
        },
    )
    assert ok.status_code == 200, ok.content
    body = ok.json()
    assert body["feed"]["illustrative"] is True and body["journeys"]
    assert all("07:00" <= j["depart"] <= "07:20" for j in body["journeys"])
    assert body["journeys"][0]["legs"][-1]["kind"] in ("walk", "ride")


@pytest.mark.parametrize(
    ("params", "field", "status"),
    [
        ({"origin": "casa", "destination": "-36.8,-73.0"}, "origin", 400),
        ({"origin": "-36.8,-73.05", "destination": "-36.8,-73.0", "depart_from": "25:99"}, "depart_from", 400),
        (
            {"origin": "-36.8,-73.05", "destination": "-36.8,-73.0", "depart_from": "09:00", "depart_until": "08:00"},
            "depart_until",
            400,
        ),
        ({"origin": "-36.8,-73.05", "destination": "-36.8,-73.0", "max_transfers": "9"}, "max_transfers", 422),
        ({"destination": "-36.8,-73.0"}, "origin", 422),
        ({"origin": "40.7,-74.0", "destination": "40.71,-74.01"}, "origin", 400),
    ],
)
def test_plan_api_rejects_bad_queries_with_field_errors(client, demo, params, field, status):
    response = client.get(reverse("api-1:transit_plan"), params)
    assert response.status_code == status, response.content
    assert field in response.json()["errors"]


def test_stop_search_and_route_geometry(client, demo):
    stops = client.get(reverse("api-1:transit_stop_search"), {"q": "trebol"}).json()
    assert [s["name"] for s in stops] == ["Mall Plaza Trébol"]
    assert client.get(reverse("api-1:transit_stop_search"), {"q": "x"}).status_code == 422
    geo = client.get(reverse("api-1:transit_route_geometry", args=[FEED, "20"])).json()
    assert geo["hail_anywhere"] and len(geo["shape"]) == 11
    assert geo["stops"][2]["tts_stop_name"] == "Puente Llacolén"


@pytest.mark.parametrize("role", [*Role.values, "anonymous"])
def test_manage_pages_are_for_managers(client, make_user, demo, role):
    if role != "anonymous":
        client.force_login(make_user(role))
    response = client.get(reverse("transit:manage"))
    if role in (Role.MANAGER, Role.ADMIN):
        assert response.status_code == 200
    elif role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 403


def test_manager_uploads_a_broken_zip_and_reads_the_report(client, make_user):
    client.force_login(make_user(Role.MANAGER))
    client.post(reverse("transit:manage"), {"name": "Buses Bío Bío"})
    feed = Feed.objects.get(name="Buses Bío Bío")
    broken = io.BytesIO(
        gtfs_zip({"stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,8:0,8:00:00,S1,1\n"})
    )
    broken.name = "roto.zip"
    response = client.post(reverse("transit:feed_manage", args=[feed.slug]), {"file": broken}, follow=True)
    html = response.content.decode()
    assert "no se importó nada" in html
    assert "stop_times.txt" in html and "arrival_time" in html and "8:0" in html
    assert not Trip.objects.filter(feed=feed).exists()
    good = io.BytesIO(gtfs_zip())
    good.name = "bueno.zip"
    client.post(reverse("transit:feed_manage", args=[feed.slug]), {"file": good})
    assert feed.imports.first().status == FeedImport.Status.OK_WITH_WARNINGS
    assert Trip.objects.filter(feed=feed).count() == 2


def test_manager_draws_a_route_and_publishes(client, make_user):
    client.force_login(make_user(Role.MANAGER))
    feed = services.feed_create(actor=None, name="Dibujo")
    response = client.post(
        reverse("transit:builder_new", args=[feed.slug]),
        {
            "short_name": "5",
            "long_name": "Centro – Collao",
            "color": "1565C0",
            "hail_anywhere": "on",
            "both_directions": "on",
            "speed_kmh": "18",
            "days": ["0", "1", "2", "3", "4"],
            "bands": "07:00-09:00 10",
            "path": "[[-36.827, -73.0503], [-36.8225, -73.0457], [-36.813, -73.049]]",
            "reference_points": "Av. Paicaví; -36.8226; -73.0459",
            "publish": "1",
        },
    )
    assert response.status_code == 302
    assert Route.objects.get(feed=feed).hail_anywhere
    bad = client.post(
        reverse("transit:builder_new", args=[feed.slug]),
        {"short_name": "6", "bands": "siempre", "speed_kmh": "18", "color": "1565C0", "days": ["0"]},
    )
    assert bad.status_code == 200 and 'aria-invalid="true"' in bad.content.decode()


def _message(lat, lon, vehicle="bus-1", trip="", route="10"):
    message = gtfs_realtime_pb2.FeedMessage()
    message.header.gtfs_realtime_version = "2.0"
    e = message.entity.add()
    e.id = vehicle
    e.vehicle.vehicle.id = vehicle
    e.vehicle.trip.route_id = route
    if trip:
        e.vehicle.trip.trip_id = trip
    e.vehicle.position.latitude = lat
    e.vehicle.position.longitude = lon
    return message.SerializeToString()


@pytest.mark.parametrize(
    ("role", "status"), [(Role.OPERATOR, 200), (Role.MANAGER, 200), (Role.CITIZEN, 403), (None, 401)]
)
def test_pushed_vehicle_positions(client, make_user, demo, role, status):
    headers = {}
    if role is not None:
        _token, key = issue_key(user=make_user(role), name="bus")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    url = reverse("transit:vehicles_feed", args=[FEED])
    response = client.post(url, _message(-36.80, -73.056), content_type="application/x-protobuf", **headers)
    assert response.status_code == status
    if status == 200:
        assert VehiclePosition.objects.get(vehicle_id="bus-1").route.short_name == "10"
        served = gtfs_realtime_pb2.FeedMessage()
        served.ParseFromString(client.get(url).content)
        assert [e.vehicle.vehicle.id for e in served.entity] == ["bus-1"]
        assert client.get(reverse("api-1:transit_route_vehicles", args=[FEED, "10"])).json()[0]["vehicle_id"] == "bus-1"
        garbage = client.post(url, b"\xff\xff not protobuf", content_type="application/x-protobuf", **headers)
        assert garbage.status_code == 400
    else:
        assert not VehiclePosition.objects.exists()


def test_simulator_moves_buses_along_the_demo_trips(demo):
    from django.utils import timezone

    # A Monday at 08:05 Santiago time: every line runs every 8 minutes.
    now = timezone.make_aware(timezone.datetime(2026, 11, 30, 8, 5))
    message = realtime.simulated_message(demo, now=now)
    assert len(message.entity) >= 10
    stored = services.vehicle_positions_ingest(actor=None, feed=demo, data=message.SerializeToString())
    assert stored == len(message.entity)
    assert all("simulado" in v.label for v in VehiclePosition.objects.all())
    assert all(-36.95 < v.lat < -36.7 for v in VehiclePosition.objects.all())


def test_incident_on_the_route_becomes_a_spanish_alert(client, demo):
    jurisdiction = Jurisdiction.objects.create(name="Concepción", slug="concepcion-test", kind="commune")
    service = Service.objects.create(jurisdiction=jurisdiction, code="semaforo", name="Semáforo apagado")
    near = Incident.objects.create(
        jurisdiction=jurisdiction, service=service, h3_cell="x", lat=-36.79195, lon=-73.06635
    )
    Incident.objects.create(
        jurisdiction=jurisdiction, service=service, h3_cell="y", lat=-36.7900, lon=-73.0500
    )  # 1.3 km
    closed = Incident.objects.create(
        jurisdiction=jurisdiction, service=service, h3_cell="z", lat=-36.7919, lon=-73.0663
    )
    Incident.objects.filter(pk=closed.pk).update(status="resolved")

    debug = client.get(reverse("transit:alerts_feed", args=[FEED]), {"format": "json"}).json()
    assert [e["id"] for e in debug["entity"]] == [f"incidente-{near.pk}"]
    alert = debug["entity"][0]["alert"]
    assert alert["informed_entity"][0]["route_id"] == "10"
    assert alert["tts_header_text"]["translation"][0] == {
        "text": "Atención: Semáforo apagado en el recorrido de la línea 10.",
        "language": "es",
    }
    binary = gtfs_realtime_pb2.FeedMessage()
    binary.ParseFromString(client.get(reverse("transit:alerts_feed", args=[FEED])).content)
    assert binary.entity[0].alert.header_text.translation[0].language == "es"
    page = client.get(reverse("transit:route", args=[FEED, "10"])).content.decode()
    assert "Semáforo apagado en el recorrido de la línea 10" in page


def test_next_passes_at_a_point_beside_a_hail_anywhere_route(demo):
    from django.utils import timezone

    from mueve.transit import selectors

    route = Route.objects.get(feed=demo, route_id="10")
    monday_0805 = timezone.make_aware(timezone.datetime(2026, 11, 30, 8, 5))
    # Between two reference points, 20 m off the line: the bus passes here, not only at stops.
    arrivals = selectors.next_arrivals(route, lat=-36.80400, lon=-73.05620, now=monday_0805)
    assert len(arrivals) == 5
    assert {a.stop for a in arrivals} == {None} and all(a.distance_m < 40 for a in arrivals)
    towards_talcahuano = sorted(a.minutes_away for a in arrivals if a.headsign == "Plaza de Talcahuano")
    assert towards_talcahuano and towards_talcahuano[0] < 8  # every 8 minutes in the morning band
    assert all(0 <= a.minutes_away for a in arrivals)


def test_simulator_and_poller_commands(demo, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("simulatevehicles", "--feed", FEED, "--once")
    assert "vehículos simulados" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("pollvehicles", "--feed", FEED, "--url", "file:///etc/passwd", "--once")
    with pytest.raises(CommandError):
        call_command("simulatevehicles", "--feed", "no-existe", "--once")


@pytest.mark.parametrize(
    "path",
    ["/api/v1/transit/stops?q=ab%00c", "/api/v1/transit/stops?q=abc&feed=x%00", "/api/v1/transit/routes?feed=%00"],
)
def test_nul_characters_in_api_text_are_a_422_not_a_server_error(client, path):
    # PostgreSQL cannot compare text holding NUL: found by the API fuzzing on PostgreSQL in CI.
    assert client.get(path).status_code == 422
