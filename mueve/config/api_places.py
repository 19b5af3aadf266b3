"""GET /api/v1/places/search: stops, landmarks, streets and organizations by name (mueve/core/places.py)."""

from ninja import Query, Router, Schema
from pydantic import Field

from mueve.core import places
from mueve.core.api.responses import MALFORMED, REFUSED, responses

router = Router(tags=["places"])


class PlaceQuery(Schema):
    # At least one character that is not a space, stated in the schema so a client (or a fuzzer) knows.
    q: str = Field(
        ...,
        max_length=places.MAX_QUERY_LENGTH,
        pattern=r"^[^\x00]*[^\s\x00][^\x00]*$",
        description="el nombre, o parte de él",
    )
    limit: int = Field(10, ge=1, le=50)


class PlaceOut(Schema):
    name: str
    kind: str = Field(..., description="«parada», «lugar», «calle», «organización» o «dirección» (geocodificador)")
    lat: float
    lon: float
    detail: str
    stops: list[str] = Field(..., description="las paradas que el lugar reúne, «stop:<red>:<parada>»")


@router.get("/search", response=responses(list[PlaceOut], REFUSED, MALFORMED), url_name="places_search")
def search_places(request, query: Query[PlaceQuery]):
    """Places whose name matches `q` (case and accents ignored), best match first; the same name within 150 m
    is one place. Street addresses from the deployment's geocoder, if it has one, come after the local places.
    A blank `q` answers 400 with a message for `q`; punctuation alone names no place (an empty list)."""
    return places.search(query.q, limit=query.limit)
