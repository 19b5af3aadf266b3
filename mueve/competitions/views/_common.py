"""Helpers shared by the competition pages."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from mueve.core.errors import error_dict


def _posted_id(request, name: str) -> int:
    """A row id from the POSTed form; anything but digits is a missing row (404), never a 500."""
    value = (request.POST.get(name) or "").strip()
    if not value.isdecimal():
        raise Http404
    return int(value)


def _deny(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _flash_errors(request, exc: ValidationError) -> None:
    for msgs in error_dict(exc).values():
        for msg in msgs:
            messages.error(request, msg)
