"""Writes for workshops and their outputs, one module per component of the methodology.

Every function checks the actor's permission first and publishes its event (see
mueve.workshops.events) after commit. Callers import the package, `from mueve.workshops import
services`; the modules inside are how the code is kept, not part of the interface.
"""

from mueve.workshops.services.accountability import (
    NARRATIVE_FIELDS,
    milestone_add,
    narrative_update,
    progress_update,
)
from mueve.workshops.services.codesign import (
    concept_create,
    concept_decide,
    dot_vote,
    pilot_add,
    pilot_feedback_add,
    prototype_add,
)
from mueve.workshops.services.diagnosis import (
    initiative_add,
    roadmap_line_add,
    solution_add,
    swot_add,
    swot_merge,
    swot_validate,
    swot_vote,
    vision_add,
)
from mueve.workshops.services.hub import (
    action_line_add,
    activity_add,
    commitment_add,
    groups_assign,
    hub_model_add,
)
from mueve.workshops.services.registration import (
    registrations_erase,
    workshop_register,
    workshop_unregister,
)
from mueve.workshops.services.workshop import (
    FILE_SIGNATURES,
    MAX_UPLOAD_BYTES,
    WORKSHOP_EDITABLE,
    attachment_add,
    attendance_set,
    group_set,
    invitation_add,
    output_add,
    registration_add,
    spokesperson_set,
    workshop_create,
    workshop_update,
)

__all__ = [
    # the workshop as an event
    "FILE_SIGNATURES",
    "MAX_UPLOAD_BYTES",
    "WORKSHOP_EDITABLE",
    "attachment_add",
    "attendance_set",
    "group_set",
    "invitation_add",
    "output_add",
    "registration_add",
    "spokesperson_set",
    "workshop_create",
    "workshop_update",
    # public registration and the waiting list
    "registrations_erase",
    "workshop_register",
    "workshop_unregister",
    # component 1: codesign
    "concept_create",
    "concept_decide",
    "dot_vote",
    "pilot_add",
    "pilot_feedback_add",
    "prototype_add",
    # component 2: diagnosis and roadmap
    "initiative_add",
    "roadmap_line_add",
    "solution_add",
    "swot_add",
    "swot_merge",
    "swot_validate",
    "swot_vote",
    "vision_add",
    # component 4: hub
    "action_line_add",
    "activity_add",
    "commitment_add",
    "groups_assign",
    "hub_model_add",
    # accountability
    "NARRATIVE_FIELDS",
    "milestone_add",
    "narrative_update",
    "progress_update",
]
