from ninja import Schema

from mueve.core.schemas import choice
from mueve.territory.models import Jurisdiction


class JurisdictionOut(Schema):
    slug: str
    name: str
    kind: choice(Jurisdiction.Kind.values)
    parent: str | None
    center_lat: float | None
    center_lon: float | None

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.slug if obj.parent_id else None


class AreaOut(Schema):
    id: int
    name: str
    code: str
    jurisdiction: str
    approximate: bool

    @staticmethod
    def resolve_jurisdiction(obj) -> str:
        return obj.jurisdiction.slug
