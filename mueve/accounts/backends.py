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
