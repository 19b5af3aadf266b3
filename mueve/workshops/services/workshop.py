"""A workshop as an event: creating and editing it, invitations, registration and attendance,
files, outputs and the working groups."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.core.slugs import save_with_unique_slug, slug_base
from mueve.workshops import events
from mueve.workshops.models import (
    Attachment,
    Invitation,
    Kind,
    Output,
    ParticipantRole,
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopGroup,
    WorkshopStatus,
)
from mueve.workshops.services import registration
from mueve.workshops.services._common import MANAGE, clean_save, raise_errors, required

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Sniffed from the first bytes, never from the name or the browser's claim.
FILE_SIGNATURES = {
    "photo": [(b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png")],
    "document": [(b"%PDF-", "application/pdf")],
}


def _check_times(starts_at, ends_at, errors) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(_("El término debe ser posterior al inicio."))


def _check_registration(capacity, closes_at, starts_at, errors) -> None:
    if capacity is not None and (not isinstance(capacity, int) or capacity < 1):
        errors.setdefault("capacity", []).append(_("Los cupos deben ser 1 o más (vacío: sin límite)."))
    if closes_at and starts_at and closes_at > starts_at:
        errors.setdefault("registration_closes_at", []).append(
            _("Las inscripciones deben cerrar antes del inicio del taller.")
        )


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
    public_registration: bool = False,
    capacity: int | None = None,
    registration_closes_at: datetime | None = None,
) -> Workshop:
    ensure_perm(actor, MANAGE, program)
    errors: dict[str, list[str]] = {}
    title = required(title, "title", errors)
    if kind not in Kind.values:
        errors["kind"] = [_("Tipo de taller desconocido.")]
    if component is not None and component.program_id != program.pk:
        errors["component"] = [_("El componente no es de este programa.")]
    _check_times(starts_at, ends_at, errors)
    _check_registration(capacity, registration_closes_at, starts_at, errors)
    raise_errors(errors)
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
        public_registration=bool(public_registration),
        capacity=capacity,
        registration_closes_at=registration_closes_at,
    )
    workshop.full_clean(exclude=["slug"])
    save_with_unique_slug(workshop, slug_base(title, max_length=110, fallback="taller"))
    publish(events.WORKSHOP_CREATED, events.workshop_created_payload(workshop))
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
    "public_registration",
    "capacity",
    "registration_closes_at",
}


@transaction.atomic
def workshop_update(*, actor, workshop: Workshop, **fields: Any) -> Workshop:
    ensure_perm(actor, MANAGE, workshop)
    unknown = set(fields) - WORKSHOP_EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    if "title" in fields:
        fields["title"] = required(fields["title"], "title", errors)
    component = fields.get("component", workshop.component)
    if component is not None and component.program_id != workshop.program_id:
        errors["component"] = [_("El componente no es de este programa.")]
    _check_times(fields.get("starts_at", workshop.starts_at), fields.get("ends_at", workshop.ends_at), errors)
    _check_registration(
        fields.get("capacity", workshop.capacity),
        fields.get("registration_closes_at", workshop.registration_closes_at),
        fields.get("starts_at", workshop.starts_at),
        errors,
    )
    raise_errors(errors)
    # Locked: a seat given away while the capacity changes is counted under the same lock as workshop_register's.
    Workshop.objects.select_for_update().filter(pk=workshop.pk).values_list("pk").first()
    before = registration.workshop_snapshot(workshop)
    old_capacity = workshop.capacity
    for key, value in fields.items():
        setattr(workshop, key, value.strip() if isinstance(value, str) else value)
    clean_save(workshop)
    # More seats (or no limit any more): the waiting list moves up, each promoted person is told.
    if (
        workshop.public_registration
        and old_capacity is not None
        and (workshop.capacity is None or workshop.capacity > old_capacity)
    ):
        registration.waitlist_promote(workshop=workshop)
    registration.registrants_notify_change(workshop=workshop, before=before)
    publish(events.WORKSHOP_UPDATED, events.workshop_updated_payload(workshop))
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
    *,
    actor,
    workshop: Workshop,
    full_name: str,
    organization=None,
    role: str = ParticipantRole.PARTICIPANT,
    user=None,
    group=None,
) -> Registration:
    """Registers a person; `group` (one of this workshop's groups) seats them at a table."""
    ensure_perm(actor, MANAGE, workshop)
    errors: dict[str, list[str]] = {}
    full_name = required(full_name, "full_name", errors)
    if role not in ParticipantRole.values:
        errors["role"] = [_("Rol desconocido.")]
    if group is not None and group.workshop_id != workshop.pk:
        errors["group"] = [_("El grupo no es de este taller.")]
    raise_errors(errors)
    defaults = {
        "full_name": full_name,
        "organization": organization,
        "sector": organization.sector if organization else "",
        "role": role,
        # A manager's registration is a seat: it does not wait in line.
        "status": RegistrationStatus.CONFIRMED,
        **({"group": group} if group is not None else {}),
    }
    # A person with an account is one row per workshop, whatever name they go by; without one, the name is the key.
    lookup = {"user": user} if user is not None else {"user__isnull": True, "full_name": full_name}
    found, _created = Registration.objects.update_or_create(workshop=workshop, **lookup, defaults=defaults)
    return found


@transaction.atomic
def attendance_set(*, actor, workshop: Workshop, attended_ids: set[int]) -> int:
    """Marks who came; returns how many attended."""
    ensure_perm(actor, MANAGE, workshop)
    workshop.registrations.update(attended=False)
    return workshop.registrations.filter(pk__in=attended_ids, status=RegistrationStatus.CONFIRMED).update(attended=True)


@transaction.atomic
def attachment_add(*, actor, workshop: Workshop, upload, title: str, type: str) -> Attachment:
    ensure_perm(actor, MANAGE, workshop)
    errors: dict[str, list[str]] = {}
    title = required(title, "title", errors)
    if type not in FILE_SIGNATURES:
        errors["type"] = [_("Tipo de archivo desconocido.")]
    if upload is None:
        errors["file"] = [_("Elija un archivo.")]
    raise_errors(errors)
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
def output_add(
    *, actor, workshop: Workshop, title: str, text: str = "", phase: str = "", group=None, is_generated: bool = False
) -> Output:
    ensure_perm(actor, MANAGE, workshop)
    errors: dict[str, list[str]] = {}
    title = required(title, "title", errors)
    phases = [p["key"] for p in workshop.structure.get("phases", [])]
    if phase and phases and phase not in phases:
        errors["phase"] = [_("Fase desconocida para este taller.")]
    raise_errors(errors)
    output, _created = Output.objects.update_or_create(
        workshop=workshop,
        group=group,
        phase=phase,
        title=title,
        defaults={"text": (text or "").strip(), "is_generated": is_generated},
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
