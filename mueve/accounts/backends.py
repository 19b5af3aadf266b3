"""Login throttling (django-axes) fitted to Mueve: which address a login comes from, and logins without a request."""

from axes.backends import AxesStandaloneBackend


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses a login while its (address, username) pair is locked out.

    An authentication without a request (code calling `authenticate()` itself, Django's test client) comes from
    no browser and has no address to count against: it is let through to the next backends instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def login_name(request, credentials: dict | None) -> str:
    """The name a login attempt is counted under: what the person typed, a username or an e-mail address."""
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("email")
    if not name and request is not None:
        data = getattr(request, "POST", {})
        name = data.get("login") or data.get("username") or ""
    return (name or "").strip().lower()
