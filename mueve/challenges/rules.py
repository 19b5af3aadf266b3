"""Who may see and change challenges and interviews, and take part in public ones.

Published, addressing and solved challenges of public programs are for everyone; identified and
validated ones are internal: for the programme's managers (programs.rules.manages_program: managers whose scope
includes it, and the people it names) and for officials in the programmes where they act for their institution
(programs.rules.acts_in_program: their scope covers it, or their institution is one of its actors). Interview notes
are always internal. Anyone signed in may follow, support and comment on a public challenge and report a comment;
the people who may manage a challenge (officials of its owner institution, its programme's managers) moderate its
comments.
"""

import rules

from mueve.accounts.rules import is_authenticated, is_manager, is_official
from mueve.challenges.models import PUBLIC_STATUSES, Comment
from mueve.programs.rules import acts_in_program, manages_program

# Officials acting in the programme (their scope or their institution's part in it).
is_official_here = is_official & acts_in_program
is_staff_role = manages_program | is_official_here


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


# A program that is not public is its managers' alone.
rules.add_perm(
    "challenges.view_challenge", challenge_is_public | manages_program | (is_official_here & in_public_program)
)
# Lists include identified and validated challenges for these users (filtered by programme in the selectors).
rules.add_perm("challenges.view_internal_challenges", is_staff_role)
# The object, when there is one, is the Program the challenge or interview is filed under.
rules.add_perm("challenges.add_challenge", is_staff_role)
rules.add_perm("challenges.change_challenge", manages_program | (is_official_here & belongs_to_owner))
rules.add_perm("challenges.transition_challenge", manages_program)
# The object is an Organization: officials act for their own institution only (docs/api.md).
rules.add_perm("challenges.assign_owner", is_manager | (is_official & is_own_organization))
rules.add_perm("challenges.view_interviews", is_staff_role)
rules.add_perm("challenges.add_interview", is_staff_role)


# --- taking part in public challenges ----------------------------------------------------------------------------


@rules.predicate
def comment_is_reportable(user, comment) -> bool:
    """A published comment on a public challenge (without an object: "may this user report comments at all")."""
    if comment is None:
        return True
    return comment.status == Comment.Status.PUBLISHED and challenge_is_public(user, comment.challenge)


@rules.predicate
def is_comment_author(user, comment) -> bool:
    return bool(comment is not None and user is not None and user.is_authenticated and comment.author_id == user.pk)


@rules.predicate
def owns_challenge_or_any(user, challenge) -> bool:
    # Without an object the question is "may this user open the moderation queue": officials see their
    # institution's challenges there.
    return challenge is None or belongs_to_owner(user, challenge)


rules.add_perm("challenges.follow_challenge", is_authenticated & challenge_is_public)
rules.add_perm("challenges.support_challenge", is_authenticated & challenge_is_public)
rules.add_perm("challenges.comment_challenge", is_authenticated & challenge_is_public)
# The object is a Comment.
rules.add_perm("challenges.report_comment", is_authenticated & comment_is_reportable & ~is_comment_author)
rules.add_perm("challenges.moderate_comments", manages_program | (is_official_here & owns_challenge_or_any))
