"""The NinjaAPI root: one router per app with JSON endpoints, and one error shape for every failure.

Errors: `{"detail": "<message>", "errors": {"<field>": ["<message>", ...]}}` with 400 (bad
values, or a body that is not valid JSON), 401, 403, 404, 415 (a body that is not `application/json`)
or 422 (wrong types / missing fields). Never a 500 for bad input.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from mueve.api.errors import schema_error_message
from mueve.api.parser import BodyError, JsonParser
from mueve.challenges.api import router as challenges_router
from mueve.competitions.api import router as competitions_router
from mueve.core.errors import error_dict
from mueve.datasets.api import router as datasets_router
from mueve.programs.api import router as programs_router
from mueve.stakeholders.api import router as stakeholders_router
from mueve.territory.api import router as territory_router
from mueve.transit.api import router as transit_router
from mueve.workshops.api import router as workshops_router

api = NinjaAPI(
    title="Mueve API",
    version="1",
    description=(
        "API abierta de Mueve. Lecturas públicas sin credenciales; escrituras con sesión o "
        "`Authorization: Bearer <token>` según el rol."
    ),
    urls_namespace="api-1",
    parser=JsonParser(),
)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return api.create_response(request, {"detail": _("Datos inválidos."), "errors": error_dict(exc)}, status=400)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request, exc):
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path")]
        errors.setdefault(".".join(loc) or "__all__", []).append(schema_error_message(err))
    return api.create_response(request, {"detail": _("Datos inválidos."), "errors": errors}, status=422)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return api.create_response(request, {"detail": _("No tiene permiso para esta acción.")}, status=403)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return api.create_response(request, {"detail": _("Se requiere autenticación.")}, status=401)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": _("No encontrado.")}, status=404)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    # django-ninja turns any parser error into a bare 400 "Cannot parse request body": answer the parser's own.
    if isinstance(exc.__cause__, BodyError):
        exc = exc.__cause__
    if isinstance(exc, BodyError) and exc.status_code == 400:
        return api.create_response(
            request, {"detail": _("Datos inválidos."), "errors": {"__all__": [str(exc)]}}, status=400
        )
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


api.add_router("/territory/", territory_router)
api.add_router("/organizations/", stakeholders_router)
api.add_router("/programs/", programs_router)
api.add_router("/challenges/", challenges_router)
api.add_router("/workshops/", workshops_router)
api.add_router("/datasets/", datasets_router)
api.add_router("/competitions/", competitions_router)
api.add_router("/transit/", transit_router)
