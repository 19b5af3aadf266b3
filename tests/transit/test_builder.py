"""Feed builder round trip: draw → export → import (same validation as any upload) → plan a trip on it."""

import io
import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from mueve.demo import transit as demo_transit
from mueve.transit import gtfs, planner, services
from mueve.transit.models import BuilderRoute, Feed, FeedImport, Frequency, Route, StopTime, Trip

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 30)
PATH = [[-36.8270, -73.0503], [-36.8225, -73.0457], [-36.8130, -73.0490], [-36.8040, -73.0560]]


@pytest.fixture
def feed():
    return services.feed_create(actor=None, name="Constructor", slug="constructor")


def save_route(feed, **extra):
    args = {
        "actor": None,
        "feed": feed,
        "code": "1",
        "short_name": "1",
        "long_name": "Centro – Norte",
        "path": PATH,
        "reference_points": [
            {"name": "Av. Paicaví", "lat": -36.8226, "lon": -73.0459},
            {"name": "Plaza Perú", "lat": -36.8131, "lon": -73.0488},
        ],
        "bands": [{"start": "07:00", "end": "09:00", "headway_min": 10}],
        "days": [0, 1, 2, 3, 4],
    }
    args.update(extra)
    return services.builder_route_save(**args)


def test_builder_export_passes_the_importer_validation_without_warnings(feed):
    save_route(feed)
    data = services.builder_zip(feed, start=MONDAY)
    parsed = gtfs.read_feed(io.BytesIO(data))
    assert parsed.issues == []
    routes = {r["route_id"]: r for r in parsed.routes}
    assert routes["1"]["continuous_pickup"] == 0 and routes["1"]["continuous_drop_off"] == 0
    names = [s["name"] for s in parsed.stops]
    # The two ends become stops because no reference point lies there; the named points keep their names.
    assert names == ["Inicio 1", "Av. Paicaví", "Plaza Perú", "Término 1"]
    assert {s["tts_stop_name"] for s in parsed.stops if s["name"] == "Av. Paicaví"} == {"Avenida Paicaví"}
    assert len(parsed.trips) == 2  # one template per direction, run at the band's headway
    assert parsed.frequencies[0]["headway_secs"] == 600


def test_explicit_trips_instead_of_frequencies(feed):
    save_route(feed, explicit_trips=True, both_directions=False)
    parsed = gtfs.read_feed(io.BytesIO(services.builder_zip(feed, start=MONDAY)))
    assert not parsed.errors
    assert len(parsed.trips) == 12 and parsed.frequencies == []  # 07:00..08:50 every 10 min


def test_round_trip_build_publish_plan(feed):
    save_route(feed)
    record = services.builder_publish(actor=None, feed=feed, start=MONDAY)
    assert record.status == FeedImport.Status.OK, list(record.issues.values_list("message", flat=True))
    assert Route.objects.get(feed=feed).hail_anywhere
    assert Frequency.objects.filter(trip__feed=feed).count() == 2
    # From a point beside the line (not a stop) to the last reference point, leaving 07:30–07:45 on a Monday.
    result = planner.plan_trip(
        origin="-36.8245, -73.0478",
        destination="stop:1-03",
        day=MONDAY,
        depart_from="07:30",
        depart_until="07:45",
        feed=feed.slug,
    )
    rides = [leg for j in result["journeys"] for leg in j["legs"] if leg["kind"] == "ride"]
    assert rides, result
    assert {leg["route_name"] for leg in rides} == {"1"}
    assert all("07:30" <= j["depart"] <= "07:45" for j in result["journeys"])
    first = result["journeys"][0]
    assert first["legs"][-1]["to_name"] == "Plaza Perú" or first["legs"][-1]["to_stop"] == "1-03"


def test_bad_builder_input_names_the_fields_and_stores_nothing(feed):
    with pytest.raises(ValidationError) as exc:
        save_route(
            feed,
            short_name="",
            path=[[-36.8, -73.0]],
            bands=[{"start": "09:00", "end": "08:00", "headway_min": 10}],
            days=[],
            color="azul",
        )
    assert set(exc.value.message_dict) >= {"short_name", "path", "bands", "days", "color"}
    assert not BuilderRoute.objects.exists()


def test_gpx_and_geojson_traces():
    gpx = b"""<?xml version="1.0"?><gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
      <trkpt lat="-36.8270" lon="-73.0503"/><trkpt lat="-36.82701" lon="-73.05031"/>
      <trkpt lat="-36.8225" lon="-73.0457"/>
    </trkseg></trk></gpx>"""
    assert services.parse_trace(gpx, "viaje.gpx") == [[-36.827, -73.0503], [-36.8225, -73.0457]]
    geo = json.dumps(
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[-73.05, -36.82], [-73.04, -36.81]]}}
    )
    assert services.parse_trace(geo.encode(), "r.geojson") == [[-36.82, -73.05], [-36.81, -73.04]]
    with pytest.raises(ValidationError) as exc:
        services.parse_trace(b"<gpx", "x.gpx")
    assert "trace" in exc.value.message_dict


def test_demo_network_is_illustrative_idempotent_and_plannable():
    demo_transit.load()
    feed = Feed.objects.get(slug=demo_transit.FEED_SLUG)
    counts = (Trip.objects.count(), StopTime.objects.count(), feed.imports.count())
    demo_transit.load()
    assert (Trip.objects.count(), StopTime.objects.count(), feed.imports.count()) == counts
    assert feed.illustrative and feed.imports.get().status == FeedImport.Status.OK
    assert sorted(Route.objects.filter(feed=feed).values_list("short_name", flat=True)) == ["10", "20", "30"]
    assert all(r.hail_anywhere for r in Route.objects.filter(feed=feed))
    # Talcahuano to San Pedro de la Paz: line 10 then line 20, changing at Plaza Independencia.
    result = planner.plan_trip(
        origin="-36.7249, -73.1168",
        destination="-36.8460, -73.1120",
        depart_from="08:00",
        depart_until="08:20",
        day=MONDAY,
    )
    lines = [[leg["route_name"] for leg in j["legs"] if leg["kind"] == "ride"] for j in result["journeys"]]
    assert ["10", "20"] in lines, result


def test_names_over_their_limit_are_refused_not_cut(feed):
    with pytest.raises(ValidationError) as exc:
        save_route(
            feed,
            long_name="Centro " * 40,
            reference_points=[{"name": "P" * 150, "lat": -36.8226, "lon": -73.0459}],
        )
    errors = exc.value.message_dict
    assert errors["long_name"] == ["Máximo 200 caracteres (tiene 279)."]
    assert errors["reference_points"] == ["Nombre de un punto de referencia: Máximo 100 caracteres (tiene 150)."]
    assert not BuilderRoute.objects.exists()
