"""One application key on every surface, as a client presents it: Open311's api_key, the platform API's bearer
token, the bare Authorization header CKAN clients send, X-API-Key. Refusals (401/403) and quotas (429 with
Retry-After) in Spanish."""

import json

import pytest
from django.test import Client

from mueve.accounts.models import Role
from mueve.api import services
from mueve.api.models import ApiKey, KeyUsage
from mueve.reports import services as report_services
from mueve.reports.models import Report
from mueve.stakeholders.models import Organization
from mueve.territory.models import Jurisdiction
from mueve.territory.services import jurisdiction_upsert

ORGANIZATIONS = "/api/v1/organizations/"
OPEN311 = "/open311/v2/requests.json"


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER)


@pytest.fixture
def developer(make_user):
    return make_user(Role.MANAGER)  # the platform API's writes below need a manager's role


@pytest.fixture
def accident(db):
    metro = jurisdiction_upsert(
        slug="gran-concepcion", name="Gran Concepción", kind=Jurisdiction.Kind.METROPOLITAN_AREA
    )
    return report_services.service_upsert(
        jurisdiction=metro, code="accidente", name="Accidente", alert_category="traffic", attributes=[]
    )


def register(owner, manager, **quota) -> tuple[ApiKey, str]:
    _application, api_key, key = services.application_register(
        owner=owner, name="Mapa de tránsito", contact_email="equipo@example.org", description="Un mapa"
    )
    api_key, shown = services.key_approve(api_key=api_key, actor=manager)
    assert shown == ""  # the developer holds the key since registering; approval does not show it again
    if quota:
        services.key_quota_set(api_key=api_key, actor=manager, **quota)
    return api_key, key


def open311_post(key: str, n: int = 0):
    data = {"api_key": key, "service_code": "accidente", "lat": "-36.8270", "long": "-73.0503", "device_id": f"d{n}"}
    return Client().post(OPEN311, data)


def organization_post(name: str, **headers):
    body = json.dumps({"name": name, "sector": "government", "level": "national"})
    return Client(enforce_csrf_checks=True).post(ORGANIZATIONS, body, content_type="application/json", **headers)


def test_one_key_works_on_open311_and_on_the_platform_api_however_it_is_presented(accident, developer, manager):
    api_key, key = register(developer, manager)

    assert open311_post(key).status_code == 200
    assert Report.objects.get().api_key == api_key

    presented = {
        "Bearer": {"HTTP_AUTHORIZATION": f"Bearer {key}"},
        "bare Authorization (CKAN)": {"HTTP_AUTHORIZATION": key},
        "X-API-Key": {"HTTP_X_API_KEY": key},
    }
    for index, headers in enumerate(presented.values()):
        response = organization_post(f"Organismo {index}", **headers)
        assert response.status_code == 201, response.content
    assert Organization.objects.filter(name__startswith="Organismo ").count() == 3

    # The owner sees every request on the key's usage page, by surface.
    client = Client()
    client.force_login(developer)
    page = client.get(f"/desarrolladores/claves/{api_key.pk}/uso/").content.decode()
    assert '<span data-surface="open311">1</span>' in page
    assert '<span data-surface="api">3</span>' in page
    assert dict(KeyUsage.objects.filter(api_key=api_key).values_list("surface", "count")) == {"open311": 1, "api": 3}


def test_unknown_unapproved_and_revoked_keys_are_refused_in_spanish(accident, developer, manager, make_user):
    unknown = organization_post("Nadie", HTTP_AUTHORIZATION="Bearer mv_no-existe")
    assert unknown.status_code == 401
    assert unknown.json() == {"detail": "La clave de API no es válida."}

    # A citizen's key waits for a manager (a manager's own is approved as it is made).
    _application, pending, pending_key = services.application_register(
        owner=make_user(Role.CITIZEN), name="Pendiente", contact_email="p@example.org", description="espera"
    )
    waiting = organization_post("Nadie", HTTP_X_API_KEY=pending_key)
    assert (waiting.status_code, waiting.json()["detail"]) == (403, "La clave de API todavía no está aprobada.")

    api_key, key = register(developer, manager)
    services.key_revoke(api_key=api_key, actor=developer)
    revoked = organization_post("Nadie", HTTP_AUTHORIZATION=key)
    assert (revoked.status_code, revoked.json()["detail"]) == (403, "La clave de API fue revocada.")
    # Open311 answers an invalid api_key with 403, as GeoReport v2 says.
    refused = open311_post(key)
    assert refused.status_code == 403 and "revocada" in refused.json()[0]["description"]
    assert not Organization.objects.filter(name="Nadie").exists() and not Report.objects.exists()


def _until_refused(send, limit: int):
    """Sends until refused. A minute may turn while it runs, so up to two windows' worth pass first."""
    for sent in range(2 * limit + 1):
        response = send(sent)
        if response.status_code == 429:
            return sent, response
        assert response.status_code in (200, 201), response.content
    pytest.fail(f"never refused after {2 * limit + 1} requests")


def test_a_key_past_its_minute_quota_gets_429_with_retry_after_and_a_spanish_message(accident, developer, manager):
    api_key, key = register(developer, manager, per_minute=3, per_day=1000)
    sent, response = _until_refused(lambda n: Client().get(ORGANIZATIONS, HTTP_AUTHORIZATION=f"Bearer {key}"), 3)
    assert sent >= 3
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Superó la cuota de su clave: 3 solicitudes por minuto.")
    # Open311 too, in its own error shape.
    sent, refused = _until_refused(lambda n: open311_post(key, n), 3)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "Superó la cuota" in refused.json()[0]["description"]
    # A key without a key's quota (the public read without one) is not limited by it.
    assert Client().get(ORGANIZATIONS).status_code == 200


def test_a_key_past_its_day_quota_waits_for_the_next_day(accident, developer, manager):
    _api_key, key = register(developer, manager, per_minute=100, per_day=2)
    headers = {"HTTP_X_API_KEY": key}
    assert [Client().get(ORGANIZATIONS, **headers).status_code for _ in range(2)] == [200, 200]
    refused = Client().get(ORGANIZATIONS, **headers)
    assert refused.status_code == 429
    assert "2 solicitudes por día" in refused.json()["detail"]
    assert 1 <= int(refused["Retry-After"]) <= 86400


def test_the_demo_key_works_only_in_demo_mode_on_every_surface(accident, manager, settings):
    application = services.application_add(actor=manager, name="Demo", contact_email="demo@example.org")
    _api_key, key = services.key_create(application=application, actor=manager, key="o311_demo_una_clave_publica")
    settings.MUEVE_DEMO = True
    assert open311_post(key).status_code == 200
    assert Client().get(ORGANIZATIONS, HTTP_X_API_KEY=key).status_code == 200
    settings.MUEVE_DEMO = False
    refused = Client().get(ORGANIZATIONS, HTTP_X_API_KEY=key)
    assert refused.status_code == 403 and "demostración" in refused.json()["detail"]
    assert open311_post(key).status_code == 403


def test_the_demo_key_acts_as_no_one_on_the_platform_api(accident, manager, settings):
    """The demo's key is published: it reads, but writes nothing as anybody."""
    application = services.application_add(actor=manager, name="Demo", contact_email="demo@example.org")
    _api_key, key = services.key_create(application=application, actor=manager, key="o311_demo_una_clave_publica")
    settings.MUEVE_DEMO = True
    assert organization_post("Intrusa", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
