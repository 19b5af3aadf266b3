"""Writes for organizations, people and their place in programs. Every write goes through here.

`actor` is the user asking; None means the system itself (demo loader, management commands).
Services that concern a program leave a line in that program's activity log, but only when
something actually changed, so loading the demo twice does not repeat the log; `occurred_at`
back-dates that line for history entered after the fact (the demo).
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core import csvio
from mueve.core.errors import merge_errors
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.core.sentinels import UNSET
from mueve.core.slugs import first_free_slug, save_with_unique_slug, slug_base
from mueve.core.text import fold
from mueve.programs.models import Component, Program
from mueve.stakeholders import events
from mueve.stakeholders.models import (
    Champion,
    Commitment,
    Engagement,
    EngagementLevel,
    Level,
    Membership,
    Organization,
    Person,
    ProgramRole,
    ProgramStakeholder,
    ProgramStakeholderRole,
    Sector,
)
from mueve.territory.models import Jurisdiction

CSV_COLUMNS = ["name", "acronym", "sector", "level", "is_international", "parent", "website", "description"]
CSV_REQUIRED_COLUMNS = ["name", "sector", "level"]
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


# ---------------------------------------------------------------------------------------------
# Organizations
# ---------------------------------------------------------------------------------------------


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


def _slug_base(name: str) -> str:
    return slug_base(name, max_length=SLUG_MAX, fallback="organizacion")


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


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# An organization's place in a program
# ---------------------------------------------------------------------------------------------


def _role_labels(roles: list[str]) -> str:
    return ", ".join(str(ProgramRole(r).label).lower() for r in roles)


def _org_url(organization: Organization) -> str:
    return reverse("stakeholders:detail", kwargs={"slug": organization.slug})


def _check_component(program: Program, component: Component | None) -> None:
    if component is not None and component.program_id != program.pk:
        raise ValidationError({"component": [_("El componente no pertenece a este programa.")]})


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


# ---------------------------------------------------------------------------------------------
# CSV import / export
# ---------------------------------------------------------------------------------------------

_TRUE = {"1", "si", "true", "verdadero", "x", "yes", "s"}
_FALSE = {"", "0", "no", "false", "falso", "n"}
_SECTOR_ALIASES = {"privado": Sector.PRIVATE, "publico": Sector.GOVERNMENT, "universidad": Sector.ACADEMIA}


def _choice_lookup(choices: type, aliases: dict[str, str] | None = None) -> dict[str, str]:
    lookup: dict[str, str] = {}
    with translation.override("es"):
        spanish = {code: str(label) for code, label in choices.choices}
    for code, label in choices.choices:
        for key in (code, spanish[code], str(label)):
            lookup[fold(key)] = code
    for alias, code in (aliases or {}).items():
        lookup.setdefault(fold(alias), code)
    return lookup


def _options(choices: type) -> str:
    with translation.override("es"):
        return ", ".join(f"{code} ({label})" for code, label in choices.choices)


@dataclass
class _ParsedRow:
    key: str  # folded name
    values: dict[str, Any]
    existing: Organization | None = None  # the organization this row updates
    parent_given: bool = False  # the file has a parent column (an empty cell removes the parent)
    parent_org: Organization | None = None
    parent_key: str = ""  # normalized name of another row of the same file


@dataclass
class _ImportState:
    by_name: dict[str, list[Organization]] = field(default_factory=dict)  # folded name -> organizations
    by_slug: dict[str, Organization] = field(default_factory=dict)
    by_acronym: dict[str, list[Organization]] = field(default_factory=dict)
    file_names: dict[str, str] = field(default_factory=dict)  # folded name -> name as written
    file_acronyms: dict[str, set[str]] = field(default_factory=dict)  # folded acronym -> names
    seen: set[str] = field(default_factory=set)
    saved: dict[str, Organization] = field(default_factory=dict)
    pending: list[tuple[Organization, str]] = field(default_factory=list)


class _Rejected(Exception):
    def __init__(self, report: csvio.ImportReport):
        super().__init__("import rejected")
        self.report = report


def _match_name(name: str, state: _ImportState, *, field_name: str) -> Organization | None:
    """The organization in the database called `name`, ignoring case, accents and punctuation.

    Older data may hold two names that only differ that way: the one written exactly as `name`
    is meant; if none is, the row cannot tell them apart and says so.
    """
    candidates = state.by_name.get(fold(name), [])
    exact = [org for org in candidates if org.name == name.strip()]
    if exact:
        return exact[0]
    if len(candidates) > 1:
        message = _("«%(name)s» coincide con varias organizaciones (%(names)s): escríbalo tal como una de ellas.") % {
            "name": name,
            "names": "; ".join(org.name for org in candidates),
        }
        raise ValidationError({field_name: [message]})
    return candidates[0] if candidates else None


def _resolve_parent(ref: str, state: _ImportState) -> tuple[Organization | None, str]:
    """A parent named by name, slug or acronym: an organization in the database, or a row of the file."""
    key = fold(ref)
    if key in state.file_names:
        return None, key
    if key in state.by_name:
        return _match_name(ref, state, field_name="parent"), ""
    if ref.strip().lower() in state.by_slug:
        return state.by_slug[ref.strip().lower()], ""
    in_file = state.file_acronyms.get(key, set())
    in_db = {org.pk: org for org in state.by_acronym.get(key, [])}
    candidates = len(in_file) + len([o for o in in_db.values() if fold(o.name) not in state.file_names])
    if candidates > 1:
        raise ValidationError(
            {"parent": [_("La sigla «%(ref)s» corresponde a varias organizaciones: use el nombre.") % {"ref": ref}]}
        )
    if in_file:
        return None, next(iter(in_file))
    if in_db:
        return next(iter(in_db.values())), ""
    raise ValidationError({"parent": [_("No se encontró la organización «%(ref)s».") % {"ref": ref}]})


def _parse_bool(value: str) -> bool:
    key = fold(value)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValidationError({"is_international": [_("Use «sí» o «no» (se recibió «%(value)s»).") % {"value": value}]})


def _make_row_parser(state: _ImportState):
    sectors = _choice_lookup(Sector, _SECTOR_ALIASES)
    levels = _choice_lookup(Level)

    def parse(row: dict[str, str]) -> _ParsedRow:
        errors: dict[str, list[str]] = {}
        name = row.get("name", "")
        key = fold(name)
        if key and key in state.seen:
            errors.setdefault("name", []).append(_("Esta organización ya aparece en una fila anterior del archivo."))
        state.seen.add(key)

        sector = sectors.get(fold(row.get("sector", "")))
        if sector is None:
            errors.setdefault("sector", []).append(
                _("Sector desconocido «%(value)s». Use uno de: %(options)s.")
                % {"value": row.get("sector", ""), "options": _options(Sector)}
            )
        level = levels.get(fold(row.get("level", "")))
        if level is None:
            errors.setdefault("level", []).append(
                _("Nivel desconocido «%(value)s». Use uno de: %(options)s.")
                % {"value": row.get("level", ""), "options": _options(Level)}
            )
        values: dict[str, Any] = {"name": name, "sector": sector or "", "level": level or ""}
        # Optional columns the file leaves out keep their current value on update.
        for column in ("acronym", "website", "description"):
            if column in row:
                values[column] = row[column]
        if "is_international" in row:
            try:
                values["is_international"] = _parse_bool(row["is_international"])
            except ValidationError as exc:
                merge_errors(errors, exc)

        parent_org, parent_key = None, ""
        parent_ref = row.get("parent", "")
        if parent_ref:
            if key and fold(parent_ref) == key:
                errors.setdefault("parent", []).append(_("Una organización no puede depender de sí misma."))
            else:
                try:
                    parent_org, parent_key = _resolve_parent(parent_ref, state)
                except ValidationError as exc:
                    merge_errors(errors, exc)

        existing = None
        try:
            existing = _match_name(name, state, field_name="name")
        except ValidationError as exc:
            merge_errors(errors, exc)
        # Validate with the model itself so the file gets the same messages as the form and the API.
        probe = Organization(**values)
        if existing is not None:
            probe.pk = existing.pk
        try:
            probe.full_clean(exclude=["slug", "parent", "jurisdiction", "sector", "level"], validate_unique=False)
        except ValidationError as exc:
            merge_errors(errors, exc)
        if errors:
            raise ValidationError(errors)
        return _ParsedRow(
            key=key,
            values=values,
            existing=existing,
            parent_given="parent" in row,
            parent_org=parent_org,
            parent_key=parent_key,
        )

    return parse


def _make_row_saver(state: _ImportState):
    def save(item: _ParsedRow) -> bool:
        organization = item.existing
        created = organization is None
        if organization is None:
            organization = Organization()
        for attr, value in item.values.items():
            setattr(organization, attr, value)
        if item.parent_given:
            organization.parent = item.parent_org
        if created:
            save_with_unique_slug(organization, _slug_base(organization.name), reserved=RESERVED_SLUGS)
        else:
            organization.save()
        state.saved[item.key] = organization
        if item.parent_key:
            state.pending.append((organization, item.parent_key))
        return created

    return save


def _link_file_parents(state: _ImportState) -> None:
    """Rows whose parent is another row of the file get it once every row exists."""
    for organization, parent_key in state.pending:
        organization.parent = state.saved[parent_key]
        organization.save(update_fields=["parent", "updated_at"])


def _find_cycle(state: _ImportState) -> list[str]:
    parents = dict(Organization.objects.values_list("pk", "parent_id"))
    names = dict(Organization.objects.filter(pk__in=[o.pk for o in state.saved.values()]).values_list("pk", "name"))
    for start in state.saved.values():
        path = [start.pk]
        node = parents.get(start.pk)
        while node is not None and node not in path:
            path.append(node)
            node = parents.get(node)
        if node == start.pk:
            labels = [names.get(pk) or str(pk) for pk in path]
            return [*labels, labels[0]]
    return []


@transaction.atomic
def organizations_import_csv(*, text: str, actor: User | None = None) -> csvio.ImportReport:
    """Creates or updates organizations (matched by name) from CSV. All rows are valid, or nothing is written.

    Columns: name, acronym, sector, level, is_international, parent, website, description
    (name, sector and level are required). Sector and level take the code or the Spanish label;
    parent takes the name, slug or acronym of an organization in the database or in the file.
    On update, an empty cell empties the field; a column the file leaves out is left alone.
    """
    _check(actor, "stakeholders.import_organizations")
    state = _ImportState()
    for org in Organization.objects.all():
        state.by_name.setdefault(fold(org.name), []).append(org)
        state.by_slug[org.slug] = org
        if org.acronym:
            state.by_acronym.setdefault(fold(org.acronym), []).append(org)

    # First pass, with the same reader as the real one: learn which names the file brings,
    # so that a row may name as parent an organization defined further down. Writes nothing.
    def collect(row: dict[str, str]) -> None:
        key = fold(row.get("name", ""))
        if key:
            state.file_names.setdefault(key, row.get("name", ""))
            if row.get("acronym"):
                state.file_acronyms.setdefault(fold(row["acronym"]), set()).add(key)

    first = csvio.import_rows(text, required_columns=CSV_REQUIRED_COLUMNS, parse_row=collect, save_row=lambda _: False)
    if first.file_errors:
        return first
    if not first.errors and first.created + first.updated == 0:
        empty = csvio.ImportReport()
        empty.file_errors.append(_("El archivo no tiene filas con datos."))
        return empty

    try:
        with transaction.atomic():
            report = csvio.import_rows(
                text,
                required_columns=CSV_REQUIRED_COLUMNS,
                parse_row=_make_row_parser(state),
                save_row=_make_row_saver(state),
            )
            if report.ok:
                _link_file_parents(state)
                cycle = _find_cycle(state)
                if cycle:
                    report.file_errors.append(
                        _("Las filas forman un ciclo de dependencias: %(cycle)s.") % {"cycle": " → ".join(cycle)}
                    )
                    report.created = report.updated = 0
                    raise _Rejected(report)
    except _Rejected as rejected:
        return rejected.report
    except IntegrityError:
        # Someone else wrote an organization with one of these names while the file was being read.
        clash = csvio.ImportReport()
        clash.file_errors.append(
            _("Otra persona modificó las organizaciones mientras se importaba el archivo. Vuelva a intentarlo.")
        )
        return clash
    if report.ok:
        publish(
            events.ORGANIZATIONS_IMPORTED, events.organizations_imported(created=report.created, updated=report.updated)
        )
    return report


def _bool_text(value: bool) -> str:
    return "sí" if value else "no"


def organizations_export_csv() -> str:
    """Every organization, in the columns the importer reads (so the file can be edited and re-imported)."""
    rows = (
        {
            "name": org.name,
            "acronym": org.acronym,
            "sector": org.sector,
            "level": org.level,
            "is_international": _bool_text(org.is_international),
            "parent": org.parent.name if org.parent_id else "",
            "website": org.website,
            "description": org.description,
        }
        for org in Organization.objects.select_related("parent").order_by("name")
    )
    return csvio.export_rows(CSV_COLUMNS, rows)
