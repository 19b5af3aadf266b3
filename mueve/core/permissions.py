"""Helpers for enforcing django-rules permissions in views (the rules live in each app's rules.py)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def require_perm(perm: str):
    """View decorator: anonymous users go to login; logged-in users without `perm` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.has_perm(perm):
                return view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied

        return wrapper

    return decorator


def ensure_perm(user, perm: str, obj=None) -> None:
    """For services and API endpoints: raise PermissionDenied unless `user` holds `perm`."""
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied
