"""911-R over the API: the dispatcher's lookup, for the emergency services' own systems (same as /rural/despacho/)."""

from ninja import Router
from ninja.responses import Status as HttpStatus

from mueve.core.api.auth import session_or_token
from mueve.core.api.responses import AUTH, MALFORMED, REFUSED, responses
from mueve.core.permissions import ensure_perm
from mueve.rural_addresses import selectors
from mueve.rural_addresses.schemas import RuralPlaceOut

router = Router(tags=["911-R direcciones rurales"])


@router.get("/lookup", response=responses(list[RuralPlaceOut], AUTH, REFUSED, MALFORMED), auth=session_or_token)
def lookup(
    request,
    code: str = "",
    locality: str = "",
    road: str = "",
    km: float | None = None,
    q: str = "",
    lat: float | None = None,
    lon: float | None = None,
):
    """Places by full or short plus code (+ locality), road and km, description words, or near a rough position.
    Emergency roles (and the registry's managers); the emergency note comes with each place that has one, for
    emergency roles only. A lookup that cannot be understood is a 400 with a message on its field."""
    ensure_perm(request.user, "rural_addresses.dispatch")
    try:
        return selectors.lookup(
            user=request.user,
            code=code[:20],
            locality=locality[:80],
            road=road[:80],
            km=km,
            q=q[:120],
            lat=lat,
            lon=lon,
        )
    except selectors.LookupError_ as exc:
        return HttpStatus(400, {"detail": exc.message, "errors": {exc.field: [exc.message]}})
