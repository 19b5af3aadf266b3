"""The views behind the maps: the vector base layer, the public map's filters, the assignment menu's agencies."""

import json

import pytest
from django.core.cache import cache

from mueve.control import selectors
from mueve.control.public_filters import PublicFilters
from mueve.reports.models import Incident, RoutingRule
from mueve.stakeholders.models import Organization
from mueve.territory.models import Area
from mueve.territory.services import areas_load_geojson


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_base_map_has_areas_transit_lines_and_stops(demo_db, client):
    response = client.get("/mapa/base.geojson")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = response.json()
    layers = {}
    for feature in data["features"]:
        layers.setdefault(feature["properties"]["layer"], []).append(feature)
    assert {area["properties"]["name"] for area in layers["area"]} >= {"Concepción", "Talcahuano", "Hualpén"}
    assert layers["route"] and all(len(route["geometry"]["coordinates"]) >= 2 for route in layers["route"])
    assert layers["stop"] and all(stop["properties"]["name"] for stop in layers["stop"])
    # The demo's landmarks, so a map without tiles still shows what a rider recognises; streets are not points.
    assert "Mall Plaza Trébol" in {mark["properties"]["name"] for mark in layers["landmark"]}
    assert not any("Avenida" in mark["properties"]["name"] for mark in layers["landmark"])
    # Names and shapes only: nothing else of the areas' or feeds' rows.
    assert {key for area in layers["area"] for key in area["properties"]} == {"layer", "name", "code", "jurisdiction"}

    again = client.get("/mapa/base.geojson", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_base_map_follows_an_edited_area_at_once(demo_db, client):
    before = client.get("/mapa/base.geojson")
    area = Area.objects.get(name="Hualpén")
    square = {
        "type": "Feature",
        "properties": {"name": "Hualpén"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[-73.2, -36.8], [-73.1, -36.8], [-73.1, -36.7], [-73.2, -36.7], [-73.2, -36.8]]],
        },
    }
    areas_load_geojson(jurisdiction=area.jurisdiction, text=json.dumps(square))
    after = client.get("/mapa/base.geojson")
    assert after["ETag"] != before["ETag"]
    hualpen = next(f for f in after.json()["features"] if f["properties"]["name"] == "Hualpén")
    assert hualpen["geometry"]["coordinates"][0][0] == [-73.2, -36.8]


def test_public_geojson_takes_the_pages_filters(demo_db, client):
    incident = Incident.objects.exclude(status="rejected").select_related("service").first()
    code = incident.service.code
    everything = client.get("/control/publico/incidentes.geojson?status=all").json()["features"]
    one_category = client.get(f"/control/publico/incidentes.geojson?status=all&category={code}").json()["features"]
    assert 0 < len(one_category) < len(everything)
    assert {f["properties"]["service_code"] for f in one_category} == {code}
    resolved = client.get("/control/publico/incidentes.geojson?status=resolved").json()["features"]
    assert {f["properties"]["status"] for f in resolved} <= {"resolved"}
    bad = client.get("/control/publico/incidentes.geojson?period=siempre&status=x")
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"period", "status"}


def test_public_map_page_lists_the_filtered_incidents_without_script(demo_db, client):
    incident = Incident.objects.filter(status="resolved").select_related("service").first()
    page = client.get("/control/publico/?status=resolved").content.decode()
    assert f'id="incidente-{incident.pk}"' in page
    assert "pm-status-open" not in page.split('id="public-list"')[1].split("</ol>")[0]
    assert PublicFilters.from_query({"status": "all"})[0].query() == {}


def test_handling_agencies_of_a_traffic_light_exclude_unrelated_organizations(demo_db):
    incident = Incident.objects.filter(service__code="semaforo-falla").select_related("service").first()
    names = [agency["name"] for agency in selectors.handling_agencies(incident)]
    assert names
    rule_agencies = set(
        RoutingRule.objects.filter(service=incident.service, active=True).values_list("agency__name", flat=True)
    )
    assert rule_agencies <= set(names)
    assert not any("Mozilla" in name or "Banco Mundial" in name for name in names)
    assert len(names) < Organization.objects.count() / 4
