"""Live predictions: the GTFS-Realtime TripUpdates feed, trip instances of frequency-based trips, the stop page,
the route page and the planner's legs. The clock is fixed so that the timetables' times are "now"."""

import re
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from google.transit import gtfs_realtime_pb2

from mueve.demo import transit as demo_transit
from mueve.transit import predictions, realtime, services
from mueve.transit.gtfs import format_time
from mueve.transit.models import Feed, Frequency, Stop, Trip, VehiclePosition
from tests.transit.factory import gtfs_zip

pytestmark = pytest.mark.django_db

TD = gtfs_realtime_pb2.TripDescriptor
STU = gtfs_realtime_pb2.TripUpdate.StopTimeUpdate
# Halfway between S1 (08:00) and S2 (08:04, interpolated by shape distance) of the factory's trip T1: due at 08:02.
HALFWAY_S1_S2 = (-36.8235, -73.04765)


def _at(hour: int, minute: int) -> datetime:
    """A Monday in the factory's and the demo's calendars, Santiago time."""
    return timezone.make_aware(datetime(2026, 11, 30, hour, minute))


@pytest.fixture
def clock(monkeypatch):
    def set_to(hour: int, minute: int) -> datetime:
        now = _at(hour, minute)
        monkeypatch.setattr(timezone, "now", lambda: now)
        return now

    return set_to


@pytest.fixture
def small():
    feed = services.feed_create(actor=None, name="Prueba en vivo", slug="prueba-vivo")
    services.feed_import(actor=None, feed=feed, file=gtfs_zip(), filename="ok.zip")
    feed.refresh_from_db()
    return feed


@pytest.fixture
def demo():
    demo_transit.load()
    return Feed.objects.get(slug=demo_transit.FEED_SLUG)


def _push(feed, *buses, header_time: datetime):
    """Ingest VehiclePositions as a producer would send them: (vehicle, trip_id, lat, lon[, start_time, start_date])."""
    message = gtfs_realtime_pb2.FeedMessage()
    message.header.gtfs_realtime_version = "2.0"
    message.header.timestamp = int(header_time.timestamp())
    for vehicle, trip_id, lat, lon, *start in buses:
        e = message.entity.add()
        e.id = vehicle
        e.vehicle.vehicle.id = vehicle
        e.vehicle.trip.trip_id = trip_id
        if start:
            e.vehicle.trip.start_time, e.vehicle.trip.start_date = start
        e.vehicle.position.latitude = lat
        e.vehicle.position.longitude = lon
    return services.vehicle_positions_ingest(actor=None, feed=feed, data=message.SerializeToString())


def _served(client, name: str, feed: Feed) -> gtfs_realtime_pb2.FeedMessage:
    response = client.get(reverse(f"transit:{name}", args=[feed.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-protobuf"
    message = gtfs_realtime_pb2.FeedMessage()
    message.ParseFromString(response.content)
    return message


def test_a_bus_three_minutes_late_is_predicted_three_minutes_late_at_the_stops_ahead(client, clock, small):
    now = clock(8, 5)
    _push(small, ("bus-7", "T1", *HALFWAY_S1_S2), header_time=now)

    message = _served(client, "trip_updates_feed", small)
    assert message.header.incrementality == gtfs_realtime_pb2.FeedHeader.FULL_DATASET
    assert message.header.timestamp == int(now.timestamp())
    assert len(message.entity) == 1
    update = message.entity[0].trip_update
    assert (update.trip.trip_id, update.trip.start_date, update.trip.start_time) == ("T1", "20261130", "08:00:00")
    assert update.trip.schedule_relationship == TD.SCHEDULED
    assert update.vehicle.id == "bus-7"
    assert abs(update.delay - 180) <= 15
    # S1 is behind the bus: left out. S2 (08:04) and S3 (08:12) are ahead, each about 3 minutes late.
    assert [(u.stop_sequence, u.stop_id) for u in update.stop_time_update] == [(2, "S2"), (3, "S3")]
    for u, scheduled in zip(update.stop_time_update, (_at(8, 4), _at(8, 12)), strict=True):
        assert u.schedule_relationship == STU.SCHEDULED
        assert abs(u.arrival.delay - 180) <= 15 and u.departure.delay == u.arrival.delay
        assert u.arrival.time == int(scheduled.timestamp()) + u.arrival.delay
        assert u.arrival.uncertainty >= predictions.BASE_UNCERTAINTY_S
    assert update.stop_time_update[1].arrival.uncertainty > update.stop_time_update[0].arrival.uncertainty

    debug = client.get(reverse("transit:trip_updates_feed", args=[small.slug]), {"format": "json"}).json()
    assert debug["header"]["incrementality"] == "FULL_DATASET"
    assert debug["entity"][0]["trip_update"]["trip"]["trip_id"] == "T1"


def test_trips_without_a_bus_reporting_are_left_out_of_trip_updates(client, clock, small):
    now = clock(8, 5)
    assert len(_served(client, "trip_updates_feed", small).entity) == 0
    # A stale position (older than the vehicles' age limit) is no live data either.
    _push(small, ("bus-7", "T1", *HALFWAY_S1_S2), header_time=_at(7, 40))
    assert len(_served(client, "trip_updates_feed", small).entity) == 0
    # A fresh one for T1 says nothing of T2 (25:10), which stays out.
    _push(small, ("bus-7", "T1", *HALFWAY_S1_S2), header_time=now)
    assert [e.trip_update.trip.trip_id for e in _served(client, "trip_updates_feed", small).entity] == ["T1"]
    assert client.get(reverse("transit:trip_updates_feed", args=["no-existe"])).status_code == 404


def _running_trip(feed: Feed, route_id: str, now: datetime) -> Trip:
    local = timezone.localtime(now)
    seconds = local.hour * 3600 + local.minute * 60
    return Trip.objects.get(
        feed=feed,
        route__route_id=route_id,
        direction_id=0,
        frequencies__start_time__lte=seconds,
        frequencies__end_time__gt=seconds,
    )


def test_two_buses_on_one_frequency_trip_are_told_apart(client, clock, demo):
    now = clock(8, 5)
    trip = _running_trip(demo, "10", now)
    assert Frequency.objects.get(trip=trip).exact_times == 0
    simulated = realtime.simulated_message(demo, now=now)
    on_trip = [e.vehicle for e in simulated.entity if e.vehicle.trip.trip_id == trip.trip_id]
    assert len(on_trip) >= 2
    truth = {(v.trip.start_date, v.trip.start_time) for v in on_trip}
    assert len(truth) == len(on_trip) and all(d == "20261130" and t for d, t in truth)

    # A producer that sends neither start_time nor start_date: each bus still gets its own instance, the one the
    # timetable says it runs (the simulator placed them exactly on time).
    _push(
        demo,
        *[(f"micro-{i}", trip.trip_id, v.position.latitude, v.position.longitude) for i, v in enumerate(on_trip)],
        header_time=now,
    )
    stored = {(v.start_date.strftime("%Y%m%d"), v.start_time) for v in VehiclePosition.objects.filter(feed=demo)}
    assert {(d, format_time(t)) for d, t in stored} == truth

    positions = _served(client, "vehicles_feed", demo)
    descriptors = [e.vehicle.trip for e in positions.entity]
    assert len({(d.trip_id, d.start_date, d.start_time) for d in descriptors}) == len(on_trip)
    assert all(d.start_date and d.start_time and d.schedule_relationship == TD.UNSCHEDULED for d in descriptors)

    updates = [e.trip_update for e in _served(client, "trip_updates_feed", demo).entity]
    assert {(u.trip.start_date, u.trip.start_time) for u in updates} == truth
    assert len({e_id for e_id in (u.vehicle.id for u in updates)}) == len(updates)
    for u in updates:
        # exact_times=0: no timetable to be late against; predicted times only, marked UNSCHEDULED.
        assert u.trip.schedule_relationship == TD.UNSCHEDULED and not u.HasField("delay")
        assert u.stop_time_update and all(
            s.schedule_relationship == STU.UNSCHEDULED and s.arrival.time and not s.arrival.HasField("delay")
            for s in u.stop_time_update
        )

    api = client.get(reverse("api-1:transit_route_vehicles", args=[demo.slug, "10"])).json()
    assert {(v["start_date"], v["start_time"]) for v in api if v["trip_id"] == trip.trip_id} == {
        (f"{d[:4]}-{d[4:6]}-{d[6:]}", t) for d, t in truth
    }

    # A bus keeps its instance while it stays on the trip, even when a later position would suggest another.
    bus = VehiclePosition.objects.get(feed=demo, vehicle_id="micro-0")
    later = clock(8, 9)
    _push(demo, ("micro-0", trip.trip_id, bus.lat, bus.lon), header_time=later)
    bus_after = VehiclePosition.objects.get(feed=demo, vehicle_id="micro-0")
    assert (bus_after.start_date, bus_after.start_time) == (bus.start_date, bus.start_time)


def test_the_instance_a_producer_sends_is_kept(clock, small):
    now = clock(8, 5)
    _push(small, ("bus-7", "T1", *HALFWAY_S1_S2, "08:00:00", "20261130"), header_time=now)
    bus = VehiclePosition.objects.get(vehicle_id="bus-7")
    assert (bus.start_date.isoformat(), bus.start_time) == ("2026-11-30", 8 * 3600)


def test_stop_page_shows_the_predicted_time_of_a_late_bus(client, clock, small):
    now = clock(8, 5)
    _push(small, ("bus-7", "T1", *HALFWAY_S1_S2), header_time=now)
    page = client.get(reverse("transit:stop", args=[small.slug, "S2"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Av. Paicaví" in html
    assert "08:07" in html and "en tiempo real" in html and "programado 08:04" in html
    assert "3 min de atraso" in html and "en 2 minutos" in html
    assert "1 salida en las próximas 2 horas" in html
    # The bus is past S1: its departure there is gone.
    first = client.get(reverse("transit:stop", args=[small.slug, "S1"])).content.decode()
    assert "No hay más salidas" in first
    assert client.get(reverse("transit:stop", args=[small.slug, "S9"])).status_code == 404


def test_stop_page_without_live_data_shows_the_timetable(client, clock, small):
    clock(7, 58)
    html = client.get(reverse("transit:stop", args=[small.slug, "S2"])).content.decode()
    assert "08:04" in html and "programado" in html and "en tiempo real</span>" not in html
    assert "en 6 minutos" in html
    # The last stop of a trip is where it ends: no departure.
    assert "No hay más salidas" in client.get(reverse("transit:stop", args=[small.slug, "S3"])).content.decode()


def test_route_page_lists_live_buses_and_links_its_stops(client, clock, small):
    now = clock(8, 5)
    _push(small, ("bus-7", "T1", *HALFWAY_S1_S2), header_time=now)
    html = client.get(reverse("transit:route", args=[small.slug, "R1"])).content.decode()
    s2 = Stop.objects.get(feed=small, stop_id="S2")
    assert reverse("transit:stop", args=[small.slug, "S2"]) in html
    assert re.search(rf"próxima parada: <a href=\"[^\"]+/paradas/S2/\">{s2.name}</a>", html)
    assert "08:07" in html and "3 min de atraso" in html


def test_planner_legs_carry_the_live_prediction(client, clock, small):
    now = clock(8, 1)
    query = {
        "origin": "stop:S2",
        "destination": "stop:S3",
        "depart_from": "08:00",
        "depart_until": "08:30",
        "day": "2026-11-30",
        "feed": small.slug,
    }
    url = reverse("api-1:transit_plan")
    scheduled = client.get(url, query).json()["journeys"][0]["legs"]
    ride = next(leg for leg in scheduled if leg["kind"] == "ride")
    assert ride["trip_id"] == "T1" and ride["realtime"] is False and ride["predicted_departure"] is None

    _push(small, ("bus-7", "T1", -36.8270, -73.0503), header_time=_at(7, 59))  # at S1, on time
    clock(8, 5)
    _push(small, ("bus-7", "T1", *HALFWAY_S1_S2), header_time=now.replace(minute=5))
    ride = next(leg for leg in client.get(url, query).json()["journeys"][0]["legs"] if leg["kind"] == "ride")
    assert ride["realtime"] is True and abs(ride["delay_s"] - 180) <= 15
    assert (ride["depart"], ride["predicted_departure"]) == ("08:04", "08:07")
    assert (ride["arrive"], ride["predicted_arrival"]) == ("08:12", "08:15")
    assert ride["vehicle_passed"] is False
    # The planner page says so too, beside the timetable's time.
    page = client.get(reverse("transit:planner"), query).content.decode()
    assert "en tiempo real" in page and "Sale a las 08:07 según el bus en circulación; llega a las 08:15." in page
