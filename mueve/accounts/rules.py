"""Role predicates every app builds its permissions from."""

import rules

from mueve.accounts.models import Role


def has_role(*roles: str):
    names = "_".join(roles)

    @rules.predicate(name=f"has_role_{names}")
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.is_active and user.role in roles)

    return predicate


is_platform_admin = rules.predicate(
    lambda user: bool(
        user and user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.ADMIN)
    ),
    name="is_platform_admin",
)
is_manager = has_role(Role.MANAGER) | is_platform_admin
is_official = has_role(Role.OFFICIAL)
is_operator = has_role(Role.OPERATOR)
is_emergency = has_role(Role.EMERGENCY)
is_participant = has_role(Role.PARTICIPANT)
is_citizen = has_role(Role.CITIZEN)
is_mentor = has_role(Role.MENTOR)
is_juror = has_role(Role.JUROR)
is_authenticated = rules.is_authenticated


@rules.predicate
def is_national(user) -> bool:
    """Holds a role with no scope: the ministry's national unit (or the platform's staff) sees every region."""
    from mueve.accounts.scopes import is_national as unscoped

    return bool(user and user.is_authenticated and user.is_active and unscoped(user))


@rules.predicate
def in_object_jurisdiction(user, obj) -> bool:
    """The object (anything with a `jurisdiction_id`) is in the person's scope; without an object: yes (lists are
    filtered by accounts.scopes.jurisdiction_filter)."""
    from mueve.accounts.scopes import in_jurisdiction

    return obj is None or in_jurisdiction(user, getattr(obj, "jurisdiction_id", None))


rules.add_perm("accounts.view_own_profile", is_authenticated)
rules.add_perm("accounts.manage_users", is_platform_admin)
# The ministry's national unit (a manager with no scope) and the platform's administrators hand out scopes.
rules.add_perm("accounts.manage_scopes", is_platform_admin | (is_manager & is_national))
