"""Writes for programs and methodology templates.

Every write to a program leaves a line in its activity log (`activity_record`) and publishes an
event after commit. Updates that change nothing write nothing, so loading the demo twice (or a
form submitted twice) does not fill the log with noise.

Template import: importing a file whose slug already exists UPDATES that template in place
(atomically: its components and phases are replaced by the file's). Programs already created from
it keep their own copies, so they are not affected. Nothing is written if the file has any error.
"""

import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator, validate_slug
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.core.sentinels import UNSET
from mueve.core.slugs import save_with_unique_slug, slug_base
from mueve.core.text import has_lone_surrogates
from mueve.programs import events
from mueve.programs.models import (
    ActivityLogEntry,
    Component,
    Indicator,
    IndicatorValue,
    MethodologyTemplate,
    Phase,
    Program,
    Result,
    Sector,
    Status,
    TemplateComponent,
    TemplatePhase,
)

TEMPLATE_FORMAT = "mueve.methodology"
TEMPLATE_VERSION = 1
MAX_COMPONENTS = 30
MAX_PHASES = 30
# Program slugs that would collide with the fixed pages under /programas/.
RESERVED_PROGRAM_SLUGS = {"nuevo", "plantillas"}


def _fmt(value: date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def _program_url(program: Program) -> str:
    return reverse("programs:detail", args=[program.slug])


# --- activity log -------------------------------------------------------------------------------


@transaction.atomic
def activity_record(
    *,
    program: Program,
    actor=None,
    verb: str,
    message: str,
    target_url: str = "",
    occurred_at: datetime | None = None,
    subject: str = "",
) -> ActivityLogEntry:
    """Log what happened in a program, in words a person can read. Other apps' services call this.

    `occurred_at` back-dates an entry (for history entered after the fact, e.g. the demo). `subject`
    names what the entry quotes ("challenge:12") so `activity_withdraw` can hide it later.
    """
    verb = (verb or "").strip()
    message = " ".join((message or "").split())
    if len(message) > 500:
        message = message[:499] + "…"
    entry = ActivityLogEntry(
        program=program,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        message=message,
        target_url=target_url or "",
        subject=subject,
    )
    entry.full_clean()
    entry.save()
    if occurred_at is not None:
        # created_at is auto_now_add: set the historical date with an update after the insert.
        ActivityLogEntry.objects.filter(pk=entry.pk).update(created_at=occurred_at)
        entry.created_at = occurred_at
    publish(events.ACTIVITY, events.activity_payload(program, entry))
    return entry


def activity_withdraw(*, program: Program, subject: str) -> int:
    """Hides from the public every entry about `subject` (e.g. a challenge taken back to internal review)."""
    return ActivityLogEntry.objects.filter(program=program, subject=subject, is_public=True).update(is_public=False)


# --- methodology templates: JSON export / import --------------------------------------------------


def template_export(*, template: MethodologyTemplate) -> dict[str, Any]:
    """The replicable form of a template. Uses prefetched components/phases when present."""
    return {
        "format": TEMPLATE_FORMAT,
        "version": TEMPLATE_VERSION,
        "slug": template.slug,
        "name": template.name,
        "description": template.description,
        "source": template.source,
        "components": [
            {
                "key": component.key,
                "name": component.name,
                "theme": component.theme,
                "objective": component.objective,
                "audience": component.audience,
                "phases": [{"name": phase.name, "description": phase.description} for phase in component.phases.all()],
            }
            for component in template.components.all()
        ],
    }


@dataclass
class _ParsedPhase:
    name: str
    description: str


@dataclass
class _ParsedComponent:
    key: str
    name: str
    theme: str
    objective: str
    audience: str
    phases: list[_ParsedPhase]


@dataclass
class _ParsedTemplate:
    slug: str
    name: str
    description: str
    source: str
    components: list[_ParsedComponent]


def _max_length(model, field: str) -> int | None:
    return model._meta.get_field(field).max_length


class _TemplateReader:
    """Validates an import document, collecting every error under its JSON path."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def error(self, path: str, message: str) -> None:
        self.errors.setdefault(path or "__all__", []).append(message)

    def unknown_keys(self, obj: dict, allowed: set[str], prefix: str) -> None:
        for key in obj:
            if key not in allowed:
                self.error(f"{prefix}{key}", _("Campo desconocido."))

    def text(self, obj: dict, key: str, path: str, *, required: bool, max_length: int | None) -> str:
        if key not in obj or obj[key] is None:
            if required:
                self.error(path, _("Obligatorio."))
            return ""
        value = obj[key]
        if not isinstance(value, str):
            self.error(path, _("Debe ser texto."))
            return ""
        value = value.strip()
        if "\x00" in value:
            self.error(path, str(ProhibitNullCharactersValidator.message))
        elif required and not value:
            self.error(path, _("Obligatorio."))
        elif max_length and len(value) > max_length:
            self.error(path, _("Máximo %(n)d caracteres.") % {"n": max_length})
        return value

    def slug(self, obj: dict, key: str, path: str, *, max_length: int | None) -> str:
        value = self.text(obj, key, path, required=True, max_length=max_length)
        if value:
            try:
                validate_slug(value)
            except ValidationError:
                self.error(path, _("Use solo letras sin tilde, números, guiones y guiones bajos."))
        return value

    def read(self, data: Any) -> _ParsedTemplate | None:
        if not isinstance(data, dict):
            self.error("__all__", _("Se esperaba un objeto JSON."))
            return None
        self.unknown_keys(data, {"format", "version", "slug", "name", "description", "source", "components"}, "")
        if data.get("format") != TEMPLATE_FORMAT:
            self.error("format", _("Debe ser «%(format)s».") % {"format": TEMPLATE_FORMAT})
        version = data.get("version")
        if isinstance(version, bool) or version != TEMPLATE_VERSION:
            self.error("version", _("Versión no soportada: se admite %(v)d.") % {"v": TEMPLATE_VERSION})
        slug = self.slug(data, "slug", "slug", max_length=_max_length(MethodologyTemplate, "slug"))
        name = self.text(data, "name", "name", required=True, max_length=_max_length(MethodologyTemplate, "name"))
        description = self.text(data, "description", "description", required=False, max_length=None)
        source = self.text(
            data, "source", "source", required=False, max_length=_max_length(MethodologyTemplate, "source")
        )
        components = self.components(data.get("components"))
        if self.errors:
            return None
        return _ParsedTemplate(slug, name, description, source, components)

    def components(self, raw: Any) -> list[_ParsedComponent]:
        if raw is None:
            self.error("components", _("Obligatorio."))
            return []
        if not isinstance(raw, list):
            self.error("components", _("Debe ser una lista."))
            return []
        if not raw:
            self.error("components", _("Debe tener al menos un componente."))
        if len(raw) > MAX_COMPONENTS:
            self.error("components", _("Máximo %(n)d componentes.") % {"n": MAX_COMPONENTS})
            return []
        parsed: list[_ParsedComponent] = []
        seen_keys: dict[str, int] = {}
        for i, item in enumerate(raw):
            path = f"components[{i}]"
            if not isinstance(item, dict):
                self.error(path, _("Debe ser un objeto."))
                continue
            self.unknown_keys(item, {"key", "name", "theme", "objective", "audience", "phases"}, f"{path}.")
            key = self.slug(item, "key", f"{path}.key", max_length=_max_length(TemplateComponent, "key"))
            if key and key in seen_keys:
                self.error(f"{path}.key", _("Clave repetida: ya la usa components[%(i)d].") % {"i": seen_keys[key]})
            elif key:
                seen_keys[key] = i
            name = self.text(
                item, "name", f"{path}.name", required=True, max_length=_max_length(TemplateComponent, "name")
            )
            theme = self.text(
                item, "theme", f"{path}.theme", required=False, max_length=_max_length(TemplateComponent, "theme")
            )
            objective = self.text(item, "objective", f"{path}.objective", required=False, max_length=None)
            audience = self.text(
                item,
                "audience",
                f"{path}.audience",
                required=False,
                max_length=_max_length(TemplateComponent, "audience"),
            )
            phases = self.phases(item.get("phases"), f"{path}.phases")
            parsed.append(_ParsedComponent(key, name, theme, objective, audience, phases))
        return parsed

    def phases(self, raw: Any, path: str) -> list[_ParsedPhase]:
        if raw is None:
            self.error(path, _("Obligatorio."))
            return []
        if not isinstance(raw, list):
            self.error(path, _("Debe ser una lista."))
            return []
        if not raw:
            self.error(path, _("Debe tener al menos una fase."))
        if len(raw) > MAX_PHASES:
            self.error(path, _("Máximo %(n)d fases.") % {"n": MAX_PHASES})
            return []
        parsed: list[_ParsedPhase] = []
        for j, item in enumerate(raw):
            phase_path = f"{path}[{j}]"
            if not isinstance(item, dict):
                self.error(phase_path, _("Debe ser un objeto."))
                continue
            self.unknown_keys(item, {"name", "description"}, f"{phase_path}.")
            name = self.text(
                item, "name", f"{phase_path}.name", required=True, max_length=_max_length(TemplatePhase, "name")
            )
            description = self.text(item, "description", f"{phase_path}.description", required=False, max_length=None)
            parsed.append(_ParsedPhase(name, description))
        return parsed


def template_parse(data: dict | str | bytes) -> _ParsedTemplate:
    """Validate an import document without writing anything. Errors are keyed by JSON path."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError({"__all__": [_("El archivo no está en UTF-8.")]}) from exc
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                {
                    "__all__": [
                        _("No es JSON válido (línea %(line)d, columna %(col)d).")
                        % {"line": exc.lineno, "col": exc.colno}
                    ]
                }
            ) from exc
        except RecursionError as exc:  # arrays or objects nested thousands deep
            raise ValidationError({"__all__": [_("El JSON tiene demasiados niveles de anidamiento.")]}) from exc
    if has_lone_surrogates(data):
        raise ValidationError({"__all__": [_("El JSON contiene caracteres Unicode inválidos.")]})
    reader = _TemplateReader()
    parsed = reader.read(data)
    if parsed is None:
        raise ValidationError(reader.errors)
    return parsed


@transaction.atomic
def template_import_detailed(*, data: dict | str | bytes, actor) -> tuple[MethodologyTemplate, bool]:
    """Like `template_import`, and also says whether the template was created (True) or updated."""
    ensure_perm(actor, "programs.import_template")
    parsed = template_parse(data)
    template = MethodologyTemplate.objects.select_for_update().filter(slug=parsed.slug).first()
    created = template is None
    if template is None:
        template = MethodologyTemplate(slug=parsed.slug)
    else:
        current = template_export(template=template)
        if current == _parsed_as_export(parsed):
            return template, False
    template.name = parsed.name
    template.description = parsed.description
    template.source = parsed.source
    template.full_clean()
    template.save()
    # Programs copy components and phases when they are created, so replacing them is safe.
    template.components.all().delete()
    for order, comp in enumerate(parsed.components, start=1):
        component = TemplateComponent.objects.create(
            template=template,
            order=order,
            key=comp.key,
            name=comp.name,
            theme=comp.theme,
            objective=comp.objective,
            audience=comp.audience,
        )
        TemplatePhase.objects.bulk_create(
            TemplatePhase(component=component, order=j, name=phase.name, description=phase.description)
            for j, phase in enumerate(comp.phases, start=1)
        )
    publish(events.TEMPLATE_IMPORTED, events.template_imported_payload(template, created=created))
    return template, created


def template_import(*, data: dict | str | bytes, actor) -> MethodologyTemplate:
    """Create or update (by slug) a methodology template from its JSON export. All or nothing."""
    return template_import_detailed(data=data, actor=actor)[0]


def _parsed_as_export(parsed: _ParsedTemplate) -> dict[str, Any]:
    return {
        "format": TEMPLATE_FORMAT,
        "version": TEMPLATE_VERSION,
        "slug": parsed.slug,
        "name": parsed.name,
        "description": parsed.description,
        "source": parsed.source,
        "components": [
            {
                "key": c.key,
                "name": c.name,
                "theme": c.theme,
                "objective": c.objective,
                "audience": c.audience,
                "phases": [{"name": p.name, "description": p.description} for p in c.phases],
            }
            for c in parsed.components
        ],
    }


# --- programs --------------------------------------------------------------------------------------


def _check_dates(start, end, errors: dict[str, list[str]]) -> None:
    if start and end and end < start:
        errors.setdefault("end_date", []).append(_("La fecha de término debe ser igual o posterior a la de inicio."))


# A sanity range for program dates (it also keeps the timeline's month arithmetic far from date.max).
EARLIEST_PROGRAM_YEAR = 1950
LATEST_PROGRAM_YEAR = 2150


def _check_program_years(start, end, errors: dict[str, list[str]]) -> None:
    message = _("La fecha debe estar entre los años %(first)d y %(last)d.") % {
        "first": EARLIEST_PROGRAM_YEAR,
        "last": LATEST_PROGRAM_YEAR,
    }
    for field, value in (("start_date", start), ("end_date", end)):
        if value and not (EARLIEST_PROGRAM_YEAR <= value.year <= LATEST_PROGRAM_YEAR):
            errors.setdefault(field, []).append(message)


@transaction.atomic
def program_create(
    *,
    actor,
    template: MethodologyTemplate,
    name: str,
    jurisdiction,
    sector: str,
    start_date: date,
    end_date: date,
    summary: str = "",
    slug: str | None = None,
    is_public: bool = True,
) -> Program:
    """A program for a jurisdiction and sector, with the template's components and phases copied in."""
    ensure_perm(actor, "programs.add_program")
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Obligatorio.")]
    if template is None:
        errors["template"] = [_("Elija una plantilla metodológica.")]
    if jurisdiction is None:
        errors["jurisdiction"] = [_("Elija una jurisdicción.")]
    if sector not in Sector.values:
        errors["sector"] = [_("Sector desconocido.")]
    if start_date is None:
        errors["start_date"] = [_("Obligatorio.")]
    if end_date is None:
        errors["end_date"] = [_("Obligatorio.")]
    _check_dates(start_date, end_date, errors)
    _check_program_years(start_date, end_date, errors)
    if slug:
        slug = slug.strip()
        if slug in RESERVED_PROGRAM_SLUGS:
            errors["slug"] = [_("Ese identificador está reservado.")]
        elif Program.objects.filter(slug=slug).exists():
            errors["slug"] = [_("Ya existe un programa con ese identificador.")]
    if errors:
        raise ValidationError(errors)
    program = Program(
        name=name,
        slug=slug or "",
        template=template,
        jurisdiction=jurisdiction,
        sector=sector,
        summary=(summary or "").strip(),
        start_date=start_date,
        end_date=end_date,
        is_public=is_public,
    )
    program.full_clean(exclude=["slug"])
    if slug:
        try:
            with transaction.atomic():
                program.save()
        except IntegrityError as exc:  # taken by a concurrent create since the check above
            raise ValidationError({"slug": [_("Ya existe un programa con ese identificador.")]}) from exc
    else:
        base = slug_base(name, max_length=Program._meta.get_field("slug").max_length, fallback="programa")
        save_with_unique_slug(program, base, reserved=RESERVED_PROGRAM_SLUGS)
    program.managers.add(actor)
    for tc in template.components.prefetch_related("phases"):
        component = Component(
            program=program,
            order=tc.order,
            key=tc.key,
            name=tc.name,
            theme=tc.theme,
            objective=tc.objective,
            audience=tc.audience,
        )
        component.save()
        for tp in tc.phases.all():
            Phase(component=component, order=tp.order, name=tp.name, description=tp.description).save()
    activity_record(
        program=program,
        actor=actor,
        verb="program_created",
        message=_("Programa «%(program)s» creado a partir de la plantilla «%(template)s».")
        % {"program": program.name, "template": template.name},
        target_url=_program_url(program),
    )
    publish(events.PROGRAM_CREATED, events.program_created_payload(program, template))
    return program


def _outside_range_errors(program: Program, start, end) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    span = {"start": _fmt(program.start_date), "end": _fmt(program.end_date)}
    message = _("Debe estar entre el %(start)s y el %(end)s (fechas del programa).") % span
    for field, value in (("start_date", start), ("end_date", end)):
        if value and not (program.start_date <= value <= program.end_date):
            errors.setdefault(field, []).append(message)
    return errors


def _validate_schedule(program: Program, status: str, start, end) -> None:
    errors: dict[str, list[str]] = {}
    if status not in Status.values:
        errors["status"] = [_("Estado desconocido.")]
    if bool(start) != bool(end):
        field = "end_date" if start else "start_date"
        errors[field] = [_("Indique ambas fechas (inicio y término) o ninguna.")]
    _check_dates(start, end, errors)
    for field, msgs in _outside_range_errors(program, start, end).items():
        errors.setdefault(field, []).extend(msgs)
    if errors:
        raise ValidationError(errors)


def _schedule_text(obj) -> str:
    dates = f"{_fmt(obj.start_date)}–{_fmt(obj.end_date)}" if obj.start_date else _("sin fechas")
    return _("estado %(status)s, %(dates)s") % {"status": obj.get_status_display(), "dates": dates}


@transaction.atomic
def program_update(
    *,
    actor,
    program: Program,
    name: str = UNSET,
    summary: str = UNSET,
    jurisdiction=UNSET,
    sector: str = UNSET,
    start_date: date = UNSET,
    end_date: date = UNSET,
    status: str = UNSET,
    is_public: bool = UNSET,
) -> Program:
    """Change a program's facts. Component and phase dates must stay inside the new dates."""
    ensure_perm(actor, "programs.change_program", program)
    changes = {
        k: v
        for k, v in {
            "name": name,
            "summary": summary,
            "jurisdiction": jurisdiction,
            "sector": sector,
            "start_date": start_date,
            "end_date": end_date,
            "status": status,
            "is_public": is_public,
        }.items()
        if v is not UNSET
    }
    for key in ("name", "summary"):
        if key in changes:
            changes[key] = (changes[key] or "").strip()
    changed = [k for k, v in changes.items() if getattr(program, k) != v]
    if not changed:
        return program
    errors: dict[str, list[str]] = {}
    if "name" in changes and not changes["name"]:
        errors["name"] = [_("Obligatorio.")]
    if "sector" in changes and changes["sector"] not in Sector.values:
        errors["sector"] = [_("Sector desconocido.")]
    if "status" in changes and changes["status"] not in Status.values:
        errors["status"] = [_("Estado desconocido.")]
    new_start = changes.get("start_date", program.start_date)
    new_end = changes.get("end_date", program.end_date)
    if new_start is None or new_end is None:
        errors["start_date" if new_start is None else "end_date"] = [_("Obligatorio.")]
    else:
        _check_dates(new_start, new_end, errors)
        _check_program_years(new_start, new_end, errors)
    if not errors and ("start_date" in changed or "end_date" in changed):
        outside = [
            str(item)
            for item in [*program.components.all(), *Phase.objects.filter(component__program=program)]
            if (item.start_date and item.start_date < new_start) or (item.end_date and item.end_date > new_end)
        ]
        if outside:
            errors["__all__"] = [
                _("Estas partes quedarían fuera de las nuevas fechas; ajústelas primero: %(items)s.")
                % {"items": ", ".join(outside)}
            ]
    if errors:
        raise ValidationError(errors)
    for key in changed:
        setattr(program, key, changes[key])
    program.full_clean()
    program.save()
    activity_record(
        program=program,
        actor=actor,
        verb="program_updated",
        message=_("Datos del programa actualizados: %(fields)s.")
        % {"fields": ", ".join(str(Program._meta.get_field(k).verbose_name) for k in changed)},
        target_url=_program_url(program),
    )
    publish(events.PROGRAM_UPDATED, events.program_updated_payload(program, changed))
    return program


def _apply_schedule(obj, status, start_date, end_date) -> bool:
    new_status = obj.status if status is UNSET else status
    new_start = obj.start_date if start_date is UNSET else start_date
    new_end = obj.end_date if end_date is UNSET else end_date
    if (new_status, new_start, new_end) == (obj.status, obj.start_date, obj.end_date):
        return False
    program = obj.program if isinstance(obj, Component) else obj.component.program
    _validate_schedule(program, new_status, new_start, new_end)
    obj.status, obj.start_date, obj.end_date = new_status, new_start, new_end
    obj.full_clean()
    obj.save()
    return True


@transaction.atomic
def component_update(
    *,
    actor,
    component: Component,
    status: str = UNSET,
    start_date: date | None = UNSET,
    end_date: date | None = UNSET,
) -> Component:
    """Status and dates of a component; the dates must be ordered and inside the program's."""
    program = component.program
    ensure_perm(actor, "programs.change_program", program)
    if not _apply_schedule(component, status, start_date, end_date):
        return component
    activity_record(
        program=program,
        actor=actor,
        verb="component_updated",
        message=_("Componente «%(component)s»: %(schedule)s.")
        % {"component": component, "schedule": _schedule_text(component)},
        target_url=_program_url(program),
    )
    publish(events.COMPONENT_UPDATED, events.component_updated_payload(program, component))
    return component


@transaction.atomic
def phase_update(
    *,
    actor,
    phase: Phase,
    status: str = UNSET,
    start_date: date | None = UNSET,
    end_date: date | None = UNSET,
) -> Phase:
    """Status and dates of a phase; the dates must be ordered and inside the program's."""
    program = phase.component.program
    ensure_perm(actor, "programs.change_program", program)
    if not _apply_schedule(phase, status, start_date, end_date):
        return phase
    activity_record(
        program=program,
        actor=actor,
        verb="phase_updated",
        message=_("Fase «%(phase)s» (%(component)s): %(schedule)s.")
        % {"phase": phase.name, "component": phase.component.name, "schedule": _schedule_text(phase)},
        target_url=_program_url(program),
    )
    publish(events.PHASE_UPDATED, events.phase_updated_payload(program, phase))
    return phase


# --- results and indicators -----------------------------------------------------------------------


@transaction.atomic
def result_add(*, actor, component: Component, title: str, description: str = "", order: int | None = None) -> Result:
    program = component.program
    ensure_perm(actor, "programs.change_program", program)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("Obligatorio.")]})
    if order is None:
        order = (component.results.aggregate(m=Max("order"))["m"] or 0) + 1
    result = Result(component=component, order=order, title=title, description=(description or "").strip())
    result.full_clean()
    result.save()
    activity_record(
        program=program,
        actor=actor,
        verb="result_added",
        message=_("Resultado de «%(component)s»: %(title)s") % {"component": component.name, "title": title},
        target_url=_program_url(program),
    )
    publish(events.RESULT_ADDED, events.result_added_payload(program, component, result))
    return result


# Indicator numbers beyond this are surely a typo, and they overflow the charts' axis arithmetic.
MAX_INDICATOR_MAGNITUDE = 1e15


def _finite(value, field: str, errors: dict[str, list[str]], *, required: bool) -> float | None:
    if value is None:
        if required:
            errors[field] = [_("Obligatorio.")]
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors[field] = [_("Debe ser un número.")]
        return None
    if not math.isfinite(number):
        errors[field] = [_("Debe ser un número finito.")]
        return None
    if abs(number) > MAX_INDICATOR_MAGNITUDE:
        errors[field] = [
            _("Número demasiado grande: exprese el valor en una unidad mayor (por ejemplo, miles o millones).")
        ]
        return None
    return number


@transaction.atomic
def indicator_create(
    *,
    actor,
    program: Program,
    name: str,
    unit: str = "",
    description: str = "",
    baseline: float | None = None,
    target: float | None = None,
    component: Component | None = None,
) -> Indicator:
    ensure_perm(actor, "programs.change_program", program)
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Obligatorio.")]
    elif program.indicators.filter(name=name).exists():
        errors["name"] = [_("El programa ya tiene un indicador con ese nombre.")]
    if component is not None and component.program_id != program.pk:
        errors["component"] = [_("El componente no pertenece a este programa.")]
    baseline = _finite(baseline, "baseline", errors, required=False)
    target = _finite(target, "target", errors, required=False)
    if errors:
        raise ValidationError(errors)
    indicator = Indicator(
        program=program,
        component=component,
        name=name,
        unit=(unit or "").strip(),
        description=(description or "").strip(),
        baseline=baseline,
        target=target,
    )
    indicator.full_clean()
    indicator.save()
    activity_record(
        program=program,
        actor=actor,
        verb="indicator_created",
        message=_("Nuevo indicador de impacto: %(name)s.") % {"name": name},
        target_url=_program_url(program) + "#indicadores",
    )
    publish(events.INDICATOR_CREATED, events.indicator_created_payload(program, indicator))
    return indicator


@transaction.atomic
def indicator_record_value(*, actor, indicator: Indicator, date: date, value: float, note: str = "") -> IndicatorValue:
    """Record the indicator's value on a date; a second value for the same date replaces the first."""
    program = indicator.program
    ensure_perm(actor, "programs.record_indicator", program)
    errors: dict[str, list[str]] = {}
    if date is None:
        errors["date"] = [_("Obligatorio.")]
    number = _finite(value, "value", errors, required=True)
    if errors:
        raise ValidationError(errors)
    note = (note or "").strip()
    # Lock the indicator, not the value: a value row for a new date does not exist yet to be locked,
    # and two concurrent first values for one date would otherwise collide on the unique constraint.
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    existing = IndicatorValue.objects.filter(indicator=indicator, date=date).first()
    if existing is not None and (existing.value, existing.note) == (number, note):
        return existing
    item = existing or IndicatorValue(indicator=indicator, date=date)
    item.value, item.note = number, note
    item.full_clean()
    item.save()
    shown = f"{number:g}" + (f" {indicator.unit}" if indicator.unit else "")
    activity_record(
        program=program,
        actor=actor,
        verb="indicator_value_recorded",
        message=_("Indicador «%(name)s»: %(value)s al %(date)s.")
        % {"name": indicator.name, "value": shown, "date": _fmt(date)},
        target_url=_program_url(program) + "#indicadores",
    )
    publish(
        events.INDICATOR_VALUE_RECORDED,
        events.indicator_value_recorded_payload(program, indicator, day=date, value=number),
    )
    return item
