import secrets
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class ServerTimingMiddleware:
    """Adds `Server-Timing: app;dur=<ms>` so browsers' dev tools and the bench show server time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - start) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
        return response


class DatabaseBusyMiddleware:
    """A write that waited out SQLite's busy timeout answers 503 + Retry-After, not 500.

    Under a burst of writers the embedded database serializes them; the rare request that still cannot get the lock
    has changed nothing (its transaction rolled back), so telling the client to retry is both true and safe: phones
    keep the report queued and resend it with the same idempotency key.
    """

    RETRY_AFTER_SECONDS = 2

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (isinstance(exception, OperationalError) and "locked" in str(exception).lower()):
            return None
        message = _("El servidor está ocupado. Intente de nuevo en unos segundos; no se guardó nada.")
        if request.path.startswith(("/api/", "/open311/")) or "application/json" in request.headers.get("Accept", ""):
            response = JsonResponse({"detail": message}, status=503)
        else:
            response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response


class ContentSecurityPolicyMiddleware:
    """A strict Content-Security-Policy on every HTML response, with a fresh nonce per request.

    Scripts run only from our own origin or with this request's nonce, so text that slipped into the page as markup
    (a stop name, a vehicle label) cannot run. Templates read the nonce as `csp_nonce` (context processor); the header
    is built only for HTML, since JSON, files and the service worker's script are not documents.
    Written here rather than taken from django-csp: the policy is one fixed string plus the tile host, and the nonce
    needs no more than `secrets`.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.tiles = settings.MUEVE_TILE_URL
        self.policy = build_policy(self.tiles)

    def __call__(self, request):
        if settings.MUEVE_TILE_URL != self.tiles:  # changed while running (tests): the tile host follows it
            self.tiles = settings.MUEVE_TILE_URL
            self.policy = build_policy(self.tiles)
        request.csp_nonce = secrets.token_urlsafe(18)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response and response.get("Content-Type", "").startswith("text/html"):
            response["Content-Security-Policy"] = self.policy.replace("{nonce}", request.csp_nonce)
        return response


def tile_source(tiles_url: str) -> str:
    """The CSP source of the map tiles: scheme and host of the template URL, `{s}` subdomains as a wildcard."""
    parts = urlsplit(tiles_url)
    if not parts.scheme or not parts.netloc:
        return ""  # tiles served from this site: 'self' covers them
    host = parts.netloc.replace("{s}", "*")
    if "{" in host:  # any other placeholder in the host: allow its parent domain's subdomains
        host = "*." + host.rsplit("}", 1)[1].lstrip(".-")
    return f"{parts.scheme}://{host}"


def build_policy(tiles_url: str) -> str:
    tiles = tile_source(tiles_url)
    directives = [
        "default-src 'self'",
        "script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'nonce-{nonce}'",
        "img-src 'self' data: blob:" + (f" {tiles}" if tiles else ""),
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)
