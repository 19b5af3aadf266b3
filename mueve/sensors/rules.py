"""Devices belong to their owner organization: its officials and operators provision and revoke them; programme
managers and national staff too."""

import rules

from mueve.accounts.rules import is_manager, is_official, is_operator


@rules.predicate
def of_owner(user, owner) -> bool:
    return owner is not None and getattr(user, "organization_id", None) == owner.pk


rules.add_perm("sensors.manage_devices", is_manager | ((is_official | is_operator) & of_owner))
rules.add_perm("sensors.view_devices", is_manager | is_official | is_operator)
