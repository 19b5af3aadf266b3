"""Where a person may act: the platform (no scope), or some jurisdictions and programmes (accounts.RoleScope).

Every app asks the same three questions, through these functions, so that pages, the API, exports, the live
stream and the admin agree:
- `scope_of(user)`: the person's scope (read once per request, kept on the user object);
- `in_jurisdiction(user, jurisdiction_id)` / `in_program(user, program)`: may they act on this object;
- `jurisdiction_filter(user)`: the ids to filter a list by (None: no filter).
A programme scope also covers the programme's own jurisdiction only for that programme, not its incidents."""

from dataclasses import dataclass

from mueve.accounts.models import RoleScope, User

_CACHE_ATTR = "_mueve_scope"


@dataclass(frozen=True)
class Scope:
    platform: bool
    jurisdiction_ids: frozenset[int]
    program_ids: frozenset[int]


EVERYWHERE = Scope(platform=True, jurisdiction_ids=frozenset(), program_ids=frozenset())
NOWHERE = Scope(platform=False, jurisdiction_ids=frozenset(), program_ids=frozenset())


def scope_of(user) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOWHERE
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    rows = list(RoleScope.objects.filter(user_id=user.pk).values_list("jurisdiction_id", "program_id"))
    if not rows or user.is_superuser:
        scope = EVERYWHERE
    else:
        scope = Scope(
            platform=False,
            jurisdiction_ids=frozenset(j for j, _p in rows if j is not None),
            program_ids=frozenset(p for _j, p in rows if p is not None),
        )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget(user: User) -> None:
    """After the person's scopes changed (in this request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_national(user) -> bool:
    """Unscoped: the ministry's national unit and the platform's staff see every region."""
    return scope_of(user).platform


def in_jurisdiction(user, jurisdiction_id: int | None) -> bool:
    scope = scope_of(user)
    return scope.platform or (jurisdiction_id is not None and jurisdiction_id in scope.jurisdiction_ids)


def in_program(user, program) -> bool:
    """The programme is in the person's scope: theirs by name, or of a jurisdiction they hold."""
    if program is None:
        return False
    scope = scope_of(user)
    return scope.platform or program.pk in scope.program_ids or program.jurisdiction_id in scope.jurisdiction_ids


def jurisdiction_filter(user) -> frozenset[int] | None:
    """The jurisdictions a list must be filtered to for this person; None when they see every one."""
    scope = scope_of(user)
    return None if scope.platform else scope.jurisdiction_ids


def program_filter(user):
    """A Q for Program querysets (None when they see every programme)."""
    from django.db.models import Q

    scope = scope_of(user)
    if scope.platform:
        return None
    return Q(pk__in=scope.program_ids) | Q(jurisdiction_id__in=scope.jurisdiction_ids)
