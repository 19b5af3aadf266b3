import pytest
from django.contrib.auth.models import AnonymousUser

from mueve.accounts.models import Role
from tests.conftest import ROLES_AND_ANONYMOUS

STAFF = {Role.OPERATOR, Role.MANAGER, Role.ADMIN}
MANAGERS = {Role.MANAGER, Role.ADMIN}

EXPECTED = {
    "reports.view_report": set(ROLES_AND_ANONYMOUS),
    "reports.submit_report": set(ROLES_AND_ANONYMOUS),
    "reports.manage_services": MANAGERS,
    "reports.manage_routing": MANAGERS,
    "reports.change_report_status": STAFF,
    "reports.moderate_report": STAFF,
    "reports.moderate_content": STAFF,
    "reports.manage_incidents": STAFF,
    "reports.view_reporter_contact": STAFF,
    "reports.manage_banned_contacts": STAFF,
}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_role_permission_matrix(users_by_role, role, perm):
    user = users_by_role[role] or AnonymousUser()
    assert user.has_perm(perm) is (role in EXPECTED[perm])


# --- the scope axis: a role limited to one jurisdiction (accounts.RoleScope) acts on that jurisdiction's objects ---

GLOBAL_PERMS = {
    "reports.view_report",
    "reports.submit_report",
    "reports.manage_banned_contacts",
}
OBJECT_PERMS = sorted(set(EXPECTED) - GLOBAL_PERMS)


@pytest.fixture
def objects_by_place(metro, other_region, organization):
    """Per jurisdiction, what the reports permissions are asked about: the jurisdiction itself (a service or a rule
    about to be made there), a service, a rule, a report and its incident (photos: tests/control/test_scopes.py)."""
    from mueve.reports import services

    found = {}
    for name, jurisdiction, place in (("in", metro, (-36.8270, -73.0503)), ("out", other_region, (-38.74, -72.59))):
        service = services.service_upsert(
            jurisdiction=jurisdiction, code="bache", name="Bache", alert_category="traffic", attributes=[]
        )
        rule = services.routing_rule_save(jurisdiction=jurisdiction, agency=organization, service=service)
        report = services.report_submit(service=service, lat=place[0], lon=place[1], address_string="Calle 1")
        found[name] = [jurisdiction, service, rule, report, report.incident]
    return found


@pytest.mark.parametrize("scope", ["scoped", "unscoped"])
@pytest.mark.parametrize("role", Role.values)
def test_a_scoped_role_acts_only_on_objects_of_its_jurisdictions(make_user, metro, objects_by_place, role, scope):
    from mueve.accounts.services import role_scope_grant

    user = make_user(role)
    if scope == "scoped":
        role_scope_grant(user=user, actor=None, jurisdiction=metro)
    everywhere = scope == "unscoped" or user.is_superuser  # a platform administrator holds every jurisdiction
    for perm in OBJECT_PERMS:
        for place, objects in objects_by_place.items():
            allowed = role in EXPECTED[perm] and (everywhere or place == "in")
            for obj in objects:
                assert user.has_perm(perm, obj) is allowed, (perm, place, type(obj).__name__)
        # Without an object (a list, the page that holds it): the role decides; the lists are filtered by scope.
        assert user.has_perm(perm) is (role in EXPECTED[perm])
