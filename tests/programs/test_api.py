import json
from datetime import date

import pytest

from mueve.accounts.models import Role
from mueve.programs import services
from mueve.programs.models import MethodologyTemplate, Phase, Program, Status
from tests.conftest import PASSWORD
from tests.keys import issue_key
from tests.programs.factories import make_jurisdiction, make_program, template_doc

pytestmark = pytest.mark.django_db

BASE = "/api/v1/programs/"


def bearer(user) -> dict:
    _token, key = issue_key(user=user, name="pruebas")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post_json(client, url, data, **extra):
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def patch_json(client, url, data, **extra):
    return client.patch(url, json.dumps(data), content_type="application/json", **extra)


@pytest.fixture
def filled_program(manager, program):
    indicator = services.indicator_create(actor=manager, program=program, name="Participantes", unit="personas")
    services.indicator_record_value(actor=manager, indicator=indicator, date=date(2014, 6, 30), value=50)
    services.result_add(actor=manager, component=program.components.first(), title="Campeones identificados")
    return program


# --- reads ---------------------------------------------------------------------------------------------


def test_list_is_public_and_paginated(client, manager, template, filled_program):
    make_program(manager, template=template, name="Otro programa")
    make_program(manager, template=template, name="Privado", is_public=False)

    body = client.get(BASE).json()
    assert body["count"] == 2
    assert (body["page"], body["page_size"]) == (1, 50)
    assert {item["slug"] for item in body["items"]} == {"smart-city-prueba", "otro-programa"}
    item = next(i for i in body["items"] if i["slug"] == "smart-city-prueba")
    assert item["jurisdiction"] == "gran-concepcion"
    assert item["template"] == "metodo-prueba"
    assert item["url"] == "/programas/smart-city-prueba/"
    assert "managers" not in item

    page2 = client.get(BASE, {"page": 2, "page_size": 1}).json()
    assert page2["count"] == 2 and len(page2["items"]) == 1
    # Managers (with a token) also see programs that are not public yet.
    assert client.get(BASE, **bearer(manager)).json()["count"] == 3


@pytest.mark.parametrize("params", [{"page_size": 0}, {"page_size": 201}, {"page": 0}, {"page": "uno"}])
def test_list_rejects_bad_paging_with_422(client, params):
    response = client.get(BASE, params)
    assert response.status_code == 422
    assert response.json()["errors"]


def test_detail_has_components_phases_results_and_indicator_values(client, filled_program):
    response = client.get(BASE + filled_program.slug)
    assert response.status_code == 200
    body = response.json()
    assert [c["key"] for c in body["components"]] == ["codesign", "competition"]
    codesign = body["components"][0]
    assert [p["name"] for p in codesign["phases"]] == [
        "Análisis de contexto",
        "Taller de codiseño",
        "Implementación y prueba",
    ]
    assert codesign["phases"][0]["status"] == "planned"
    assert codesign["results"] == [{"title": "Campeones identificados", "description": ""}]
    (indicator,) = body["indicators"]
    assert indicator["values"] == [{"date": "2014-06-30", "value": 50.0, "note": ""}]


def test_detail_404_for_unknown_and_private(client, manager, template):
    private = make_program(manager, template=template, name="Privado", is_public=False)
    assert client.get(BASE + "no-existe").status_code == 404
    assert client.get(BASE + "no-existe").json() == {"detail": "No encontrado."}
    assert client.get(BASE + private.slug).status_code == 404
    assert client.get(BASE + private.slug, **bearer(manager)).status_code == 200


def test_activity_endpoint(client, filled_program):
    body = client.get(BASE + filled_program.slug + "/activity").json()
    assert body["count"] == 4
    assert body["items"][0]["verb"] in {"result_added", "indicator_value_recorded"}
    assert "actor" not in body["items"][0]
    assert client.get(BASE + "no-existe/activity").status_code == 404


def test_templates_list_and_export_are_not_taken_for_a_program(client, template):
    listing = client.get(BASE + "templates/")
    assert listing.status_code == 200
    body = listing.json()
    assert body["count"] == 1
    assert body["items"][0]["slug"] == "metodo-prueba"
    assert body["items"][0]["components"] == ["codesign", "competition"]

    doc = client.get(BASE + "templates/metodo-prueba")
    assert doc.status_code == 200
    assert doc.json() == services.template_export(template=template)
    assert client.get(BASE + "templates/no-existe").status_code == 404


# --- writes --------------------------------------------------------------------------------------------


def _create_payload(**changes):
    payload = {
        "template": "metodo-prueba",
        "name": "MueveTT Temuco",
        "jurisdiction": "temuco",
        "sector": "transport",
        "start_date": "2027-03-01",
        "end_date": "2027-12-15",
    }
    payload.update(changes)
    return payload


def test_create_program_as_manager(client, manager, template):
    make_jurisdiction("temuco")
    response = post_json(client, BASE, _create_payload(), **bearer(manager))
    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "muevett-temuco"
    assert body["jurisdiction"] == "temuco"
    assert [len(c["phases"]) for c in body["components"]] == [3, 2]
    assert Program.objects.get(slug="muevett-temuco").activity.filter(verb="program_created").exists()


def test_create_program_with_session(client, manager, template):
    make_jurisdiction("temuco")
    client.login(username=manager.username, password=PASSWORD)
    assert post_json(client, BASE, _create_payload()).status_code == 201


def test_create_program_requires_authentication(client, template):
    response = post_json(client, BASE, _create_payload())
    assert response.status_code == 401
    assert Program.objects.count() == 0


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.OFFICIAL, Role.MENTOR, Role.PARTICIPANT])
def test_create_program_forbidden_for_other_roles(client, make_user, template, role):
    make_jurisdiction("temuco")
    response = post_json(client, BASE, _create_payload(), **bearer(make_user(role)))
    assert response.status_code == 403
    assert Program.objects.count() == 0


def test_create_program_bad_values_give_400_with_field_errors(client, manager, template):
    make_jurisdiction("temuco")
    response = post_json(
        client,
        BASE,
        _create_payload(end_date="2027-01-01", sector="espacial"),
        **bearer(manager),
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["end_date"] == ["La fecha de término debe ser igual o posterior a la de inicio."]
    assert errors["sector"] == ["Sector desconocido."]
    unknown = post_json(client, BASE, _create_payload(template="nada", jurisdiction="marte"), **bearer(manager))
    assert unknown.status_code == 400
    assert set(unknown.json()["errors"]) == {"template", "jurisdiction"}
    assert Program.objects.count() == 0


def test_create_program_wrong_types_give_422(client, manager, template):
    response = post_json(client, BASE, {"name": "Sin fechas", "start_date": "ayer"}, **bearer(manager))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "start_date" in errors and "template" in errors
    assert Program.objects.count() == 0


def test_import_template_creates_then_updates(client, manager):
    created = post_json(client, BASE + "templates/", template_doc(slug="ciudad-nueva"), **bearer(manager))
    assert created.status_code == 201
    assert created.json()["slug"] == "ciudad-nueva"
    updated = post_json(
        client, BASE + "templates/", template_doc(slug="ciudad-nueva", name="Nuevo nombre"), **bearer(manager)
    )
    assert updated.status_code == 200
    assert MethodologyTemplate.objects.get(slug="ciudad-nueva").name == "Nuevo nombre"


def test_import_template_errors_name_paths_and_write_nothing(client, manager):
    doc = template_doc(slug="ciudad-nueva")
    doc["components"][1]["phases"][0] = {"nombre": "x"}
    response = post_json(client, BASE + "templates/", doc, **bearer(manager))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["components[1].phases[0].name"] == ["Obligatorio."]
    assert errors["components[1].phases[0].nombre"] == ["Campo desconocido."]
    broken = client.post(BASE + "templates/", "{", content_type="application/json", **bearer(manager))
    assert broken.status_code == 400
    assert MethodologyTemplate.objects.count() == 0


def test_import_template_permissions(client, make_user):
    assert post_json(client, BASE + "templates/", template_doc()).status_code == 401
    forbidden = post_json(client, BASE + "templates/", template_doc(), **bearer(make_user(Role.OFFICIAL)))
    assert forbidden.status_code == 403
    assert MethodologyTemplate.objects.count() == 0


def test_patch_phase(client, manager, program):
    phase = Phase.objects.filter(component__program=program).first()
    url = f"{BASE}{program.slug}/phases/{phase.pk}"
    response = patch_json(
        client, url, {"status": "done", "start_date": "2014-01-02", "end_date": "2014-01-15"}, **bearer(manager)
    )
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    phase.refresh_from_db()
    assert (phase.status, phase.end_date) == (Status.DONE, date(2014, 1, 15))

    # Only the fields sent change.
    assert patch_json(client, url, {"status": "in_progress"}, **bearer(manager)).status_code == 200
    phase.refresh_from_db()
    assert (phase.status, phase.end_date) == (Status.IN_PROGRESS, date(2014, 1, 15))


def test_patch_phase_errors(client, make_user, manager, program, template):
    phase = Phase.objects.filter(component__program=program).first()
    url = f"{BASE}{program.slug}/phases/{phase.pk}"

    outside = patch_json(client, url, {"start_date": "2013-01-01", "end_date": "2013-02-01"}, **bearer(manager))
    assert outside.status_code == 400
    assert "fechas del programa" in outside.json()["errors"]["start_date"][0]
    assert patch_json(client, url, {"status": "lista"}, **bearer(manager)).status_code == 400
    assert patch_json(client, url, {"start_date": "no es fecha"}, **bearer(manager)).status_code == 422
    assert patch_json(client, url, {"status": "done"}).status_code == 401
    assert patch_json(client, url, {"status": "done"}, **bearer(make_user(Role.JUROR))).status_code == 403
    other = make_program(manager, template=template, name="Otro")
    foreign = Phase.objects.filter(component__program=other).first()
    assert patch_json(client, f"{BASE}{program.slug}/phases/{foreign.pk}", {}, **bearer(manager)).status_code == 404
    assert patch_json(client, f"{BASE}no-existe/phases/{phase.pk}", {}, **bearer(manager)).status_code == 404
    phase.refresh_from_db()
    assert (phase.status, phase.start_date) == (Status.PLANNED, None)


def test_openapi_schema_documents_the_programs_routes(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/programs/",
        "/api/v1/programs/{slug}",
        "/api/v1/programs/{slug}/activity",
        "/api/v1/programs/templates/",
        "/api/v1/programs/templates/{slug}",
        "/api/v1/programs/{slug}/phases/{phase_id}",
    ):
        assert path in paths, path
    assert "requestBody" in paths["/api/v1/programs/templates/"]["post"]


# --- found by the API fuzzing (tests/api/test_schema_fuzz.py) -----------------------------------


def test_import_template_refuses_hostile_documents_with_400(client, manager):
    deep = "[" * 100_000 + "]" * 100_000  # json.loads raised RecursionError: a 500
    response = client.post(BASE + "templates/", deep, content_type="application/json", **bearer(manager))
    assert response.status_code == 400
    assert response.json()["errors"] == {"__all__": ["El JSON tiene demasiados niveles de anidamiento."]}
    doc = template_doc(slug="ciudad-nueva", name="Ciudad\x00nueva")  # PostgreSQL cannot store NUL: a 500 there
    doc["components"][0]["phases"][0]["description"] = "\x00"
    response = post_json(client, BASE + "templates/", doc, **bearer(manager))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["name"] == ["Los caracteres nulos no están permitidos."]
    assert errors["components[0].phases[0].description"] == ["Los caracteres nulos no están permitidos."]
    assert MethodologyTemplate.objects.count() == 0


def test_import_template_wants_json(client, manager):
    response = client.post(
        BASE + "templates/", json.dumps(template_doc()), content_type="text/plain", **bearer(manager)
    )
    assert response.status_code == 415
    assert MethodologyTemplate.objects.count() == 0


def test_null_characters_are_422_not_a_database_error(client, manager, program, template):
    for url in (f"{BASE}a%00", f"{BASE}a%00/activity", f"{BASE}templates/a%00"):
        response = client.get(url)
        assert response.status_code == 422, url
        assert response.json()["errors"] == {"slug": ["Los caracteres nulos no están permitidos."]}
    response = post_json(client, BASE, _create_payload(template=template.slug + "\x00"), **bearer(manager))
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["template"]
    phase = Phase.objects.filter(component__program=program).first()
    url = f"{BASE}{program.slug}/phases/{phase.pk}"
    assert patch_json(client, url, {"status": "done\x00"}, **bearer(manager)).status_code == 422
    # Ids past 64 bits are simply not found (Django does not send them to the database).
    assert patch_json(client, f"{BASE}{program.slug}/phases/{2**70}", {}, **bearer(manager)).status_code == 404
    assert Program.objects.count() == 1
