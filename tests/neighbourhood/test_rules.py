"""Role × action for Cuida tu Luz and Cuido mi Barrio."""

import pytest
from django.contrib.auth.models import AnonymousUser

from mueve.accounts.models import Role
from tests.conftest import ROLES_AND_ANONYMOUS

SIGNED_IN = set(Role.values)
MUNICIPALITY = {Role.MANAGER, Role.ADMIN, Role.OFFICIAL, Role.OPERATOR}

EXPECTED = {
    "neighbourhood.adopt_asset": SIGNED_IN,
    "neighbourhood.view_adoption_overview": MUNICIPALITY,
    "neighbourhood.manage_rewards": {Role.MANAGER, Role.ADMIN, Role.OFFICIAL},
}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_role_permission_matrix(users_by_role, role, perm):
    user = users_by_role[role] or AnonymousUser()
    assert user.has_perm(perm) is (role in EXPECTED[perm])


PAGES = {
    "/barrio/luz/municipio/": MUNICIPALITY,
    "/barrio/premios/": {Role.MANAGER, Role.ADMIN, Role.OFFICIAL},
    "/barrio/luz/mis-adopciones/": SIGNED_IN,
}


@pytest.mark.parametrize("path", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_role_page_matrix(client, users_by_role, role, path):
    user = users_by_role[role]
    if user is not None:
        client.force_login(user)
    response = client.get(path)
    if user is None:
        assert response.status_code == 302 and "/cuentas/entrar/" in response["Location"]
    else:
        assert response.status_code == (200 if role in PAGES[path] else 403)
