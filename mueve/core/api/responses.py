"""The `response={...}` of every endpoint: its success answers plus the error shape for each error it can give.

Declaring them all lets clients (and Schemathesis) know every answer an operation may give.
"""

from typing import Any

from mueve.core.schemas import ErrorOut

# 422: a query, path or body value of the wrong type, out of range or missing (django-ninja's validation).
MALFORMED = (422,)
# 400: a value refused by the rules (unknown choice or reference, dates out of order, ...), with field messages.
REFUSED = (400,)
# A JSON body: 400 when it does not parse, 415 when it is not sent as application/json.
BODY = (400, 415, 422)
# Writes: 401 without credentials, 403 without the permission (or without the CSRF token of a session).
AUTH = (401, 403)
NOT_FOUND = (404,)


def responses(ok: Any, *errors: tuple[int, ...]) -> dict[int, Any]:
    """`ok` is the 200 schema, or a {status: schema} dict for other successes; `errors` are tuples of codes."""
    answers = dict(ok) if isinstance(ok, dict) else {200: ok}
    for codes in errors:
        answers.update(dict.fromkeys(codes, ErrorOut))
    return dict(sorted(answers.items()))
