import pytest
from django.contrib.auth.models import AnonymousUser

from mueve.accounts.models import Role
from mueve.programs.models import Program
from tests.conftest import ROLES_AND_ANONYMOUS

EVERYONE = set(ROLES_AND_ANONYMOUS)
MANAGERS = {Role.MANAGER, Role.ADMIN}

# perm -> roles allowed (checked without an object)
EXPECTED = {
    "programs.view_program": EVERYONE,
    "programs.add_program": MANAGERS,
    "programs.change_program": MANAGERS,
    "programs.import_template": MANAGERS,
    "programs.export_template": EVERYONE,
    "programs.view_template": EVERYONE,  # every public template (tests/programs/test_toolkit.py: private ones)
    "programs.record_indicator": MANAGERS,
}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_role_permission_matrix(users_by_role, role, perm):
    user = users_by_role[role] or AnonymousUser()
    assert user.has_perm(perm) is (role in EXPECTED[perm])


@pytest.mark.parametrize("is_public", [True, False])
@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_view_program_depends_on_visibility(users_by_role, role, is_public):
    user = users_by_role[role] or AnonymousUser()
    program = Program(name="P", slug="p", is_public=is_public)
    assert user.has_perm("programs.view_program", program) is (is_public or role in MANAGERS)


@pytest.mark.django_db
def test_inactive_manager_has_no_write_permissions(make_user):
    manager = make_user(Role.MANAGER)
    manager.is_active = False
    assert not manager.has_perm("programs.add_program")
