"""What every write of the stakeholders app shares: permission checks, the programme's activity log, slugs."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.permissions import ensure_perm
from mueve.core.slugs import slug_base
from mueve.programs.models import Component, Program
from mueve.stakeholders.models import (
    Organization,
    ProgramRole,
)

SLUG_MAX = Organization._meta.get_field("slug").max_length
# Words used by the pages' own addresses (/actores/nueva/, /actores/mapa/...): never an organization's slug.
RESERVED_SLUGS = {"nueva", "importar", "exportar", "mapa", "api"}


def _check(actor: User | None, perm: str, obj: Any = None) -> None:
    if actor is not None:
        ensure_perm(actor, perm, obj)


def _log(
    *,
    program: Program,
    actor: User | None,
    verb: str,
    message: str,
    target_url: str = "",
    occurred_at: datetime.datetime | None = None,
) -> None:
    # Imported here, not at module level: programs may read our selectors, and a top-level
    # import in both directions would be a cycle.
    from mueve.programs.services import activity_record

    activity_record(
        program=program,
        actor=actor,
        verb=verb,
        message=message,
        target_url=target_url,
        occurred_at=occurred_at,
    )


def _check_jurisdiction(actor: User | None, jurisdiction) -> None:
    """A manager scoped to some regions places an organization in one of them (or in the place of a programme they
    manage), never in another region; the national unit anywhere."""
    if actor is None or jurisdiction is None:
        return
    from mueve.accounts import scopes
    from mueve.programs.selectors import programs_managed_by

    managed = programs_managed_by(actor)
    if managed is None or scopes.in_jurisdiction(actor, jurisdiction.pk):
        return
    if not managed.filter(jurisdiction_id=jurisdiction.pk).exists():
        raise ValidationError({"jurisdiction": [_("Elija una jurisdicción de su ámbito.")]})


def _role_labels(roles: list[str]) -> str:
    return ", ".join(str(ProgramRole(r).label).lower() for r in roles)


def _org_url(organization: Organization) -> str:
    return reverse("stakeholders:detail", kwargs={"slug": organization.slug})


def _check_component(program: Program, component: Component | None) -> None:
    if component is not None and component.program_id != program.pk:
        raise ValidationError({"component": [_("El componente no pertenece a este programa.")]})


def _slug_base(name: str) -> str:
    return slug_base(name, max_length=SLUG_MAX, fallback="organizacion")
