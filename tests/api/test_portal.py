"""The developer portal's pages (/desarrolladores/): documentation, registering an application, one's own keys,
and the managers' review."""

import pytest
from django.urls import reverse

from mueve.accounts.models import Role
from mueve.api import services
from mueve.api.keys import KeyRefused, approved_key
from mueve.api.models import ApiKey, Application
from mueve.stakeholders.models import Membership, Person
from tests.conftest import ROLES_AND_ANONYMOUS

GOOD = {
    "name": "Buses en vivo",
    "website": "https://buses.example.org",
    "contact_email": "equipo@example.org",
    "description": "Muestra los buses en un mapa.",
}


def test_the_documentation_entry_links_every_api(client, db):
    page = client.get(reverse("api:index")).content.decode()
    for link in ("/api/v1/docs", "/open311/v2/", "/api/3/action/", "/catalogo/dcat.ttl", reverse("reports:developers")):
        assert link in page
    for way in ("Authorization: Bearer", "X-API-Key", "api_key="):
        assert way in page


def test_registering_needs_an_account(client, db):
    response = client.get(reverse("api:register"))
    assert response.status_code == 302 and "/cuentas/entrar/" in response["Location"]


def test_bad_input_gets_spanish_field_errors_and_saves_nothing(client, make_user):
    client.force_login(make_user(Role.CITIZEN))
    response = client.post(
        reverse("api:register"), {"name": "", "website": "no es web", "contact_email": "x", "description": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "No se guardó nada" in page
    for message in (
        "Escriba el nombre de su aplicación.",
        "Escriba una dirección web válida",
        "Escriba un correo válido",
        "Cuente en pocas palabras qué hará su aplicación.",
    ):
        assert message in page
    too_long = client.post(reverse("api:register"), {**GOOD, "name": "x" * 500})
    assert too_long.status_code == 400 and "Máximo 120 caracteres (tiene 500)." in too_long.content.decode()
    assert not Application.objects.exists() and not ApiKey.objects.exists()


def test_a_registered_application_shows_its_key_once_and_it_works_when_approved(client, make_user):
    developer = make_user(Role.CITIZEN)
    client.force_login(developer)
    response = client.post(reverse("api:register"), GOOD)
    assert response.status_code == 201
    key = response.content.decode().split('id="new-key">')[1].split("<")[0]
    api_key = ApiKey.objects.get()
    assert api_key.application.owner == developer and api_key.status == ApiKey.Status.REQUESTED
    assert api_key.key_hash == ApiKey.hash_key(key) and key not in (api_key.key_hash, api_key.prefix)
    with pytest.raises(KeyRefused) as refused:
        approved_key(key)
    assert refused.value.status == 403
    listing = client.get(reverse("api:applications")).content.decode()
    assert "Buses en vivo" in listing and api_key.prefix in listing and key not in listing

    services.key_approve(api_key=api_key, actor=make_user(Role.MANAGER))
    assert approved_key(key) == api_key


def test_an_application_acts_only_for_one_of_its_owners_organizations(client, make_user, organization):
    developer = make_user(Role.CITIZEN)
    client.force_login(developer)
    refused = client.post(reverse("api:register"), {**GOOD, "organization": organization.pk})
    assert refused.status_code == 400 and "Elija una de sus organizaciones." in refused.content.decode()
    Membership.objects.create(person=Person.objects.create(full_name="Dev", user=developer), organization=organization)
    assert client.post(reverse("api:register"), {**GOOD, "organization": organization.pk}).status_code == 201
    assert Application.objects.get().organization == organization


def test_the_owner_revokes_their_key_and_nobody_else_sees_or_revokes_it(client, make_user):
    developer, stranger = make_user(Role.CITIZEN), make_user(Role.CITIZEN)
    _application, api_key, key = services.application_register(
        owner=developer, name="Privada", contact_email="p@example.org", description="mía"
    )
    services.key_approve(api_key=api_key, actor=make_user(Role.MANAGER))

    client.force_login(stranger)
    assert client.get(reverse("api:usage", args=[api_key.pk])).status_code == 404
    assert client.post(reverse("api:revoke", args=[api_key.pk])).status_code == 404
    assert client.get(reverse("api:usage", args=[api_key.pk + 1000])).status_code == 404
    assert "Privada" not in client.get(reverse("api:applications")).content.decode()
    assert approved_key(key) == api_key

    client.force_login(developer)
    assert client.post(reverse("api:revoke", args=[api_key.pk])).status_code == 302
    api_key.refresh_from_db()
    assert api_key.status == ApiKey.Status.REVOKED and api_key.revoked_by == developer
    with pytest.raises(KeyRefused):
        approved_key(key)


MANAGERS = {Role.MANAGER, Role.ADMIN}


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_only_managers_review_and_approve_keys(client, users_by_role, make_user, role):
    _application, api_key, _key = services.application_register(
        owner=make_user(Role.CITIZEN), name="Revisar", contact_email="r@example.org", description="x"
    )
    if users_by_role[role]:
        client.force_login(users_by_role[role])
    listing = client.get(reverse("api:manage"))
    approve = client.post(reverse("api:manage_action", args=[api_key.pk, "aprobar"]))
    api_key.refresh_from_db()
    if role in MANAGERS:
        assert listing.status_code == 200 and "Revisar" in listing.content.decode()
        assert approve.status_code == 302 and api_key.status == ApiKey.Status.APPROVED
    else:
        expected = 302 if role == "anonymous" else 403
        assert listing.status_code == approve.status_code == expected
        assert api_key.status == ApiKey.Status.REQUESTED


def test_a_request_from_before_the_portal_gets_its_key_at_approval_shown_once(client, make_user):
    """Open311 requests moved from the old flow had no key yet: the manager who approves one sees it once."""
    manager = make_user(Role.MANAGER)
    application = Application.objects.create(name="Antigua", contact_email="a@example.org")
    old_request = ApiKey.objects.create(application=application)
    client.force_login(manager)
    page = client.post(reverse("api:manage_action", args=[old_request.pk, "aprobar"])).content.decode()
    key = page.split('id="new-key">')[1].split("<")[0]
    assert approved_key(key) == old_request
    assert key not in client.get(reverse("api:manage")).content.decode()
    client.post(reverse("api:manage_action", args=[old_request.pk, "revocar"]))
    again = client.post(reverse("api:manage_action", args=[old_request.pk, "aprobar"]))
    assert again.status_code == 400 and "revocada" in again.content.decode()


def test_a_regional_manager_does_not_hand_out_keys(make_user, db):
    from mueve.accounts.services import role_scope_grant
    from mueve.territory.models import Jurisdiction
    from mueve.territory.services import jurisdiction_upsert

    metro = jurisdiction_upsert(slug="gran-concepcion", name="GC", kind=Jurisdiction.Kind.METROPOLITAN_AREA)
    national, regional = make_user(Role.MANAGER), make_user(Role.MANAGER)
    role_scope_grant(user=regional, actor=None, jurisdiction=metro)
    assert national.has_perm("api.manage_keys")
    assert not regional.has_perm("api.manage_keys")  # a key works in every jurisdiction


def test_ones_own_data_download_lists_ones_keys_never_the_key(client, make_user):
    developer = make_user(Role.CITIZEN)
    _application, api_key, key = services.application_register(
        owner=developer, name="Mis datos", contact_email="m@example.org", description="x"
    )
    client.force_login(developer)
    from mueve.members.selectors import own_data

    data = own_data(user=developer)
    assert [(k["application"], k["prefix"], k["status"]) for k in data["api_keys"]] == [
        ("Mis datos", api_key.prefix, "requested")
    ]
    assert key not in str(data)
