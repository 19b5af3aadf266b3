"""Building blocks for the apps' API schemas (django-ninja on pydantic)."""

from typing import Annotated

from django.core.validators import ProhibitNullCharactersValidator
from ninja import Schema
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError


def _without_null_characters(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("null_characters", str(ProhibitNullCharactersValidator.message))
    return value


Text = Annotated[str, AfterValidator(_without_null_characters)]
"""Text the API takes in (body fields, query and path parameters).

Like a form's CharField it refuses NUL characters, which PostgreSQL can neither store nor compare: a 422
that names the field instead of a database error.
"""

SearchText = Annotated[Text, Field(max_length=200)]
"""A free-text search (`q`): long enough for any search, short enough for any database's LIKE."""


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
