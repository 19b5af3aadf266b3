import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from mueve.territory.models import Area, Jurisdiction
from mueve.territory.selectors import areas_containing, jurisdiction_tree
from mueve.territory.services import areas_load_geojson, jurisdiction_upsert

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-73.1, -36.9], [-73.0, -36.9], [-73.0, -36.8], [-73.1, -36.8], [-73.1, -36.9]]],
}
EAST = {
    "type": "Polygon",
    "coordinates": [[[-73.0, -36.9], [-72.9, -36.9], [-72.9, -36.8], [-73.0, -36.8], [-73.0, -36.9]]],
}


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def feature(name, geometry, **props):
    return {"type": "Feature", "properties": {"name": name, **props}, "geometry": geometry}


@pytest.fixture
def metro(db):
    return jurisdiction_upsert(slug="gran-concepcion", name="Gran Concepción", kind=Jurisdiction.Kind.METROPOLITAN_AREA)


def test_point_lookup_finds_the_containing_area_only(metro):
    areas_load_geojson(jurisdiction=metro, text=collection(feature("Oeste", SQUARE), feature("Este", EAST)))
    assert [a.name for a in areas_containing(lat=-36.85, lon=-73.05)] == ["Oeste"]
    assert [a.name for a in areas_containing(lat=-36.85, lon=-72.95)] == ["Este"]
    assert areas_containing(lat=-33.45, lon=-70.66) == []


def test_point_on_a_shared_border_belongs_to_both(metro):
    areas_load_geojson(jurisdiction=metro, text=collection(feature("Oeste", SQUARE), feature("Este", EAST)))
    assert sorted(a.name for a in areas_containing(lat=-36.85, lon=-73.0)) == ["Este", "Oeste"]


def test_reloading_updates_in_place_and_lookup_sees_the_new_polygon(metro):
    areas_load_geojson(jurisdiction=metro, text=collection(feature("Zona", SQUARE)))
    assert [a.name for a in areas_containing(lat=-36.85, lon=-73.05)] == ["Zona"]  # its polygon prepared
    areas_load_geojson(jurisdiction=metro, text=collection(feature("Zona", EAST)))
    assert Area.objects.count() == 1
    assert [a.name for a in areas_containing(lat=-36.85, lon=-72.95)] == ["Zona"]
    assert areas_containing(lat=-36.85, lon=-73.05) == []


@pytest.mark.parametrize(
    "text, key",
    [
        ("not json", "file"),
        (json.dumps({"type": "Point", "coordinates": [0, 0]}), "file"),
        (collection(feature("P", {"type": "Point", "coordinates": [-73, -36]})), "feature_1"),
        (collection({"type": "Feature", "properties": {}, "geometry": SQUARE}), "feature_1"),
        # A bow-tie polygon is self-intersecting: invalid.
        (
            collection(feature("X", {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]})),
            "feature_1",
        ),
        # Projected metres instead of degrees.
        (
            collection(
                feature("M", {"type": "Polygon", "coordinates": [[[0, 0], [600000, 0], [600000, 5900000], [0, 0]]]})
            ),
            "feature_1",
        ),
    ],
)
def test_bad_geojson_is_refused_and_nothing_is_written(metro, text, key):
    with pytest.raises(ValidationError) as info:
        areas_load_geojson(jurisdiction=metro, text=text)
    assert key in info.value.message_dict
    assert Area.objects.count() == 0


def test_one_bad_feature_blocks_the_whole_file(metro):
    text = collection(feature("Buena", SQUARE), feature("", EAST))
    with pytest.raises(ValidationError) as info:
        areas_load_geojson(jurisdiction=metro, text=text)
    assert "feature_2" in info.value.message_dict
    assert Area.objects.count() == 0


def test_tree_groups_municipalities_under_their_metropolitan_area(metro):
    jurisdiction_upsert(slug="talcahuano", name="Talcahuano", kind=Jurisdiction.Kind.MUNICIPALITY, parent=metro)
    jurisdiction_upsert(slug="concepcion", name="Concepción", kind=Jurisdiction.Kind.MUNICIPALITY, parent=metro)
    tree = dict(jurisdiction_tree())
    assert [j.name for j in tree[metro]] == ["Concepción", "Talcahuano"]


def test_loadareas_command_reports_errors_in_spanish(metro, tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text(collection(feature("", SQUARE)), encoding="utf-8")
    with pytest.raises(CommandError, match="no se cargó nada"):
        call_command("loadareas", "gran-concepcion", str(bad))
    good = tmp_path / "good.geojson"
    good.write_text(collection(feature("Zona", SQUARE)), encoding="utf-8")
    call_command("loadareas", "gran-concepcion", str(good), "--approximate")
    assert Area.objects.get().approximate is True


def test_lookup_page_and_api(client, metro):
    areas_load_geojson(jurisdiction=metro, text=collection(feature("Oeste", SQUARE)))
    page = client.get("/territorio/", {"lat": "-36.85", "lon": "-73.05"})
    assert page.status_code == 200
    assert "Oeste" in page.content.decode()
    bad = client.get("/territorio/", {"lat": "200", "lon": "x"})
    assert bad.status_code == 200
    assert "errorlist" in bad.content.decode()

    api = client.get("/api/v1/territory/lookup", {"lat": -36.85, "lon": -73.05})
    assert api.status_code == 200
    assert [a["name"] for a in api.json()] == ["Oeste"]
    out_of_range = client.get("/api/v1/territory/lookup", {"lat": 95, "lon": -73.05})
    assert out_of_range.status_code == 422
    assert "lat" in out_of_range.json()["errors"]
    listed = client.get("/api/v1/territory/jurisdictions").json()
    assert listed[0]["slug"] == "gran-concepcion"
