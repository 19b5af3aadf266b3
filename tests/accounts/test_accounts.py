import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from mueve.accounts.models import Role, User
from mueve.accounts.services import user_create
from tests.conftest import PASSWORD, ROLES_AND_ANONYMOUS


def test_official_needs_an_organization(db):
    with pytest.raises(ValidationError) as info:
        user_create(username="sin-org", password="x-1234567", role=Role.OFFICIAL)
    assert "organization" in info.value.message_dict
    assert not User.objects.filter(username="sin-org").exists()


def test_unknown_role_and_duplicate_username_are_refused(db, make_user):
    with pytest.raises(ValidationError) as info:
        user_create(username="alguien", password="x-1234567", role="emperor")
    assert "role" in info.value.message_dict
    existing = make_user(Role.CITIZEN)
    with pytest.raises(ValidationError) as info:
        user_create(username=existing.username, password="x-1234567")
    assert "username" in info.value.message_dict


def test_only_managers_and_admins_reach_the_back_office(users_by_role):
    staff = {role for role, user in users_by_role.items() if user is not None and user.is_staff}
    assert staff == {Role.MANAGER, Role.ADMIN}


def test_login_page_in_spanish_with_a_clear_error(client, make_user):
    user = make_user(Role.CITIZEN)
    page = client.get("/cuentas/entrar/")
    assert page.status_code == 200 and 'lang="es"' in page.content.decode()
    bad = client.post("/cuentas/entrar/", {"username": user.username, "password": "mala"})
    assert "Usuario, correo o contraseña incorrectos" in bad.content.decode()
    good = client.post("/cuentas/entrar/", {"username": user.username, "password": PASSWORD})
    assert good.status_code == 302
    assert client.get("/cuentas/perfil/").status_code == 200


def test_language_switch_to_english(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/cuentas/entrar/"}, follow=True)
    assert 'lang="en"' in response.content.decode()


def test_createadmin_checks_the_password(db, monkeypatch):
    monkeypatch.setenv("MUEVE_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("createadmin", "--username", "jefa")
    monkeypatch.setenv("MUEVE_ADMIN_PASSWORD", "una-clave-larga-y-rara-2014")
    call_command("createadmin", "--username", "jefa")
    admin = User.objects.get(username="jefa")
    assert admin.is_superuser and admin.role == Role.ADMIN


EXPECTED = {
    # perm: roles that hold it (anonymous never does)
    "accounts.view_own_profile": set(Role.values),
    "accounts.manage_users": {Role.ADMIN},
    "accounts.manage_scopes": {Role.ADMIN, Role.MANAGER},  # a manager with no scope: the national unit
}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_role_permission_matrix(users_by_role, role, perm):
    user = users_by_role[role] or AnonymousUser()
    assert user.has_perm(perm) is (role in EXPECTED[perm])
