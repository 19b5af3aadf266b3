"""The 911-R pages and API as their users meet them: tagging, review, the plate, the dispatcher's lookup, and the
emergency note that only emergency roles read."""

import io

import pytest
from pypdf import PdfReader

from mueve.rural_addresses import selectors, services
from mueve.rural_addresses.models import EmergencyNote, RuralPlace
from tests.conftest import PASSWORD
from tests.rural_addresses.conftest import O60, on_road

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def house(o60, resident, official):
    lat, lon = on_road(O60, 2.4, north_m=25)
    place = services.place_tag(user=resident, lat=lat, lon=lon, description="Casa azul pasado el puente")
    services.place_verify(place=place, user=official)
    services.emergency_note_record(
        place=place,
        user=official,
        consent=True,
        consent_given_by="Rosa Muñoz",
        oxygen_dependent=True,
        ambulance_access=EmergencyNote.Access.LIMITED,
        text="Llave del portón con el vecino",
    )
    place.refresh_from_db()
    return place


def test_tagging_by_form_and_by_the_offline_queue(client, o60, resident):
    login(client, resident)
    lat, lon = on_road(O60, 1.0)
    response = client.post("/rural/etiquetar/", {"lat": lat, "lon": lon, "description": "Casa del molino"})
    place = RuralPlace.objects.get()
    assert response.status_code == 302 and response.url == f"/rural/{place.pk}/"
    # The queue's send (Accept: JSON) of another house, twice with one key: one place.
    lat2, lon2 = on_road(O60, 3.0)
    data = {"lat": lat2, "lon": lon2, "description": "Casa de la esquina", "client_key": "abc"}
    first = client.post("/rural/etiquetar/", data, headers={"Accept": "application/json"})
    again = client.post("/rural/etiquetar/", data, headers={"Accept": "application/json"})
    assert first.status_code == 201 and again.json() == first.json()
    assert RuralPlace.objects.count() == 2


def test_a_duplicate_or_outside_tag_answers_422_in_spanish(client, o60, sj_road, resident, other_official):
    login(client, resident)
    lat, lon = on_road(O60, 1.0)
    client.post("/rural/etiquetar/", {"lat": lat, "lon": lon, "description": "Casa"})
    response = client.post(
        "/rural/etiquetar/", {"lat": lat, "lon": lon, "description": "Casa"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["errors"]["__all__"][0].startswith("Esta casa ya está registrada")
    login(client, other_official)
    response = client.post("/rural/etiquetar/", {"lat": lat + 0.001, "lon": lon, "description": "Otra"})
    assert response.status_code == 422
    assert "fuera de su jurisdicción" in response.content.decode()
    assert RuralPlace.objects.count() == 1


def test_an_official_verifies_from_the_queue(client, o60, resident, official, other_official):
    lat, lon = on_road(O60, 1.0)
    place = services.place_tag(user=resident, lat=lat, lon=lon, description="Casa")
    login(client, other_official)
    assert place.plus_code not in client.get("/rural/verificar/").content.decode()
    assert client.post(f"/rural/{place.pk}/verificar/").status_code == 403
    login(client, official)
    assert place.plus_code in client.get("/rural/verificar/").content.decode()
    client.post(f"/rural/{place.pk}/verificar/")
    place.refresh_from_db()
    assert place.status == RuralPlace.Status.VERIFIED and place.verified_by == official


def test_the_plate_has_the_code_road_km_and_the_places_url(client, house):
    response = client.get(f"/rural/{house.pk}/placa.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    short, locality = selectors.short_code(house)
    assert house.plus_code in text and f"{short} {locality}" in text
    assert f"Ruta O-60, km {selectors.km_text(house.km)}" in text
    links = [a.get_object()["/A"]["/URI"] for a in reader.pages[0].get("/Annots", [])]
    assert f"http://testserver/rural/{house.pk}/" in links


def test_the_dispatcher_finds_by_short_code_and_locality_and_by_road_and_km(client, house, samu):
    login(client, samu)
    short, locality = selectors.short_code(house)
    page = client.get("/rural/despacho/", {"code": short, "locality": "hualqui"}).content.decode()
    assert house.plus_code in page and "Casa azul pasado el puente" in page
    assert "oxígeno-dependiente" in page and "Llave del portón" in page
    page = client.get("/rural/despacho/", {"road": "o60", "km": "2,4".replace(",", ".")}).content.decode()
    assert house.plus_code in page and "Desde la plaza de Hualqui" in page
    answer = client.get("/api/v1/rural/lookup", {"q": "puente azul"}).json()
    assert [a["plus_code"] for a in answer] == [house.plus_code]
    assert answer[0]["note"]["oxygen_dependent"] is True
    near = client.get("/api/v1/rural/lookup", {"lat": house.lat + 0.005, "lon": house.lon}).json()
    assert near[0]["id"] == house.pk and 500 < near[0]["distance_m"] < 600


def test_the_dispatcher_says_what_is_missing(client, house, samu):
    login(client, samu)
    response = client.get("/rural/despacho/", {"code": "9QCJ+2V"})
    assert response.status_code == 422 and "diga la localidad" in response.content.decode()
    response = client.get("/api/v1/rural/lookup", {"code": "hola"})
    assert response.status_code == 400 and "no es un código plus válido" in response.json()["detail"]


@pytest.mark.parametrize("who", ["anonymous", "resident", "official"])
def test_the_emergency_note_never_reaches_other_roles(client, house, resident, official, who):
    if who != "anonymous":
        login(client, {"resident": resident, "official": official}[who])
    page = client.get(f"/rural/{house.pk}/").content.decode()
    assert house.plus_code in page
    assert "Llave del portón" not in page and "Persona oxígeno-dependiente" not in page and "Rosa" not in page
    assert client.get("/rural/despacho/", {"q": "casa"}).status_code in (302, 403)
    assert client.get("/api/v1/rural/lookup", {"q": "casa"}).status_code in (401, 403)


def test_an_unverified_place_is_not_public(client, o60, resident):
    lat, lon = on_road(O60, 1.0)
    place = services.place_tag(user=resident, lat=lat, lon=lon, description="Casa")
    assert client.get(f"/rural/{place.pk}/").status_code == 404
    assert client.get(f"/rural/{place.pk}/placa.pdf").status_code == 404
    login(client, resident)
    assert client.get(f"/rural/{place.pk}/").status_code == 200


def test_where_am_i_and_its_roads(client, o60):
    assert "¿Dónde estoy?" in client.get("/rural/donde-estoy/").content.decode()
    roads = client.get("/rural/caminos.json").json()["roads"]
    assert roads[0]["code"] == "O-60" and roads[0]["locality"] == "Hualqui" and len(roads[0]["points"]) == len(O60)
    worker = client.get("/rural/sw.js")
    assert worker.status_code == 200 and "/rural/donde-estoy/" in worker.content.decode()


def test_a_manager_searches_the_registry_without_the_notes(client, house, make_user):
    from mueve.accounts.models import Role

    login(client, make_user(Role.MANAGER))
    answer = client.get("/api/v1/rural/lookup", {"q": "puente"}).json()
    assert [a["plus_code"] for a in answer] == [house.plus_code] and answer[0]["note"] is None
    page = client.get("/rural/despacho/", {"q": "puente"}).content.decode()
    assert house.plus_code in page and "Llave del portón" not in page
