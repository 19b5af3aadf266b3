"""Preparatory clinics: an official presents a challenge, people register, ask and get answers."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mueve.accounts.models import Role, User
from mueve.challenges.models import Challenge
from mueve.competitions import events
from mueve.competitions.models import Clinic, ClinicQuestion, ClinicRegistration, Competition
from mueve.competitions.services._common import raise_errors
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm


@transaction.atomic
def clinic_create(
    *,
    actor: User,
    competition: Competition,
    challenge: Challenge,
    title: str,
    starts_at: datetime,
    presenter: User | None = None,
    place: str = "",
    capacity: int = 60,
) -> Clinic:
    ensure_perm(actor, "competitions.change_competition", competition)
    errors: dict[str, list[str]] = {}
    if not competition.challenges.filter(pk=challenge.pk).exists():
        errors["challenge"] = [_("El desafío no está entre los que ofrece la competencia.")]
    if presenter is not None and presenter.role != Role.OFFICIAL:
        errors["presenter"] = [_("Presenta un funcionario o funcionaria.")]
    if not title.strip():
        errors["title"] = [_("Escriba el título.")]
    raise_errors(errors)
    clinic = Clinic.objects.create(
        competition=competition,
        challenge=challenge,
        title=title.strip(),
        starts_at=starts_at,
        presenter=presenter,
        place=place,
        capacity=capacity,
    )
    publish(events.CLINIC_CREATED, events.clinic_created_payload(clinic))
    return clinic


@transaction.atomic
def clinic_register(*, actor: User, clinic: Clinic) -> ClinicRegistration:
    """A seat at the clinic (registering twice keeps the one seat). The clinic's row is locked while the seats are
    counted, so two people asking for the last one at once cannot both get it."""
    ensure_perm(actor, "competitions.attend_clinic", clinic.competition)
    clinic = Clinic.objects.select_for_update().get(pk=clinic.pk)
    existing = ClinicRegistration.objects.filter(clinic=clinic, user=actor).first()
    if existing is not None:
        return existing
    if clinic.registrations.count() >= clinic.capacity:
        raise ValidationError(
            {
                "clinic": [
                    _("La clínica «%(title)s» no tiene cupos disponibles: sus %(n)d cupos están tomados.")
                    % {"title": clinic.title, "n": clinic.capacity}
                ]
            }
        )
    return ClinicRegistration.objects.create(clinic=clinic, user=actor)


@transaction.atomic
def clinic_mark_attendance(*, actor: User, clinic: Clinic, users: Iterable[User | int]) -> int:
    """Sets who attended among those registered (the rest did not); returns how many attended."""
    ensure_perm(actor, "competitions.change_competition", clinic.competition)
    ids = [u if isinstance(u, int) else u.pk for u in users]
    clinic.registrations.update(attended=False)
    return clinic.registrations.filter(user_id__in=ids).update(attended=True)


@transaction.atomic
def clinic_ask(*, actor: User, clinic: Clinic, question: str) -> ClinicQuestion:
    ensure_perm(actor, "competitions.ask_clinic", clinic.competition)
    if len(question.strip()) < 5:
        raise ValidationError({"question": [_("Escriba la pregunta.")]})
    return ClinicQuestion.objects.create(clinic=clinic, asked_by=actor, question=question.strip())


@transaction.atomic
def clinic_answer(*, actor: User, question: ClinicQuestion, answer: str, publish_it: bool = True) -> ClinicQuestion:
    ensure_perm(actor, "competitions.answer_clinic", question.clinic.competition)
    if not answer.strip():
        raise ValidationError({"answer": [_("Escriba la respuesta.")]})
    question.answer = answer.strip()
    question.answered_by = actor
    question.is_published = publish_it
    question.save()
    return question
