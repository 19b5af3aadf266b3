import json

import pytest

from mueve.accounts.models import Role
from mueve.stakeholders import services
from mueve.stakeholders.models import Organization, Sector
from tests.keys import issue_key

BASE = "/api/v1/organizations/"


def _post(client, payload, **extra):
    return client.post(BASE, data=json.dumps(payload), content_type="application/json", **extra)


def _patch(client, slug, payload, **extra):
    return client.patch(f"{BASE}{slug}", data=json.dumps(payload), content_type="application/json", **extra)


@pytest.fixture
def linked(program, components, mtt, wayra, person_with_contacts):
    services.program_stakeholder_set(
        program=program, organization=mtt, roles=["main_counterpart", "host"], interest=5, influence=5
    )
    services.engagement_set(program=program, organization=mtt, component=components["codesign"], level="leading")
    services.program_stakeholder_set(program=program, organization=wayra, roles=["jury"], interest=4, influence=3)
    return program


def test_list_is_public_paginated_and_filtered(client, linked, make_org):
    for n in range(3):
        make_org(f"ONG {n}", sector=Sector.CIVIL_SOCIETY, level="local")
    response = client.get(BASE)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5
    assert (body["page"], body["page_size"]) == (1, 50)
    assert body["items"][0]["name"] == "Ministerio de Transportes y Telecomunicaciones"
    page = client.get(BASE, {"page_size": 2, "page": 2}).json()
    assert [item["name"] for item in page["items"]] == ["ONG 1", "ONG 2"]
    assert client.get(BASE, {"sector": "private"}).json()["items"][0]["slug"] == "wayra-chile"
    assert client.get(BASE, {"level": "local"}).json()["count"] == 3
    assert client.get(BASE, {"q": "wayra"}).json()["count"] == 1
    assert client.get(BASE, {"program": linked.slug}).json()["count"] == 2


def test_list_does_not_reveal_who_is_in_a_private_program(client, private_program, mtt, manager):
    services.program_stakeholder_set(
        program=private_program, organization=mtt, roles=["partner"], interest=3, influence=3
    )
    assert client.get(BASE, {"program": private_program.slug}).json()["count"] == 0
    client.force_login(manager)
    assert client.get(BASE, {"program": private_program.slug}).json()["count"] == 1


def test_list_by_a_private_program_reveals_nothing_even_of_organizations_also_in_a_public_one(
    client, linked, private_program, mtt, manager
):
    # mtt is in the public program (linked) and in the private one.
    services.program_stakeholder_set(
        program=private_program, organization=mtt, roles=["partner"], interest=3, influence=3
    )
    body = client.get(BASE, {"program": private_program.slug}).json()
    assert (body["count"], body["items"]) == (0, [])
    assert client.get(BASE, {"program": "no-existe"}).json()["count"] == 0
    client.force_login(manager)
    assert [o["slug"] for o in client.get(BASE, {"program": private_program.slug}).json()["items"]] == [mtt.slug]


def test_list_by_program_counts_each_organization_once(client, linked, second_program, mtt, wayra):
    for org in (mtt, wayra):
        services.program_stakeholder_set(
            program=second_program, organization=org, roles=["partner"], interest=3, influence=3
        )
    body = client.get(BASE, {"program": linked.slug}).json()
    slugs = [item["slug"] for item in body["items"]]
    assert body["count"] == len(slugs) == len(set(slugs)) == 2


@pytest.mark.parametrize("params", [{"page_size": 0}, {"page_size": 201}, {"page": 0}, {"page": "uno"}])
def test_list_rejects_bad_paging_with_422(client, db, params):
    response = client.get(BASE, params)
    assert response.status_code == 422
    assert response.json()["errors"]


def test_list_rejects_unknown_sector_with_400(client, db):
    response = client.get(BASE, {"sector": "marciano"})
    assert response.status_code == 400
    assert "sector" in response.json()["errors"]


def test_detail_has_program_roles_and_no_personal_contacts(client, linked, mtt):
    response = client.get(f"{BASE}{mtt.slug}")
    assert response.status_code == 200
    body = response.json()
    assert body["programs"][0]["program"] == linked.slug
    assert set(body["programs"][0]["roles"]) == {"main_counterpart", "host"}
    assert body["programs"][0]["engagements"] == [
        {"component": "codesign", "component_name": "Componente codesign", "level": "leading", "level_label": "Lidera"}
    ]
    raw = response.content.decode()
    assert "persona.prueba@ejemplo.cl" not in raw
    assert "1234 5678" not in raw
    assert "Persona Demo" not in raw


def test_detail_unknown_slug_is_404(client, db):
    response = client.get(f"{BASE}no-existe")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_create_as_manager(client, manager, mtt):
    client.force_login(manager)
    response = _post(
        client,
        {
            "name": "Unidad de Ciudades Inteligentes",
            "sector": "government",
            "level": "national",
            "parent": mtt.slug,
            "website": "https://www.mtt.gob.cl",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "unidad-de-ciudades-inteligentes"
    assert body["parent"] == mtt.slug
    assert Organization.objects.get(slug=body["slug"]).parent == mtt


def test_create_with_a_bearer_token(client, manager):
    _token, key = issue_key(user=manager, name="script")
    response = _post(
        client, {"name": "CORFO", "sector": "government", "level": "national"}, HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 201


def test_create_bad_values_give_400_with_field_errors_and_write_nothing(client, manager, mtt):
    client.force_login(manager)
    before = Organization.objects.count()
    response = _post(
        client,
        {"name": "", "sector": "gobierno-central", "level": "national", "website": "no-es-url", "parent": "nadie"},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"parent": ["No existe una organización «nadie»."]}
    response = _post(client, {"name": " ", "sector": "gobierno-central", "level": "national", "website": "x"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"name", "sector", "website"} <= set(errors)
    response = _post(client, {"name": mtt.name, "sector": "government", "level": "national"})
    assert response.status_code == 400
    assert "name" in response.json()["errors"]
    assert Organization.objects.count() == before


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "X", "sector": "government"},  # missing level
        {"name": ["X"], "sector": "government", "level": "national"},
        {"name": "X", "sector": "government", "level": "national", "is_international": "quizás"},
    ],
)
def test_create_wrong_types_give_422(client, manager, payload):
    client.force_login(manager)
    before = Organization.objects.count()
    response = _post(client, payload)
    assert response.status_code == 422
    assert response.json()["errors"]
    assert Organization.objects.count() == before


@pytest.mark.parametrize(
    "role", [Role.CITIZEN, Role.OFFICIAL, Role.OPERATOR, Role.PARTICIPANT, Role.MENTOR, Role.JUROR]
)
def test_create_with_the_wrong_role_is_403(client, make_user, role):
    client.force_login(make_user(role))
    before = Organization.objects.count()
    response = _post(client, {"name": "CORFO", "sector": "government", "level": "national"})
    assert response.status_code == 403
    assert Organization.objects.count() == before


def test_anonymous_writes_are_401(client, mtt):
    assert _post(client, {"name": "CORFO", "sector": "government", "level": "national"}).status_code == 401
    assert _patch(client, mtt.slug, {"name": "Otro"}).status_code == 401
    mtt.refresh_from_db()
    assert mtt.name == "Ministerio de Transportes y Telecomunicaciones"


def test_patch_as_manager_changes_only_what_is_sent(client, manager, mtt, wayra):
    client.force_login(manager)
    response = _patch(client, wayra.slug, {"description": "Aceleradora", "parent": None})
    assert response.status_code == 200
    wayra.refresh_from_db()
    assert wayra.description == "Aceleradora"
    assert wayra.acronym == "Wayra"
    assert wayra.is_international


def test_patch_errors(client, manager, citizen, mtt):
    client.force_login(manager)
    assert _patch(client, "no-existe", {"name": "X"}).status_code == 404
    assert _patch(client, mtt.slug, {"name": None}).status_code == 422
    response = _patch(client, mtt.slug, {"level": "galáctico"})
    assert response.status_code == 400
    assert "level" in response.json()["errors"]
    client.force_login(citizen)
    assert _patch(client, mtt.slug, {"name": "Otro"}).status_code == 403
    mtt.refresh_from_db()
    assert (mtt.name, mtt.level) == ("Ministerio de Transportes y Telecomunicaciones", "national")


# --- found by the API fuzzing (tests/api/test_schema_fuzz.py) -----------------------------------


@pytest.mark.parametrize("params", [{"page": 100_001}, {"page": 2**62}, {"q": "x" * 201}])
def test_list_rejects_huge_pages_and_queries_with_422(client, db, params):
    # A page past the database's integer range, or a search too long for SQLite's LIKE, used to be a 500.
    response = client.get(BASE, params)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == set(params)


def test_null_characters_are_422_not_a_database_error(client, manager, mtt):
    # PostgreSQL can neither store nor compare text with NUL: each of these was a 500 there.
    assert client.get(BASE, {"q": "a\x00b"}).json()["errors"] == {"q": ["Los caracteres nulos no están permitidos."]}
    assert client.get(BASE, {"program": "\x00"}).status_code == 422
    assert client.get(f"{BASE}mtt%00").status_code == 422
    client.force_login(manager)
    response = _post(client, {"name": "CORFO\x00", "sector": "government", "level": "national"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"name": ["Los caracteres nulos no están permitidos."]}
    assert _patch(client, mtt.slug, {"description": "\x00"}).status_code == 422
    assert not Organization.objects.filter(name__startswith="CORFO").exists()


def test_a_name_far_too_long_is_400(client, manager, mtt):
    # The duplicate-name check ran first, and SQLite refuses a LIKE pattern of 50,000 bytes: a 500.
    client.force_login(manager)
    before = Organization.objects.count()
    response = _post(client, {"name": "ñ" * 30_000, "sector": "government", "level": "national"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["name"]
    assert _patch(client, mtt.slug, {"name": "ñ" * 30_000}).status_code == 400
    assert Organization.objects.count() == before
