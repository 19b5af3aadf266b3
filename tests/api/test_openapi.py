"""What the published OpenAPI document (/api/v1/openapi.json) promises a client: the values a field
takes and every answer an operation may give, each error in the one error shape."""

import pytest
from django.test import Client

from mueve.challenges.models import Kind
from mueve.challenges.models import Status as ChallengeStatus
from mueve.stakeholders.models import Level, Sector


@pytest.fixture
def document(db) -> dict:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _resolve(document: dict, schema: dict) -> dict:
    if "$ref" in schema:
        return _resolve(document, document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
    return schema


def _enum(document: dict, schema: dict) -> list[str]:
    """The values a (possibly optional) field accepts: null aside, one enum."""
    schema = _resolve(document, schema)
    options = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]
    assert len(options) == 1, schema
    return _resolve(document, options[0]).get("enum")


def _body(document: dict, path: str, method: str) -> dict:
    content = document["paths"][path][method]["requestBody"]["content"]["application/json"]
    return _resolve(document, content["schema"])["properties"]


def _response(document: dict, path: str, method: str, status: int) -> dict:
    return _resolve(
        document, document["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]
    )


def test_fields_with_a_fixed_set_of_values_list_them(document):
    list_params = {p["name"]: p["schema"] for p in document["paths"]["/api/v1/challenges/"]["get"]["parameters"]}
    assert _enum(document, list_params["status"]) == ChallengeStatus.values
    assert _enum(document, list_params["kind"]) == Kind.values

    challenge = _response(document, "/api/v1/challenges/{slug}", "get", 200)["properties"]
    assert _enum(document, challenge["status"]) == ChallengeStatus.values
    assert _enum(document, challenge["kind"]) == Kind.values
    transition = _body(document, "/api/v1/challenges/{slug}/transition", "post")
    assert _enum(document, transition["to_status"]) == ChallengeStatus.values
    assert _enum(document, _body(document, "/api/v1/challenges/", "post")["kind"]) == Kind.values

    organization = _body(document, "/api/v1/organizations/", "post")
    assert _enum(document, organization["sector"]) == Sector.values
    assert _enum(document, organization["level"]) == Level.values


def test_a_write_declares_its_errors_in_the_error_shape(document):
    responses = document["paths"]["/api/v1/challenges/{slug}"]["patch"]["responses"]
    assert {"200", "400", "401", "403", "404", "415", "422"} <= set(responses)
    for status in ("400", "401", "403", "404", "422"):
        error = _response(document, "/api/v1/challenges/{slug}", "patch", int(status))
        assert error["required"] == ["detail"] and "errors" in error["properties"], status


def test_reads_declare_their_404_and_422(document):
    responses = document["paths"]["/api/v1/programs/{slug}"]["get"]["responses"]
    assert {"200", "404", "422"} <= set(responses)
    assert {"200", "422"} <= set(document["paths"]["/api/v1/territory/lookup"]["get"]["responses"])


@pytest.mark.parametrize(
    "url, field",
    [
        ("/api/v1/datasets/?access=marciano", "access"),
        ("/api/v1/datasets/?access=", "access"),
        ("/api/v1/challenges/?status=", "status"),
        ("/api/v1/organizations/?sector=", "sector"),
        ("/api/v1/workshops/?kind=", "kind"),
    ],
)
def test_a_filter_outside_its_listed_values_is_refused_not_ignored(db, url, field):
    response = Client().get(url)
    assert response.status_code == 400
    assert "Use:" in response.json()["errors"][field][0]
