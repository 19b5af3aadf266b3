"""Programs: creation from a template, their facts, and the schedule of components and phases."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mueve.accounts import scopes
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.core.sentinels import UNSET
from mueve.core.slugs import save_with_unique_slug, slug_base
from mueve.programs import events, selectors
from mueve.programs.models import Component, MethodologyTemplate, Phase, Program, Sector, Status
from mueve.programs.services.activity import _fmt, _program_url, activity_record
from mueve.territory import selectors as territory_selectors
from mueve.territory.renaming import Renaming

RESERVED_PROGRAM_SLUGS = {"nuevo", "plantillas"}


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
    renaming: Renaming | None = None,
) -> Program:
    """A program for a jurisdiction and sector, with the template's components and phases copied in.

    The copied texts are written for the place the template was first applied in (programs.selectors
    .template_origin): they are adapted to this jurisdiction (territory.selectors.renaming_between), or by the
    given `renaming`, so that a copy for Temuco does not speak of Gran Concepción."""
    ensure_perm(actor, "programs.add_program")
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Obligatorio.")]
    if template is None:
        errors["template"] = [_("Elija una plantilla metodológica.")]
    if jurisdiction is None:
        errors["jurisdiction"] = [_("Elija una jurisdicción.")]
    elif not scopes.in_jurisdiction(actor, jurisdiction.pk):
        errors["jurisdiction"] = [_("Esa jurisdicción está fuera de su ámbito: elija una de las suyas.")]
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
    if renaming is None:
        renaming = territory_selectors.renaming_between(
            selectors.template_origin(template, exclude=program), program.jurisdiction
        )
    for tc in template.components.prefetch_related("phases"):
        component = Component(
            program=program,
            order=tc.order,
            key=tc.key,
            name=renaming.line(tc.name),
            theme=renaming.line(tc.theme),
            objective=renaming.text(tc.objective),
            audience=renaming.line(tc.audience),
        )
        component.save()
        for tp in tc.phases.all():
            Phase(
                component=component,
                order=tp.order,
                name=renaming.line(tp.name),
                description=renaming.text(tp.description),
            ).save()
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


@transaction.atomic
def program_manager_add(*, actor, program: Program, user) -> None:
    """`user` becomes one of the programme's managers (the people who answer for it)."""
    ensure_perm(actor, "programs.change_program", program)
    program.managers.add(user)


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
    if "jurisdiction" in changed and not (
        changes["jurisdiction"] is not None and scopes.in_jurisdiction(actor, changes["jurisdiction"].pk)
    ):
        errors["jurisdiction"] = [_("Esa jurisdicción está fuera de su ámbito: elija una de las suyas.")]
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
