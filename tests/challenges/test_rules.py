import pytest
from django.contrib.auth.models import AnonymousUser

from mueve.accounts.models import Role
from mueve.challenges.models import Status
from tests.conftest import ROLES_AND_ANONYMOUS

STAFF = {Role.OFFICIAL, Role.MANAGER, Role.ADMIN}
MANAGERS = {Role.MANAGER, Role.ADMIN}

GLOBAL = {
    "challenges.add_challenge": STAFF,
    "challenges.view_internal_challenges": STAFF,
    "challenges.view_interviews": STAFF,
    "challenges.add_interview": STAFF,
}


@pytest.mark.parametrize("perm", sorted(GLOBAL))
@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_role_permission_matrix(users_by_role, role, perm):
    user = users_by_role[role] or AnonymousUser()
    assert user.has_perm(perm) is (role in GLOBAL[perm])


@pytest.fixture
def public_and_internal(make_challenge):
    return {
        "public": make_challenge("¿Cómo mejorar la experiencia de viaje?", status=Status.PUBLISHED),
        "internal": make_challenge("¿Cómo coordinar cortes de ruta y emergencias?", status=Status.VALIDATED),
    }


# The official of users_by_role belongs to the owner institution of these challenges.
OBJECT = {
    ("challenges.view_challenge", "public"): set(ROLES_AND_ANONYMOUS),
    ("challenges.view_challenge", "internal"): STAFF,
    ("challenges.change_challenge", "public"): STAFF,
    ("challenges.change_challenge", "internal"): STAFF,
    ("challenges.transition_challenge", "public"): MANAGERS,
    ("challenges.transition_challenge", "internal"): MANAGERS,
}


@pytest.mark.parametrize("perm, which", sorted(OBJECT))
@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_object_permission_matrix(users_by_role, public_and_internal, role, perm, which):
    user = users_by_role[role] or AnonymousUser()
    assert user.has_perm(perm, public_and_internal[which]) is (role in OBJECT[(perm, which)])


def test_official_of_another_institution_cannot_change(make_user, make_challenge, other_org):
    challenge = make_challenge()
    outsider = make_user(Role.OFFICIAL, organization=other_org)
    assert not outsider.has_perm("challenges.change_challenge", challenge)
    assert outsider.has_perm("challenges.view_challenge", challenge)


def test_public_challenge_of_a_private_program_is_hidden(make_challenge, program, make_user):
    challenge = make_challenge(status=Status.PUBLISHED)
    program.is_public = False
    program.save()
    challenge.refresh_from_db()
    assert not AnonymousUser().has_perm("challenges.view_challenge", challenge)
    # A program that is not public is the managers' alone: officials do not see into it either.
    assert not make_user(Role.OFFICIAL).has_perm("challenges.view_challenge", challenge)
    assert make_user(Role.MANAGER).has_perm("challenges.view_challenge", challenge)
