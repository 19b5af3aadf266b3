"""`datastore_search` over a distribution's table, through the CKAN API as a client calls it: typed filters, text
search, chosen fields, sorting, paging; user text never reaches SQL; non-public data is refused."""

import json

import pytest

from mueve.datasets import datastore
from mueve.datasets.models import Dataset, Distribution

pytestmark = pytest.mark.django_db

# Published names that would be dangerous as SQL identifiers: they never become one (columns are c0..cN).
FIELDS = [
    {"id": "paradero", "type": "text"},
    {"id": 'línea "rápida"; DROP TABLE x', "type": "text"},
    {"id": "subidas", "type": "int"},
    {"id": "espera media", "type": "numeric"},
    {"id": "accesible", "type": "bool"},
    {"id": "medido", "type": "timestamp"},
]
ROWS = [
    ("Plaza Independencia", "10", 120, 4.5, True, "2014-03-01T08:00:00"),
    ("Terminal Collao", "10", 80, 6.0, False, "2014-03-01T09:00:00"),
    ("Mall Plaza Trébol", "12", 200, 3.25, True, "2014-03-02T08:00:00"),
    ("Universidad de Concepción", "12", 150, None, True, "2014-03-02T09:30:00"),
    ("Hospital Regional", "30", 95, 5.0, None, "2014-03-03T07:15:00"),
]
WEIRD = FIELDS[1]["id"]


def _distribution(organization, *, access="public", status="published", rows=ROWS) -> Distribution:
    dataset = Dataset.objects.create(
        title=f"Subidas por paradero ({access}, {status})",
        slug=f"subidas-{access}-{status}",
        publisher=organization,
        status=status,
        access_rights=access,
    )
    distribution = Distribution.objects.create(dataset=dataset, title="Subidas", format="CSV")
    datastore.load(distribution, FIELDS, rows)
    distribution.refresh_from_db()
    return distribution


@pytest.fixture
def paraderos(organization):
    return _distribution(organization)


def call(client, distribution, **data):
    """POST datastore_search as ckanapi does (a JSON body); returns (status, body)."""
    answer = client.post(
        "/api/3/action/datastore_search",
        data=json.dumps({"resource_id": str(distribution.uuid), **data}),
        content_type="application/json",
    )
    return answer.status_code, answer.json()


def test_whole_table_with_fields_types_and_links(client, paraderos):
    status, body = call(client, paraderos)
    assert status == 200 and body["success"] is True
    result = body["result"]
    assert result["fields"] == [{"id": "_id", "type": "int"}, *FIELDS]
    assert result["total"] == 5 and result["limit"] == 100 and result["offset"] == 0
    first = result["records"][0]
    assert first == {
        "_id": 1,
        "paradero": "Plaza Independencia",
        WEIRD: "10",
        "subidas": 120,
        "espera media": 4.5,
        "accesible": True,
        "medido": first["medido"],
    }
    assert first["medido"].startswith("2014-03-01")
    assert result["_links"]["start"].startswith("/api/3/action/datastore_search?resource_id=")
    assert "offset=100" in result["_links"]["next"]


def test_typed_filters_lists_and_nulls(client, paraderos):
    _, body = call(client, paraderos, filters={"subidas": "80"})
    assert [r["paradero"] for r in body["result"]["records"]] == ["Terminal Collao"]
    _, body = call(client, paraderos, filters={WEIRD: ["10", "30"], "accesible": "true"})
    assert [r["paradero"] for r in body["result"]["records"]] == ["Plaza Independencia"]
    _, body = call(client, paraderos, filters={"espera media": None})
    assert [r["paradero"] for r in body["result"]["records"]] == ["Universidad de Concepción"]
    _, body = call(client, paraderos, filters={"espera media": 5})
    assert [r["_id"] for r in body["result"]["records"]] == [5]
    _, body = call(client, paraderos, filters={"medido": "2014-03-02T08:00:00"})
    assert [r["paradero"] for r in body["result"]["records"]] == ["Mall Plaza Trébol"]


@pytest.mark.parametrize(
    "filters, field",
    [
        ({"subidas": "muchas"}, "subidas"),
        ({"subidas": 1.5}, "subidas"),
        ({"espera media": "rápida"}, "espera media"),
        ({"accesible": "quizás"}, "accesible"),
        ({"medido": "ayer"}, "medido"),
        ({"subidas": True}, "subidas"),
    ],
)
def test_bad_filter_values_are_validation_errors_naming_the_field(client, paraderos, filters, field):
    status, body = call(client, paraderos, filters=filters)
    assert status == 409 and body["success"] is False
    error = body["error"]
    assert error["__type"] == "Validation Error" and f"«{field}»" in error["filters"][0]


def test_text_search_sort_fields_distinct_and_formats(client, paraderos):
    _, body = call(client, paraderos, q="plaza")
    assert {r["paradero"] for r in body["result"]["records"]} == {"Plaza Independencia", "Mall Plaza Trébol"}
    _, body = call(client, paraderos, q={"paradero": "terminal"})
    assert [r["_id"] for r in body["result"]["records"]] == [2]
    _, body = call(client, paraderos, sort=f'"{WEIRD}" desc, subidas', fields=["paradero", "subidas"])
    records = body["result"]["records"]
    assert [r["paradero"] for r in records][:3] == [
        "Hospital Regional",
        "Universidad de Concepción",
        "Mall Plaza Trébol",
    ]
    assert set(records[0]) == {"paradero", "subidas"}
    _, body = call(client, paraderos, fields=[WEIRD], distinct=True, sort=WEIRD, records_format="lists")
    assert body["result"]["records"] == [["10"], ["12"], ["30"]] and body["result"]["total"] == 3
    _, body = call(client, paraderos, limit=2, offset=4, include_total=False)
    assert [r["_id"] for r in body["result"]["records"]] == [5] and "total" not in body["result"]


def test_limits_are_capped_and_bad_paging_refused(client, paraderos):
    _, body = call(client, paraderos, limit=10**6)
    assert body["result"]["limit"] == 32000 and body["result"]["total"] == 5
    status, body = call(client, paraderos, offset=-1)
    assert status == 409 and "offset" in body["error"]
    status, body = call(client, paraderos, records_format="xml")
    assert status == 409 and "records_format" in body["error"]


@pytest.mark.parametrize(
    "data, parameter",
    [
        ({"sort": "c0 desc"}, "sort"),
        ({"sort": "paradero; DROP TABLE x"}, "sort"),
        ({"sort": "_id) UNION SELECT 1 --"}, "sort"),
        ({"fields": ["c1"]}, "fields"),
        ({"filters": {"c0 = c0 OR 1": "x"}}, "filters"),
        ({"q": {"paradero' OR 1=1 --": "x"}}, "q"),
    ],
)
def test_user_text_never_becomes_sql(client, paraderos, data, parameter):
    status, body = call(client, paraderos, **data)
    assert status == 409 and parameter in body["error"]
    _, body = call(client, paraderos, filters={"paradero": "x' OR '1'='1"}, q="%")
    assert body["result"]["total"] == 0
    assert call(client, paraderos)[1]["result"]["total"] == 5


@pytest.mark.parametrize("access", ["registered", "restricted", "non_public"])
def test_non_public_rows_are_refused_fail_closed(client, organization, access):
    distribution = _distribution(organization, access=access)
    status, body = call(client, distribution)
    assert status == 403 and body["error"]["__type"] == "Authorization Error"
    assert body["error"]["message"].startswith("Access denied: ") and "records" not in json.dumps(body)
    keyed = client.post(
        "/api/3/action/datastore_search",
        data=json.dumps({"resource_id": str(distribution.uuid)}),
        content_type="application/json",
        headers={"Authorization": "cualquier-clave"},
    )
    assert keyed.status_code == 403


def test_unpublished_or_unknown_resources_are_not_found(client, organization):
    draft = _distribution(organization, status="inventoried")
    assert call(client, draft)[0] == 404
    status, body = call(client, draft, resource_id="no-es-un-uuid")
    assert status == 404 and body["error"]["__type"] == "Not Found Error"
    missing = client.get("/api/3/action/datastore_search")
    assert missing.status_code == 409 and "id" in missing.json()["error"]
