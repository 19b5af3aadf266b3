"""Organizations in and out of a spreadsheet: the CSV import (all rows valid, or nothing written) and export."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core import csvio
from mueve.core.errors import merge_errors
from mueve.core.events import publish
from mueve.core.slugs import save_with_unique_slug
from mueve.core.text import fold
from mueve.stakeholders import events
from mueve.stakeholders.models import (
    Level,
    Organization,
    Sector,
)
from mueve.stakeholders.services._common import RESERVED_SLUGS, _check, _slug_base

# The file's columns, in Spanish, for each field the importer reads; the English names of earlier exports
# are still read (COLUMN_ALIASES), so a file kept from before imports as it did.
FIELD_COLUMNS = {
    "name": "nombre",
    "acronym": "sigla",
    "sector": "sector",
    "level": "nivel",
    "is_international": "internacional",
    "parent": "depende_de",
    "website": "sitio_web",
    "description": "descripcion",
}
CSV_COLUMNS = list(FIELD_COLUMNS.values())
CSV_REQUIRED_COLUMNS = ["nombre", "sector", "nivel"]
COLUMN_ALIASES = {
    **{column: field_name for field_name, column in FIELD_COLUMNS.items()},
    **{field_name: field_name for field_name in FIELD_COLUMNS},  # name, acronym, level, ...: earlier exports
    "descripción": "description",
    "sitio web": "website",
    "depende de": "parent",
    "es internacional": "is_international",
}


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


def _make_row_parser(state: _ImportState, actor: User | None = None):
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
        if (
            existing is not None
            and actor is not None
            and not actor.has_perm("stakeholders.change_organization", existing)
        ):
            errors.setdefault("name", []).append(
                _("«%(name)s» no es de su región ni de sus programas: no puede modificarla.") % {"name": existing.name}
            )
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


def _columns() -> dict[str, Any]:
    """What csvio.import_rows needs to read our columns, in Spanish or by their former English names."""
    return {
        "required_columns": ["name", "sector", "level"],
        "aliases": COLUMN_ALIASES,
        "column_names": FIELD_COLUMNS,
    }


@transaction.atomic
def organizations_import_csv(*, text: str, actor: User | None = None) -> csvio.ImportReport:
    """Creates or updates organizations (matched by name) from CSV. All rows are valid, or nothing is written.

    Columns: nombre, sigla, sector, nivel, internacional, depende_de, sitio_web, descripcion (nombre, sector
    and nivel are required; the English names of earlier exports, name, acronym, ..., are read too). Errors
    name the Spanish column. Sector and level take the Spanish label or the code;
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

    first = csvio.import_rows(text, parse_row=collect, save_row=lambda _: False, **_columns())
    if first.file_errors:
        return first
    if not first.errors and first.created + first.updated == 0:
        empty = csvio.ImportReport()
        empty.file_errors.append(_("El archivo no tiene filas con datos."))
        return empty

    try:
        with transaction.atomic():
            report = csvio.import_rows(
                text, parse_row=_make_row_parser(state, actor), save_row=_make_row_saver(state), **_columns()
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


def organizations_table() -> list[list[Any]]:
    """Every organization, in the columns the importer reads (so the file can be edited and re-imported):
    Spanish headers, and sector and level by their Spanish names."""
    with translation.override("es"):
        sectors = {code: str(label) for code, label in Sector.choices}
        levels = {code: str(label) for code, label in Level.choices}
    rows = (
        {
            "nombre": org.name,
            "sigla": org.acronym,
            "sector": sectors.get(org.sector, org.sector),
            "nivel": levels.get(org.level, org.level),
            "internacional": _bool_text(org.is_international),
            "depende_de": org.parent.name if org.parent_id else "",
            "sitio_web": org.website,
            "descripcion": org.description,
        }
        for org in Organization.objects.select_related("parent").order_by("name")
    )
    return csvio.table_rows(CSV_COLUMNS, rows)


def organizations_export_csv() -> str:
    return csvio.write_rows(organizations_table())


def organizations_export_xlsx() -> bytes:
    return csvio.xlsx_rows(organizations_table(), sheet="Organizaciones")
