"""Component 2, diagnosis and roadmap: the inventory of solutions in use, the SWOT, the personas'
vision, and the roadmap's lines and initiatives placed at the agreed horizons."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.workshops import events
from mueve.workshops.models import (
    Initiative,
    Kind,
    Quadrant,
    RoadmapLine,
    SwotItem,
    TechnologySolution,
    Vision,
    Workshop,
)
from mueve.workshops.services._common import MANAGE, clean_save, raise_errors, required


@transaction.atomic
def solution_add(*, actor, workshop: Workshop, name: str, organization=None, description: str = "", in_use=True):
    ensure_perm(actor, MANAGE, workshop)
    errors: dict[str, list[str]] = {}
    name = required(name, "name", errors)
    raise_errors(errors)
    solution, _created = TechnologySolution.objects.update_or_create(
        workshop=workshop, name=name, organization=organization, defaults={"description": description, "in_use": in_use}
    )
    return solution


@transaction.atomic
def swot_add(
    *, actor, workshop: Workshop, quadrant: str, text: str, institution=None, is_generated: bool = False
) -> SwotItem:
    ensure_perm(actor, MANAGE, workshop)
    errors: dict[str, list[str]] = {}
    text = required(text, "text", errors)
    if quadrant not in Quadrant.values:
        errors["quadrant"] = [_("Elija fortaleza, debilidad, oportunidad o amenaza.")]
    if len(text) > 300:
        errors["text"] = [_("Máximo 300 caracteres.")]
    raise_errors(errors)
    item, _created = SwotItem.objects.get_or_create(
        program=workshop.program,
        workshop=workshop,
        quadrant=quadrant,
        text=text,
        defaults={"institution": institution or workshop.venue_organization, "is_generated": is_generated},
    )
    return item


@transaction.atomic
def swot_merge(*, actor, target: SwotItem, sources: list[SwotItem]) -> SwotItem:
    """Duplicates join `target`: their votes move to it and they keep pointing at it (provenance)."""
    ensure_perm(actor, MANAGE, target.workshop)
    errors: dict[str, list[str]] = {}
    if not sources:
        errors["sources"] = [_("Elija al menos un ítem para fusionar.")]
    for source in sources:
        if source.pk == target.pk:
            errors.setdefault("sources", []).append(_("Un ítem no se fusiona consigo mismo."))
        elif source.program_id != target.program_id or source.quadrant != target.quadrant:
            errors.setdefault("sources", []).append(
                _("«%(text)s» es de otro cuadrante o programa.") % {"text": source.text}
            )
        elif source.merged_into_id:
            errors.setdefault("sources", []).append(_("«%(text)s» ya fue fusionado.") % {"text": source.text})
    if target.merged_into_id:
        errors["target"] = [_("El ítem destino ya fue fusionado en otro.")]
    raise_errors(errors)
    for source in sources:
        # Items merged into a source follow it to the new target.
        SwotItem.objects.filter(merged_into=source).update(merged_into=target)
        target.votes += source.votes
        source.votes = 0
        source.merged_into = target
        source.save(update_fields=["merged_into", "votes", "updated_at"])
    target.save(update_fields=["votes", "updated_at"])
    publish(events.SWOT_MERGED, events.swot_merged_payload(target, sources))
    return target


@transaction.atomic
def swot_vote(*, actor, item: SwotItem, votes: int = 1) -> SwotItem:
    ensure_perm(actor, MANAGE, item.workshop)
    if item.merged_into_id:
        raise ValidationError({"item": [_("Vote por el ítem en que se fusionó.")]})
    if votes < 1 or votes > 500:
        raise ValidationError({"votes": [_("Entre 1 y 500.")]})
    SwotItem.objects.filter(pk=item.pk).update(votes=item.votes + votes)
    item.refresh_from_db()
    return item


@transaction.atomic
def swot_validate(*, actor, item: SwotItem, validated: bool = True) -> SwotItem:
    ensure_perm(actor, MANAGE, item.workshop)
    if item.merged_into_id:
        raise ValidationError({"item": [_("Un ítem fusionado se valida a través del ítem que lo contiene.")]})
    item.validated = validated
    item.save(update_fields=["validated", "updated_at"])
    return item


@transaction.atomic
def vision_add(
    *,
    actor,
    workshop: Workshop,
    persona: str,
    horizon_year: int,
    text: str,
    group=None,
    is_generated: bool = False,
) -> Vision:
    ensure_perm(actor, MANAGE, workshop)
    errors: dict[str, list[str]] = {}
    persona = required(persona, "persona", errors)
    text = required(text, "text", errors)
    if not isinstance(horizon_year, int) or not 2000 <= horizon_year <= 2150:
        errors["horizon_year"] = [_("Un año entre 2000 y 2150.")]
    raise_errors(errors)
    vision, _created = Vision.objects.update_or_create(
        workshop=workshop,
        persona=persona,
        defaults={"horizon_year": horizon_year, "text": text, "group": group, "is_generated": is_generated},
    )
    return vision


@transaction.atomic
def roadmap_line_add(*, actor, program, name: str, workshop=None, weight: float = 1.0) -> RoadmapLine:
    ensure_perm(actor, MANAGE, program)
    errors: dict[str, list[str]] = {}
    name = required(name, "name", errors)
    raise_errors(errors)
    line = RoadmapLine.objects.filter(program=program, name=name).first()
    if line is None:
        order = (program.roadmap_lines.count() or 0) + 1
        line = RoadmapLine(program=program, name=name, order=order, workshop=workshop, weight=weight)
        clean_save(line)
    return line


def _horizons(program) -> list[int]:
    roadmap = Workshop.objects.filter(program=program, kind=Kind.ROADMAP).exclude(structure={}).first()
    return list(roadmap.structure.get("horizons", [])) if roadmap else []


@transaction.atomic
def initiative_add(
    *,
    actor,
    line: RoadmapLine,
    name: str,
    horizon: int,
    objectives: str = "",
    resources: str = "",
    responsible=None,
    weight: float = 1.0,
) -> Initiative:
    ensure_perm(actor, MANAGE, line.program)
    errors: dict[str, list[str]] = {}
    name = required(name, "name", errors)
    horizons = _horizons(line.program)
    if not isinstance(horizon, int) or not 2000 <= horizon <= 2150:
        errors["horizon"] = [_("Un año entre 2000 y 2150.")]
    elif horizons and horizon not in horizons:
        errors["horizon"] = [
            _("Los horizontes de esta hoja de ruta son %(list)s.") % {"list": ", ".join(map(str, horizons))}
        ]
    if weight < 0:
        errors["weight"] = [_("No puede ser negativo.")]
    raise_errors(errors)
    initiative, _created = Initiative.objects.update_or_create(
        line=line,
        name=name,
        defaults={
            "horizon": horizon,
            "objectives": objectives.strip(),
            "resources": resources.strip(),
            "responsible": responsible,
            "weight": weight,
            "order": line.initiatives.count(),
        },
    )
    return initiative
