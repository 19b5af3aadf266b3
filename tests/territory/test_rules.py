import pytest
from django.contrib.auth.models import AnonymousUser

from mueve.accounts.models import Role
from tests.conftest import ROLES_AND_ANONYMOUS

EXPECTED = {
    "territory.view_jurisdiction": set(ROLES_AND_ANONYMOUS),
    "territory.manage_territory": {Role.MANAGER, Role.ADMIN},
}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_role_permission_matrix(users_by_role, role, perm):
    user = users_by_role[role] or AnonymousUser()
    assert user.has_perm(perm) is (role in EXPECTED[perm])
