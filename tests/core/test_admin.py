"""The back office: every registered model's list and add pages open for an administrator, in Spanish."""

import pytest
from django.contrib import admin
from django.urls import reverse

from mueve.accounts.models import Role
from mueve.api.keys import user_for_key
from mueve.api.models import ApiKey, Application

MODELS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label not in {"auth"}
)


@pytest.mark.parametrize("app_label, model_name", MODELS)
def test_admin_pages_open(client, make_user, app_label, model_name):
    client.force_login(make_user(Role.ADMIN))
    changelist = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert changelist.status_code == 200
    add = client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    assert add.status_code in (200, 403)  # some logs are read-only


@pytest.mark.parametrize("app_label, model_name", [m for m in MODELS if m[0] not in {"accounts", "account"}])
def test_program_managers_keep_the_domain_models(client, make_user, app_label, model_name):
    client.force_login(make_user(Role.MANAGER))
    assert client.get(reverse(f"admin:{app_label}_{model_name}_changelist")).status_code == 200


def test_program_managers_do_not_manage_accounts(client, make_user):
    client.force_login(make_user(Role.MANAGER))
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert "Desafíos" in client.get("/admin/").content.decode()


def test_admin_is_in_spanish_and_closed_to_citizens(client, make_user):
    client.force_login(make_user(Role.CITIZEN))
    assert client.get("/admin/").status_code == 302
    client.force_login(make_user(Role.ADMIN))
    assert "Cerrar sesión" in client.get("/admin/").content.decode()


def test_admin_issues_an_api_key_shown_once(client, make_user):
    admin_user = make_user(Role.ADMIN)
    owner = make_user(Role.MANAGER)
    application = Application.objects.create(name="Integración", contact_email="i@example.org", owner=owner)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:api_apikey_add"),
        {"application": application.pk, "name": "integración", "requests_per_minute": 30, "requests_per_day": 900},
        follow=True,
    )
    text = response.content.decode()
    assert "no se volverá a mostrar" in text
    key = text.split("no se volverá a mostrar: ", 1)[1].split("<", 1)[0].strip()
    assert user_for_key(key=key) == owner
    stored = ApiKey.objects.get()
    assert stored.key_hash != key and stored.status == ApiKey.Status.APPROVED
    assert (stored.requests_per_minute, stored.requests_per_day) == (30, 900)
