"""A shelter's maintainer organization records its modules' condition; programme managers too. Officials and
operators see the shelters, their use and the vandalism report. The display page is public (no rule)."""

import rules

from mueve.accounts.rules import in_object_jurisdiction, is_manager, is_official, is_operator


@rules.predicate
def of_maintainer(user, shelter) -> bool:
    return shelter is not None and getattr(user, "organization_id", None) == shelter.maintainer_id


rules.add_perm(
    "sensors.manage_shelters", (is_manager & in_object_jurisdiction) | ((is_official | is_operator) & of_maintainer)
)
rules.add_perm("sensors.view_shelters", (is_manager | is_official | is_operator) & in_object_jurisdiction)
