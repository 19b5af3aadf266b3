"""Cuida tu Luz and Cuido mi Barrio over the API: the map's assets, adopting and leaving one, the ranking."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status as HttpStatus

from mueve.core.api.auth import public, session_or_token
from mueve.core.api.responses import AUTH, BODY, MALFORMED, NOT_FOUND, REFUSED, responses
from mueve.core.permissions import ensure_perm
from mueve.core.schemas import Text
from mueve.neighbourhood import selectors, services
from mueve.neighbourhood.schemas import AdoptIn, AdoptionOut, AssetOut, RankingOut

router = Router(tags=["Cuida tu Luz / Cuido mi Barrio"])


def _asset(asset_id: int):
    asset = selectors.asset_get(pk=asset_id)
    if asset is None:
        raise Http404
    return asset


@router.get("/assets", response=list[AssetOut], auth=public, url_name="neighbourhood_assets")
def list_assets(request):
    """Every active street light and bus stop, adopted or not (`mine`: adopted by the caller). No adopter's
    identity."""
    return selectors.assets_for_map(user=request.user)


@router.post(
    "/assets/{asset_id}/adoption",
    response=responses({201: AdoptionOut}, AUTH, NOT_FOUND, BODY),
    auth=session_or_token,
)
def adopt_asset(request, asset_id: int, payload: AdoptIn):
    """The caller adopts the asset, with an optional name for it. Adopting it twice is refused (400)."""
    ensure_perm(request.user, "neighbourhood.adopt_asset")
    asset = _asset(asset_id)
    services.adopt(asset=asset, user=request.user, name=payload.name)
    return HttpStatus(201, {"asset": asset.pk, "name": payload.name.strip(), "adopted": True})


@router.delete(
    "/assets/{asset_id}/adoption", response=responses(AdoptionOut, AUTH, NOT_FOUND, REFUSED), auth=session_or_token
)
def unadopt_asset(request, asset_id: int):
    """The caller stops looking after the asset."""
    ensure_perm(request.user, "neighbourhood.adopt_asset")
    asset = _asset(asset_id)
    services.unadopt(asset=asset, user=request.user)
    return {"asset": asset.pk, "name": "", "adopted": False}


@router.get("/ranking", response=responses(RankingOut, REFUSED, MALFORMED), auth=public)
def get_ranking(request, area: int, month: Text | None = None):
    """A neighbourhood's ranking for a month (AAAA-MM; this month when omitted). People who opted out are not
    listed; names are first name and initial."""
    found = selectors.ranking_areas().filter(pk=area).first()
    errors = {}
    if found is None:
        errors["area"] = [_("No hay ranking para esa área.")]
    first = selectors.parse_month(month) if month else timezone.localdate().replace(day=1)
    if first is None:
        errors["month"] = [_("Indique un mes válido (AAAA-MM).")]
    if errors:
        raise ValidationError(errors)
    rows = selectors.ranking(area=found, month=first)
    return {
        "area": found.pk,
        "area_name": found.name,
        "month": first.strftime("%Y-%m"),
        "rows": [{"position": r.position, "display_name": r.display_name, "points": r.points} for r in rows],
    }
