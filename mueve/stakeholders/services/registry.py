"""The registry: organizations (unique names, their units) and the people who work in them."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.errors import merge_errors
from mueve.core.events import publish
from mueve.core.sentinels import UNSET
from mueve.core.slugs import first_free_slug, save_with_unique_slug
from mueve.core.text import fold
from mueve.stakeholders import events
from mueve.stakeholders.models import (
    Membership,
    Organization,
    Person,
)
from mueve.stakeholders.services._common import RESERVED_SLUGS, _check, _check_jurisdiction, _slug_base
from mueve.territory.models import Jurisdiction


def _name_taken() -> str:
    return _("Ya existe una organización con ese nombre.")


def _name_clashes(name: str, *, exclude_pk: int | None = None) -> list[Organization]:
    """Organizations whose name is `name` once case, accents and punctuation are ignored."""
    key = fold(name)
    others = Organization.objects.all()
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    pks = [pk for pk, other in others.values_list("pk", "name") if fold(other) == key]
    return list(Organization.objects.filter(pk__in=pks).order_by("name")) if pks else []


def check_name_free(name: str, *, exclude_pk: int | None = None) -> None:
    """ "Concepción" and "concepcion" are the same organization: a second one is refused. Used by the admin too."""
    name = (name or "").strip()
    # An empty or too long name is refused by full_clean (SQLite cannot even compare one of 50,000 bytes).
    if not fold(name) or len(name) > Organization._meta.get_field("name").max_length:
        return
    if _name_clashes(name, exclude_pk=exclude_pk):
        raise ValidationError({"name": [_name_taken()]})


def check_parent(organization: Organization, parent: Organization | None) -> None:
    """A unit cannot depend on itself or on one of its own units. Used by the admin too."""
    if parent is None or organization.pk is None:
        return
    # The whole chain in one query, rather than one query per level.
    parents = dict(Organization.objects.values_list("pk", "parent_id"))
    node: int | None = parent.pk
    seen: set[int] = set()
    while node is not None and node not in seen:
        if node == organization.pk:
            raise ValidationError(
                {"parent": [_("Una organización no puede depender de sí misma ni de una de sus unidades.")]}
            )
        seen.add(node)
        node = parents.get(node)


def _explain_integrity_error(organization: Organization, exc: IntegrityError) -> None:
    """Another writer took the name or the slug between our check and our insert: a field error, not a 500."""
    errors: dict[str, list[str]] = {}
    if _name_clashes(organization.name, exclude_pk=organization.pk):
        errors["name"] = [_name_taken()]
    if Organization.objects.filter(slug=organization.slug).exclude(pk=organization.pk).exists():
        errors["slug"] = [_("Ya existe una organización con ese identificador.")]
    if not errors:
        raise exc
    raise ValidationError(errors) from exc


def _clean_and_save(organization: Organization, errors: dict[str, list[str]], *, slug_from: str = "") -> None:
    """Validates and saves; with `slug_from`, a new organization gets the first free slug from that base."""
    try:
        organization.full_clean()
    except ValidationError as exc:
        merge_errors(errors, exc)
    if errors:
        raise ValidationError(errors)
    try:
        if slug_from:
            save_with_unique_slug(organization, slug_from, reserved=RESERVED_SLUGS)
        else:
            with transaction.atomic():
                organization.save()
    except IntegrityError as exc:
        _explain_integrity_error(organization, exc)


@transaction.atomic
def organization_create(
    *,
    name: str,
    sector: str,
    level: str,
    acronym: str = "",
    is_international: bool = False,
    parent: Organization | None = None,
    jurisdiction: Jurisdiction | None = None,
    website: str = "",
    description: str = "",
    slug: str = "",
    lat: float | None = None,
    lon: float | None = None,
    actor: User | None = None,
) -> Organization:
    """Creates an organization; its slug comes from the name (made unique) unless one is given."""
    _check(actor, "stakeholders.add_organization")
    name = (name or "").strip()
    organization = Organization(
        name=name,
        acronym=(acronym or "").strip(),
        sector=sector,
        level=level,
        is_international=is_international,
        parent=parent,
        jurisdiction=jurisdiction,
        website=(website or "").strip(),
        description=(description or "").strip(),
        lat=lat,
        lon=lon,
    )
    # A slug made from the name is only a first guess (validated now); the insert takes the first free one.
    slug_from = "" if slug else _slug_base(name)
    organization.slug = slug or first_free_slug(Organization, slug_from, reserved=RESERVED_SLUGS)
    errors: dict[str, list[str]] = {}
    if slug in RESERVED_SLUGS:
        errors["slug"] = [_("Ese identificador está reservado.")]
    try:
        _check_jurisdiction(actor, jurisdiction)
    except ValidationError as exc:
        merge_errors(errors, exc)
    try:
        check_name_free(name)
    except ValidationError as exc:
        merge_errors(errors, exc)
    _clean_and_save(organization, errors, slug_from=slug_from)
    publish(events.ORGANIZATION_CREATED, events.organization(organization=organization))
    return organization


@transaction.atomic
def organization_update(
    *,
    organization: Organization,
    name: str = UNSET,
    acronym: str = UNSET,
    sector: str = UNSET,
    level: str = UNSET,
    is_international: bool = UNSET,
    parent: Organization | None = UNSET,
    jurisdiction: Jurisdiction | None = UNSET,
    website: str = UNSET,
    description: str = UNSET,
    lat: float | None = UNSET,
    lon: float | None = UNSET,
    actor: User | None = None,
) -> Organization:
    """Changes only the fields given. The slug never changes: it is the organization's address."""
    _check(actor, "stakeholders.change_organization", organization)
    changes = {
        "name": name,
        "acronym": acronym,
        "sector": sector,
        "level": level,
        "is_international": is_international,
        "parent": parent,
        "jurisdiction": jurisdiction,
        "website": website,
        "description": description,
        "lat": lat,
        "lon": lon,
    }
    errors: dict[str, list[str]] = {}
    try:
        # Moving it, not keeping where it is: a programme's manager edits a partner from another region.
        if jurisdiction is not UNSET and getattr(jurisdiction, "pk", None) != organization.jurisdiction_id:
            _check_jurisdiction(actor, jurisdiction)
    except ValidationError as exc:
        merge_errors(errors, exc)
    for attr, value in changes.items():
        if value is UNSET:
            continue
        if isinstance(value, str):
            value = value.strip()
        setattr(organization, attr, value)
    try:
        if name is not UNSET:
            check_name_free(organization.name, exclude_pk=organization.pk)
    except ValidationError as exc:
        merge_errors(errors, exc)
    try:
        if parent is not UNSET:
            check_parent(organization, organization.parent)
    except ValidationError as exc:
        merge_errors(errors, exc)
    _clean_and_save(organization, errors)
    publish(events.ORGANIZATION_UPDATED, events.organization(organization=organization))
    return organization


@transaction.atomic
def person_create(
    *,
    full_name: str,
    email: str = "",
    phone: str = "",
    notes: str = "",
    user: User | None = None,
    actor: User | None = None,
) -> Person:
    _check(actor, "stakeholders.manage_people")
    person = Person(
        full_name=(full_name or "").strip(),
        email=(email or "").strip(),
        phone=(phone or "").strip(),
        notes=(notes or "").strip(),
        user=user,
    )
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def membership_add(
    *,
    person: Person,
    organization: Organization,
    position: str = "",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    actor: User | None = None,
) -> Membership:
    """Adds (or updates the dates of) a person's position in an organization."""
    _check(actor, "stakeholders.manage_people")
    position = (position or "").strip()
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": [_("La fecha de término no puede ser anterior a la de inicio.")]})
    probe = Membership(
        person=person, organization=organization, position=position, start_date=start_date, end_date=end_date
    )
    probe.full_clean(validate_unique=False, validate_constraints=False)
    # update_or_create locks the row, and retries as an update if another request inserted it first.
    membership, _created = Membership.objects.update_or_create(
        person=person,
        organization=organization,
        position=position,
        defaults={"start_date": start_date, "end_date": end_date},
    )
    return membership
