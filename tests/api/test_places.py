"""GET /api/v1/places/search: the demo's stops, landmarks, streets and organizations by name, offline; an outside
geocoder (a real HTTP server on this machine speaking Photon's or Nominatim's JSON) adds addresses after them."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from mueve.demo import stakeholders as demo_stakeholders
from mueve.demo import territory as demo_territory
from mueve.demo import transit as demo_transit
from mueve.stakeholders.models import Organization
from mueve.transit.models import Stop

pytestmark = pytest.mark.django_db
URL = "/api/v1/places/search"


@pytest.fixture
def demo_places():
    demo_territory.load()
    demo_transit.load()
    for spec in demo_stakeholders.ORGANIZATIONS:
        if spec[0] in ("universidad-de-concepcion", "municipalidad-concepcion", "mtt"):  # mtt has no seat here
            demo_stakeholders._organization(spec)


def _search(client, q, **params):
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_accents_and_case_do_not_matter(client, demo_places):
    for q in ("trebol", "TREBOL", "Trébol", "mall plaza trebol"):
        found = _search(client, q)
        assert found[0]["name"] == "Mall Plaza Trébol", q
    assert _search(client, "concepcion")  # "Concepción" in many names
    assert {p["name"] for p in _search(client, "CONCEPCIÓN")} == {p["name"] for p in _search(client, "concepcion")}


def test_the_same_name_nearby_is_one_place_that_covers_its_stops(client, demo_places):
    stops = Stop.objects.filter(name="Plaza Independencia")
    assert stops.count() == 3  # one per demo line, at the same corner
    found = [p for p in _search(client, "plaza independencia") if p["name"] == "Plaza Independencia"]
    assert len(found) == 1  # three stops and the landmark of that name
    place = found[0]
    assert place["kind"] == "parada"
    assert sorted(place["stops"]) == sorted(f"stop:{s.feed.slug}:{s.stop_id}" for s in stops)
    assert place["detail"] == "3 paradas"
    assert abs(place["lat"] - -36.8270) < 0.001 and abs(place["lon"] - -73.0503) < 0.001


def test_best_match_first(client, demo_places):
    names = [p["name"] for p in _search(client, "plaza")]
    # Names that start with the words come before names that only contain them, shorter ones first.
    assert names.index("Plaza Independencia") < names.index("Mall Plaza Trébol")
    assert names.index("Plaza de Talcahuano") < names.index("Mall Plaza Trébol")
    exact = _search(client, "parque ecuador")
    assert exact[0] == {
        "name": "Parque Ecuador",
        "kind": "lugar",
        "lat": -36.8335,
        "lon": -73.0465,
        "detail": "Concepción",
        "stops": [],
    }
    assert _search(client, "ecuador parque")[0]["name"] == "Parque Ecuador"  # words in any order


def test_kinds_streets_landmarks_and_organizations(client, demo_places):
    street = _search(client, "paicavi")
    assert ("Avenida Paicaví", "calle") in {(p["name"], p["kind"]) for p in street}
    org = _search(client, "universidad de concepcion")
    # The campus landmark and the university's seat, 0 m apart: one place.
    assert [p["kind"] for p in org if p["name"] == "Universidad de Concepción"] == ["lugar"]
    town_hall = _search(client, "municipalidad")[0]
    assert (town_hall["name"], town_hall["kind"]) == ("Municipalidad de Concepción", "organización")
    # An organization without a known seat is not a place.
    assert Organization.objects.filter(name__startswith="Ministerio", lat__isnull=True).exists()
    assert not [p for p in _search(client, "ministerio") if p["kind"] == "organización"]
    assert len(_search(client, "a", limit=3)) == 3


@pytest.mark.parametrize("q", ["", "   "])
def test_an_empty_query_is_refused_with_a_field_message(client, q):
    response = client.get(URL, {"q": q})
    assert response.status_code in (400, 422)
    assert response.json()["errors"]["q"]


def test_punctuation_alone_names_no_place(client):
    response = client.get(URL, {"q": "¿?"})
    assert response.status_code == 200
    assert response.json() == []


def test_a_too_long_query_is_refused(client):
    response = client.get(URL, {"q": "x" * 201})
    assert response.status_code == 422
    assert response.json()["errors"]["q"]
    assert client.get(URL).status_code == 422  # no q at all


# --- the optional outside geocoder -----------------------------------------------------------------------------


class _Geocoder(BaseHTTPRequestHandler):
    answers: dict = {}
    asked: list = []
    release = threading.Event()

    def do_GET(self):  # noqa: N802 (http.server's name)
        parts = urlsplit(self.path)
        params = parse_qs(parts.query)
        type(self).asked.append((parts.path, params))
        if parts.path == "/slow":
            type(self).release.wait(5)  # answers only after the client has given up
        status, body = type(self).answers.get(parts.path, (404, b"{}"))
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def geocoder():
    _Geocoder.answers, _Geocoder.asked, _Geocoder.release = {}, [], threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Geocoder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}"
    _Geocoder.release.set()
    server.shutdown()
    server.server_close()


PHOTON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-73.0481, -36.8262]},
            "properties": {"street": "Barros Arana", "housenumber": "541", "city": "Concepción", "state": "Biobío"},
        },
        {  # the same place the demo knows: left out, the local one stands
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-73.0665, -36.7918]},
            "properties": {"name": "Mall Plaza Trébol", "city": "Talcahuano"},
        },
    ],
}
NOMINATIM = [
    {
        "lat": "-36.8290",
        "lon": "-73.0455",
        "name": "Tucapel",
        "display_name": "Tucapel, Concepción, Provincia de Concepción, Región del Biobío, Chile",
    },
    {"display_name": "sin coordenadas"},
]


def test_photon_addresses_come_after_the_local_places(client, demo_places, geocoder, settings):
    _server, base = geocoder
    _Geocoder.answers["/api"] = (200, json.dumps(PHOTON).encode())
    settings.MUEVE_GEOCODER_URL = base + "/api"
    found = _search(client, "trebol")
    assert [p["name"] for p in found[:1]] == ["Mall Plaza Trébol"]
    assert found[0]["kind"] == "parada"
    assert found[-1] == {
        "name": "Barros Arana 541",
        "kind": "dirección",
        "lat": -36.8262,
        "lon": -73.0481,
        "detail": "Concepción, Biobío",
        "stops": [],
    }
    assert [p["name"] for p in found].count("Mall Plaza Trébol") == 1
    path, params = _Geocoder.asked[0]
    assert params["q"] == ["trebol"] and "format" not in params


def test_nominatim_answers_are_read_too(client, demo_places, geocoder, settings):
    _server, base = geocoder
    _Geocoder.answers["/search"] = (200, json.dumps(NOMINATIM).encode())
    settings.MUEVE_GEOCODER_URL = base + "/search?countrycodes=cl"
    found = _search(client, "tucapel")
    assert found[-1]["name"] == "Tucapel" and found[-1]["kind"] == "dirección"
    assert found[-1]["detail"] == "Concepción, Provincia de Concepción, Región del Biobío, Chile"
    _path, params = _Geocoder.asked[0]
    assert params["countrycodes"] == ["cl"] and params["format"] == ["jsonv2"]


def test_a_failing_or_silent_geocoder_leaves_the_local_results(client, demo_places, geocoder, settings):
    _server, base = geocoder
    _Geocoder.answers["/api"] = (500, b"boom")
    settings.MUEVE_GEOCODER_URL = base + "/api"
    assert _search(client, "trebol")[0]["name"] == "Mall Plaza Trébol"
    _Geocoder.answers["/api"] = (200, b"not json")
    assert _search(client, "trebol")[0]["name"] == "Mall Plaza Trébol"
    # Too slow: the search gives up after MUEVE_GEOCODER_TIMEOUT_MS and answers with what it has.
    _Geocoder.answers["/slow"] = (200, json.dumps(PHOTON).encode())
    settings.MUEVE_GEOCODER_URL, settings.MUEVE_GEOCODER_TIMEOUT_MS = base + "/slow", 200
    found = _search(client, "trebol")
    assert [p["kind"] for p in found] == ["parada"]
    assert _Geocoder.asked[-1][0] == "/slow"
    # Nobody listens there: the connection is refused, the search still answers.
    settings.MUEVE_GEOCODER_URL = "http://127.0.0.1:9/api"
    assert _search(client, "trebol")[0]["name"] == "Mall Plaza Trébol"
