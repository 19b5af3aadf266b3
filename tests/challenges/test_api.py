import json

import pytest

from mueve.accounts.models import Role
from mueve.challenges.models import Challenge, Kind, Status, StatusChange
from mueve.competitions import services as competition_services
from tests.keys import issue_key

API = "/api/v1/challenges/"


@pytest.fixture
def sample(make_challenge, other_org):
    return {
        "public": make_challenge("¿Cómo reducir el vandalismo en paraderos?", status=Status.ADDRESSING),
        "concrete": make_challenge(
            "¿Cómo informar incidentes al centro de control?",
            status=Status.PUBLISHED,
            kind=Kind.CONCRETE,
            owner=other_org,
        ),
        "internal": make_challenge("¿Cómo coordinar cortes de ruta con emergencias?", status=Status.VALIDATED),
    }


def post(client, url, data, **extra):
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def patch(client, url, data, **extra):
    return client.patch(url, json.dumps(data), content_type="application/json", **extra)


def test_anonymous_list_has_only_public_challenges(client, sample, manager):
    competition = competition_services.competition_create(
        actor=manager, program=sample["public"].program, name="MueveTT 2014", challenges=[sample["public"]]
    )
    competition_services.competition_set_flags(actor=manager, competition=competition, is_published=True)
    response = client.get(API)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and body["page"] == 1 and body["page_size"] == 50
    slugs = {item["slug"] for item in body["items"]}
    assert sample["internal"].slug not in slugs
    item = next(i for i in body["items"] if i["slug"] == sample["public"].slug)
    assert item["program"] == "smart-city-prueba"
    assert item["owner"] == "uoct-test"
    assert item["addressed_by"] == [
        {
            "kind": "competition",
            "kind_label": "Competencia",
            "name": "MueveTT 2014",
            "url": f"/competencias/{competition.slug}/",
            "workshop": "",
        }
    ]
    assert item["url"] == f"/desafios/{sample['public'].slug}/"


def test_staff_list_includes_internal_and_filters_work(client, sample, official):
    client.force_login(official)
    assert client.get(API).json()["count"] == 3
    assert [i["slug"] for i in client.get(API + "?status=validated").json()["items"]] == [sample["internal"].slug]
    assert client.get(API + "?kind=concrete&owner=seremitt-test").json()["count"] == 1
    assert client.get(API + "?program=otro").json()["count"] == 0


def test_list_pagination_and_bad_query(client, sample):
    page = client.get(API + "?page=2&page_size=1").json()
    assert page["count"] == 2 and len(page["items"]) == 1 and page["page"] == 2
    for query in ("page_size=0", "page_size=201", "page=0", "page=abc"):
        assert client.get(f"{API}?{query}").status_code == 422, query
    response = client.get(API + "?status=closed")
    assert response.status_code == 400
    assert "status" in response.json()["errors"]


def test_detail_with_history_and_404s(client, sample):
    body = client.get(API + sample["public"].slug).json()
    assert body["title"] == "¿Cómo reducir el vandalismo en paraderos?"
    assert [h["to_status"] for h in body["history"]] == ["identified", "validated", "published", "addressing"]
    assert "interviews" not in body and "created_by" not in body
    assert client.get(API + sample["internal"].slug).status_code == 404
    response = client.get(API + "no-existe")
    assert response.status_code == 404 and response.json() == {"detail": "No encontrado."}


def _new(program_obj, organization, **extra):
    data = {
        "program": program_obj.slug,
        "title": "¿Cómo hacer más seguras las ciclovías?",
        "owner": organization.slug,
        "kind": "concrete",
        "component": "codesign",
    }
    data.update(extra)
    return data


def test_create_as_manager(client, manager, program, organization):
    client.force_login(manager)
    response = post(client, API, _new(program, organization, description="Contexto."))
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "identified" and body["component"] == "codesign"
    assert body["slug"] == "como-hacer-mas-seguras-las-ciclovias"
    assert [h["to_status"] for h in body["history"]] == ["identified"]
    assert client.get(API).json()["count"] == 1


def test_create_with_token_as_official(client, official, program, organization):
    _token, key = issue_key(user=official, name="script")
    response = post(client, API, _new(program, organization), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 201
    assert Challenge.objects.get().created_by == official


def test_create_refused_for_anonymous_and_citizen(client, make_user, program, organization):
    assert post(client, API, _new(program, organization)).status_code == 401
    client.force_login(make_user(Role.CITIZEN))
    response = post(client, API, _new(program, organization))
    assert response.status_code == 403
    assert response.json()["detail"] == "No tiene permiso para esta acción."
    assert not Challenge.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": "Faltan ciclovías seguras"}, "title"),
        ({"kind": "medium"}, "kind"),
        ({"program": "no-existe"}, "program"),
        ({"owner": "no-existe"}, "owner"),
        ({"component": "no-existe"}, "component"),
        ({"interviews": [999]}, "interviews"),
    ],
)
def test_create_bad_values_400_and_nothing_written(client, manager, program, organization, change, field):
    client.force_login(manager)
    response = post(client, API, _new(program, organization, **change))
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Challenge.objects.exists() and not StatusChange.objects.exists()


def test_question_rule_message_in_api(client, manager, program, organization):
    client.force_login(manager)
    response = post(client, API, _new(program, organization, title="Faltan ciclovías"))
    assert response.json()["errors"] == {
        "title": ["Formule el desafío como una pregunta, por ejemplo «¿Cómo reducir…?»"]
    }


@pytest.mark.parametrize(
    "payload",
    [{"program": "x"}, {"program": "x", "title": 5, "owner": "y", "kind": "concrete"}, {"interviews": "uno"}],
)
def test_create_wrong_types_422(client, manager, program, organization, payload):
    client.force_login(manager)
    data = payload if "interviews" not in payload else _new(program, organization, **payload)
    response = post(client, API, data)
    assert response.status_code == 422
    assert response.json()["errors"]
    assert not Challenge.objects.exists()


def test_create_malformed_json_is_not_500(client, manager):
    client.force_login(manager)
    response = client.post(API, "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500


def test_patch_by_owner_official_and_refusals(client, official, make_user, sample, other_org):
    url = API + sample["public"].slug
    assert patch(client, url, {"description": "x"}).status_code == 401
    client.force_login(official)
    response = patch(
        client, url, {"description": "Nuevo contexto.", "title": "Cómo evitar el vandalismo en paraderos?"}
    )
    assert response.status_code == 200
    assert response.json()["title"] == "¿Cómo evitar el vandalismo en paraderos?"
    assert response.json()["slug"] == sample["public"].slug
    bad = patch(client, url, {"title": "sin pregunta"})
    assert bad.status_code == 400 and "title" in bad.json()["errors"]
    assert patch(client, API + sample["concrete"].slug, {"description": "x"}).status_code == 403
    client.force_login(make_user(Role.CITIZEN))
    assert patch(client, url, {"description": "x"}).status_code == 403
    assert patch(client, API + sample["internal"].slug, {"description": "x"}).status_code == 404
    sample["public"].refresh_from_db()
    assert sample["public"].description == "Nuevo contexto."


def test_transition_endpoint(client, manager, official, sample):
    url = API + sample["concrete"].slug + "/transition"
    assert post(client, url, {"to_status": "addressing"}).status_code == 401
    client.force_login(official)
    assert post(client, url, {"to_status": "validated"}).status_code == 403
    client.force_login(manager)
    missing = post(client, url, {"to_status": "addressing"})
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) == {"addressed_via"}
    mismatch = post(client, url, {"to_status": "addressing", "addressed_via": "competition"})
    assert mismatch.status_code == 400 and "note" in mismatch.json()["errors"]
    refused = post(client, url, {"to_status": "solved"})
    assert refused.status_code == 400 and "to_status" in refused.json()["errors"]
    assert post(client, url, {"status": "solved"}).status_code == 422
    ok = post(client, url, {"to_status": "addressing", "addressed_via": "concept"})
    assert ok.status_code == 200
    body = ok.json()
    assert body["status"] == "addressing" and body["history"][-1]["to_status"] == "addressing"
    assert post(client, API + "no-existe/transition", {"to_status": "validated"}).status_code == 404


# --- found by the API fuzzing (tests/api/test_schema_fuzz.py) -----------------------------------


@pytest.mark.parametrize("interviews", [[2**63], [10**30], [0], [-1]])
def test_interview_ids_out_of_range_are_422(client, manager, sample, program, organization, interviews):
    # An id past 64 bits overflowed the database query (a 500 on SQLite).
    client.force_login(manager)
    response = post(client, API, _new(program, organization, interviews=interviews))
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["interviews.0"]
    response = patch(client, API + sample["public"].slug, {"interviews": interviews})
    assert response.status_code == 422
    assert Challenge.objects.count() == 3


@pytest.mark.parametrize("params", [{"page": 100_001}, {"page": 2**62}, {"q": "x" * 201}])
def test_list_rejects_huge_pages_and_queries_with_422(client, db, params):
    response = client.get(API, params)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == set(params)


def test_null_characters_are_422_not_a_database_error(client, manager, sample, program, organization):
    # PostgreSQL can neither store nor compare text with NUL: each of these was a 500 there.
    for params in ({"q": "\x00"}, {"program": "a\x00"}, {"owner": "\x00"}):
        response = client.get(API, params)
        assert response.status_code == 422
        assert response.json()["errors"] == {next(iter(params)): ["Los caracteres nulos no están permitidos."]}
    url = API + sample["public"].slug
    assert client.get(url + "%00").status_code == 422
    client.force_login(manager)
    assert post(client, API, _new(program, organization, owner=organization.slug + "\x00")).status_code == 422
    assert patch(client, url, {"description": "con \x00 nulo"}).status_code == 422
    assert post(client, url + "/transition", {"to_status": "solved", "note": "\x00"}).status_code == 422
    assert Challenge.objects.count() == 3
    assert StatusChange.objects.filter(note__contains="nulo").count() == 0
