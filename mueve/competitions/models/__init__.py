"""Challenge competitions (component 3 of the seed): MueveTT and its replicas.

A competition belongs to a program and offers some of its challenges. It runs through stages
(clinics → hackathon → first selection → acceleration → final). Participants register with skills
and form teams; teams submit per stage (each submission is a new version); jurors score per round
with a weighted rubric, never a team they are conflicted with; organizers close the round, the
aggregate ranking is frozen on the round, and the selection (top N + M social-impact picks) is
recorded with justifications.
"""

from .acceleration import Milestone, MilestoneStatus
from .judging import Conflict, ConflictReason, Criterion, Round, RoundMode, RoundStatus, Score, Selection, SelectionKind
from .setup import (
    CORE_SKILLS,
    STAGE_ORDER,
    USER,
    Clinic,
    ClinicQuestion,
    ClinicRegistration,
    Competition,
    CompetitionKind,
    Contribution,
    Partner,
    Prize,
    Skill,
    Stage,
    StageKind,
    skill_labels,
)
from .teams import (
    Invitation,
    InvitationStatus,
    MentorAssignment,
    MentorProfile,
    MentorSession,
    Participant,
    Submission,
    Team,
    TeamComment,
    TeamStatus,
)
from .voting import PairwiseAssignment, PairwiseVote, PublicVote

__all__ = [
    "CORE_SKILLS",
    "Clinic",
    "ClinicQuestion",
    "ClinicRegistration",
    "Competition",
    "CompetitionKind",
    "Conflict",
    "ConflictReason",
    "Contribution",
    "Criterion",
    "Invitation",
    "InvitationStatus",
    "MentorAssignment",
    "MentorProfile",
    "MentorSession",
    "Milestone",
    "MilestoneStatus",
    "PairwiseAssignment",
    "PairwiseVote",
    "Participant",
    "Partner",
    "Prize",
    "PublicVote",
    "Round",
    "RoundMode",
    "RoundStatus",
    "STAGE_ORDER",
    "Score",
    "Selection",
    "SelectionKind",
    "Skill",
    "Stage",
    "StageKind",
    "Submission",
    "Team",
    "TeamComment",
    "TeamStatus",
    "USER",
    "skill_labels",
]
