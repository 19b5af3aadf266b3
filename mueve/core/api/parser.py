"""Request bodies: one JSON object, sent as `application/json`, and nothing else."""

import json

from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.parser import Parser

from mueve.core.text import has_lone_surrogates


class BodyError(HttpError):
    """A body that is not a JSON object: 415 for another media type, 400 for JSON that does not parse or is not
    an object (django-ninja would read `[]` or `null` as an empty object)."""


def require_json(request) -> None:
    if request.content_type != "application/json":
        raise BodyError(415, _("Envíe el cuerpo como JSON, con «Content-Type: application/json»."))


class JsonParser(Parser):
    def parse_body(self, request):
        require_json(request)
        try:
            data = json.loads(request.body)
        # JSONDecodeError and UnicodeDecodeError are ValueErrors; nesting too deep is a RecursionError.
        except (ValueError, RecursionError) as exc:
            raise BodyError(400, _("El cuerpo no es JSON válido.")) from exc
        if not isinstance(data, dict):
            raise BodyError(400, _("Se esperaba un objeto JSON."))
        if has_lone_surrogates(data):
            raise BodyError(400, _("El cuerpo contiene caracteres Unicode inválidos."))
        return data
