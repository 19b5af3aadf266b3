"""The CKAN action API as CKAN clients see it: `ckanapi.RemoteCKAN` against a live server, unchanged, and the raw
HTTP envelope and errors (CKAN 2.10's shapes)."""

import datetime as dt
import json

import ckanapi
import pytest
import requests
from django.core.files.base import ContentFile

from mueve.datasets import datastore
from mueve.datasets.models import Dataset, Distribution
from mueve.datasets.services import search_text
from mueve.stakeholders.models import Level, Organization, Sector

CSV = b"linea,hora,velocidad\n12,7,31.5\n"
FIELDS = [
    {"id": "linea", "type": "text"},
    {"id": "hora", "type": "int"},
    {"id": "velocidad", "type": "numeric"},
    {"id": "en_servicio", "type": "bool"},
]
ROWS = [
    ("12", 7, 31.5, True),
    ("12", 8, 18.0, True),
    ("12", 9, 24.25, False),
    ("40", 7, 40.0, True),
    ("40", 8, 12.5, True),
    ("Nocturno Centro", 23, 35.0, True),
]


def make_dataset(publisher, title, *, status="published", access="public", **fields) -> Dataset:
    dataset = Dataset(
        title=title,
        slug=fields.pop("slug", None) or title.lower().replace(" ", "-"),
        publisher=publisher,
        status=status,
        access_rights=access,
        **fields,
    )
    dataset.search_text = search_text(dataset)
    dataset.save()
    return dataset


def add_file(dataset, title, content: bytes, *, name="datos.csv", fmt="CSV", position=0) -> Distribution:
    distribution = Distribution(dataset=dataset, title=title, format=fmt, media_type="text/csv", position=position)
    distribution.byte_size = len(content)
    distribution.file.save(name, ContentFile(content), save=False)
    distribution.save()
    return distribution


@pytest.fixture
def catalog(organization):
    """Two publishers; public, restricted and unpublished datasets; a tabular resource in the datastore."""
    municipio = Organization.objects.create(
        name="Municipalidad de Concepción",
        acronym="MUNICON",
        slug="municipalidad-concepcion",
        sector=Sector.GOVERNMENT,
        level=Level.MUNICIPAL,
    )
    conteos = make_dataset(
        organization,
        "Conteos vehiculares",
        description="Conteos por intersección, cada 15 minutos.",
        keyword="tránsito, sensores",
        themes="TRAN,REGI",
        license="CC-BY-4.0",
        accrual_periodicity="daily",
        bbox_west=-73.2,
        bbox_south=-36.95,
        bbox_east=-72.9,
        bbox_north=-36.7,
        temporal_start=dt.date(2014, 1, 1),
        contact_name="Mesa de datos UOCT",
        contact_email="datos@uoct.example.cl",
        version="2.1",
    )
    velocidades = add_file(conteos, "Velocidades por línea", CSV, name="velocidades.csv")
    datastore.load(velocidades, FIELDS, ROWS)
    api = Distribution.objects.create(
        dataset=conteos,
        title="API de conteos",
        kind="api",
        format="JSON",
        access_url="https://api.example.cl/c",
        position=1,
    )
    gps = make_dataset(
        organization,
        "Posiciones GPS de buses",
        access="restricted",
        keyword="buses, gps",
        themes="TRAN",
        license="other-closed",
    )
    gps_file = add_file(gps, "Posiciones", b"bus,lat,lon\n1,-36.8,-73.0\n", name="posiciones.csv")
    datastore.load(gps_file, [{"id": "bus", "type": "int"}], [(1,), (2,)])
    paraderos = make_dataset(
        municipio, "Paraderos", keyword="paraderos, transporte público", themes="TRAN", license="CC0-1.0"
    )
    Distribution.objects.create(
        dataset=paraderos,
        title="Paraderos (GeoJSON)",
        format="GEOJSON",
        access_url="https://datos.example.cl/p.geojson",
    )
    make_dataset(organization, "Borrador interno", status="inventoried", keyword="sensores")
    make_dataset(organization, "Retirado", status="withdrawn")
    for i in range(9):
        make_dataset(
            municipio,
            f"Patentes comerciales {i:02d}",
            slug=f"patentes-{i:02d}",
            keyword="economía",
            themes="ECON",
            license="CC-BY-4.0",
        )
    yield {
        "conteos": conteos,
        "velocidades": velocidades,
        "api": api,
        "gps": gps,
        "gps_file": gps_file,
        "paraderos": paraderos,
        "municipio": municipio,
    }
    for distribution in (velocidades, gps_file):
        datastore.drop(distribution)
        distribution.file.delete(save=False)


@pytest.fixture
def ckan(live_server):
    with ckanapi.RemoteCKAN(live_server.url, user_agent="mueve-tests") as remote:
        yield remote


PUBLISHED = 12  # conteos, gps, paraderos and nine patentes


def test_list_and_show_as_ckanapi_sees_them(ckan, catalog, live_server):
    names = ckan.action.package_list()
    assert len(names) == PUBLISHED and names == sorted(names)
    assert "borrador-interno" not in names and "retirado" not in names
    assert ckan.action.package_list(limit=2, offset=1) == names[1:3]

    package = ckan.action.package_show(id="conteos-vehiculares")
    assert ckan.action.package_show(id=str(catalog["conteos"].uuid)) == package
    assert package["id"] == str(catalog["conteos"].uuid) and package["state"] == "active"
    assert package["organization"]["name"] == "uoct-test" and package["organization"]["title"].startswith("Unidad")
    assert package["owner_org"] == package["organization"]["id"]
    assert [t["name"] for t in package["tags"]] == ["tránsito", "sensores"] and package["num_tags"] == 2
    assert [g["name"] for g in package["groups"]] == ["tran", "regi"]
    assert package["license_id"] == "CC-BY-4.0" and package["license_url"].startswith("https://creativecommons.org")
    assert package["version"] == "2.1"
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["frequency"].endswith("/frequency/DAILY")
    assert extras["access_rights"].endswith("/access-right/PUBLIC")
    assert json.loads(extras["spatial"])["coordinates"][0][0] == [-73.2, -36.95]
    assert extras["temporal_start"] == "2014-01-01" and extras["contact_email"] == "datos@uoct.example.cl"

    assert package["num_resources"] == 2
    csv, api = package["resources"]
    assert csv["id"] == str(catalog["velocidades"].uuid) and csv["package_id"] == package["id"]
    assert csv["format"] == "CSV" and csv["datastore_active"] is True and csv["size"] == len(CSV)
    assert csv["url"].startswith(live_server.url + "/dataset/") and csv["url"].endswith("/velocidades.csv")
    download = requests.get(csv["url"], timeout=10)
    assert download.status_code == 200 and download.content == CSV
    assert api["url"] == "https://api.example.cl/c" and api["datastore_active"] is False and api["position"] == 1

    assert ckan.action.resource_show(id=csv["id"]) == csv


def test_search_with_facets_and_paging(ckan, catalog):
    everything = ckan.action.package_search(rows=5, sort="title_string asc")
    assert everything["count"] == PUBLISHED and everything["facets"] == {}
    seen = []
    for start in range(0, PUBLISHED, 5):
        page = ckan.action.package_search(rows=5, start=start, sort="title_string asc")
        seen += [p["name"] for p in page["results"]]
    titles = [ckan.action.package_show(id=n)["title"] for n in seen]
    assert len(seen) == PUBLISHED == len(set(seen)) and titles == sorted(titles)

    found = ckan.action.package_search(
        q="sensores",
        **{"facet.field": json.dumps(["organization", "tags", "res_format", "groups", "license_id"])},
    )
    assert [p["name"] for p in found["results"]] == ["conteos-vehiculares"]  # the draft with the same word is not
    assert found["facets"]["res_format"] == {"CSV": 1, "JSON": 1}

    faceted = ckan.action.package_search(**{"facet.field": ["organization", "groups", "res_format"], "rows": 0})
    assert faceted["results"] == [] and faceted["count"] == PUBLISHED
    assert faceted["facets"]["organization"] == {"municipalidad-concepcion": 10, "uoct-test": 2}
    items = faceted["search_facets"]["organization"]["items"]
    assert items[0] == {"name": "municipalidad-concepcion", "display_name": "Municipalidad de Concepción", "count": 10}
    assert faceted["facets"]["groups"] == {"econ": 9, "tran": 3, "regi": 1}
    assert faceted["search_facets"]["groups"]["items"][1]["display_name"] == "Transporte"
    assert faceted["facets"]["res_format"] == {"CSV": 2, "JSON": 1, "GeoJSON": 1}
    limited = ckan.action.package_search(**{"facet.field": ["groups"], "facet.limit": 1, "rows": 0})
    assert limited["facets"]["groups"] == {"econ": 9}


@pytest.mark.parametrize(
    "fq, expected",
    [
        ("organization:uoct-test", {"conteos-vehiculares", "posiciones-gps-de-buses"}),
        ('tags:"transporte público"', {"paraderos"}),
        ("res_format:geojson", {"paraderos"}),
        ("groups:tran -organization:uoct-test", {"paraderos"}),
        ("license_id:CC0-1.0", {"paraderos"}),
        ("access_rights:restricted", {"posiciones-gps-de-buses"}),
        ("+tags:(buses OR sensores) +dataset_type:dataset", {"conteos-vehiculares", "posiciones-gps-de-buses"}),
        ("metadata_modified:[2000-01-01T00:00:00Z TO *] name:paraderos", {"paraderos"}),
        ("metadata_modified:[* TO 2000-01-01T00:00:00Z]", set()),
    ],
)
def test_filter_queries_in_ckan_syntax(ckan, catalog, fq, expected):
    result = ckan.action.package_search(fq=fq, rows=100)
    assert {p["name"] for p in result["results"]} == expected and result["count"] == len(expected)


def test_unknown_ids_are_ckan_not_found_errors(ckan, catalog):
    with pytest.raises(ckanapi.NotFound) as exc:
        ckan.action.package_show(id="no-existe")
    assert "no-existe" in str(exc.value)
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_show(id="borrador-interno")  # inventoried: not published, not seen
    with pytest.raises(ckanapi.NotFound):
        ckan.action.resource_show(id="8d1c1f0e-0000-4000-8000-000000000000")
    with pytest.raises(ckanapi.NotFound):
        ckan.action.datastore_search(resource_id=str(catalog["api"].uuid))  # not tabular
    with pytest.raises(ckanapi.NotFound):
        ckan.action.organization_show(id="nadie")
    with pytest.raises(ckanapi.ValidationError) as exc:
        ckan.action.package_show()
    assert "id" in exc.value.error_dict


def test_datastore_search_with_filters_sort_and_paging(ckan, catalog):
    resource_id = str(catalog["velocidades"].uuid)
    result = ckan.action.datastore_search(resource_id=resource_id, filters={"linea": "12"}, sort="velocidad desc")
    assert [r["velocidad"] for r in result["records"]] == [31.5, 24.25, 18.0] and result["total"] == 3
    assert result["fields"] == [{"id": "_id", "type": "int"}, *FIELDS]
    assert result["records"][0] == {"_id": 1, "linea": "12", "hora": 7, "velocidad": 31.5, "en_servicio": True}
    assert result["resource_id"] == resource_id and result["limit"] == 100 and result["offset"] == 0

    typed = ckan.action.datastore_search(resource_id=resource_id, filters={"hora": "7", "en_servicio": "true"})
    assert sorted(r["linea"] for r in typed["records"]) == ["12", "40"]
    listed = ckan.action.datastore_search(resource_id=resource_id, filters={"hora": [7, 23]}, fields="linea,hora")
    assert listed["fields"] == [{"id": "linea", "type": "text"}, {"id": "hora", "type": "int"}]
    assert listed["records"] == [
        {"linea": "12", "hora": 7},
        {"linea": "40", "hora": 7},
        {"linea": "Nocturno Centro", "hora": 23},
    ]

    page = ckan.action.datastore_search(resource_id=resource_id, sort="hora, velocidad desc", limit=2, offset=2)
    assert [(r["hora"], r["velocidad"]) for r in page["records"]] == [(8, 18.0), (8, 12.5)] and page["total"] == 6
    assert "offset=4" in page["_links"]["next"]
    assert [r["linea"] for r in ckan.action.datastore_search(resource_id=resource_id, q="nocturno")["records"]] == [
        "Nocturno Centro"
    ]
    only_count = ckan.action.datastore_search(resource_id=resource_id, limit=0, filters={"linea": "40"})
    assert only_count["records"] == [] and only_count["total"] == 2


def test_datastore_bad_input_names_the_field(ckan, catalog):
    resource_id = str(catalog["velocidades"].uuid)
    with pytest.raises(ckanapi.ValidationError) as exc:
        ckan.action.datastore_search(resource_id=resource_id, filters={"hora": "siete"})
    assert "hora" in exc.value.error_dict["filters"][0]
    with pytest.raises(ckanapi.ValidationError) as exc:
        ckan.action.datastore_search(resource_id=resource_id, sort="c0; DROP TABLE x")
    assert "sort" in exc.value.error_dict
    with pytest.raises(ckanapi.ValidationError) as exc:
        ckan.action.datastore_search(resource_id=resource_id, fields=["linea", "clave"])
    assert "clave" in exc.value.error_dict["fields"][0]
    # The table is intact and a quote in a value is only a value.
    result = ckan.action.datastore_search(resource_id=resource_id, filters={"linea": "12' OR '1'='1"})
    assert result["total"] == 0 and ckan.action.datastore_search(resource_id=resource_id)["total"] == 6


def test_restricted_data_is_refused_with_or_without_a_key(ckan, catalog, live_server):
    gps = str(catalog["gps_file"].uuid)
    with pytest.raises(ckanapi.NotAuthorized) as exc:
        ckan.action.datastore_search(resource_id=gps)
    assert "convenio" in exc.value.args[0]["message"]
    with ckanapi.RemoteCKAN(live_server.url, apikey="una-clave-cualquiera") as keyed:
        with pytest.raises(ckanapi.NotAuthorized):
            keyed.action.datastore_search(resource_id=gps)
    # Its metadata is public; its file is not.
    resource = ckan.action.resource_show(id=gps)
    refused = requests.get(resource["url"], timeout=10)  # no key: say who you are (401)
    assert refused.status_code == 401 and "convenio" in refused.text and b"bus,lat" not in refused.content


# --- raw HTTP: the envelope and the errors -------------------------------------------------------------------------


@pytest.fixture
def published(organization):
    return make_dataset(organization, "Conteos", keyword="tránsito", themes="TRAN", license="CC-BY-4.0")


@pytest.mark.django_db
def test_envelope_on_get_and_post(client, published):
    answer = client.get("/api/3/action/package_list")
    body = answer.json()
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/json")
    assert body == {
        "help": "http://testserver/api/3/action/help_show?name=package_list",
        "success": True,
        "result": ["conteos"],
    }
    posted = client.post(
        "/api/3/action/package_show", data=json.dumps({"id": "conteos"}), content_type="application/json"
    )
    assert posted.json()["result"]["title"] == "Conteos"
    assert client.get("/api/action/package_show?id=conteos").json()["result"] == posted.json()["result"]
    assert client.get("/api/3").json() == {"version": 3}
    assert client.get("/api/3/action/help_show?name=package_search").json()["result"].startswith("Busca conjuntos")


@pytest.mark.django_db
def test_errors_have_ckans_shape(client, published):
    unknown = client.get("/api/3/action/package_delete_everything")
    assert (
        unknown.status_code == 400
        and unknown.json() == "Bad request - Action name not known: package_delete_everything"
    )

    missing = client.get("/api/3/action/package_show?id=no-existe")
    assert missing.status_code == 404
    error = missing.json()
    assert error["success"] is False and error["help"].endswith("help_show?name=package_show")
    assert error["error"]["__type"] == "Not Found Error" and error["error"]["message"].startswith("Not found: ")

    invalid = client.get("/api/3/action/package_search?rows=muchas&sort=precio%20desc")
    assert invalid.status_code == 409
    assert invalid.json()["error"]["__type"] == "Validation Error" and "rows" in invalid.json()["error"]

    bad_sort = client.get("/api/3/action/package_search?sort=precio%20desc")
    assert bad_sort.status_code == 409 and "sort" in bad_sort.json()["error"]

    bad_fq = client.get("/api/3/action/package_search?fq=clave:valor")
    assert bad_fq.status_code == 400 and bad_fq.json()["error"]["__type"] == "Search Query Error"

    not_json = client.post("/api/3/action/package_show", data="{id:", content_type="application/json")
    assert not_json.status_code == 400 and not_json.json().startswith("Bad request - ")
    assert client.put("/api/3/action/package_show").status_code == 405


@pytest.mark.django_db
def test_rows_are_capped_and_organizations_groups_tags_listed(client, published, organization):
    result = client.get("/api/3/action/package_search?rows=5000").json()["result"]
    assert result["count"] == 1 and len(result["results"]) == 1

    orgs = client.get("/api/3/action/organization_list?all_fields=true").json()["result"]
    assert [(o["name"], o["package_count"]) for o in orgs] == [("uoct-test", 1)]
    assert client.get("/api/3/action/organization_list").json()["result"] == ["uoct-test"]
    shown = client.get(f"/api/3/action/organization_show?id={orgs[0]['id']}&include_datasets=true").json()["result"]
    assert shown["name"] == "uoct-test" and [p["name"] for p in shown["packages"]] == ["conteos"]

    groups = client.get("/api/3/action/group_list?all_fields=true&sort=package_count%20desc").json()["result"]
    assert len(groups) == 13 and (groups[0]["name"], groups[0]["package_count"]) == ("tran", 1)
    assert client.get("/api/3/action/group_show?id=tran").json()["result"]["title"] == "Transporte"
    assert client.get("/api/3/action/tag_list").json()["result"] == ["tránsito"]
    status = client.get("/api/3/action/status_show").json()["result"]
    assert status["ckan_version"].startswith("2.10") and "datastore" in status["extensions"]
