"""API shapes of Cuida tu Luz and Cuido mi Barrio. Names carry the app's prefix: OpenAPI components share one
namespace with the other apps' schemas (competitions has its own ranking rows)."""

from typing import Annotated

from ninja import Field, Schema

from mueve.core.schemas import Text

Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="AAAA-MM")]


class NeighbourhoodAssetOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    lat: float
    lon: float
    adopted: bool
    mine: bool


class NeighbourhoodAdoptIn(Schema):
    name: Text = Field("", max_length=60, description="Un nombre para la luz o el paradero (opcional).")


class NeighbourhoodAdoptionOut(Schema):
    asset: int
    name: str
    adopted: bool


class NeighbourhoodRankingRowOut(Schema):
    position: int
    display_name: str
    points: int


class NeighbourhoodRankingOut(Schema):
    area: int
    area_name: str
    month: str
    rows: list[NeighbourhoodRankingRowOut]
