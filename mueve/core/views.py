"""Error pages (HTML for people, JSON for API clients, never a bare 500 page for the API) and the health check."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def not_found(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": _("No encontrado.")}, status=404)
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": _("No tiene permiso para esta acción.")}, status=403)
    return render(request, "errors/403.html", status=403)


def server_error(request):
    if _wants_json(request):
        return JsonResponse({"detail": _("Error interno del servidor.")}, status=500)
    return render(request, "errors/500.html", status=500)


def healthz(request):
    """Liveness for load balancers and the benchmarks' no-op baseline: touches neither database nor cache."""
    return HttpResponse("ok", content_type="text/plain")
