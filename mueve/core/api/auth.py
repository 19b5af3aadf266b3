"""API authentication: a browser session (with CSRF) or an application's key (`Authorization: Bearer <key>`, a
bare `Authorization: <key>`, `X-API-Key: <key>` or `?api_key=`)."""

from functools import cache

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.module_loading import import_string
from ninja.security import HttpBearer, SessionAuth


class CredentialRefused(Exception):
    """A credential was presented and refused: answered with its status (401 unknown, 403 revoked, 429 over its
    quota, with Retry-After) and a message. Keys are the api app's (mueve.api.keys.KeyRefused)."""

    def __init__(self, status: int, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


@cache
def _authenticator(path: str):
    return import_string(path)


def key_user(request):
    """The active user behind the key `request` presents, or None (no key, or a key of no one's).

    Keys are the api app's; core sits below every app and imports none, so the function that checks a key is
    named by the API_KEY_AUTHENTICATOR setting. It raises CredentialRefused for a bad key.
    """
    return _authenticator(settings.API_KEY_AUTHENTICATOR)(request)


class TokenAuth(HttpBearer):
    """An application's key, presented any of the ways the platform accepts (shown as a bearer token in the
    OpenAPI schema)."""

    def __call__(self, request):
        user = key_user(request)
        if user is not None:
            request.user = user
        return user

    def authenticate(self, request, token):  # HttpBearer's abstract method; __call__ does the work
        return None


class BrowserSessionAuth(SessionAuth):
    """A signed-in browser session, which must send the CSRF token.

    Without a signed-in session it steps aside (no CSRF check), so a key or a plain 401 decides.
    """

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


class OptionalAuth:
    """For public reads: attaches the user when a key is given; refuses only a bad key (or one past its quota)."""

    def __call__(self, request):
        user = key_user(request)
        if user is not None:
            request.user = user
        elif getattr(request, "api_key", None) is not None:
            request.user = AnonymousUser()
        return True


# The key goes first: a request that carries one never depends on a session cookie or a CSRF token.
session_or_token = [TokenAuth(), BrowserSessionAuth(csrf=True)]
public = OptionalAuth()
