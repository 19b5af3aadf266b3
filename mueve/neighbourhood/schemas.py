from ninja import Schema

from mueve.core.schemas import Text


class AssetOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    lat: float
    lon: float
    adopted: bool
    mine: bool


class AdoptIn(Schema):
    name: Text = ""


class AdoptionOut(Schema):
    asset: int
    name: str
    adopted: bool


class RankingRowOut(Schema):
    position: int
    display_name: str
    points: int


class RankingOut(Schema):
    area: int
    area_name: str
    month: str
    rows: list[RankingRowOut]
