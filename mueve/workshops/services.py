"""Writes for workshops and their outputs. Every function checks the actor's permission first.

The balanced group assignment and the progress roll-up are G's pure algorithms (grouping.py,
rollup.py); this module only feeds them rows and stores what they return.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from mueve.core import events
from mueve.core.permissions import ensure_perm
from mueve.core.slugs import save_with_unique_slug, slug_base
from mueve.workshops import grouping
from mueve.workshops.models import (
    ActionLine,
    AssignmentRun,
    Attachment,
    Concept,
    ConceptStatus,
    DotVote,
    HubActivity,
    HubModel,
    Initiative,
    Invitation,
    Kind,
    Milestone,
    Output,
    ParticipantRole,
    PartnerCommitment,
    Pilot,
    PilotFeedback,
    ProgressUpdate,
    Prototype,
    Quadrant,
    Registration,
    ReportNarrative,
    RoadmapLine,
    SwotItem,
    TechnologySolution,
    TrackStatus,
    Vision,
    Workshop,
    WorkshopGroup,
    WorkshopStatus,
)

MANAGE = "workshops.manage_workshop"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Sniffed from the first bytes, never from the name or the browser's claim.
FILE_SIGNATURES = {
    "photo": [(b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png")],
    "document": [(b"%PDF-", "application/pdf")],
}


def _required(value: str, field: str, errors: dict[str, list[str]]) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(field, []).append(_("Obligatorio."))
    return value


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _clean_save(obj, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude)
    obj.save()


# --- workshops -------------------------------------------------------------------------------------


def _check_times(starts_at, ends_at, errors) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(_("El término debe ser posterior al inicio."))


@transaction.atomic
def workshop_create(
    *,
    actor,
    program,
    kind: str,
    title: str,
    component=None,
    agenda: str = "",
    venue_organization=None,
    venue_address: str = "",
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    dots_per_participant: int = 3,
    structure: dict | None = None,
    format_key: str = "",
    status: str | None = None,
) -> Workshop:
    ensure_perm(actor, MANAGE, program)
    errors: dict[str, list[str]] = {}
    title = _required(title, "title", errors)
    if kind not in Kind.values:
        errors["kind"] = [_("Tipo de taller desconocido.")]
    if component is not None and component.program_id != program.pk:
        errors["component"] = [_("El componente no es de este programa.")]
    _check_times(starts_at, ends_at, errors)
    _raise(errors)
    workshop = Workshop(
        program=program,
        component=component,
        kind=kind,
        title=title,
        agenda=(agenda or "").strip(),
        venue_organization=venue_organization,
        venue_address=(venue_address or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        dots_per_participant=dots_per_participant,
        structure=structure or {},
        format_key=format_key,
        status=status or (WorkshopStatus.SCHEDULED if starts_at else WorkshopStatus.PLANNED),
    )
    workshop.full_clean(exclude=["slug"])
    save_with_unique_slug(workshop, slug_base(title, max_length=110, fallback="taller"))
    events.publish("workshops.workshop_created", {"workshop": workshop.slug, "program": program.slug})
    return workshop


WORKSHOP_EDITABLE = {
    "title",
    "component",
    "agenda",
    "venue_organization",
    "venue_address",
    "starts_at",
    "ends_at",
    "minutes",
    "dots_per_participant",
    "status",
}


@transaction.atomic
def workshop_update(*, actor, workshop: Workshop, **fields: Any) -> Workshop:
    ensure_perm(actor, MANAGE, workshop)
    unknown = set(fields) - WORKSHOP_EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    if "title" in fields:
        fields["title"] = _required(fields["title"], "title", errors)
    component = fields.get("component", workshop.component)
    if component is not None and component.program_id != workshop.program_id:
        errors["component"] = [_("El componente no es de este programa.")]
    _check_times(fields.get("starts_at", workshop.starts_at), fields.get("ends_at", workshop.ends_at), errors)
    _raise(errors)
    for key, value in fields.items():
        setattr(workshop, key, value.strip() if isinstance(value, str) else value)
    _clean_save(workshop)
    events.publish("workshops.workshop_updated", {"workshop": workshop.slug})
    return workshop


@transaction.atomic
def invitation_add(*, actor, workshop: Workshop, organization, role: str, seats: int = 1) -> Invitation:
    ensure_perm(actor, MANAGE, workshop)
    if role not in ParticipantRole.values:
        raise ValidationError({"role": [_("Rol desconocido.")]})
    invitation, _created = Invitation.objects.update_or_create(
        workshop=workshop, organization=organization, role=role, defaults={"seats": max(1, seats)}
    )
    return invitation


@transaction.atomic
def registration_add(
    *, actor, workshop: Workshop, full_name: str, organization=None, role: str = ParticipantRole.PARTICIPANT, user=None
) -> Registration:
    ensure_perm(actor, MANAGE, workshop)
    errors: dict[str, list[str]] = {}
    full_name = _required(full_name, "full_name", errors)
    if role not in ParticipantRole.values:
        errors["role"] = [_("Rol desconocido.")]
    _raise(errors)
    registration, _created = Registration.objects.update_or_create(
        workshop=workshop,
        full_name=full_name,
        defaults={
            "organization": organization,
            "sector": organization.sector if organization else "",
            "role": role,
            "user": user,
        },
    )
    return registration


@transaction.atomic
def attendance_set(*, actor, workshop: Workshop, attended_ids: set[int]) -> int:
    """Marks who came; returns how many attended."""
    ensure_perm(actor, MANAGE, workshop)
    workshop.registrations.update(attended=False)
    return workshop.registrations.filter(pk__in=attended_ids).update(attended=True)


@transaction.atomic
def attachment_add(*, actor, workshop: Workshop, upload, title: str, type: str) -> Attachment:
    ensure_perm(actor, MANAGE, workshop)
    errors: dict[str, list[str]] = {}
    title = _required(title, "title", errors)
    if type not in FILE_SIGNATURES:
        errors["type"] = [_("Tipo de archivo desconocido.")]
    if upload is None:
        errors["file"] = [_("Elija un archivo.")]
    _raise(errors)
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": [_("El archivo pesa más de 10 MB.")]})
    head = upload.read(16)
    upload.seek(0)
    content_type = next((ct for magic, ct in FILE_SIGNATURES[type] if head.startswith(magic)), None)
    if content_type is None:
        message = _("La foto debe ser JPEG o PNG.") if type == "photo" else _("El documento debe ser un PDF.")
        raise ValidationError({"file": [message]})
    attachment = Attachment(
        workshop=workshop, type=type, title=title, content_type=content_type, size_bytes=upload.size
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def output_add(*, actor, workshop: Workshop, title: str, text: str = "", phase: str = "", group=None) -> Output:
    ensure_perm(actor, MANAGE, workshop)
    errors: dict[str, list[str]] = {}
    title = _required(title, "title", errors)
    phases = [p["key"] for p in workshop.structure.get("phases", [])]
    if phase and phases and phase not in phases:
        errors["phase"] = [_("Fase desconocida para este taller.")]
    _raise(errors)
    output, _created = Output.objects.update_or_create(
        workshop=workshop, group=group, phase=phase, title=title, defaults={"text": (text or "").strip()}
    )
    return output


@transaction.atomic
def group_set(
    *,
    actor,
    workshop: Workshop,
    number: int,
    name: str = "",
    persona: str = "",
    facilitator: str = "",
    expert: str = "",
) -> WorkshopGroup:
    ensure_perm(actor, MANAGE, workshop)
    if number < 1:
        raise ValidationError({"number": [_("Debe ser 1 o más.")]})
    group, _created = WorkshopGroup.objects.update_or_create(
        workshop=workshop,
        number=number,
        defaults={"name": name.strip(), "persona": persona.strip(), "facilitator": facilitator, "expert": expert},
    )
    return group


@transaction.atomic
def spokesperson_set(*, actor, group: WorkshopGroup, registration: Registration | None) -> WorkshopGroup:
    ensure_perm(actor, MANAGE, group.workshop)
    if registration is not None and registration.group_id != group.pk:
        raise ValidationError({"spokesperson": [_("El vocero debe ser integrante del grupo.")]})
    group.spokesperson = registration
    group.save(update_fields=["spokesperson"])
    return group


# --- component 1: codesign ------------------------------------------------------------------------


@transaction.atomic
def concept_create(
    *,
    actor,
    workshop: Workshop,
    name: str,
    description: str,
    challenge=None,
    users: str = "",
    technology: str = "",
    expected_value: str = "",
    group=None,
) -> Concept:
    ensure_perm(actor, MANAGE, workshop)
    errors: dict[str, list[str]] = {}
    name = _required(name, "name", errors)
    description = _required(description, "description", errors)
    if challenge is not None and challenge.program_id != workshop.program_id:
        errors["challenge"] = [_("El desafío no es de este programa.")]
    if name and workshop.concepts.filter(name__iexact=name).exists():
        errors["name"] = [_("Ya hay un concepto con ese nombre en este taller.")]
    _raise(errors)
    concept = Concept(
        workshop=workshop,
        name=name,
        description=description,
        challenge=challenge,
        users=users.strip(),
        technology=technology.strip(),
        expected_value=expected_value.strip(),
        group=group,
    )
    _clean_save(concept)
    events.publish("workshops.concept_created", {"workshop": workshop.slug, "concept": concept.pk})
    return concept


@transaction.atomic
def dot_vote(*, actor, concept: Concept, voter: Registration, dots: int) -> DotVote | None:
    """Sets how many of `voter`'s dots sit on `concept` (0 removes them). N dots per participant at most."""
    workshop = concept.workshop
    ensure_perm(actor, MANAGE, workshop)
    if voter.workshop_id != workshop.pk:
        raise ValidationError({"voter": [_("La persona no está inscrita en este taller.")]})
    if concept.status != ConceptStatus.PROPOSED:
        raise ValidationError({"concept": [_("La votación de este concepto ya se cerró.")]})
    if dots < 0:
        raise ValidationError({"dots": [_("No puede ser negativo.")]})
    Registration.objects.select_for_update().filter(pk=voter.pk).first()  # serialise one voter's dots
    used = (
        DotVote.objects.filter(voter=voter, concept__workshop=workshop)
        .exclude(concept=concept)
        .aggregate(n=Sum("dots"))["n"]
        or 0
    )
    if used + dots > workshop.dots_per_participant:
        raise ValidationError(
            {
                "dots": [
                    _("Cada participante tiene %(n)d puntos; a %(who)s le quedan %(left)d.")
                    % {
                        "n": workshop.dots_per_participant,
                        "who": voter.full_name,
                        "left": workshop.dots_per_participant - used,
                    }
                ]
            }
        )
    if dots == 0:
        DotVote.objects.filter(concept=concept, voter=voter).delete()
        return None
    vote, _created = DotVote.objects.update_or_create(concept=concept, voter=voter, defaults={"dots": dots})
    return vote


@transaction.atomic
def concept_decide(*, actor, concept: Concept, selected: bool, reason: str, owner=None) -> Concept:
    ensure_perm(actor, MANAGE, concept.workshop)
    errors: dict[str, list[str]] = {}
    reason = _required(reason, "reason", errors)
    if selected and owner is None:
        errors["owner"] = [_("Un concepto seleccionado necesita una institución responsable de implementarlo.")]
    _raise(errors)
    concept.status = ConceptStatus.SELECTED if selected else ConceptStatus.NOT_SELECTED
    concept.decision_reason = reason
    if selected:
        concept.responsible = owner
    concept.save()
    events.publish("workshops.concept_decided", {"concept": concept.pk, "status": concept.status})
    return concept


@transaction.atomic
def prototype_add(
    *,
    actor,
    concept: Concept,
    title: str,
    description: str = "",
    built_by=None,
    built_on: date | None = None,
    effort: str = "",
    demonstrated_to: str = "",
) -> Prototype:
    ensure_perm(actor, MANAGE, concept.workshop)
    errors: dict[str, list[str]] = {}
    title = _required(title, "title", errors)
    _raise(errors)
    prototype, _created = Prototype.objects.update_or_create(
        concept=concept,
        title=title,
        defaults={
            "description": description,
            "built_by": built_by,
            "built_on": built_on,
            "effort": effort,
            "demonstrated_to": demonstrated_to,
        },
    )
    return prototype


@transaction.atomic
def pilot_add(*, actor, concept: Concept, description: str, start_date=None, end_date=None) -> Pilot:
    ensure_perm(actor, MANAGE, concept.workshop)
    errors: dict[str, list[str]] = {}
    description = _required(description, "description", errors)
    if concept.status != ConceptStatus.SELECTED:
        errors["concept"] = [_("Solo un concepto seleccionado pasa a piloto.")]
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = [_("El término debe ser igual o posterior al inicio.")]
    _raise(errors)
    pilot, _created = Pilot.objects.update_or_create(
        concept=concept, description=description, defaults={"start_date": start_date, "end_date": end_date}
    )
    return pilot


@transaction.atomic
def pilot_feedback_add(*, actor, pilot: Pilot, tester: str, rating: int, comment: str = "", day: date) -> PilotFeedback:
    ensure_perm(actor, MANAGE, pilot.concept.workshop)
    errors: dict[str, list[str]] = {}
    tester = _required(tester, "tester", errors)
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = [_("Entre 1 y 5.")]
    _raise(errors)
    feedback, _created = PilotFeedback.objects.update_or_create(
        pilot=pilot, tester=tester, date=day, defaults={"rating": rating, "comment": comment.strip()}
    )
    return feedback


# --- component 2 ------------------------------------------------------------------------------------


@transaction.atomic
def solution_add(*, actor, workshop: Workshop, name: str, organization=None, description: str = "", in_use=True):
    ensure_perm(actor, MANAGE, workshop)
    errors: dict[str, list[str]] = {}
    name = _required(name, "name", errors)
    _raise(errors)
    solution, _created = TechnologySolution.objects.update_or_create(
        workshop=workshop, name=name, organization=organization, defaults={"description": description, "in_use": in_use}
    )
    return solution


@transaction.atomic
def swot_add(*, actor, workshop: Workshop, quadrant: str, text: str, institution=None) -> SwotItem:
    ensure_perm(actor, MANAGE, workshop)
    errors: dict[str, list[str]] = {}
    text = _required(text, "text", errors)
    if quadrant not in Quadrant.values:
        errors["quadrant"] = [_("Elija fortaleza, debilidad, oportunidad o amenaza.")]
    if len(text) > 300:
        errors["text"] = [_("Máximo 300 caracteres.")]
    _raise(errors)
    item, _created = SwotItem.objects.get_or_create(
        program=workshop.program,
        workshop=workshop,
        quadrant=quadrant,
        text=text,
        defaults={"institution": institution or workshop.venue_organization},
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
    _raise(errors)
    for source in sources:
        # Items merged into a source follow it to the new target.
        SwotItem.objects.filter(merged_into=source).update(merged_into=target)
        target.votes += source.votes
        source.votes = 0
        source.merged_into = target
        source.save(update_fields=["merged_into", "votes", "updated_at"])
    target.save(update_fields=["votes", "updated_at"])
    events.publish("workshops.swot_merged", {"target": target.pk, "sources": [s.pk for s in sources]})
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
def vision_add(*, actor, workshop: Workshop, persona: str, horizon_year: int, text: str, group=None) -> Vision:
    ensure_perm(actor, MANAGE, workshop)
    errors: dict[str, list[str]] = {}
    persona = _required(persona, "persona", errors)
    text = _required(text, "text", errors)
    if not isinstance(horizon_year, int) or not 2000 <= horizon_year <= 2150:
        errors["horizon_year"] = [_("Un año entre 2000 y 2150.")]
    _raise(errors)
    vision, _created = Vision.objects.update_or_create(
        workshop=workshop, persona=persona, defaults={"horizon_year": horizon_year, "text": text, "group": group}
    )
    return vision


@transaction.atomic
def roadmap_line_add(*, actor, program, name: str, workshop=None, weight: float = 1.0) -> RoadmapLine:
    ensure_perm(actor, MANAGE, program)
    errors: dict[str, list[str]] = {}
    name = _required(name, "name", errors)
    _raise(errors)
    line = RoadmapLine.objects.filter(program=program, name=name).first()
    if line is None:
        order = (program.roadmap_lines.count() or 0) + 1
        line = RoadmapLine(program=program, name=name, order=order, workshop=workshop, weight=weight)
        _clean_save(line)
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
    name = _required(name, "name", errors)
    horizons = _horizons(line.program)
    if not isinstance(horizon, int) or not 2000 <= horizon <= 2150:
        errors["horizon"] = [_("Un año entre 2000 y 2150.")]
    elif horizons and horizon not in horizons:
        errors["horizon"] = [
            _("Los horizontes de esta hoja de ruta son %(list)s.") % {"list": ", ".join(map(str, horizons))}
        ]
    if weight < 0:
        errors["weight"] = [_("No puede ser negativo.")]
    _raise(errors)
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


# --- component 4: hub -----------------------------------------------------------------------------


@transaction.atomic
def hub_model_add(
    *,
    actor,
    workshop: Workshop,
    name: str,
    location: str = "",
    description: str = "",
    organization=None,
    expert: str = "",
):
    ensure_perm(actor, MANAGE, workshop)
    errors: dict[str, list[str]] = {}
    name = _required(name, "name", errors)
    _raise(errors)
    model, _created = HubModel.objects.update_or_create(
        workshop=workshop,
        name=name,
        defaults={"location": location, "description": description, "organization": organization, "expert": expert},
    )
    return model


@transaction.atomic
def groups_assign(
    *, actor, workshop: Workshop, group_count: int, experts: list[str], facilitators: list[str], seed: int | None = None
) -> AssignmentRun:
    """Random but balanced tables from the attendees (or registrants if attendance is not taken yet).

    Infeasible input is raised as a field error with G's Spanish explanation (every failing rule);
    existing groups are left untouched in that case. Each successful run is recorded with its seed.
    """
    ensure_perm(actor, MANAGE, workshop)
    errors: dict[str, list[str]] = {}
    if not isinstance(group_count, int) or group_count < 1:
        errors["group_count"] = [_("Debe haber al menos un grupo.")]
    experts = [e.strip() for e in experts if e.strip()]
    facilitators = [f.strip() for f in facilitators if f.strip()]
    _raise(errors)
    registrations = list(workshop.registrations.filter(role=ParticipantRole.PARTICIPANT))
    if any(r.attended for r in registrations):
        registrations = [r for r in registrations if r.attended]
    seed = grouping.new_seed() if seed is None else seed
    participants = [
        grouping.Participant(id=r.pk, sector=r.sector, organization=str(r.organization_id or "") or None)
        for r in registrations
    ]
    try:
        assignment = grouping.assign_groups(
            participants, k=group_count, seed=seed, experts=experts, facilitators=facilitators
        )
    except grouping.InfeasibleAssignment as exc:
        raise ValidationError({"group_count": [exc.reason]}) from exc
    workshop.registrations.update(group=None)
    workshop.groups.filter(number__gt=group_count).delete()
    for group in assignment.groups:
        row, _created = WorkshopGroup.objects.update_or_create(
            workshop=workshop,
            number=group.number,
            defaults={"expert": str(group.expert), "facilitator": str(group.facilitator), "spokesperson": None},
        )
        Registration.objects.filter(pk__in=[p.id for p in group.participants]).update(group=row)
    run = AssignmentRun.objects.create(
        workshop=workshop,
        seed=seed,
        group_count=group_count,
        feasible=True,
        explanation=_("%(n)d participantes en %(k)d grupos, con semilla %(seed)d.")
        % {"n": len(participants), "k": group_count, "seed": seed},
        actor=actor,
    )
    events.publish("workshops.groups_assigned", {"workshop": workshop.slug, "seed": seed})
    return run


@transaction.atomic
def action_line_add(
    *,
    actor,
    workshop: Workshop,
    name: str,
    description: str = "",
    business_plan: str = "",
    group=None,
    responsible=None,
    weight: float = 1.0,
) -> ActionLine:
    ensure_perm(actor, MANAGE, workshop)
    errors: dict[str, list[str]] = {}
    name = _required(name, "name", errors)
    if workshop.kind != Kind.HUB:
        errors["workshop"] = [_("Las líneas de acción se registran en el taller del hub.")]
    _raise(errors)
    line, _created = ActionLine.objects.update_or_create(
        workshop=workshop,
        name=name,
        defaults={
            "description": description.strip(),
            "business_plan": business_plan.strip(),
            "group": group,
            "responsible": responsible,
            "weight": weight,
        },
    )
    return line


@transaction.atomic
def activity_add(
    *, actor, action_line: ActionLine, name: str, description: str = "", weight: float = 1.0
) -> HubActivity:
    ensure_perm(actor, MANAGE, action_line.workshop)
    errors: dict[str, list[str]] = {}
    name = _required(name, "name", errors)
    _raise(errors)
    activity, _created = HubActivity.objects.update_or_create(
        action_line=action_line, name=name, defaults={"description": description.strip(), "weight": weight}
    )
    return activity


@transaction.atomic
def commitment_add(*, actor, activity: HubActivity, organization, contribution: str) -> PartnerCommitment:
    ensure_perm(actor, MANAGE, activity.action_line.workshop)
    errors: dict[str, list[str]] = {}
    contribution = _required(contribution, "contribution", errors)
    if organization is None:
        errors["organization"] = [_("Elija la institución que se compromete.")]
    _raise(errors)
    commitment, _created = PartnerCommitment.objects.update_or_create(
        activity=activity, organization=organization, defaults={"contribution": contribution}
    )
    if activity.responsible_id is None:
        activity.responsible = organization
        activity.save(update_fields=["responsible"])
    events.publish("workshops.commitment_added", {"activity": activity.pk, "organization": organization.slug})
    return commitment


# --- accountability ----------------------------------------------------------------------------------

TRACKED_TYPES = {"concept": Concept, "initiative": Initiative, "line": ActionLine, "activity": HubActivity}


def tracked_ref(item) -> str:
    for key, model in TRACKED_TYPES.items():
        if isinstance(item, model):
            return f"{key}:{item.pk}"
    raise TypeError(type(item))


def tracked_program(item):
    if isinstance(item, Initiative):
        return item.line.program
    if isinstance(item, HubActivity):
        return item.action_line.workshop.program
    return item.workshop.program


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
    _raise(errors)
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
        note=(note or "").strip()[:500],
        actor=actor,
    )
    events.publish(
        "workshops.progress_updated", {"program": program.slug, "item": tracked_ref(item), "progress": progress}
    )
    return item


@transaction.atomic
def milestone_add(*, actor, item, title: str, due_date: date, done: bool = False) -> Milestone:
    ensure_perm(actor, "workshops.update_progress", tracked_program(item))
    errors: dict[str, list[str]] = {}
    title = _required(title, "title", errors)
    if due_date is None:
        errors["due_date"] = [_("Obligatorio.")]
    field = {Concept: "concept", Initiative: "initiative", ActionLine: "action_line"}.get(type(item))
    if field is None:
        errors["item"] = [_("Los hitos se registran en conceptos, iniciativas o líneas de acción.")]
    _raise(errors)
    milestone, _created = Milestone.objects.update_or_create(
        **{field: item}, title=title, defaults={"due_date": due_date, "done": done}
    )
    return milestone


# --- report narrative ---------------------------------------------------------------------------------

NARRATIVE_FIELDS = ("executive_summary", "background", "impact", "replication", "lessons")


@transaction.atomic
def narrative_update(*, actor, program, **fields: str) -> ReportNarrative:
    ensure_perm(actor, "workshops.edit_report", program)
    unknown = set(fields) - set(NARRATIVE_FIELDS)
    if unknown:
        raise ValueError(f"unknown narrative fields: {sorted(unknown)}")
    narrative, _created = ReportNarrative.objects.get_or_create(program=program)
    for key, value in fields.items():
        setattr(narrative, key, (value or "").strip())
    narrative.save()
    return narrative
