"""The API root: who may write (token or session + CSRF) and what a request body must be.

These clients enforce CSRF like a browser or a script would meet it; Django's default test client
skips the check, which hid that a bearer token was refused with "CSRF check Failed".
"""

import json

import pytest
from django.conf import settings
from django.test import Client

from mueve.accounts.models import Role
from mueve.stakeholders.models import Organization
from tests.keys import issue_key

URL = "/api/v1/organizations/"
NEW = {"name": "Corporación de Fomento de la Producción", "sector": "government", "level": "national"}
CSRF_SECRET = "a" * 32


@pytest.fixture
def strict_client() -> Client:
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER)


def bearer(user) -> dict:
    _token, key = issue_key(user=user, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, data, content_type="application/json", **extra):
    body = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(URL, body, content_type=content_type, **extra)


def test_a_bearer_token_needs_no_csrf_token(strict_client, manager):
    response = post(strict_client, NEW, **bearer(manager))
    assert response.status_code == 201, response.content
    assert Organization.objects.filter(name=NEW["name"]).exists()


def test_a_bearer_token_wins_over_a_session_without_csrf_token(strict_client, manager, make_user):
    strict_client.force_login(make_user(Role.CITIZEN))
    assert post(strict_client, NEW, **bearer(manager)).status_code == 201


def test_anonymous_writes_are_401(strict_client, db):
    response = post(strict_client, NEW)
    assert response.status_code == 401
    assert response.json() == {"detail": "Se requiere autenticación."}
    assert post(strict_client, NEW, HTTP_AUTHORIZATION="Bearer mv_no-existe").status_code == 401
    assert not Organization.objects.filter(name=NEW["name"]).exists()


def test_a_session_still_needs_the_csrf_token(strict_client, manager):
    strict_client.force_login(manager)
    assert post(strict_client, NEW).status_code == 403
    assert not Organization.objects.filter(name=NEW["name"]).exists()
    strict_client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    assert post(strict_client, NEW, HTTP_X_CSRFTOKEN=CSRF_SECRET).status_code == 201


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("text/plain", json.dumps(NEW)),
        ("application/x-www-form-urlencoded", "name=CORFO&sector=government&level=national"),
        ("multipart/form-data; boundary=b", '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nX\r\n--b--\r\n'),
    ],
)
def test_a_body_that_is_not_json_is_415(client, manager, content_type, body):
    before = Organization.objects.count()
    response = post(client, body, content_type=content_type, **bearer(manager))
    assert response.status_code == 415
    assert response.json() == {"detail": "Envíe el cuerpo como JSON, con «Content-Type: application/json»."}
    assert Organization.objects.count() == before


@pytest.mark.parametrize("body", ["{", b"\xff\xfe{}", "[" * 100_000 + "]" * 100_000])
def test_json_that_does_not_parse_is_400(client, manager, body):
    response = post(client, body, **bearer(manager))
    assert response.status_code == 400
    assert response.json() == {"detail": "Datos inválidos.", "errors": {"__all__": ["El cuerpo no es JSON válido."]}}
    assert not Organization.objects.filter(name=NEW["name"]).exists()


@pytest.mark.parametrize("body", ["[]", "null", '"CORFO"', "1"])
def test_a_body_that_is_not_an_object_is_400(client, manager, organization, body):
    # django-ninja reads `[]` or `null` as `{}`: a PATCH answered 200 and saved a history record.
    response = client.patch(URL + organization.slug, body, content_type="application/json", **bearer(manager))
    assert response.status_code == 400
    assert response.json()["errors"] == {"__all__": ["Se esperaba un objeto JSON."]}
    assert organization.history.count() == 1


def test_unicode_and_emoji_go_through(client, manager):
    response = post(client, {**NEW, "name": "Fundación 🚲 Ciclistas de Ñuñoa — 交通"}, **bearer(manager))
    assert response.status_code == 201
    assert response.json()["name"] == "Fundación 🚲 Ciclistas de Ñuñoa — 交通"


def test_lone_surrogates_in_a_body_are_a_400_not_a_500(client, make_user):
    _token, key = issue_key(user=make_user(Role.MANAGER), name="t")
    body = '{"name": "Org \\ud800 x", "sector": "private", "level": "local"}'
    response = client.post(
        "/api/v1/organizations/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 400
    assert "Unicode" in response.json()["errors"]["__all__"][0]
