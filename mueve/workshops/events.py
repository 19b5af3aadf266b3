"""The events workshops publish: their names and payloads, in one place.

Subscribers and the stored event stream see exactly these names and keys, so renaming one is a
breaking change for every client that replays the stream.
"""

from typing import Any

WORKSHOP_CREATED = "workshops.workshop_created"
WORKSHOP_UPDATED = "workshops.workshop_updated"
CONCEPT_CREATED = "workshops.concept_created"
CONCEPT_DECIDED = "workshops.concept_decided"
SWOT_MERGED = "workshops.swot_merged"
GROUPS_ASSIGNED = "workshops.groups_assigned"
COMMITMENT_ADDED = "workshops.commitment_added"
PROGRESS_UPDATED = "workshops.progress_updated"

Payload = dict[str, Any]


def workshop_created_payload(workshop) -> Payload:
    return {"workshop": workshop.slug, "program": workshop.program.slug}


def workshop_updated_payload(workshop) -> Payload:
    return {"workshop": workshop.slug}


def concept_created_payload(concept) -> Payload:
    return {"workshop": concept.workshop.slug, "concept": concept.pk}


def concept_decided_payload(concept) -> Payload:
    return {"concept": concept.pk, "status": concept.status}


def swot_merged_payload(target, sources) -> Payload:
    return {"target": target.pk, "sources": [s.pk for s in sources]}


def groups_assigned_payload(run) -> Payload:
    return {"workshop": run.workshop.slug, "seed": run.seed}


def commitment_added_payload(activity, organization) -> Payload:
    return {"activity": activity.pk, "organization": organization.slug}


def progress_updated_payload(program, *, item_ref: str, progress: int) -> Payload:
    return {"program": program.slug, "item": item_ref, "progress": progress}
