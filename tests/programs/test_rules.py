from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from mueve.accounts.models import Role
from mueve.programs.models import Program
from tests.conftest import ROLES_AND_ANONYMOUS
from tests.programs.factories import COVERING, SCOPE_AXIS, make_jurisdiction, place_in_scope

EVERYONE = set(ROLES_AND_ANONYMOUS)
MANAGERS = {Role.MANAGER, Role.ADMIN}

# perm -> roles allowed (checked without an object)
EXPECTED = {
    "programs.view_program": EVERYONE,
    "programs.add_program": MANAGERS,
    "programs.change_program": MANAGERS,
    # The national unit: managers without a scope (those of users_by_role) and platform admins.
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


# --- the scope axis (issue 20): a programme is managed by the managers whose scope includes it and by those it names


@pytest.fixture
def hidden_program(db):
    """A programme not public yet, made without any of the tested people (its creator would be named in it)."""
    return Program.objects.create(
        name="Programa en preparación",
        slug="programa-en-preparacion",
        jurisdiction=make_jurisdiction("temuco"),
        start_date=date(2014, 1, 1),
        end_date=date(2014, 12, 31),
        is_public=False,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("axis", SCOPE_AXIS)
@pytest.mark.parametrize("role", [Role.MANAGER, Role.OFFICIAL, Role.CITIZEN, Role.ADMIN])
def test_scope_axis(make_user, hidden_program, role, axis):
    user = make_user(role)
    place_in_scope(user, axis, hidden_program)
    manages = role == Role.ADMIN or (role == Role.MANAGER and axis in COVERING) or axis == "named"
    for perm in ("programs.change_program", "programs.record_indicator", "programs.view_program"):
        assert user.has_perm(perm, hidden_program) is manages, perm
    # A new programme belongs to a jurisdiction: a manager limited to programmes creates none.
    assert user.has_perm("programs.add_program") is (
        role == Role.ADMIN or (role == Role.MANAGER and axis not in ("program", "other_program"))
    )
    # Templates are the national unit's: a manager with any scope (even named by a programme) changes none.
    assert user.has_perm("programs.import_template") is (
        role == Role.ADMIN or (role == Role.MANAGER and axis == "none")
    )
