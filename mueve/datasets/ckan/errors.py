"""The errors of CKAN's action API, as CKAN 2.10 answers them (ckan/views/api.py), so that clients such as
`ckanapi` turn them back into the same exceptions (ckanapi.NotFound, NotAuthorized, ValidationError, ...).

The `__type` names and the English prefixes of the messages ("Not found", "Access denied", "Bad request") are part
of the protocol: clients compare them. What follows the prefix is ours, in Spanish, translated like any text.
"""

from django.http import JsonResponse


class ActionError(Exception):
    """An action that cannot answer; `body` is the `error` member of CKAN's envelope."""

    status = 400
    kind = ""
    prefix = ""

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = str(message)

    def body(self) -> dict:
        message = self.prefix
        if self.message:
            message = f"{self.prefix}: {self.message}" if self.prefix else self.message
        return {"__type": self.kind, "message": message}


class NotFound(ActionError):
    status = 404
    kind = "Not Found Error"
    prefix = "Not found"


class NotAuthorized(ActionError):
    status = 403
    kind = "Authorization Error"
    prefix = "Access denied"


class ValidationFailed(ActionError):
    """CKAN's "Validation Error" (409): one list of messages per field, beside `__type`."""

    status = 409
    kind = "Validation Error"

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = {key: [str(m) for m in messages] for key, messages in errors.items()}

    def body(self) -> dict:
        return {**self.errors, "__type": self.kind}


class SearchQueryFailed(ActionError):
    status = 400
    kind = "Search Query Error"
    prefix = "Search Query is invalid"


def invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed({field: [message]})


def envelope_error(help_url: str, error: ActionError) -> JsonResponse:
    return JsonResponse(
        {"help": help_url, "success": False, "error": error.body()},
        status=error.status,
        json_dumps_params={"ensure_ascii": False},
    )


def bad_request(detail: str) -> JsonResponse:
    """CKAN answers a request it cannot read (an unknown action, a body that is not a JSON object) with a bare
    JSON string, not the envelope: "Bad request - <detail>"."""
    return JsonResponse(f"Bad request - {detail}", status=400, safe=False, json_dumps_params={"ensure_ascii": False})
