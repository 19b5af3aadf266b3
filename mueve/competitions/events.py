"""The events competitions publish: their names and payloads, in one place.

Subscribers and the stored event stream see exactly these names and keys, so renaming one is a
breaking change for every client that replays the stream.
"""

from typing import Any

COMPETITION_CREATED = "competitions.competition_created"
COMPETITION_UPDATED = "competitions.competition_updated"
CLINIC_CREATED = "competitions.clinic_created"
PARTICIPANT_REGISTERED = "competitions.participant_registered"
TEAM_CREATED = "competitions.team_created"
INVITATION_SENT = "competitions.invitation_sent"
INVITATION_ANSWERED = "competitions.invitation_answered"
TEAM_WITHDRAWN = "competitions.team_withdrawn"
MENTOR_ASSIGNED = "competitions.mentor_assigned"
SUBMISSION_CREATED = "competitions.submission_created"
ROUND_OPENED = "competitions.round_opened"
CONFLICT_DECLARED = "competitions.conflict_declared"
SCORE_SAVED = "competitions.score_saved"
PAIRWISE_VOTE = "competitions.pairwise_vote"
ROUND_CLOSED = "competitions.round_closed"
SELECTION_RECORDED = "competitions.selection_recorded"
PUBLIC_VOTE = "competitions.public_vote"
MILESTONE_SIGNED_OFF = "competitions.milestone_signed_off"

Payload = dict[str, Any]


def competition_payload(competition) -> Payload:
    return {"competition_id": competition.pk}


def round_payload(round_) -> Payload:
    return {"round_id": round_.pk}


def team_payload(team) -> Payload:
    return {"team_id": team.pk}


def clinic_created_payload(clinic) -> Payload:
    return {"clinic_id": clinic.pk, "competition_id": clinic.competition_id}


def team_created_payload(team) -> Payload:
    return {"team_id": team.pk, "competition_id": team.competition_id}


def invitation_sent_payload(invitation) -> Payload:
    return {"team_id": invitation.team_id, "participant_id": invitation.participant_id}


def invitation_answered_payload(invitation, *, accepted: bool) -> Payload:
    return {"team_id": invitation.team_id, "accepted": accepted}


def mentor_assigned_payload(assignment) -> Payload:
    return {"team_id": assignment.team_id, "mentor_id": assignment.mentor_id}


def submission_created_payload(submission) -> Payload:
    return {"team_id": submission.team_id, "stage": submission.stage, "version": submission.version}


def milestone_signed_off_payload(milestone) -> Payload:
    return {"team_id": milestone.team_id}
