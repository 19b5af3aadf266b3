"""The pages through Django's test client: the rider's request and its errors, the live JSON, who sees what."""

import pytest

from mueve.accounts.models import Role
from mueve.shared_taxis.models import CarState, SeatRequest
from mueve.transit.geometry import cumulative_m, point_at
from tests.conftest import PASSWORD

from .conftest import PATH

pytestmark = pytest.mark.django_db


def test_a_rider_asks_from_the_map_follows_the_car_and_cancels(client, line, car, driver):
    CarState.objects.filter(car=car).update(status=CarState.Status.RUNNING, along_m=100)
    page = client.get("/colectivo/11-collao/")
    assert page.status_code == 200
    assert "Pedir asiento" in page.content.decode()
    lat, lon = point_at(PATH, 800)
    sent = client.post("/colectivo/11-collao/", {"action": "request", "party_size": 2, "lat": lat, "lon": lon})
    assert sent.status_code == 302
    status = client.get("/colectivo/11-collao/estado.json").json()
    assert status["request"]["status"] == "assigned"
    assert status["request"]["car"]["plate"] == "KXTR12"
    assert status["request"]["eta_min"] == 2
    assert "lat" not in status["request"]  # the rider's own point is not sent back to the page
    page = client.get("/colectivo/11-collao/").content.decode()
    assert "El auto KXTR12 llega en 2 min" in page and "Cancelar solicitud" in page
    # a second request while the first is open is refused
    again = client.post("/colectivo/11-collao/", {"action": "request", "party_size": 1, "lat": lat, "lon": lon})
    assert again.status_code == 422 and SeatRequest.objects.count() == 1
    client.post("/colectivo/11-collao/", {"action": "cancel"})
    assert SeatRequest.objects.get().status == "cancelled"
    # another visitor sees no request and no rider data
    other = client.__class__().get("/colectivo/11-collao/estado.json").json()
    assert other == {"request": None, "cars": [{"plate": "KXTR12", "along_m": 100, "free_seats": 4}]}


def test_a_request_far_from_the_line_is_shown_in_spanish_with_422_and_not_stored(client, line):
    page = client.post("/colectivo/11-collao/", {"action": "request", "party_size": 1, "lat": -36.833, "lon": -73.042})
    assert page.status_code == 422
    assert "del recorrido de la línea Colectivo 11" in page.content.decode()
    assert SeatRequest.objects.count() == 0
    nothing = client.post("/colectivo/11-collao/", {"action": "request", "party_size": "muchos"})
    assert nothing.status_code == 422
    assert "Indique su ubicación" in nothing.content.decode() or "número entero" in nothing.content.decode()


def test_pages_by_role(client, line, car, driver, make_user):
    assert client.get("/colectivo/conductor/").status_code == 302  # to the login
    citizen = make_user(Role.CITIZEN)
    client.login(username=citizen.username, password=PASSWORD)
    assert client.get("/colectivo/conductor/").status_code == 403
    assert client.get("/colectivo/terminal/11-collao/").status_code == 403
    client.login(username=driver.username, password=PASSWORD)
    page = client.get("/colectivo/conductor/")
    assert page.status_code == 200 and "Auto KXTR12" in page.content.decode()
    bad = client.post("/colectivo/conductor/", {"action": "state", "status": "running", "free_seats": 9})
    assert bad.status_code == 422
    operator = make_user(Role.OPERATOR)
    client.login(username=operator.username, password=PASSWORD)
    page = client.get("/colectivo/terminal/11-collao/")
    assert page.status_code == 200 and "Autos en fila y salida recomendada" in page.content.decode()
    assert client.get("/colectivo/terminal/11-collao/estado.json").json()["length_km"] == round(
        cumulative_m(PATH)[-1] / 1000, 1
    )
    assert client.get("/colectivo/no-existe/").status_code == 404
