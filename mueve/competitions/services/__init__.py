"""Writes for competitions, one module per stage of a competition's life.

Every function checks permissions, validates everything before writing anything (a refused call
changes nothing) and publishes its event (see mueve.competitions.events) after commit. Reads,
including the ones these writes rely on (`eligible_teams`, `latest_submission`, ...), live in
mueve.competitions.selectors.

Callers import the package, `from mueve.competitions import services`, never a module inside it:
the modules are how the code is kept, not part of the interface.
"""

from mueve.competitions.services.clinics import (
    clinic_answer,
    clinic_ask,
    clinic_create,
    clinic_mark_attendance,
    clinic_register,
)
from mueve.competitions.services.conflicts import conflict_declare
from mueve.competitions.services.lifecycle import (
    competition_create,
    competition_set_flags,
    partner_set,
    prize_set,
    stage_set,
)
from mueve.competitions.services.mentors import (
    mentor_assign,
    mentor_conflict,
    mentor_profile_set,
    mentor_session_log,
    mentors_assign_balanced,
    team_comment,
)
from mueve.competitions.services.milestones import milestone_add, milestone_mark_done, milestone_sign_off
from mueve.competitions.services.pairwise import pairwise_next, pairwise_vote
from mueve.competitions.services.public_vote import public_vote_cast
from mueve.competitions.services.rounds import round_close, round_create, round_open, score_set
from mueve.competitions.services.selection import selection_record, winners_record
from mueve.competitions.services.submissions import (
    DECK_EXTENSIONS,
    MAX_DECK_BYTES,
    SUBMISSION_STAGES,
    check_deck,
    submission_create,
)
from mueve.competitions.services.teams import (
    invitation_respond,
    participant_register,
    team_add_member,
    team_create,
    team_invite,
    team_withdraw,
    teams_from_proposal,
)

__all__ = [
    # lifecycle
    "competition_create",
    "competition_set_flags",
    "partner_set",
    "prize_set",
    "stage_set",
    # clinics
    "clinic_answer",
    "clinic_ask",
    "clinic_create",
    "clinic_mark_attendance",
    "clinic_register",
    # teams
    "invitation_respond",
    "participant_register",
    "team_add_member",
    "team_create",
    "team_invite",
    "team_withdraw",
    "teams_from_proposal",
    # mentors and officials
    "mentor_assign",
    "mentor_conflict",
    "mentor_profile_set",
    "mentor_session_log",
    "mentors_assign_balanced",
    "team_comment",
    # submissions
    "DECK_EXTENSIONS",
    "MAX_DECK_BYTES",
    "SUBMISSION_STAGES",
    "check_deck",
    "submission_create",
    # jury
    "round_close",
    "round_create",
    "round_open",
    "score_set",
    "pairwise_next",
    "pairwise_vote",
    "conflict_declare",
    # selection and results
    "selection_record",
    "winners_record",
    "public_vote_cast",
    # acceleration
    "milestone_add",
    "milestone_mark_done",
    "milestone_sign_off",
]
