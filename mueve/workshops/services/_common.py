"""Helpers every workshops service module shares."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MANAGE = "workshops.manage_workshop"


def required(value: str, field: str, errors: dict[str, list[str]]) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(field, []).append(_("Obligatorio."))
    return value


def raise_errors(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def clean_save(obj, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude)
    obj.save()
