"""What organizations commit to a program (money, staff, data...), and how each commitment fares."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.events import publish
from mueve.programs.models import Component, Program
from mueve.stakeholders import events
from mueve.stakeholders.models import (
    Commitment,
    Organization,
)
from mueve.stakeholders.services._common import _check, _check_component, _log, _org_url


@transaction.atomic
def commitment_create(
    *,
    program: Program,
    organization: Organization,
    kind: str,
    description: str,
    component: Component | None = None,
    amount_clp: int | None = None,
    status: str = Commitment.Status.PROPOSED,
    due_date: datetime.date | None = None,
    actor: User | None = None,
    occurred_at: datetime.datetime | None = None,
) -> Commitment:
    _check(actor, "stakeholders.manage_program_stakeholders", program)
    _check_component(program, component)
    commitment = Commitment(
        program=program,
        organization=organization,
        component=component,
        kind=kind,
        description=(description or "").strip(),
        amount_clp=amount_clp,
        status=status,
        due_date=due_date,
    )
    commitment.full_clean()
    commitment.save()
    _log(
        program=program,
        actor=actor,
        verb="commitment_created",
        message=_("Nuevo compromiso de %(org)s (%(kind)s): %(status)s.")
        % {
            "org": organization.name,
            "kind": commitment.get_kind_display().lower(),
            "status": commitment.get_status_display().lower(),
        },
        target_url=_org_url(organization),
        occurred_at=occurred_at,
    )
    publish(events.COMMITMENT_CREATED, events.commitment(program=program, commitment=commitment))
    return commitment


@transaction.atomic
def commitment_set_status(*, commitment: Commitment, status: str, actor: User | None = None) -> Commitment:
    _check(actor, "stakeholders.manage_program_stakeholders", commitment.program)
    if status not in Commitment.Status.values:
        raise ValidationError({"status": [_("Estado desconocido: %(status)s.") % {"status": status}]})
    if commitment.status == status:
        return commitment
    commitment.status = status
    commitment.full_clean()
    commitment.save()
    _log(
        program=commitment.program,
        actor=actor,
        verb="commitment_status",
        message=_("Compromiso de %(org)s (%(kind)s): %(status)s.")
        % {
            "org": commitment.organization.name,
            "kind": commitment.get_kind_display().lower(),
            "status": commitment.get_status_display().lower(),
        },
        target_url=_org_url(commitment.organization),
    )
    publish(events.COMMITMENT_STATUS, events.commitment(program=commitment.program, commitment=commitment))
    return commitment
