"""Checks of what a sender gives beyond plain fields: the answers to a service's attributes, and a location."""

import math
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from mueve.core.text import too_long
from mueve.reports.models import Service, ServiceAttribute
from mueve.territory import selectors as territory_selectors

STRING_MAX = 255
TEXT_MAX = 4000

Datatype = ServiceAttribute.Datatype


def _as_list(raw: Any) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, (list, tuple)):
        return [str(item) for item in raw]
    return [str(raw)]


def _blank(values: list[str]) -> bool:
    return not any(value.strip() for value in values)


def _clean_one(attribute: ServiceAttribute, values: list[str], allowed: dict[str, str]) -> Any:
    """The stored value of one answered attribute, or a ValidationError with a Spanish message."""
    kind = attribute.datatype
    if kind == Datatype.MULTIVALUELIST:
        keys = [value.strip() for value in values if value.strip()]
        unknown = [key for key in keys if key not in allowed]
        if unknown:
            raise ValidationError(_("Valor no permitido: %(values)s.") % {"values": ", ".join(unknown)})
        return list(dict.fromkeys(keys))
    if len(values) != 1:
        raise ValidationError(_("Se esperaba un solo valor."))
    value = values[0].strip()
    if "\x00" in value:
        raise ValidationError(_("El texto no puede contener caracteres nulos."))
    if kind == Datatype.SINGLEVALUELIST:
        if value not in allowed:
            raise ValidationError(_("Valor no permitido: %(value)s.") % {"value": value[:60]})
        return value
    if kind == Datatype.NUMBER:
        try:
            number = Decimal(value)
        except InvalidOperation as exc:
            raise ValidationError(_("Se esperaba un número.")) from exc
        if not number.is_finite() or abs(number) > Decimal("1e15"):
            raise ValidationError(_("Se esperaba un número finito y razonable."))
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == Datatype.DATETIME:
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is None:
            raise ValidationError(_("Se esperaba una fecha y hora ISO 8601 (AAAA-MM-DDTHH:MM:SS±HH:MM)."))
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment.isoformat()
    limit = STRING_MAX if kind == Datatype.STRING else TEXT_MAX
    if len(value) > limit:
        raise ValidationError(too_long(limit, len(value)))
    return value


def clean_attributes(*, service: Service, answers: dict[str, Any]) -> dict[str, Any]:
    """Checks `answers` ({code: value or [values]}) against the service definition; returns the values to store.

    Errors are keyed `attribute[code]`, in Spanish. Codes the service does not define are refused.
    """
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    attributes = {a.code: a for a in service.attributes.all()}
    for code in answers:
        if code not in attributes:
            errors.setdefault(f"attribute[{code}]", []).append(_("El servicio no tiene este atributo."))
    for code, attribute in attributes.items():
        label = f"attribute[{code}]"
        values = _as_list(answers.get(code))
        if not attribute.variable:
            continue
        if _blank(values):
            if attribute.required:
                errors.setdefault(label, []).append(_("Este atributo es obligatorio."))
            continue
        allowed = {v.key: v.name for v in attribute.values.all()}
        try:
            cleaned[code] = _clean_one(attribute, values, allowed)
        except ValidationError as exc:
            errors.setdefault(label, []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def check_location(
    lat: float | None,
    lon: float | None,
    address_string: str,
    address_id: str,
    errors: dict[str, list[str]],
    *,
    jurisdiction_id: int | None = None,
) -> None:
    """Adds to `errors` what is wrong with a location: a position (lat and long, within range, and with
    `jurisdiction_id` inside that jurisdiction's areas), or an address."""
    if lat is None and lon is None:
        if not address_string and not address_id:
            errors.setdefault("lat", []).append(_("Indique la ubicación: lat y long, address_string o address_id."))
        return
    if lat is None or lon is None:
        errors.setdefault("long" if lon is None else "lat", []).append(_("lat y long van juntas."))
        return
    if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
        errors.setdefault("lat", []).append(_("La latitud debe estar entre -90 y 90."))
    if not (math.isfinite(lon) and -180.0 <= lon <= 180.0):
        errors.setdefault("long", []).append(_("La longitud debe estar entre -180 y 180."))
    if errors.get("lat") or errors.get("long") or jurisdiction_id is None:
        return
    # A point nobody attends would open an incident with no commune and no agency that can act on it.
    if not territory_selectors.jurisdiction_covers(jurisdiction_id=jurisdiction_id, lat=lat, lon=lon):
        errors.setdefault("lat", []).append(
            _(
                "Esta ubicación está fuera del territorio que atiende este servicio. "
                "Marque un punto dentro de sus comunas."
            )
        )
