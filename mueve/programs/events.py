"""The events programs publish: their names and payloads, in one place.

Subscribers and the stored event stream see exactly these names and keys, so renaming one is a
breaking change for every client that replays the stream.
"""

from datetime import date
from typing import Any

ACTIVITY = "programs.activity"
TEMPLATE_IMPORTED = "programs.template_imported"
PROGRAM_CREATED = "programs.program_created"
PROGRAM_UPDATED = "programs.program_updated"
COMPONENT_UPDATED = "programs.component_updated"
PHASE_UPDATED = "programs.phase_updated"
RESULT_ADDED = "programs.result_added"
INDICATOR_CREATED = "programs.indicator_created"
INDICATOR_VALUE_RECORDED = "programs.indicator_value_recorded"

Payload = dict[str, Any]


def activity_payload(program, entry) -> Payload:
    return {"program": program.slug, "verb": entry.verb, "message": entry.message, "entry": entry.pk}


def template_imported_payload(template, *, created: bool) -> Payload:
    return {"template": template.slug, "created": created}


def program_created_payload(program, template) -> Payload:
    return {"program": program.slug, "template": template.slug}


def program_updated_payload(program, fields) -> Payload:
    return {"program": program.slug, "fields": fields}


def component_updated_payload(program, component) -> Payload:
    return {"program": program.slug, "component": component.key, "status": component.status}


def phase_updated_payload(program, phase) -> Payload:
    return {"program": program.slug, "component": phase.component.key, "phase": phase.pk, "status": phase.status}


def result_added_payload(program, component, result) -> Payload:
    return {"program": program.slug, "component": component.key, "result": result.pk}


def indicator_created_payload(program, indicator) -> Payload:
    return {"program": program.slug, "indicator": indicator.pk}


def indicator_value_recorded_payload(program, indicator, *, day: date, value: float) -> Payload:
    return {"program": program.slug, "indicator": indicator.pk, "date": day.isoformat(), "value": value}
