"""Component 4, the hub: reference hub models, balanced tables, action lines, their activities and
the partners' commitments.

The balanced group assignment is G's pure algorithm (mueve.workshops.grouping); this module only
feeds it rows and stores what it returns.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.workshops import events, grouping
from mueve.workshops.models import (
    ActionLine,
    AssignmentRun,
    HubActivity,
    HubModel,
    Kind,
    ParticipantRole,
    PartnerCommitment,
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopGroup,
)
from mueve.workshops.services._common import MANAGE, raise_errors, required


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
    name = required(name, "name", errors)
    raise_errors(errors)
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
    raise_errors(errors)
    registrations = list(
        workshop.registrations.filter(role=ParticipantRole.PARTICIPANT, status=RegistrationStatus.CONFIRMED)
    )
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
    publish(events.GROUPS_ASSIGNED, events.groups_assigned_payload(run))
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
    name = required(name, "name", errors)
    if workshop.kind != Kind.HUB:
        errors["workshop"] = [_("Las líneas de acción se registran en el taller del hub.")]
    raise_errors(errors)
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
    name = required(name, "name", errors)
    raise_errors(errors)
    activity, _created = HubActivity.objects.update_or_create(
        action_line=action_line, name=name, defaults={"description": description.strip(), "weight": weight}
    )
    return activity


@transaction.atomic
def commitment_add(*, actor, activity: HubActivity, organization, contribution: str) -> PartnerCommitment:
    ensure_perm(actor, MANAGE, activity.action_line.workshop)
    errors: dict[str, list[str]] = {}
    contribution = required(contribution, "contribution", errors)
    if organization is None:
        errors["organization"] = [_("Elija la institución que se compromete.")]
    raise_errors(errors)
    commitment, _created = PartnerCommitment.objects.update_or_create(
        activity=activity, organization=organization, defaults={"contribution": contribution}
    )
    if activity.responsible_id is None:
        activity.responsible = organization
        activity.save(update_fields=["responsible"])
    publish(events.COMMITMENT_ADDED, events.commitment_added_payload(activity, organization))
    return commitment
