"""Cuida tu Luz and Cuido mi Barrio over the API: the map's assets, adopting and leaving one, the ranking."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status as HttpStatus

from mueve.core.api.auth import public, session_or_token
from mueve.core.api.responses import AUTH, BODY, MALFORMED, NOT_FOUND, responses
from mueve.core.permissions import ensure_perm
from mueve.neighbourhood import selectors, services
from mueve.neighbourhood.schemas import (
    Month,
    NeighbourhoodAdoptIn,
    NeighbourhoodAdoptionOut,
    NeighbourhoodAssetOut,
    NeighbourhoodRankingOut,
)
from mueve.reports.models import Adoption

router = Router(tags=["Cuida tu Luz / Cuido mi Barrio"])
CONFLICT = (409,)


def _asset(asset_id: int):
    asset = selectors.asset_get(pk=asset_id)
    if asset is None:
        raise Http404
    return asset


@router.get("/assets", response=list[NeighbourhoodAssetOut], auth=public, url_name="neighbourhood_assets")
def list_assets(request):
    """Every active street light and bus stop, adopted or not (`mine`: adopted by the caller). No adopter's
    identity."""
    return selectors.assets_for_map(user=request.user)


@router.post(
    "/assets/{asset_id}/adoption",
    response=responses({201: NeighbourhoodAdoptionOut}, AUTH, NOT_FOUND, BODY, CONFLICT),
    auth=session_or_token,
)
def adopt_asset(request, asset_id: int, payload: NeighbourhoodAdoptIn):
    """The caller adopts the asset, with an optional name for it. Adopting it twice is a 409 with a message on
    `asset`."""
    ensure_perm(request.user, "neighbourhood.adopt_asset")
    asset = _asset(asset_id)
    if Adoption.objects.filter(asset=asset, user=request.user).exists():
        message = _("Usted ya adoptó %(asset)s.") % {"asset": asset.name}
        return HttpStatus(409, {"detail": message, "errors": {"asset": [message]}})
    services.adopt(asset=asset, user=request.user, name=payload.name)
    return HttpStatus(201, {"asset": asset.pk, "name": payload.name.strip(), "adopted": True})


@router.delete(
    "/assets/{asset_id}/adoption",
    response=responses(NeighbourhoodAdoptionOut, AUTH, NOT_FOUND, MALFORMED),
    auth=session_or_token,
)
def unadopt_asset(request, asset_id: int):
    """The caller stops looking after the asset (404 when they had not adopted it)."""
    ensure_perm(request.user, "neighbourhood.adopt_asset")
    asset = _asset(asset_id)
    if not Adoption.objects.filter(asset=asset, user=request.user).exists():
        return HttpStatus(404, {"detail": _("Usted no ha adoptado %(asset)s.") % {"asset": asset.name}})
    services.unadopt(asset=asset, user=request.user)
    return {"asset": asset.pk, "name": "", "adopted": False}


@router.get("/ranking", response=responses(NeighbourhoodRankingOut, NOT_FOUND, MALFORMED), auth=public)
def get_ranking(request, area: int, month: Month | None = None):
    """A neighbourhood's ranking for a month (AAAA-MM; this month when omitted). People who opted out are not
    listed; names are first name and initial. 404 for an area where nobody earned points."""
    found = selectors.ranking_areas().filter(pk=area).first()
    if found is None:
        return HttpStatus(404, {"detail": _("No hay ranking para esa área.")})
    first = selectors.parse_month(month) if month else timezone.localdate().replace(day=1)
    rows = selectors.ranking(area=found, month=first)
    return {
        "area": found.pk,
        "area_name": found.name,
        "month": first.strftime("%Y-%m"),
        "rows": [{"position": r.position, "display_name": r.display_name, "points": r.points} for r in rows],
    }
