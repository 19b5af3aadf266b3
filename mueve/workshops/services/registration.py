"""Public registration: people with an account sign themselves up for a workshop open to the public, up to its
capacity; past it they wait in line, and the first in line gets the next seat that frees up. Registrants hear when
the workshop moves or is cancelled (notifications kind `workshop_update`).

The seats are counted with the workshop's row locked (`select_for_update`), so two people asking for the last seat
at once cannot both get it: the second waits for the first's commit and then counts it. (SQLite serialises writing
transactions anyway.)"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.permissions import ensure_perm
from mueve.notifications import kinds
from mueve.notifications import services as notifications
from mueve.workshops import selectors
from mueve.workshops.models import Registration, RegistrationStatus, Workshop, WorkshopStatus

ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


def _locked(workshop: Workshop) -> Workshop:
    """The workshop's row, locked until the transaction ends (its seats are counted under this lock)."""
    return (
        Workshop.objects.select_for_update(of=("self",))
        .select_related("program", "venue_organization")
        .get(pk=workshop.pk)
    )


def _name_of(user: User) -> str:
    return (user.get_full_name() or user.first_name or user.email or user.username)[:200]


@transaction.atomic
def workshop_register(*, workshop: Workshop, user: User, now: datetime | None = None) -> Registration:
    """Signs `user` up: confirmed while there are seats, on the waiting list after. Refused (nothing stored) when
    the workshop does not take public registrations any more, or the person is already registered or waiting."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    workshop = _locked(workshop)
    # Said first, in words: a workshop that takes no public registration (any more) is a refusal the person can
    # read (400), not a missing permission.
    closed = selectors.registration_closed_reason(workshop, now=now)
    if closed:
        raise ValidationError({"workshop": [closed]})
    ensure_perm(user, "workshops.register_workshop", workshop)
    registration = Registration.objects.filter(workshop=workshop, user=user).first()
    if registration is not None and registration.status == RegistrationStatus.CONFIRMED:
        raise ValidationError({"workshop": [_("Usted ya está inscrito/a en este taller.")]})
    if registration is not None and registration.status == RegistrationStatus.WAITLISTED:
        raise ValidationError({"workshop": [_("Usted ya está en la lista de espera de este taller.")]})
    confirmed = selectors.confirmed_count(workshop)
    has_seat = workshop.capacity is None or confirmed < workshop.capacity
    status = RegistrationStatus.CONFIRMED if has_seat else RegistrationStatus.WAITLISTED
    moment = timezone.now()
    if registration is None:  # a cancelled registration is taken up again, at the back of the line
        registration = Registration(workshop=workshop, user=user)
    registration.full_name = _name_of(user)
    registration.status = status
    registration.status_changed_at = moment
    registration.full_clean(validate_constraints=False)
    registration.save()
    return registration


@transaction.atomic
def workshop_unregister(*, workshop: Workshop, user: User, now: datetime | None = None) -> Registration:
    """Cancels the person's registration (or their place in line). A seat freed goes to the first in line."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    workshop = _locked(workshop)
    registration = (
        Registration.objects.filter(workshop=workshop, user=user, status__in=ACTIVE).select_for_update().first()
    )
    if registration is None:
        raise ValidationError({"workshop": [_("Usted no está inscrito/a en este taller.")]})
    if selectors.workshop_started(workshop, now=now):
        raise ValidationError({"workshop": [_("El taller ya comenzó: la inscripción no se puede cancelar.")]})
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.status_changed_at = timezone.now()
    registration.save(update_fields=["status", "status_changed_at"])
    if was_confirmed:
        waitlist_promote(workshop=workshop, now=now)
    return registration


def waitlist_promote(*, workshop: Workshop, now: datetime | None = None) -> list[Registration]:
    """Gives the free seats to the people in line, first come first served, and tells each one. Call it inside a
    transaction that holds the workshop's lock (`_locked`). Nobody is promoted once the workshop started."""
    if workshop.status in (WorkshopStatus.CANCELLED, WorkshopStatus.HELD) or selectors.workshop_started(
        workshop, now=now
    ):
        return []
    queue = Registration.objects.filter(workshop=workshop, status=RegistrationStatus.WAITLISTED).order_by(
        "status_changed_at", "id"
    )
    if workshop.capacity is not None:
        free = workshop.capacity - selectors.confirmed_count(workshop)
        if free <= 0:
            return []
        queue = queue[:free]
    promoted = list(queue.select_related("user"))
    moment = timezone.now()
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.status_changed_at = moment
        registration.save(update_fields=["status", "status_changed_at"])
    when = _when(workshop)
    for registration in promoted:
        if registration.user is None:
            continue
        body = _("Se liberó un cupo en el taller «%(title)s» y su inscripción quedó confirmada.") % {
            "title": workshop.title
        }
        if when:
            body += " " + _("Le esperamos el %(when)s.") % {"when": when}
        body += " " + _(
            "Si ya no puede asistir, cancele su inscripción en la página del taller: el cupo pasará a la siguiente "
            "persona de la lista."
        )
        notifications.notify(
            user=registration.user,
            kind=kinds.WORKSHOP_UPDATE,
            context={
                "title": _("Tiene cupo en «%(title)s»") % {"title": workshop.title},
                "body": body,
                "url": _workshop_url(workshop),
            },
        )
    return promoted


def _workshop_url(workshop: Workshop) -> str:
    return settings.MUEVE_SITE_URL.rstrip("/") + reverse("workshops:detail", args=[workshop.slug])


def _local(moment: datetime | None) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


def _when(workshop: Workshop) -> str:
    if workshop.starts_at is None:
        return ""
    text = _local(workshop.starts_at)
    if workshop.ends_at:
        end = timezone.localtime(workshop.ends_at)
        same_day = end.date() == timezone.localtime(workshop.starts_at).date()
        text += " – " + (date_format(end, "TIME_FORMAT") if same_day else _local(workshop.ends_at))
    return text


def venue_text(workshop: Workshop) -> str:
    parts = [workshop.venue_organization.name if workshop.venue_organization else "", workshop.venue_address]
    return ", ".join(p for p in parts if p)


def workshop_snapshot(workshop: Workshop) -> dict:
    """What a registrant hears about when it changes: the date, the place, a cancellation."""
    return {
        "starts_at": workshop.starts_at,
        "ends_at": workshop.ends_at,
        "venue": venue_text(workshop),
        "status": workshop.status,
    }


def registrants_notify_change(*, workshop: Workshop, before: dict) -> int:
    """Each person registered or waiting hears what changed (new date, new place, cancellation) by the channels they
    chose for `workshop_update`. Returns how many people were told. Nothing when nothing they care about changed."""
    after = workshop_snapshot(workshop)
    cancelled = after["status"] == WorkshopStatus.CANCELLED and before["status"] != WorkshopStatus.CANCELLED
    moved = (after["starts_at"], after["ends_at"]) != (before["starts_at"], before["ends_at"])
    relocated = after["venue"] != before["venue"]
    if not (cancelled or moved or relocated):
        return 0
    users = [
        r.user
        for r in Registration.objects.filter(workshop=workshop, status__in=ACTIVE, user__isnull=False)
        .select_related("user")
        .order_by("id")
    ]
    if not users:
        return 0
    if cancelled:
        title = _("Se canceló el taller «%(title)s»") % {"title": workshop.title}
        lines = [_("El taller «%(title)s», en que usted se inscribió, fue cancelado.") % {"title": workshop.title}]
    else:
        title = _("Cambió el taller «%(title)s»") % {"title": workshop.title}
        lines = [_("El taller «%(title)s», en que usted se inscribió, cambió.") % {"title": workshop.title}]
        if moved:
            when = _when(workshop)
            lines.append(_("Nueva fecha: %(when)s.") % {"when": when} if when else _("La fecha quedó por confirmar."))
        if relocated:
            lines.append(_("Nuevo lugar: %(venue)s.") % {"venue": after["venue"] or _("por confirmar")})
        lines.append(_("Si ya no puede asistir, cancele su inscripción en la página del taller."))
    made = notifications.notify_many(
        users=users,
        kind=kinds.WORKSHOP_UPDATE,
        context={"title": title, "body": "\n".join(lines), "url": _workshop_url(workshop)},
    )
    return len(made)


@transaction.atomic
def registrations_erase(*, user: User) -> int:
    """The person's account is being deleted: their coming workshops' seats (and places in line) are cancelled, so
    the next in line gets them, and every registration keeps only an anonymous name (the workshop's counts of who
    came stay right). Returns how many registrations were anonymised."""
    count = 0
    for registration in Registration.objects.filter(user=user).select_related("workshop"):
        if registration.status in ACTIVE and not selectors.workshop_started(registration.workshop):
            workshop = _locked(registration.workshop)
            was_confirmed = registration.status == RegistrationStatus.CONFIRMED
            registration.status = RegistrationStatus.CANCELLED
            registration.status_changed_at = timezone.now()
            registration.save(update_fields=["status", "status_changed_at"])
            if was_confirmed:
                waitlist_promote(workshop=workshop)
        # The name is unique per workshop among rows without an account, hence the id.
        registration.full_name = _("Persona %(id)s (cuenta eliminada)") % {"id": registration.pk}
        registration.user = None
        registration.save(update_fields=["full_name", "user"])
        count += 1
    return count
