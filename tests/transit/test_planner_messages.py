"""What Ya Voy tells a rider: places by name, a clear word for an origin outside the served area, for the same
place twice and for a walk, a departure time that matches the bus, and the page without JavaScript."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mueve.demo import territory as demo_territory
from mueve.demo import transit as demo_transit
from mueve.transit import planner

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 11, 30)
SANTIAGO = "-33.4378, -70.6504"  # Plaza de Armas de Santiago, 400 km from the demo network
PLAZA = "-36.8270, -73.0503"


@pytest.fixture
def demo():
    demo_territory.load()
    demo_transit.load()


def _plan(**kw):
    return planner.plan_trip(day=MONDAY, depart_from="08:00", depart_until="08:30", **kw)


def _error(**kw) -> dict:
    with pytest.raises(ValidationError) as caught:
        _plan(**kw)
    return caught.value.message_dict


def test_a_place_name_is_planned_from_its_point_walking_to_the_stops(demo):
    result = _plan(origin="Mall Plaza Trébol", destination="plaza independencia")
    assert result["origin_name"] == "Mall Plaza Trébol"
    assert result["destination_name"] == "Plaza Independencia"
    assert result["journeys"]
    ride = next(leg for leg in result["journeys"][0]["legs"] if leg["kind"] == "ride")
    assert ride["route_name"] == "10"
    assert result["journeys"][0]["legs"][-1]["to_name"] in ("Plaza Independencia", "")


def test_an_unknown_place_name_is_a_field_error(demo):
    errors = _error(origin="Torre Eiffel", destination=PLAZA)
    assert errors["origin"] == [
        "No encontramos «Torre Eiffel». Elija un lugar de la lista o escriba «latitud, longitud»."
    ]


def test_an_origin_in_santiago_is_outside_the_served_area(demo):
    errors = _error(origin=SANTIAGO, destination=PLAZA)
    assert "fuera del área atendida" in errors["origin"][0]
    # Even with the network already chosen (as when a stop was picked first), it is not "try another hour".
    errors = _error(origin=SANTIAGO, destination=PLAZA, feed=demo_transit.FEED_SLUG)
    assert errors["origin"][0].startswith("El origen está fuera del área atendida por la red")
    assert "la línea más cercana pasa a" in errors["origin"][0] and "km" in errors["origin"][0]
    errors = _error(origin=PLAZA, destination=SANTIAGO)
    assert errors["destination"][0].startswith("El destino está fuera del área atendida")


def test_the_same_origin_and_destination(demo):
    assert _error(origin=PLAZA, destination=PLAZA)["destination"] == ["El origen y el destino son el mismo lugar."]
    # Three "Plaza Independencia" stops at one corner, named or given as points a few metres apart: one place.
    assert _error(origin="Plaza Independencia", destination="-36.82702, -73.05035")["destination"]


def test_a_destination_within_a_walk_says_so_with_the_walk_time(demo):
    # From Plaza Independencia, 440 m as the crow flies (within the 600 m the planner walks).
    result = _plan(origin=PLAZA, destination="-36.8240, -73.0470")
    walk = result["walk"]
    assert 400 <= walk["distance_m"] <= 480
    assert walk["minutes"] == round(walk["distance_m"] / 1.2 / 60 + 0.49)  # at 1.2 m/s, rounded up
    on_foot = result["journeys"][0]
    assert on_foot["rides"] == 0 and on_foot["summary"] == "A pie, sin bus"
    assert on_foot["depart"] == "08:00" and on_foot["duration_min"] == walk["minutes"] > 0
    assert on_foot["arrive"] != on_foot["depart"]


def test_the_departure_shown_is_when_the_rider_leaves_and_the_bus_leaves(demo):
    result = _plan(origin="stop:10-01", destination="stop:10-03")
    assert result["origin_name"] == "Plaza Independencia"
    for journey in result["journeys"]:
        first = journey["legs"][0]
        # The journey leaves when its first leg does; when that is the bus, at the bus's time.
        assert journey["depart"] == first["depart"]
        if first["kind"] == "ride":
            assert journey["board"] == first["depart"]
        assert journey["summary"] == "Directo, sin transbordos"


def test_transfers_are_counted_in_words(demo):
    result = _plan(origin="-36.7249, -73.1168", destination="-36.8460, -73.1120", max_transfers=3)
    summaries = {j["summary"] for j in result["journeys"]}
    assert "1 transbordo" in summaries
    assert not any(s.startswith("0 ") for s in summaries)


def test_the_page_without_javascript_plans_from_typed_names(client, demo):
    html = client.get(
        reverse("transit:planner"),
        {
            "origin": "trebol",
            "destination": "Plaza Independencia",
            "depart_from": "08:00",
            "depart_until": "08:30",
            "day": MONDAY.isoformat(),
        },
    ).content.decode()
    assert "De Mall Plaza Trébol a Plaza Independencia" in html
    assert "tome la línea 10" in html and "Salga 0" in html
    assert "stop:" not in html.split('id="resultados"')[1].split("</section>")[0]
    same = client.get(reverse("transit:planner"), {"origin": PLAZA, "destination": PLAZA}).content.decode()
    assert "El origen y el destino son el mismo lugar." in same
    far = client.get(reverse("transit:planner"), {"origin": SANTIAGO, "destination": PLAZA}).content.decode()
    assert "fuera del área atendida" in far and "Pruebe con otra hora" not in far
