"""Seat requests, drivers' state and boardings through the services: the matching, capacity, cancel, bad input."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mueve.accounts.models import Role
from mueve.shared_taxis import selectors, services
from mueve.shared_taxis.models import Car, CarState, SeatRequest
from mueve.transit.geometry import point_at

from .conftest import PATH

pytestmark = pytest.mark.django_db


def at(metres: float) -> tuple[float, float]:
    return point_at(PATH, metres)


def run(car, driver, metres: float, free: int | None = None):
    lat, lon = at(metres)
    return services.car_update(
        actor=driver,
        car=car,
        status=CarState.Status.RUNNING,
        free_seats=car.capacity if free is None else free,
        lat=lat,
        lon=lon,
    )


def test_a_request_from_far_from_the_line_is_refused_in_spanish_and_nothing_is_stored(line):
    # ~1.1 km south of Av. Collao
    with pytest.raises(ValidationError) as caught:
        services.request_seats(line=line, lat=-36.8330, lon=-73.0420, party_size=2)
    message = caught.value.message_dict["position"][0]
    assert "del recorrido de la línea Colectivo 11" in message
    assert "Acérquese a menos de 150 m" in message
    assert SeatRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("lat", "lon", "party", "field"),
    [
        ("x", "-73", 1, "position"),
        (None, None, 1, "position"),
        (95, -73.04, 1, "position"),
        (-36.8233, -73.0417, 0, "party_size"),
        (-36.8233, -73.0417, 9, "party_size"),
    ],
)
def test_bad_input_gets_a_field_error_and_stores_nothing(line, lat, lon, party, field):
    with pytest.raises(ValidationError) as caught:
        services.request_seats(line=line, lat=lat, lon=lon, party_size=party)
    assert field in caught.value.message_dict
    assert SeatRequest.objects.count() == 0


def test_a_request_goes_to_the_running_car_behind_it_with_an_eta(line, car, driver):
    run(car, driver, 200)
    lat, lon = at(1200)
    r = services.request_seats(line=line, lat=lat, lon=lon, party_size=2)
    assert r.status == SeatRequest.Status.ASSIGNED and r.car == car
    assert r.along_m == pytest.approx(1200, abs=5)
    assert r.eta_s == pytest.approx(1000 / (25 / 3.6), abs=5)
    # the car moves on: the rider's ETA shrinks
    run(car, driver, 900)
    r.refresh_from_db()
    assert r.eta_s == pytest.approx(300 / (25 / 3.6), abs=5)
    status = selectors.rider_status(r)
    assert status["car"]["plate"] == "KXTR12" and status["eta_min"] == 1


def test_a_car_that_has_passed_the_rider_is_not_assigned(line, car, driver):
    run(car, driver, 2000)
    lat, lon = at(1000)
    r = services.request_seats(line=line, lat=lat, lon=lon, party_size=1)
    assert r.status == SeatRequest.Status.REQUESTED and r.car is None


def test_capacity_holds_and_the_overflow_waits_for_the_next_car(line, car, driver, make_user):
    run(car, driver, 0, free=3)  # one rider already on board
    first = services.request_seats(line=line, lat=at(500)[0], lon=at(500)[1], party_size=2)
    second = services.request_seats(line=line, lat=at(800)[0], lon=at(800)[1], party_size=2)
    assert first.car == car and second.car is None
    other_driver = make_user(Role.CITIZEN)
    other = Car.objects.create(line=line, plate="JHPL34", capacity=4, driver=other_driver)
    run(other, other_driver, 100)
    second.refresh_from_db()
    assert second.car == other
    # seats taken by the plan never exceed the free seats
    planned = sum(r.party_size for r in SeatRequest.objects.filter(car=car, status=SeatRequest.Status.ASSIGNED))
    assert planned <= 3


def test_boarding_ends_the_request_clears_the_position_and_takes_the_seats(line, car, driver):
    run(car, driver, 100)
    r = services.request_seats(line=line, lat=at(600)[0], lon=at(600)[1], party_size=3)
    services.confirm_boarding(actor=driver, car=car, seat_request=r)
    r.refresh_from_db()
    car.state.refresh_from_db()
    assert r.status == SeatRequest.Status.BOARDED and r.lat is None and r.lon is None
    assert car.state.free_seats == 1
    later = services.request_seats(line=line, lat=at(900)[0], lon=at(900)[1], party_size=2)
    assert later.car is None  # one seat left
    with pytest.raises(ValidationError):
        services.confirm_boarding(actor=driver, car=car, seat_request=later)  # no room for two
    later.refresh_from_db()
    assert later.status == SeatRequest.Status.REQUESTED


def test_cancel_clears_the_position_and_frees_the_car(line, car, driver):
    run(car, driver, 100)
    r = services.request_seats(line=line, lat=at(600)[0], lon=at(600)[1], party_size=4)
    waiting = services.request_seats(line=line, lat=at(700)[0], lon=at(700)[1], party_size=1)
    assert waiting.car is None
    services.cancel_request(seat_request=r)
    r.refresh_from_db()
    waiting.refresh_from_db()
    assert r.status == SeatRequest.Status.CANCELLED and r.lat is None and r.car is None
    assert waiting.car == car
    with pytest.raises(ValidationError):
        services.cancel_request(seat_request=r)


def test_only_the_cars_driver_may_share_its_state_or_confirm_boardings(line, car, make_user):
    stranger = make_user(Role.CITIZEN)
    with pytest.raises(PermissionDenied):
        services.car_update(actor=stranger, car=car, status=CarState.Status.RUNNING, free_seats=4)
    r = services.request_seats(line=line, lat=at(600)[0], lon=at(600)[1], party_size=1)
    with pytest.raises(PermissionDenied):
        services.confirm_boarding(actor=stranger, car=car, seat_request=r)


def test_a_driver_off_the_line_or_with_impossible_seats_is_refused(line, car, driver):
    with pytest.raises(ValidationError) as caught:
        services.car_update(
            actor=driver, car=car, status=CarState.Status.RUNNING, free_seats=5, lat=-36.8330, lon=-73.0420
        )
    assert set(caught.value.message_dict) == {"free_seats", "position"}
    car.state.refresh_from_db()
    assert car.state.status == CarState.Status.OFF


def test_the_terminal_recommends_a_departure_for_demand_no_running_car_takes(line, car, driver, make_user):
    services.car_update(actor=driver, car=car, status=CarState.Status.QUEUED, free_seats=4)
    d2 = make_user(Role.CITIZEN)
    second = Car.objects.create(line=line, plate="JHPL34", capacity=4, driver=d2)
    services.car_update(actor=d2, car=second, status=CarState.Status.QUEUED, free_seats=4)
    view = selectors.terminal_view(line)
    assert [q["plate"] for q in view["queue"]] == ["KXTR12", "JHPL34"]
    assert not any(q["depart_now"] for q in view["queue"])
    services.request_seats(line=line, lat=at(1500)[0], lon=at(1500)[1], party_size=2)
    view = selectors.terminal_view(line)
    assert view["queue"][0]["depart_now"] and view["queue"][0]["seats"] == 2
    assert not view["queue"][1]["depart_now"]
    assert view["demand"][1]["unassigned_seats"] == 2


def test_requests_expire_and_forget_the_position(line, car, driver):
    r = services.request_seats(line=line, lat=at(600)[0], lon=at(600)[1], party_size=1)
    SeatRequest.objects.filter(pk=r.pk).update(requested_at=r.requested_at - services.REQUEST_TTL * 2)
    run(car, driver, 0)
    r.refresh_from_db()
    assert r.status == SeatRequest.Status.EXPIRED and r.lat is None and r.car is None
