"""An organization's place in a program: its roles, its engagement per component, its champions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.errors import merge_errors
from mueve.core.events import publish
from mueve.programs.models import Component, Program
from mueve.stakeholders import events
from mueve.stakeholders.models import (
    Champion,
    Engagement,
    EngagementLevel,
    Organization,
    Person,
    ProgramRole,
    ProgramStakeholder,
    ProgramStakeholderRole,
)
from mueve.stakeholders.services._common import _check, _check_component, _log, _org_url, _role_labels


@transaction.atomic
def program_stakeholder_set(
    *,
    program: Program,
    organization: Organization,
    roles: list[str],
    interest: int,
    influence: int,
    notes: str = "",
    actor: User | None = None,
    occurred_at: datetime.datetime | None = None,
) -> ProgramStakeholder:
    """Puts an organization in a program (or updates it): its roles replace the previous ones."""
    _check(actor, "stakeholders.manage_program_stakeholders", program)
    errors: dict[str, list[str]] = {}
    wanted = list(dict.fromkeys(str(r).strip() for r in (roles or []) if str(r).strip()))
    unknown = [r for r in wanted if r not in ProgramRole.values]
    if unknown:
        errors["roles"] = [_("Rol desconocido: %(roles)s.") % {"roles": ", ".join(unknown)}]
    elif not wanted:
        errors["roles"] = [_("Indique al menos un rol de la organización en el programa.")]

    values = {"interest": interest, "influence": influence, "notes": (notes or "").strip()}
    try:
        ProgramStakeholder(program=program, organization=organization, **values).full_clean(
            validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        merge_errors(errors, exc)
    if errors:
        raise ValidationError(errors)

    # Insert or lock the existing row: two requests for the same pair never both insert, and the
    # second one works on what the first one left (instead of a unique-constraint error).
    link, created = ProgramStakeholder.objects.select_for_update().get_or_create(
        program=program, organization=organization, defaults=values
    )
    values_changed = created or any(getattr(link, attr) != value for attr, value in values.items())
    if values_changed and not created:
        for attr, value in values.items():
            setattr(link, attr, value)
        link.save()
    current = set(link.roles.values_list("role", flat=True)) if not created else set()
    roles_changed = current != set(wanted)
    if roles_changed:
        link.roles.exclude(role__in=wanted).delete()
        ProgramStakeholderRole.objects.bulk_create(
            [ProgramStakeholderRole(stakeholder=link, role=r) for r in wanted if r not in current],
            ignore_conflicts=True,
        )
    if created:
        _log(
            program=program,
            actor=actor,
            verb="stakeholder_added",
            message=_("%(org)s se suma al programa como %(roles)s.")
            % {"org": organization.name, "roles": _role_labels(wanted)},
            target_url=_org_url(organization),
            occurred_at=occurred_at,
        )
    elif roles_changed or values_changed:
        _log(
            program=program,
            actor=actor,
            verb="stakeholder_updated",
            message=_("Se actualizó el papel de %(org)s en el programa: %(roles)s.")
            % {"org": organization.name, "roles": _role_labels(wanted)},
            target_url=_org_url(organization),
            occurred_at=occurred_at,
        )
    if created or roles_changed or values_changed:
        publish(
            events.PROGRAM_STAKEHOLDER_SET, events.program_stakeholder_set(program=program, organization=organization)
        )
    return link


@transaction.atomic
def engagement_set(
    *,
    program: Program,
    organization: Organization,
    component: Component,
    level: str,
    notes: str = "",
    actor: User | None = None,
    occurred_at: datetime.datetime | None = None,
) -> Engagement:
    """How an organization takes part in one component of the program (one record per component)."""
    _check(actor, "stakeholders.manage_program_stakeholders", program)
    _check_component(program, component)
    link = ProgramStakeholder.objects.filter(program=program, organization=organization).first()
    if link is None:
        raise ValidationError(
            {"organization": [_("La organización aún no es parte del programa: defina primero su rol.")]}
        )
    values = {"level": level, "notes": (notes or "").strip()}
    Engagement(stakeholder=link, component=component, **values).full_clean(
        validate_unique=False, validate_constraints=False
    )
    engagement, created = Engagement.objects.select_for_update().get_or_create(
        stakeholder=link, component=component, defaults=values
    )
    changed = created or any(getattr(engagement, attr) != value for attr, value in values.items())
    if changed and not created:
        for attr, value in values.items():
            setattr(engagement, attr, value)
        engagement.save()
    if changed:
        _log(
            program=program,
            actor=actor,
            verb="engagement_set",
            message=_("%(org)s en «%(component)s»: %(level)s.")
            % {
                "org": organization.name,
                "component": component.name,
                "level": str(EngagementLevel(level).label).lower(),
            },
            target_url=_org_url(organization),
            occurred_at=occurred_at,
        )
    return engagement


@transaction.atomic
def champion_add(
    *,
    program: Program,
    person: Person,
    kind: str,
    component: Component | None = None,
    organization: Organization | None = None,
    notes: str = "",
    actor: User | None = None,
    occurred_at: datetime.datetime | None = None,
) -> Champion:
    """Records a champion or change agent (once per program, person and kind; later calls update it)."""
    _check(actor, "stakeholders.manage_program_stakeholders", program)
    _check_component(program, component)
    if organization is None:
        memberships = list(person.memberships.select_related("organization")[:2])
        if len(memberships) == 1:
            organization = memberships[0].organization
    values = {"component": component, "organization": organization, "notes": (notes or "").strip()}
    Champion(program=program, person=person, kind=kind, **values).full_clean(
        validate_unique=False, validate_constraints=False
    )
    champion, created = Champion.objects.select_for_update().get_or_create(
        program=program, person=person, kind=kind, defaults=values
    )
    wanted = (component.pk if component else None, organization.pk if organization else None, values["notes"])
    if not created and (champion.component_id, champion.organization_id, champion.notes) != wanted:
        for attr, value in values.items():
            setattr(champion, attr, value)
        champion.save()
    if created:
        # The log is public: it names the organization and the component, not the person.
        where = organization.name if organization else _("una organización")
        if component is not None:
            message = _("Se identificó un/a %(kind)s en %(org)s durante «%(component)s».") % {
                "kind": champion.get_kind_display().lower(),
                "org": where,
                "component": component.name,
            }
        else:
            message = _("Se identificó un/a %(kind)s en %(org)s.") % {
                "kind": champion.get_kind_display().lower(),
                "org": where,
            }
        _log(
            program=program,
            actor=actor,
            verb="champion_added",
            message=message,
            target_url=_org_url(organization) if organization else "",
            occurred_at=occurred_at,
        )
    return champion
