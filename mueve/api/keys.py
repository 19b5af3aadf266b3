"""How a request presents an application's key, and how every surface checks it: one key, one way.

A key is presented as `Authorization: Bearer <key>`, a bare `Authorization: <key>` (what CKAN clients send),
`X-API-Key: <key>`, or the `api_key` parameter (Open311: in the query string, or in the form body of an Open311
POST). `key_for_request` is what every surface calls:

    key_for_request(request, *, surface) -> ApiKey | None

None when no key is presented; the approved key (its application and the application's organization and owner
loaded) after counting the use against the key's quota (mueve.api.usage); KeyRefused(status, message) for an
unknown key (401), a key not approved, revoked or the demo's outside demo mode (403), or one past its quota (429,
with `retry_after` seconds). A request is counted once, however many times it asks.

Lookups are remembered per process only when the cache is shared (Redis): each remembered key carries the
version stamp it was read under, and the stamp lives in the shared cache. Every approval, revocation or quota
change writes a new stamp after its commit (services.keys_changed), so the next request in any process sees a
stamp that differs from its memory and reads the key again: a revoked key is refused on the very next request,
wherever it arrives. The stamp is read before the database, so a lookup that overlapped a change is remembered
under the old stamp and never used. Without a shared cache every lookup reads the database (one indexed query),
since a process's memory could not learn of a revocation made elsewhere.
"""

import secrets
import threading
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from mueve.api import usage
from mueve.api.models import ApiKey, KeyUsage
from mueve.core.api.auth import CredentialRefused

__all__ = [
    "SURFACES",
    "ApiKeyAuth",
    "KeyRefused",
    "key_for_request",
    "presented_key",
    "refusal_response",
    "require_key",
    "user_for_key",
    "user_for_request",
]

SURFACES = tuple(KeyUsage.Surface.values)
MAX_KEY_LENGTH = 200
STAMP_KEY = "api:keys:stamp"
# Even under an unchanged stamp a remembered key is read again after this long: its owner's account (deactivated,
# erased) is not part of the stamp.
MEMORY_SECONDS = 60.0
_REQUEST_ATTRIBUTE = "_mueve_api_key"


class KeyRefused(CredentialRefused):
    """A presented key that does not work here: `status` 401, 403 or 429 (with `retry_after` seconds), and a
    Spanish `message`."""

    def __init__(self, status: int, message: str, retry_after: int | None = None):
        super().__init__(status, message, retry_after)


def presented_key(request, *, surface: str = "") -> str | None:
    """The key the request carries, or None. The Open311 surface also reads `api_key` from a POST's form body."""
    header = (request.headers.get("Authorization") or "").strip()
    if header:
        scheme, _space, rest = header.partition(" ")
        if scheme.lower() == "bearer":
            return rest.strip() or None
        if not rest.strip():
            return header  # a bare key, as CKAN clients send it
        # Another scheme (Basic, ...) is not a key of ours: look further.
    for value in (request.headers.get("X-API-Key"), request.GET.get("api_key")):
        if value and value.strip():
            return value.strip()
    if surface == KeyUsage.Surface.OPEN311 and request.method == "POST":
        value = request.POST.get("api_key")
        if value and value.strip():
            return value.strip()
    return None


def _shared_cache() -> bool:
    return not isinstance(caches["default"], LocMemCache | DummyCache)


_memory: dict[str, tuple[str, float, ApiKey]] = {}
_memory_lock = threading.Lock()


def _current_stamp() -> str:
    stamp = cache.get(STAMP_KEY)
    if stamp is None:
        cache.add(STAMP_KEY, secrets.token_hex(8), timeout=None)
        stamp = cache.get(STAMP_KEY)
    return stamp or ""


def forget() -> None:
    """This process forgets the keys it remembers."""
    with _memory_lock:
        _memory.clear()


def new_stamp() -> None:
    """Every process forgets the keys it remembers, at its next request (services call it after a commit)."""
    cache.set(STAMP_KEY, secrets.token_hex(8), timeout=None)
    forget()


def _read(hashed: str) -> ApiKey | None:
    return (
        ApiKey.objects.select_related("application__organization", "application__owner").filter(key_hash=hashed).first()
    )


def _find(key: str) -> ApiKey | None:
    """The key's row (any status), remembered while the shared stamp holds when it is approved."""
    hashed = ApiKey.hash_key(key)
    if not _shared_cache():
        return _read(hashed)
    stamp = _current_stamp()
    now = time.monotonic()
    remembered = _memory.get(hashed)
    if remembered is not None and remembered[0] == stamp and remembered[1] > now:
        return remembered[2]
    found = _read(hashed)
    if found is not None and found.status == ApiKey.Status.APPROVED and stamp:
        with _memory_lock:
            if len(_memory) > 10_000:
                _memory.clear()
            _memory[hashed] = (stamp, now + MEMORY_SECONDS, found)
    return found


def approved_key(key: str) -> ApiKey:
    """The approved key for `key`; KeyRefused (401/403) otherwise. Counts nothing."""
    if len(key) > MAX_KEY_LENGTH:
        raise KeyRefused(401, _("La clave de API no es válida."))
    if key.startswith(ApiKey.DEMO_PREFIX) and not settings.MUEVE_DEMO:
        raise KeyRefused(403, _("La clave de demostración solo funciona en el modo de demostración."))
    found = _find(key)
    if found is None:
        raise KeyRefused(401, _("La clave de API no es válida."))
    if found.status == ApiKey.Status.REVOKED:
        raise KeyRefused(403, _("La clave de API fue revocada."))
    if found.status != ApiKey.Status.APPROVED:
        raise KeyRefused(403, _("La clave de API todavía no está aprobada."))
    return found


def key_for_request(request, *, surface: str) -> ApiKey | None:
    """The approved key the request presents (counted once against its quota), None without one; KeyRefused for
    an unknown (401), unapproved or revoked (403) key, or one past its quota (429, with retry_after)."""
    if surface not in SURFACES:
        raise ValueError(f"unknown surface {surface!r}")
    done = getattr(request, _REQUEST_ATTRIBUTE, None)
    if done is not None:
        return done[0]
    key = presented_key(request, surface=surface)
    if key is None:
        setattr(request, _REQUEST_ATTRIBUTE, (None,))
        return None
    api_key = approved_key(key)
    try:
        usage.count(api_key, surface)
    except usage.OverQuota as over:
        raise KeyRefused(429, over.message, retry_after=over.retry_after) from over
    setattr(request, _REQUEST_ATTRIBUTE, (api_key,))
    request.api_key = api_key
    return api_key


def _owner(api_key: ApiKey):
    owner = api_key.application.owner
    return owner if owner is not None and owner.is_active else None


def user_for_request(request):
    """The platform API's authenticator (settings.API_KEY_AUTHENTICATOR): the active owner of the key the request
    presents, counted on the `api` surface; None without a key or for a key of no one's."""
    api_key = key_for_request(request, surface=KeyUsage.Surface.API)
    return None if api_key is None else _owner(api_key)


def user_for_key(*, key: str):
    """The active owner of an approved key, read afresh and counting nothing; None otherwise. For a long-lived
    connection that checks again the key it was opened with (mueve.realtime)."""
    try:
        api_key = approved_key(key)
    except KeyRefused:
        return None
    api_key = _read(api_key.key_hash)  # afresh: the owner may have been deactivated since it was remembered
    if api_key is None or api_key.status != ApiKey.Status.APPROVED:
        return None
    return _owner(api_key)


def refusal_response(refused: KeyRefused) -> JsonResponse:
    response = JsonResponse({"detail": refused.message}, status=refused.status)
    if refused.retry_after is not None:
        response["Retry-After"] = str(refused.retry_after)
    return response


def require_key(surface: str, *, required: bool = True):
    """Decorator for a plain Django view: `request.api_key` is the presented key (None when none is and it is not
    `required`); a refused or missing key answers the JSON error (401, 403 or 429 with Retry-After)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                api_key = key_for_request(request, surface=surface)
            except KeyRefused as refused:
                return refusal_response(refused)
            if api_key is None and required:
                return refusal_response(KeyRefused(401, _("Falta la clave de API.")))
            request.api_key = api_key
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class ApiKeyAuth(HttpBearer):
    """django-ninja auth: an approved key, counted on `surface`; `request.auth` is the ApiKey and `request.user`
    its owner when it has an active one. A refused key answers through the API's error handler (core's
    CredentialRefused: 401, 403 or 429 with Retry-After); no key, ninja's 401 (or the next auth in the list)."""

    def __init__(self, surface: str = KeyUsage.Surface.API):
        super().__init__()
        if surface not in SURFACES:
            raise ValueError(f"unknown surface {surface!r}")
        self.surface = surface

    def __call__(self, request):
        api_key = key_for_request(request, surface=self.surface)
        if api_key is None:
            return None
        owner = _owner(api_key)
        if owner is not None:
            request.user = owner
        return api_key

    def authenticate(self, request, token):  # HttpBearer's abstract method; __call__ does the work
        return None
