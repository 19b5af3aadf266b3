"""Who may see and change challenges and interviews.

Published, addressing and solved challenges of public programs are for everyone; identified and
validated ones are internal (officials, managers, admins). Interview notes are always internal.
"""

import rules

from mueve.accounts.rules import is_manager, is_official
from mueve.challenges.models import PUBLIC_STATUSES

is_staff_role = is_manager | is_official


@rules.predicate
def challenge_is_public(user, challenge) -> bool:
    # Without an object the question is "may this user look at challenges at all": yes.
    if challenge is None:
        return True
    return challenge.status in PUBLIC_STATUSES and challenge.program.is_public


@rules.predicate
def belongs_to_owner(user, challenge) -> bool:
    return bool(
        challenge is not None
        and user is not None
        and user.is_authenticated
        and user.organization_id is not None
        and user.organization_id == challenge.owner_id
    )


@rules.predicate
def is_own_organization(user, organization) -> bool:
    return bool(
        organization is not None
        and user is not None
        and user.is_authenticated
        and user.organization_id is not None
        and user.organization_id == organization.pk
    )


@rules.predicate
def in_public_program(user, challenge) -> bool:
    return challenge is None or challenge.program.is_public


# A program that is not public is the managers' alone.
rules.add_perm("challenges.view_challenge", challenge_is_public | is_manager | (is_official & in_public_program))
# Lists include identified and validated challenges for these users.
rules.add_perm("challenges.view_internal_challenges", is_staff_role)
rules.add_perm("challenges.add_challenge", is_staff_role)
rules.add_perm("challenges.change_challenge", is_manager | (is_official & belongs_to_owner))
rules.add_perm("challenges.transition_challenge", is_manager)
# The object is an Organization: officials act for their own institution only (docs/api.md).
rules.add_perm("challenges.assign_owner", is_manager | (is_official & is_own_organization))
rules.add_perm("challenges.view_interviews", is_staff_role)
rules.add_perm("challenges.add_interview", is_staff_role)
