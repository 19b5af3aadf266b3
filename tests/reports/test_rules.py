import pytest
from django.contrib.auth.models import AnonymousUser

from mueve.accounts.models import Role
from tests.conftest import ROLES_AND_ANONYMOUS

STAFF = {Role.OPERATOR, Role.MANAGER, Role.ADMIN}
MANAGERS = {Role.MANAGER, Role.ADMIN}

EXPECTED = {
    "reports.view_report": set(ROLES_AND_ANONYMOUS),
    "reports.submit_report": set(ROLES_AND_ANONYMOUS),
    "reports.request_api_key": set(ROLES_AND_ANONYMOUS),
    "reports.manage_api_keys": MANAGERS,
    "reports.manage_services": MANAGERS,
    "reports.manage_routing": MANAGERS,
    "reports.change_report_status": STAFF,
    "reports.moderate_report": STAFF,
    "reports.moderate_content": STAFF,
    "reports.manage_incidents": STAFF,
    "reports.view_reporter_contact": STAFF,
}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_role_permission_matrix(users_by_role, role, perm):
    user = users_by_role[role] or AnonymousUser()
    assert user.has_perm(perm) is (role in EXPECTED[perm])
