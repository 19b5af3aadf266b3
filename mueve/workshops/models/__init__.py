"""Workshops of the methodology (codesign, diagnosis, SWOT, vision, roadmap, hub) and what they produce.

Outputs that are followed up afterwards (selected concepts, roadmap initiatives, hub action lines and
their activities) carry the accountability fields of `Tracked`: status, progress, weight, responsible
organization. Parents' progress is never stored: selectors roll it up from the children on read.
"""

from .codesign import (
    Concept,
    ConceptStatus,
    DotVote,
    Pilot,
    PilotFeedback,
    Prototype,
    TechnologySolution,
    Tracked,
    TrackStatus,
)
from .hub import ActionLine, AssignmentRun, HubActivity, HubModel, Milestone, PartnerCommitment, ProgressUpdate
from .reporting import ReportNarrative, WorkshopFormat
from .sessions import (
    Attachment,
    Invitation,
    Kind,
    Output,
    ParticipantRole,
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopGroup,
    WorkshopStatus,
)
from .vision import Initiative, Quadrant, RoadmapLine, SwotItem, Vision

__all__ = [
    "ActionLine",
    "AssignmentRun",
    "Attachment",
    "Concept",
    "ConceptStatus",
    "DotVote",
    "HubActivity",
    "HubModel",
    "Initiative",
    "Invitation",
    "Kind",
    "Milestone",
    "Output",
    "ParticipantRole",
    "PartnerCommitment",
    "Pilot",
    "PilotFeedback",
    "ProgressUpdate",
    "Prototype",
    "Quadrant",
    "Registration",
    "RegistrationStatus",
    "ReportNarrative",
    "RoadmapLine",
    "SwotItem",
    "TechnologySolution",
    "TrackStatus",
    "Tracked",
    "Vision",
    "Workshop",
    "WorkshopFormat",
    "WorkshopGroup",
    "WorkshopStatus",
]
