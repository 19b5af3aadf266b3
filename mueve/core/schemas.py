"""Building blocks for the apps' API schemas (django-ninja on pydantic)."""

from collections.abc import Iterable
from typing import Annotated, Any

from django.core.validators import ProhibitNullCharactersValidator
from ninja import Schema
from pydantic import AfterValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError


def _without_null_characters(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("null_characters", str(ProhibitNullCharactersValidator.message))
    return value


Text = Annotated[
    str,
    AfterValidator(_without_null_characters),
    # Stated in the schema too, so that a client (or a fuzzer) knows a NUL is refused.
    Field(json_schema_extra={"pattern": "^[^\x00]*$"}),
]
"""Text the API takes in (body fields, query and path parameters).

Like a form's CharField it refuses NUL characters, which PostgreSQL can neither store nor compare: a 422
that names the field instead of a database error.
"""

SearchText = Annotated[Text, Field(max_length=200)]
"""A free-text search (`q`): long enough for any search, short enough for any database's LIKE."""


def choice(values: Iterable[str]) -> Any:
    """A string from a fixed set (a model's `TextChoices.values`), with the set listed in the OpenAPI document.

    The API layer does not refuse other values itself: the view or service does, as the HTML forms do, so a
    wrong value keeps its 400 with a Spanish message naming the field and the values allowed.
    """
    return Annotated[Text, WithJsonSchema({"type": "string", "enum": list(values)})]


class ErrorOut(Schema):
    """The one error shape of every API failure (see mueve.core.api.handlers)."""

    detail: str = Field(..., description="Qué falló, en una frase.")
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Mensajes por campo (`__all__` para el conjunto); solo en 400 y 422."
    )


class PageQuery(Schema):
    """`?page=&page_size=` of every API list; answered by `paginate`."""

    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


def paginate(queryset, paging: PageQuery) -> dict:
    """The shape of every API list: {"count", "page", "page_size", "items"}."""
    start = (paging.page - 1) * paging.page_size
    return {
        "count": queryset.count(),
        "page": paging.page,
        "page_size": paging.page_size,
        "items": list(queryset[start : start + paging.page_size]),
    }
