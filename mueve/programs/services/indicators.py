"""Results and impact indicators of a program, with their dated values."""

import math
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.programs import events
from mueve.programs.models import Component, Indicator, IndicatorValue, Program, Result
from mueve.programs.services.activity import _fmt, _program_url, activity_record


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
