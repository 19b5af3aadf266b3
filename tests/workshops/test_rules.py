"""Role × action matrix for workshops: who may see, run, and sign up for a workshop."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from mueve.accounts.models import Role
from mueve.workshops import services
from mueve.workshops.models import Registration
from tests.conftest import ROLES_AND_ANONYMOUS
from tests.programs.factories import COVERING, SCOPE_AXIS, place_in_scope

pytestmark = pytest.mark.django_db
MANAGERS = {Role.MANAGER, Role.ADMIN}
START = datetime(2030, 3, 15, 10, tzinfo=ZoneInfo("America/Santiago"))


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_workshop_matrix(role, users_by_role, make_workshop):
    user = users_by_role[role] or AnonymousUser()
    closed = make_workshop("codesign", starts_at=START)
    open_ = make_workshop("vision", starts_at=START, public_registration=True, capacity=10)
    signed_in = role != "anonymous"

    for workshop in (closed, open_):
        assert user.has_perm("workshops.view_workshop", workshop)
        assert user.has_perm("workshops.manage_workshop", workshop) == (role in MANAGERS)
        assert user.has_perm("workshops.view_registrations", workshop) == (role in MANAGERS)
    # Anybody signed in signs up for a workshop open to the public; nobody for one that is not (platform admins are
    # superusers: Django grants them every permission, and the service still refuses them, see below).
    assert user.has_perm("workshops.register_workshop", open_) == signed_in
    assert user.has_perm("workshops.register_workshop", closed) == (role == Role.ADMIN)

    # A programme that is not public: only its managers see the workshop; nobody signs up for it.
    open_.program.is_public = False
    open_.program.save(update_fields=["is_public"])
    assert user.has_perm("workshops.view_workshop", open_) == (role in MANAGERS)
    assert user.has_perm("workshops.register_workshop", open_) == (role == Role.ADMIN)


def test_the_service_refuses_even_a_superuser_when_the_workshop_is_not_open(users_by_role, make_workshop):
    closed = make_workshop("codesign", starts_at=START)
    with pytest.raises(ValidationError) as exc:
        services.workshop_register(workshop=closed, user=users_by_role[Role.ADMIN])
    assert exc.value.message_dict == {"workshop": ["Este taller no tiene inscripción abierta al público."]}
    assert not Registration.objects.exists()


# --- the scope axis (issue 20) --------------------------------------------------------------------------------------


@pytest.mark.parametrize("axis", SCOPE_AXIS)
@pytest.mark.parametrize("role", [Role.MANAGER, Role.OFFICIAL, Role.CITIZEN, Role.ADMIN])
def test_scope_axis(make_user, make_workshop, program, role, axis):
    """A programme's workshops, progress and dossier are run by its managers: those whose scope includes it and
    those it names; officials read the full dossier where they act for their institution."""
    workshop = make_workshop("codesign", starts_at=START)
    user = make_user(role)
    place_in_scope(user, axis, program)
    manages = role == Role.ADMIN or (role == Role.MANAGER and axis in COVERING) or axis == "named"
    for perm in ("workshops.manage_workshop", "workshops.view_registrations"):
        assert user.has_perm(perm, workshop) is manages, perm
    for perm in ("workshops.update_progress", "workshops.edit_dossier"):
        assert user.has_perm(perm, program) is manages, perm
    official_here = role == Role.OFFICIAL and (axis in COVERING or axis == "takes_part")
    assert user.has_perm("workshops.view_dossier", program) is (manages or official_here)
    # Workshop formats live in the methodology templates: the national unit's.
    assert user.has_perm("workshops.import_methodology") is (
        role == Role.ADMIN or (role == Role.MANAGER and axis == "none")
    )
    # A programme not public yet: only its managers see its workshops.
    program.is_public = False
    program.save(update_fields=["is_public"])
    assert user.has_perm("workshops.view_workshop", workshop) is manages
