from ninja import Query, Router, Schema
from pydantic import Field

from mueve.core.api.responses import MALFORMED, responses
from mueve.territory import selectors
from mueve.territory.schemas import AreaOut, JurisdictionOut

router = Router(tags=["territory"])


class PointQuery(Schema):
    lat: float = Field(..., ge=-90, le=90)
    lon: float = Field(..., ge=-180, le=180)


@router.get("/jurisdictions", response=list[JurisdictionOut])
def list_jurisdictions(request):
    return list(selectors.jurisdiction_list())


@router.get("/lookup", response=responses(list[AreaOut], MALFORMED))
def lookup_point(request, point: Query[PointQuery]):
    """Areas that contain the point (WGS84)."""
    return selectors.areas_containing(lat=point.lat, lon=point.lon)
