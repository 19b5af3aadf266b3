"""API plumbing every app's router uses: authentication, the JSON body parser, the error shape.

It lives in core so that apps depend on it without depending on `mueve.api`, which imports every app's router.
"""

from ninja import NinjaAPI
from ninja.errors import ValidationError

from mueve.core.api.handlers import install_error_handlers
from mueve.core.api.parser import JsonParser


class MueveAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Ninja's, plus the 429 every operation may give: any request may carry an API key (mueve.api.keys), and a
        key past its quota is refused, with Retry-After, in the one error shape."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                answers = operation.get("responses") if isinstance(operation, dict) else None
                if answers is not None and "429" not in answers and 429 not in answers:
                    answers[429] = {
                        "description": "Too Many Requests",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
                    }
        return schema

    def validation_error_from_error_contexts(self, error_contexts) -> ValidationError:
        """Ninja's, except that a text over its limit keeps its length (the input itself is dropped, as Ninja
        does), so that the message can say "Máximo 255 caracteres (tiene 1000)." (mueve.core.api.errors)."""
        errors = []
        for context in error_contexts:
            model = context.model
            for error in context.pydantic_validation_error.errors(include_url=False):
                error["loc"] = (model.__ninja_param_source__,) + model.__ninja_flatten_map_reverse__.get(
                    error["loc"], error["loc"]
                )
                value = error.pop("input", None)
                if error["type"] == "string_too_long" and isinstance(value, str):
                    error["ctx"] = {**error.get("ctx", {}), "length": len(value)}
                if isinstance(error.get("ctx", {}).get("error"), Exception):
                    error["ctx"]["error"] = str(error["ctx"]["error"])
                errors.append(dict(error))
        return ValidationError(errors)


def create_api(**kwargs) -> NinjaAPI:
    """A NinjaAPI that reads only JSON object bodies and answers every failure in the one error shape."""
    api = MueveAPI(parser=JsonParser(), **kwargs)
    install_error_handlers(api)
    return api
