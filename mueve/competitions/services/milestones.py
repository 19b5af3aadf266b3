"""Acceleration milestones: the team adds and marks them done, a mentor or organizer signs them off."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.competitions import events
from mueve.competitions.models import Milestone, MilestoneStatus, Team
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm


@transaction.atomic
def milestone_add(*, actor: User, team: Team, title: str, due_on: date) -> Milestone:
    ensure_perm(actor, "competitions.update_milestone", team)
    if not title.strip():
        raise ValidationError({"title": [_("Escriba el hito.")]})
    return Milestone.objects.create(team=team, title=title.strip(), due_on=due_on)


@transaction.atomic
def milestone_mark_done(*, actor: User, milestone: Milestone, evidence_url: str = "") -> Milestone:
    ensure_perm(actor, "competitions.update_milestone", milestone.team)
    if milestone.status == MilestoneStatus.SIGNED_OFF:
        raise ValidationError({"__all__": [_("El hito ya fue aprobado.")]})
    milestone.status = MilestoneStatus.DONE
    milestone.evidence_url = evidence_url
    milestone.save()
    return milestone


@transaction.atomic
def milestone_sign_off(*, actor: User, milestone: Milestone) -> Milestone:
    ensure_perm(actor, "competitions.sign_off_milestone", milestone.team)
    if milestone.status != MilestoneStatus.DONE:
        raise ValidationError({"__all__": [_("El equipo aún no marca el hito como hecho.")]})
    milestone.status = MilestoneStatus.SIGNED_OFF
    milestone.signed_off_by = actor
    milestone.signed_off_at = timezone.now()
    milestone.save()
    publish(events.MILESTONE_SIGNED_OFF, events.milestone_signed_off_payload(milestone))
    return milestone
