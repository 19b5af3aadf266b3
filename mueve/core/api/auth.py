"""API authentication: a browser session (with CSRF) or an `Authorization: Bearer <token>` header."""

from functools import cache

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.module_loading import import_string
from ninja.security import HttpBearer, SessionAuth


@cache
def _authenticator(path: str):
    return import_string(path)


def api_token_authenticate(*, key: str):
    """The active user a token belongs to, or None.

    Tokens are the accounts app's; core sits below every app and imports none, so the function that checks
    a token is named by the API_TOKEN_AUTHENTICATOR setting.
    """
    return _authenticator(settings.API_TOKEN_AUTHENTICATOR)(key=key)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(key=token)
        if user is not None:
            request.user = user
        return user


class BrowserSessionAuth(SessionAuth):
    """A signed-in browser session, which must send the CSRF token.

    Without a signed-in session it steps aside (no CSRF check), so a bearer token or a plain 401 decides.
    """

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


class OptionalAuth:
    """For public reads: attaches the user when credentials are given, never refuses."""

    def __call__(self, request):
        bearer = request.headers.get("Authorization", "")
        if bearer.lower().startswith("bearer "):
            user = api_token_authenticate(key=bearer.split(" ", 1)[1].strip())
            request.user = user or AnonymousUser()
        return True


# The token goes first: a request that carries one never depends on a session cookie or a CSRF token.
session_or_token = [TokenAuth(), BrowserSessionAuth(csrf=True)]
public = OptionalAuth()
