"""A role holds where its scopes say: everywhere without any (the national unit), else only in the jurisdictions
and programmes granted; granting needs the place oneself; the last scope cannot be revoked into "everywhere"."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mueve.accounts import scopes
from mueve.accounts.models import Role
from mueve.accounts.services import role_scope_grant, role_scope_revoke
from mueve.territory.models import Jurisdiction
from mueve.territory.services import jurisdiction_upsert

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    kind = Jurisdiction.Kind.METROPOLITAN_AREA
    return (
        jurisdiction_upsert(slug="gran-concepcion", name="Gran Concepción", kind=kind),
        jurisdiction_upsert(slug="temuco", name="Temuco", kind=kind),
    )


def test_without_scopes_a_role_holds_everywhere_with_one_only_there(make_user, regions):
    concepcion, temuco = regions
    national, admin = make_user(Role.MANAGER), make_user(Role.ADMIN)
    operator = make_user(Role.OPERATOR)
    assert scopes.in_jurisdiction(operator, temuco.pk) and scopes.jurisdiction_filter(operator) is None
    role_scope_grant(user=operator, actor=admin, jurisdiction=temuco)
    assert scopes.in_jurisdiction(operator, temuco.pk)
    assert not scopes.in_jurisdiction(operator, concepcion.pk)
    assert scopes.jurisdiction_filter(operator) == {temuco.pk}
    assert not scopes.is_national(operator) and scopes.is_national(national)


def test_only_the_national_unit_hands_out_scopes_and_the_last_one_stays(make_user, regions):
    concepcion, temuco = regions
    admin, national = make_user(Role.ADMIN), make_user(Role.MANAGER)
    regional_manager = make_user(Role.MANAGER)
    role_scope_grant(user=regional_manager, actor=national, jurisdiction=temuco)
    operator = make_user(Role.OPERATOR)
    with pytest.raises(PermissionDenied):  # Temuco's manager hands out nothing, not even Temuco
        role_scope_grant(user=operator, actor=regional_manager, jurisdiction=temuco)
    scope = role_scope_grant(user=operator, actor=national, jurisdiction=temuco)
    assert not scopes.in_jurisdiction(operator, concepcion.pk)
    with pytest.raises(ValidationError):
        role_scope_revoke(scope=scope, actor=admin)
    with pytest.raises(PermissionDenied):  # a citizen hands out nothing
        role_scope_grant(user=operator, actor=make_user(Role.CITIZEN), jurisdiction=temuco)
