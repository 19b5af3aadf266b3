"""Role × action: who may do what with organizations, people and program stakeholders."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.conftest import ROLES_AND_ANONYMOUS

MANAGERS = {"manager", "admin"}
EVERYONE = set(ROLES_AND_ANONYMOUS)

EXPECTED = {
    "stakeholders.view_organization": EVERYONE,
    "stakeholders.export_organizations": EVERYONE,
    "stakeholders.add_organization": MANAGERS,
    "stakeholders.change_organization": MANAGERS,
    "stakeholders.import_organizations": MANAGERS,
    "stakeholders.manage_people": MANAGERS,
    "stakeholders.manage_program_stakeholders": MANAGERS,
    "stakeholders.view_people_contacts": MANAGERS,
}


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_permission_matrix(users_by_role, role):
    user = users_by_role[role] or AnonymousUser()
    granted = {perm for perm in EXPECTED if user.has_perm(perm)}
    assert granted == {perm for perm, roles in EXPECTED.items() if role in roles}


def test_inactive_manager_loses_every_write(users_by_role):
    manager = users_by_role["manager"]
    manager.is_active = False
    assert not manager.has_perm("stakeholders.add_organization")
    assert not manager.has_perm("stakeholders.view_people_contacts")
