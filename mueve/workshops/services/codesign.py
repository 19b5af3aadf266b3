"""Component 1, codesign: concepts for the challenges, dot voting, the decision, prototypes and pilots."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.workshops import events
from mueve.workshops.models import (
    Concept,
    ConceptStatus,
    DotVote,
    Pilot,
    PilotFeedback,
    Prototype,
    Registration,
    Workshop,
)
from mueve.workshops.services._common import MANAGE, clean_save, raise_errors, required


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
    name = required(name, "name", errors)
    description = required(description, "description", errors)
    if challenge is not None and challenge.program_id != workshop.program_id:
        errors["challenge"] = [_("El desafío no es de este programa.")]
    if name and workshop.concepts.filter(name__iexact=name).exists():
        errors["name"] = [_("Ya hay un concepto con ese nombre en este taller.")]
    raise_errors(errors)
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
    clean_save(concept)
    publish(events.CONCEPT_CREATED, events.concept_created_payload(concept))
    return concept


@transaction.atomic
def dot_vote(*, actor, concept: Concept, voter: Registration, dots: int, is_generated: bool = False) -> DotVote | None:
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
                    ngettext(
                        "Cada participante tiene %(n)d punto; a %(who)s le quedan %(left)d.",
                        "Cada participante tiene %(n)d puntos; a %(who)s le quedan %(left)d.",
                        workshop.dots_per_participant,
                    )
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
    vote, _created = DotVote.objects.update_or_create(
        concept=concept, voter=voter, defaults={"dots": dots, "is_generated": is_generated}
    )
    return vote


@transaction.atomic
def concept_decide(*, actor, concept: Concept, selected: bool, reason: str, owner=None) -> Concept:
    ensure_perm(actor, MANAGE, concept.workshop)
    errors: dict[str, list[str]] = {}
    reason = required(reason, "reason", errors)
    if selected and owner is None:
        errors["owner"] = [_("Un concepto seleccionado necesita una institución responsable de implementarlo.")]
    raise_errors(errors)
    concept.status = ConceptStatus.SELECTED if selected else ConceptStatus.NOT_SELECTED
    concept.decision_reason = reason
    if selected:
        concept.responsible = owner
    concept.save()
    publish(events.CONCEPT_DECIDED, events.concept_decided_payload(concept))
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
    title = required(title, "title", errors)
    raise_errors(errors)
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
    description = required(description, "description", errors)
    if concept.status != ConceptStatus.SELECTED:
        errors["concept"] = [_("Solo un concepto seleccionado pasa a piloto.")]
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = [_("El término debe ser igual o posterior al inicio.")]
    raise_errors(errors)
    pilot, _created = Pilot.objects.update_or_create(
        concept=concept, description=description, defaults={"start_date": start_date, "end_date": end_date}
    )
    return pilot


@transaction.atomic
def pilot_feedback_add(
    *, actor, pilot: Pilot, tester: str, rating: int, comment: str = "", day: date, is_generated: bool = False
) -> PilotFeedback:
    ensure_perm(actor, MANAGE, pilot.concept.workshop)
    errors: dict[str, list[str]] = {}
    tester = required(tester, "tester", errors)
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = [_("Entre 1 y 5.")]
    raise_errors(errors)
    feedback, _created = PilotFeedback.objects.update_or_create(
        pilot=pilot,
        tester=tester,
        date=day,
        defaults={"rating": rating, "comment": comment.strip(), "is_generated": is_generated},
    )
    return feedback
