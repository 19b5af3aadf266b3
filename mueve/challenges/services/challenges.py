"""Writes for interviews and challenges: every change validates, records history and is logged.

Decisions worth knowing:
- A challenge is a question. "¿…?" is accepted as is; "…?" gets its opening "¿"; anything else is refused.
- The slug is fixed at creation: editing the title never breaks a published link.
- Transitions follow `TRANSITIONS`. Moving to "addressing" needs how (concept or competition).
  A concrete challenge is normally addressed by a concept and an abstract one by a competition; the
  other way round is refused unless the transition carries a note that explains why.
- *What* addresses a challenge is never typed in: it is the competitions that offer it and the
  workshop concepts made for it (selectors.addressed_by).
- Leaving "addressing" back to "published" clears how it was addressed (that attempt was dropped);
  "solved" keeps it, and reopening a solved challenge may reuse it.
- Activity-log messages never quote a challenge that is not public yet: the program's activity
  can be shown to anyone.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mueve.accounts.models import User
from mueve.challenges import events
from mueve.challenges.models import (
    PUBLIC_STATUSES,
    AddressedVia,
    Challenge,
    Interview,
    Kind,
    Status,
    StatusChange,
)
from mueve.challenges.selectors import addressed_by
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.core.sentinels import UNSET
from mueve.core.slugs import save_with_unique_slug, slug_base
from mueve.core.text import fold, too_long
from mueve.programs.models import Component, Program
from mueve.programs.services import activity_record, activity_withdraw
from mueve.stakeholders.models import Organization, Person

TITLE_MIN_LENGTH = 15
TITLE_MAX_LENGTH = Challenge._meta.get_field("title").max_length
OWNER_REFUSED = gettext_lazy("Como funcionario/a solo puede registrar desafíos de su propia institución.")
QUESTION_MESSAGE = gettext_lazy("Formule el desafío como una pregunta, por ejemplo «¿Cómo reducir…?»")

TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.IDENTIFIED: (Status.VALIDATED,),
    Status.VALIDATED: (Status.PUBLISHED, Status.IDENTIFIED),
    Status.PUBLISHED: (Status.ADDRESSING, Status.VALIDATED),
    Status.ADDRESSING: (Status.SOLVED, Status.PUBLISHED),
    Status.SOLVED: (Status.ADDRESSING,),
}
EXPECTED_VIA = {Kind.CONCRETE: AddressedVia.CONCEPT, Kind.ABSTRACT: AddressedVia.COMPETITION}
# Paths under /desafios/ that a slug must never shadow.
RESERVED_SLUGS = {"nuevo", "entrevistas", "moderacion"}


def allowed_transitions(challenge: Challenge) -> tuple[str, ...]:
    return TRANSITIONS.get(challenge.status, ())


# --- interviews -------------------------------------------------------------------------------


def _check_component(component: Component | None, program: Program, errors: dict[str, list[str]]) -> None:
    if component is not None and component.program_id != program.pk:
        errors.setdefault("component", []).append(_("El componente no pertenece al programa elegido."))


@transaction.atomic
def interview_create(
    *,
    actor: User,
    program: Program,
    institution: Organization,
    date: date,
    person: Person | None = None,
    interviewee_name: str = "",
    notes: str = "",
    component: Component | None = None,
    occurred_at: datetime | None = None,
) -> Interview:
    """Records an interview. `occurred_at` back-dates its activity-log line (imports and the demo)."""
    ensure_perm(actor, "challenges.add_interview", program)
    errors: dict[str, list[str]] = {}
    _check_interview_date(date, errors)
    _check_component(component, program, errors)
    if errors:
        raise ValidationError(errors)
    interview = Interview(
        program=program,
        component=component,
        institution=institution,
        person=person,
        interviewee_name=interviewee_name.strip(),
        interviewer=actor,
        date=date,
        notes=notes.strip(),
    )
    interview.full_clean()
    interview._history_user = actor
    interview.save()
    activity_record(
        program=program,
        actor=actor,
        verb="interview.created",
        message=_("Se registró una entrevista de contexto con %(org)s.") % {"org": institution.name},
        occurred_at=occurred_at,
    )
    publish(events.INTERVIEW_CREATED, events.interview_created_payload(interview))
    return interview


@transaction.atomic
def interview_update(
    *,
    actor: User,
    interview: Interview,
    institution: Organization | Any = UNSET,
    date: date | Any = UNSET,
    interviewee_name: str | Any = UNSET,
    notes: str | Any = UNSET,
    component: Component | None | Any = UNSET,
) -> Interview:
    ensure_perm(actor, "challenges.add_interview", interview.program)
    tracked = ("institution_id", "date", "interviewee_name", "notes", "component_id")
    before = {name: getattr(interview, name) for name in tracked}
    errors: dict[str, list[str]] = {}
    if institution is not UNSET:
        interview.institution = institution
    if date is not UNSET:
        _check_interview_date(date, errors)
        interview.date = date
    if interviewee_name is not UNSET:
        interview.interviewee_name = interviewee_name.strip()
    if notes is not UNSET:
        interview.notes = notes.strip()
    if component is not UNSET:
        _check_component(component, interview.program, errors)
        interview.component = component
    if errors:
        raise ValidationError(errors)
    if all(getattr(interview, name) == before[name] for name in tracked):
        return interview
    interview.full_clean()
    interview._history_user = actor
    interview.save()
    return interview


def _check_interview_date(value: date, errors: dict[str, list[str]]) -> None:
    if value > timezone.localdate():
        errors.setdefault("date", []).append(_("La fecha de la entrevista no puede estar en el futuro."))


# --- challenges -------------------------------------------------------------------------------


def normalize_title(raw: str) -> str:
    """Collapses spaces and adds the opening "¿" when only the closing "?" was typed."""
    title = " ".join((raw or "").split())
    if title.endswith("?") and not title.startswith("¿"):
        title = "¿" + title
    return title


def title_errors(title: str, program: Program, exclude_pk: int | None = None) -> list[str]:
    if not title:
        return [_("Escriba el desafío.")]
    # Length first: a title cut short elsewhere would otherwise be refused only for its lost "?".
    if len(title) > TITLE_MAX_LENGTH:
        return [too_long(TITLE_MAX_LENGTH, len(title))]
    if not (title.startswith("¿") and title.endswith("?")):
        return [str(QUESTION_MESSAGE)]
    if len(title) < TITLE_MIN_LENGTH:
        return [
            _("El desafío es demasiado corto: use al menos %(n)s caracteres para que se entienda.")
            % {"n": TITLE_MIN_LENGTH}
        ]
    others = Challenge.objects.filter(program=program)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    key = fold(title)
    if any(fold(other) == key for other in others.values_list("title", flat=True).iterator()):
        return [_("Ya existe un desafío con esa pregunta en este programa.")]
    return []


def base_slug(title: str) -> str:
    """The slug a title gets before any "-2" suffix: at most 80 characters, cut between words."""
    return slug_base(normalize_title(title), max_length=84, fallback="desafio")


def _check_owner(actor: User, owner: Organization | None, errors: dict[str, list[str]]) -> None:
    # A field error rather than a bare 403: the form and the API both say which value is refused and why.
    if owner is not None and not actor.has_perm("challenges.assign_owner", owner):
        errors.setdefault("owner", []).append(str(OWNER_REFUSED))


def _check_kind(kind: str, errors: dict[str, list[str]]) -> None:
    if kind not in Kind.values:
        errors.setdefault("kind", []).append(_("Tipo desconocido: use «concrete» (concreto) o «abstract» (abstracto)."))


def _check_interviews(interviews: list[Interview], program: Program, errors: dict[str, list[str]]) -> None:
    if any(interview.program_id != program.pk for interview in interviews):
        errors.setdefault("interviews", []).append(_("Todas las entrevistas deben ser del mismo programa."))


def _detail_url(challenge: Challenge) -> str:
    return reverse("challenges:detail", kwargs={"slug": challenge.slug})


def _record_change(
    *, challenge: Challenge, from_status: str, to_status: str, actor: User | None, note: str, at: datetime | None
) -> StatusChange:
    change = StatusChange.objects.create(
        challenge=challenge, from_status=from_status, to_status=to_status, actor=actor, note=note
    )
    if at is not None:
        # auto_now_add ignores a given value; back-dated records (imports, the demo) set it afterwards.
        StatusChange.objects.filter(pk=change.pk).update(created_at=at)
        change.created_at = at
    return change


@transaction.atomic
def challenge_create(
    *,
    actor: User,
    program: Program,
    title: str,
    owner: Organization,
    kind: str,
    description: str = "",
    component: Component | None = None,
    interviews: Iterable[Interview] = (),
    occurred_at: datetime | None = None,
) -> Challenge:
    """Creates a challenge in "identified". `occurred_at` back-dates it (imports and the demo)."""
    ensure_perm(actor, "challenges.add_challenge", program)
    title = normalize_title(title)
    interviews = list(interviews)
    errors: dict[str, list[str]] = {}
    if problems := title_errors(title, program):
        errors["title"] = problems
    _check_owner(actor, owner, errors)
    _check_kind(kind, errors)
    _check_component(component, program, errors)
    _check_interviews(interviews, program, errors)
    if errors:
        raise ValidationError(errors)
    challenge = Challenge(
        program=program,
        title=title,
        description=(description or "").strip(),
        owner=owner,
        kind=kind,
        status=Status.IDENTIFIED,
        component=component,
        created_by=actor,
    )
    challenge.full_clean(exclude=["slug"])
    challenge._history_user = actor
    if occurred_at is not None:
        challenge._history_date = occurred_at
    save_with_unique_slug(challenge, base_slug(title), reserved=RESERVED_SLUGS)
    if occurred_at is not None:
        Challenge.objects.filter(pk=challenge.pk).update(created_at=occurred_at)
        challenge.created_at = occurred_at
    if interviews:
        challenge.interviews.set(interviews)
    _record_change(
        challenge=challenge, from_status="", to_status=Status.IDENTIFIED, actor=actor, note="", at=occurred_at
    )
    activity_record(
        program=program,
        actor=actor,
        verb="challenge.created",
        # Not public yet: say that something happened without quoting it.
        message=_("Se identificó un nuevo desafío de %(org)s (en revisión interna).") % {"org": owner.name},
        occurred_at=occurred_at,
    )
    publish(events.CHALLENGE_CREATED, events.challenge_created_payload(challenge))
    return challenge


@transaction.atomic
def challenge_update(
    *,
    actor: User,
    challenge: Challenge,
    title: str | Any = UNSET,
    description: str | Any = UNSET,
    owner: Organization | Any = UNSET,
    kind: str | Any = UNSET,
    component: Component | None | Any = UNSET,
    interviews: Iterable[Interview] | Any = UNSET,
) -> Challenge:
    """Changes only the fields given. The slug stays as it was."""
    ensure_perm(actor, "challenges.change_challenge", challenge)
    tracked = ("title", "description", "owner_id", "kind", "component_id")
    before = {name: getattr(challenge, name) for name in tracked}
    interviews_before = set(challenge.interviews.values_list("pk", flat=True))
    errors: dict[str, list[str]] = {}
    if title is not UNSET:
        title = normalize_title(title)
        if problems := title_errors(title, challenge.program, exclude_pk=challenge.pk):
            errors["title"] = problems
        challenge.title = title
    if description is not UNSET:
        challenge.description = (description or "").strip()
    if owner is not UNSET:
        if owner is None:
            errors.setdefault("owner", []).append(_("Indique la institución dueña del desafío."))
        elif owner.pk != challenge.owner_id:
            _check_owner(actor, owner, errors)
            challenge.owner = owner
    if kind is not UNSET:
        _check_kind(kind, errors)
        challenge.kind = kind
    if component is not UNSET:
        _check_component(component, challenge.program, errors)
        challenge.component = component
    if interviews is not UNSET:
        interviews = list(interviews)
        _check_interviews(interviews, challenge.program, errors)
    if errors:
        raise ValidationError(errors)
    fields_changed = any(getattr(challenge, name) != before[name] for name in tracked)
    interviews_changed = interviews is not UNSET and {i.pk for i in interviews} != interviews_before
    if not (fields_changed or interviews_changed):
        # Saving the same values again (a form sent twice, the demo loaded twice) writes nothing.
        return challenge
    challenge.full_clean()
    challenge._history_user = actor
    challenge.save()
    if interviews_changed:
        challenge.interviews.set(interviews)
    if challenge.is_public and challenge.program.is_public:
        activity_record(
            program=challenge.program,
            actor=actor,
            verb="challenge.updated",
            message=_("Se actualizó el desafío «%(title)s».") % {"title": challenge.title},
            target_url=_detail_url(challenge),
        )
    publish(events.CHALLENGE_UPDATED, events.challenge_updated_payload(challenge))
    return challenge


@transaction.atomic
def challenge_transition(
    *,
    actor: User,
    challenge: Challenge,
    to_status: str,
    note: str = "",
    addressed_via: str = "",
    occurred_at: datetime | None = None,
) -> Challenge:
    ensure_perm(actor, "challenges.transition_challenge", challenge)
    # Lock the row so two managers moving the same challenge cannot both start from the same status.
    list(Challenge.objects.select_for_update().filter(pk=challenge.pk).values_list("pk"))
    challenge.refresh_from_db()
    note = (note or "").strip()
    addressed_via = (addressed_via or "").strip()
    from_status = challenge.status
    errors: dict[str, list[str]] = {}
    if to_status not in Status.values:
        raise ValidationError({"to_status": [_("Estado desconocido: %(s)s.") % {"s": to_status}]})
    if to_status == from_status:
        raise ValidationError({"to_status": [_("El desafío ya está en ese estado.")]})
    if to_status not in allowed_transitions(challenge):
        allowed = ", ".join(f"«{Status(s).label}»" for s in allowed_transitions(challenge))
        raise ValidationError(
            {
                "to_status": [
                    _("No se puede pasar de «%(from)s» a «%(to)s». Desde aquí se puede pasar a: %(allowed)s.")
                    % {"from": Status(from_status).label, "to": Status(to_status).label, "allowed": allowed}
                ]
            }
        )
    if to_status == Status.ADDRESSING:
        # Reopening a solved challenge may keep how it was addressed.
        addressed_via = addressed_via or challenge.addressed_via
        if not addressed_via:
            errors["addressed_via"] = [_("Indique si se aborda mediante un concepto o una competencia.")]
        elif addressed_via not in AddressedVia.values:
            errors["addressed_via"] = [_("Use «concept» (concepto) o «competition» (competencia).")]
        expected = EXPECTED_VIA.get(challenge.kind)
        if addressed_via in AddressedVia.values and expected and addressed_via != expected and not note:
            errors["note"] = [
                _(
                    "Un desafío %(kind)s normalmente se aborda mediante %(expected)s. "
                    "Explique en la nota por qué se aborda de otra forma."
                )
                % {
                    "kind": _("concreto") if challenge.kind == Kind.CONCRETE else _("abstracto"),
                    "expected": _("un concepto") if expected == AddressedVia.CONCEPT else _("una competencia"),
                }
            ]
        if errors:
            raise ValidationError(errors)
        challenge.addressed_via = addressed_via
    elif to_status == Status.PUBLISHED and from_status == Status.ADDRESSING:
        challenge.addressed_via = ""
    challenge.status = to_status
    challenge.full_clean()
    challenge._history_user = actor
    if occurred_at is not None:
        challenge._history_date = occurred_at
    challenge.save()
    _record_change(
        challenge=challenge, from_status=from_status, to_status=to_status, actor=actor, note=note, at=occurred_at
    )
    _log_transition(challenge=challenge, actor=actor, from_status=from_status, occurred_at=occurred_at)
    publish(events.CHALLENGE_STATUS_CHANGED, events.status_changed_payload(challenge, from_status=from_status))
    return challenge


def _addressed_by_text(challenge: Challenge) -> str:
    """For the activity log, which anyone may read: only what anyone may see, else just how."""
    names = [addresser.name for addresser in addressed_by(challenge)]
    if names:
        return get_text_list(names, _("y"))
    return _("un concepto") if challenge.addressed_via == AddressedVia.CONCEPT else _("una competencia")


def _activity_subject(challenge: Challenge) -> str:
    return f"challenge:{challenge.pk}"


def _log_transition(*, challenge: Challenge, actor: User, from_status: str, occurred_at: datetime | None) -> None:
    now_public = challenge.status in PUBLIC_STATUSES
    was_public = from_status in PUBLIC_STATUSES
    if now_public:
        messages = {
            Status.PUBLISHED: _("Desafío publicado: «%(title)s»."),
            Status.ADDRESSING: _("El desafío «%(title)s» se está abordando mediante %(by)s."),
            Status.SOLVED: _("Desafío resuelto: «%(title)s»."),
        }
        values = {"title": challenge.title}
        if challenge.status == Status.ADDRESSING:
            values["by"] = _addressed_by_text(challenge)
        message = messages[challenge.status] % values
        target_url = _detail_url(challenge)
    elif was_public:
        # The entries that quoted it while it was public must not keep quoting it.
        activity_withdraw(program=challenge.program, subject=_activity_subject(challenge))
        message = _("Un desafío de %(org)s volvió a revisión interna.") % {"org": challenge.owner.name}
        target_url = ""
    else:
        message = _("Un desafío de %(org)s pasó a «%(status)s» (en revisión interna).") % {
            "org": challenge.owner.name,
            "status": Status(challenge.status).label,
        }
        target_url = ""
    activity_record(
        program=challenge.program,
        actor=actor,
        verb="challenge.status_changed",
        message=message,
        target_url=target_url,
        occurred_at=occurred_at,
        subject=_activity_subject(challenge) if now_public else "",
    )
