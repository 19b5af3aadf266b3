import time

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
