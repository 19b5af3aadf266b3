"""One error shape for every API failure.

Errors: `{"detail": "<message>", "errors": {"<field>": ["<message>", ...]}}` with 400 (bad
values, or a body that is not valid JSON), 401, 403, 404, 415 (a body that is not `application/json`),
422 (wrong types / missing fields) or 429 (a key past its quota, with Retry-After). Never a 500 for bad input.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from mueve.core.api.auth import CredentialRefused
from mueve.core.api.errors import schema_error_message
from mueve.core.api.parser import BodyError
from mueve.core.errors import error_dict


def install_error_handlers(api: NinjaAPI) -> None:
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

    @api.exception_handler(CredentialRefused)
    def on_credential_refused(request, exc):
        response = api.create_response(request, {"detail": exc.message}, status=exc.status)
        if exc.retry_after is not None:
            response["Retry-After"] = str(exc.retry_after)
        return response

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
