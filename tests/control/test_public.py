"""Public incident views: map page, GeoJSON, Atom and CAP 1.2 — open to everyone, without personal data."""

import json
from xml.etree import ElementTree as ET

import pytest
from django.core.cache import cache
from django.utils import timezone

from mueve.reports import services
from mueve.territory.services import areas_load_geojson
from tests.control.conftest import PRIVATE

CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"
ATOM = "{http://www.w3.org/2005/Atom}"
PUBLIC_URLS = [
    "/control/publico/",
    "/control/publico/incidentes.geojson",
    "/control/publico/atom/",
    "/control/publico/cap/",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _no_personal_data(body: str) -> None:
    for value in [*PRIVATE.values(), "Me llamo Rosa"]:
        assert value not in body


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_views_open_to_anonymous_without_personal_data(client, incident, url):
    response = client.get(url)
    assert response.status_code == 200
    _no_personal_data(response.content.decode())
    _no_personal_data(client.get(f"/control/publico/cap/{incident.pk}.xml").content.decode())


def test_geojson_features_and_filters(client, accident, pothole, submit):
    near = submit(accident).incident
    far = submit(pothole, lat=-36.60, lon=-72.95).incident
    data = client.get("/control/publico/incidentes.geojson").json()
    assert data["type"] == "FeatureCollection"
    feature = next(f for f in data["features"] if f["id"] == near.pk)
    assert feature["geometry"] == {"type": "Point", "coordinates": [round(near.lon, 6), round(near.lat, 6)]}
    assert feature["properties"]["service_name"] == "Accidente de tránsito"
    assert set(feature["properties"]) >= {"severity", "status", "report_count", "opened_at"}

    inside = client.get("/control/publico/incidentes.geojson?bbox=-73.1,-36.9,-73.0,-36.8").json()
    assert [f["id"] for f in inside["features"]] == [near.pk]
    assert far.pk not in [f["id"] for f in inside["features"]]
    later = client.get("/control/publico/incidentes.geojson?since=2100-01-01T00:00:00-03:00").json()
    assert later["features"] == []


def test_geojson_properties_are_the_incident_as_the_public_sees_it(client, metro, accident, pothole, submit):
    areas_load_geojson(
        jurisdiction=metro,
        text=json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "Concepción", "code": "concepcion"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [
                                [[-73.3, -36.9], [-73.0, -36.9], [-73.0, -36.6], [-73.3, -36.6], [-73.3, -36.9]]
                            ],
                        },
                    }
                ],
            }
        ),
    )
    incident = submit(accident).incident
    submit(accident)  # a second report: the count is the incident's
    incident.refresh_from_db()
    closed = submit(pothole, lat=-36.70, lon=-73.20).incident
    closed.status, closed.closed_at = "resolved", incident.opened_at
    closed.save()

    data = client.get("/control/publico/incidentes.geojson").json()
    props = next(f for f in data["features"] if f["id"] == incident.pk)["properties"]
    assert props == {
        "id": incident.pk,
        "service_code": "accidente-transito",
        "service_name": "Accidente de tránsito",
        "group": "Tránsito",
        "severity": "high",
        "severity_label": incident.get_severity_display(),
        "status": "open",
        "status_label": "Abierto",
        "report_count": 2,
        "confidence": round(incident.confidence, 3),
        "agency": incident.agency.name,
        "area": "Concepción",
        "address_string": "Barros Arana 500",
        "opened_at": timezone.localtime(incident.opened_at).isoformat(),  # Chile's offset, not UTC
        "last_report_at": timezone.localtime(incident.last_report_at).isoformat(),
        "closed_at": None,
        "alert": False,  # nobody confirmed it: no CAP alert
    }
    assert props["opened_at"].endswith(("-03:00", "-04:00"))
    assert {f["id"] for f in data["features"]} == {incident.pk, closed.pk}
    resolved = next(f for f in data["features"] if f["id"] == closed.pk)["properties"]
    assert resolved["status_label"] == "Resuelto" and resolved["closed_at"]
    active = client.get("/control/publico/incidentes.geojson?active=1").json()
    assert [f["id"] for f in active["features"]] == [incident.pk]


@pytest.mark.parametrize(
    "query,field",
    [
        ("bbox=1,2,3", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("bbox=-73,-36,-74,-35", "bbox"),
        ("bbox=-200,-36,-73,-35", "bbox"),
        ("bbox=nan,-36,-73,-35", "bbox"),
        ("since=ayer", "since"),
        ("since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z", "until"),
    ],
)
def test_geojson_bad_filters_are_400_with_the_field(client, incident, query, field):
    response = client.get("/control/publico/incidentes.geojson?" + query)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_public_geojson_is_cached_briefly(client, accident, submit):
    submit(accident)
    first = client.get("/control/publico/incidentes.geojson").json()
    submit(accident, lat=-36.70, lon=-73.20)
    assert client.get("/control/publico/incidentes.geojson").json() == first  # served from the cache
    cache.clear()
    assert len(client.get("/control/publico/incidentes.geojson").json()["features"]) == 2


def test_atom_feed_per_area(client, metro, accident, submit):
    square = {
        "type": "Polygon",
        "coordinates": [[[-73.1, -36.9], [-73.0, -36.9], [-73.0, -36.8], [-73.1, -36.8], [-73.1, -36.9]]],
    }
    elsewhere = {
        "type": "Polygon",
        "coordinates": [[[-72.95, -36.65], [-72.85, -36.65], [-72.85, -36.55], [-72.95, -36.55], [-72.95, -36.65]]],
    }
    areas_load_geojson(
        jurisdiction=metro,
        text=json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"name": "Concepción", "code": "concepcion"}, "geometry": square},
                    # Another commune: reports outside every area are refused.
                    {"type": "Feature", "properties": {"name": "Otra", "code": "otra"}, "geometry": elsewhere},
                ],
            }
        ),
        name_property="name",
        code_property="code",
    )
    inside = submit(accident).incident
    submit(accident, lat=-36.60, lon=-72.90)
    response = client.get("/control/publico/atom/concepcion/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].find(f"{ATOM}id").text.endswith(f":incidente:{inside.pk}")
    assert "Accidente de tránsito" in entries[0].find(f"{ATOM}title").text
    assert len(ET.fromstring(client.get("/control/publico/atom/").content).findall(f"{ATOM}entry")) == 2
    assert client.get("/control/publico/atom/no-existe/").status_code == 404


def test_cap_alert_for_a_severe_incident(client, incident, pothole, submit, operator):
    # An operator's confirmation issues the alert (tests/control/test_alerts.py: none before it).
    services.incident_acknowledge(incident=incident, actor=operator)
    response = client.get(f"/control/publico/cap/{incident.pk}.xml")
    assert response["Content-Type"].startswith("application/cap+xml")
    alert = ET.fromstring(response.content)
    assert alert.tag == f"{CAP}alert"
    text = {child.tag.removeprefix(CAP): child.text for child in alert if child.text}
    assert text["status"] == "Actual" and text["msgType"] == "Alert" and text["scope"] == "Public"
    assert text["identifier"] and " " not in text["identifier"] and "," not in text["identifier"]
    assert "@" in text["sender"]
    assert text["sent"][-6] in "+-" and text["sent"][-3] == ":"  # explicit offset, never "Z"
    info = alert.find(f"{CAP}info")
    fields = {child.tag.removeprefix(CAP): child.text for child in info}
    assert fields["category"] == "Transport"
    assert fields["event"] == "Accidente de tránsito"
    assert fields["urgency"] == "Immediate"
    assert fields["severity"] == "Severe"
    assert fields["certainty"] in {"Observed", "Likely", "Possible"}
    circle = info.find(f"{CAP}area/{CAP}circle").text
    point, radius = circle.split(" ")
    lat, lon = (float(v) for v in point.split(","))
    assert abs(lat - incident.lat) < 1e-5 and abs(lon - incident.lon) < 1e-5 and float(radius) > 0
    assert info.find(f"{CAP}area/{CAP}areaDesc").text

    index = ET.fromstring(client.get("/control/publico/cap/").content)
    links = [e.find(f"{ATOM}link").get("href") for e in index.findall(f"{ATOM}entry")]
    assert links == [f"http://testserver/control/publico/cap/{incident.pk}.xml"]
    minor = submit(pothole, lat=-36.80, lon=-73.02).incident
    services.incident_acknowledge(incident=minor, actor=operator)  # confirmed, but minor: no public alert
    assert client.get(f"/control/publico/cap/{minor.pk}.xml").status_code == 404


def test_viewport_cells_cover_every_point_of_the_box():
    import random

    from mueve.control.selectors import BBox, _viewport_cells
    from mueve.core.geo import h3_cell

    rng = random.Random(4)
    for _ in range(20):
        lat, lon = rng.uniform(-37.0, -36.6), rng.uniform(-73.3, -72.8)
        box = BBox(south=lat, west=lon, north=lat + rng.uniform(0.001, 0.03), east=lon + rng.uniform(0.001, 0.04))
        cells = set(_viewport_cells(box))
        for _ in range(200):
            point = (rng.uniform(box.south, box.north), rng.uniform(box.west, box.east))
            assert h3_cell(*point) in cells
    assert _viewport_cells(BBox(south=-38, west=-74, north=-36, east=-72)) is None  # too large: plain range
