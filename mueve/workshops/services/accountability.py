"""Accountability: the progress of what the programme committed to (selected concepts, roadmap
initiatives, hub action lines and activities), its milestones, and the narrative texts of the
programme's dossier.

Only an item's own progress is stored; parents are rolled up on read (mueve.workshops.rollup).
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.core.text import too_long
from mueve.workshops import events
from mueve.workshops.models import (
    ActionLine,
    Concept,
    ConceptStatus,
    Initiative,
    Milestone,
    ProgressUpdate,
    ReportNarrative,
    TrackStatus,
)
from mueve.workshops.selectors import tracked_program, tracked_ref
from mueve.workshops.services._common import raise_errors, required

NOTE_MAX = ProgressUpdate._meta.get_field("note").max_length


@transaction.atomic
def progress_update(*, actor, item, progress: int, status: str | None = None, note: str = "", responsible=...) -> Any:
    """Sets a followed item's own progress. Parents are rolled up on read, never stored."""
    program = tracked_program(item)
    ensure_perm(actor, "workshops.update_progress", program)
    errors: dict[str, list[str]] = {}
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        errors["progress"] = [_("Un entero entre 0 y 100.")]
    if status is not None and status not in TrackStatus.values:
        errors["status"] = [_("Estado desconocido.")]
    if isinstance(item, Concept) and item.status != ConceptStatus.SELECTED:
        errors["item"] = [_("Solo se sigue el avance de conceptos seleccionados.")]
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = [too_long(NOTE_MAX, len(note))]
    raise_errors(errors)
    if status is None:
        status = TrackStatus.DONE if progress == 100 else TrackStatus.IN_PROGRESS if progress else item.track_status
    if status == TrackStatus.DONE:
        progress = 100
    before = item.progress
    item.progress = progress
    item.track_status = status
    if responsible is not ...:
        item.responsible = responsible
    item.save()
    ProgressUpdate.objects.create(
        program=program,
        item_label=str(item)[:255],
        item_ref=tracked_ref(item),
        from_progress=before,
        to_progress=progress,
        status=status,
        note=note,
        actor=actor,
    )
    publish(
        events.PROGRESS_UPDATED, events.progress_updated_payload(program, item_ref=tracked_ref(item), progress=progress)
    )
    return item


@transaction.atomic
def milestone_add(*, actor, item, title: str, due_date: date, done: bool = False) -> Milestone:
    ensure_perm(actor, "workshops.update_progress", tracked_program(item))
    errors: dict[str, list[str]] = {}
    title = required(title, "title", errors)
    if due_date is None:
        errors["due_date"] = [_("Obligatorio.")]
    field = {Concept: "concept", Initiative: "initiative", ActionLine: "action_line"}.get(type(item))
    if field is None:
        errors["item"] = [_("Los hitos se registran en conceptos, iniciativas o líneas de acción.")]
    raise_errors(errors)
    milestone, _created = Milestone.objects.update_or_create(
        **{field: item}, title=title, defaults={"due_date": due_date, "done": done}
    )
    return milestone


# The texts a manager writes for the programme's dossier; every table in it comes from the data.
NARRATIVE_FIELDS = ("executive_summary", "background", "impact", "replication", "lessons")


@transaction.atomic
def narrative_update(*, actor, program, **fields: str) -> ReportNarrative:
    ensure_perm(actor, "workshops.edit_dossier", program)
    unknown = set(fields) - set(NARRATIVE_FIELDS)
    if unknown:
        raise ValueError(f"unknown narrative fields: {sorted(unknown)}")
    narrative, _created = ReportNarrative.objects.get_or_create(program=program)
    for key, value in fields.items():
        setattr(narrative, key, (value or "").strip())
    narrative.save()
    return narrative
