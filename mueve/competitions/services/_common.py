"""Helpers every competitions service module shares."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone


def current_time(now: datetime | None) -> datetime:
    return now or timezone.now()


def raise_errors(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)
