"""Who may do what with i-BiciPark: a bicycle is unlocked only by the account that checked it in; a rack's
security desk (its alarms, its camera's pictures) is for the staff of the building's organization only."""

import rules

from mueve.accounts.models import Role


@rules.predicate
def is_desk_staff(user, organization) -> bool:
    return (
        organization is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role != Role.CITIZEN
        and user.organization_id == organization.pk
    )


@rules.predicate
def is_parking_owner(user, parking) -> bool:
    return parking is not None and getattr(user, "is_authenticated", False) and parking.cyclist_id == user.pk


rules.add_perm("bicipark.watch_desk", is_desk_staff)
rules.add_perm("bicipark.unlock", is_parking_owner)
