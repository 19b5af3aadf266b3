from django.shortcuts import get_object_or_404
from ninja import Query, Router

from mueve.core.api.responses import MALFORMED, NOT_FOUND, REFUSED, responses
from mueve.core.schemas import Text
from mueve.transit import planner, selectors
from mueve.transit.models import Route
from mueve.transit.schemas import (
    FeedOut,
    PlanOut,
    PlanQuery,
    RouteGeometryOut,
    RouteOut,
    StopOut,
    StopQuery,
    VehicleOut,
)

router = Router(tags=["transit"])


@router.get("/feeds", response=list[FeedOut])
def list_feeds(request):
    return list(selectors.feeds_with_data())


@router.get("/routes", response=responses(list[RouteOut], MALFORMED))
def list_routes(request, feed: Text = ""):
    qs = selectors.route_list()
    return list(qs.filter(feed__slug=feed) if feed else qs)


@router.get("/stops", response=responses(list[StopOut], NOT_FOUND, MALFORMED), url_name="transit_stop_search")
def search_stops(request, query: Query[StopQuery]):
    """Stops whose name contains `q` (accents ignored), or whose code or id is `q`."""
    feed = get_object_or_404(selectors.feeds_with_data(), slug=query.feed) if query.feed else None
    return selectors.stop_search(query.q, feed=feed)


def _route(feed: Text, route_id: Text) -> Route:
    return get_object_or_404(selectors.route_list(), feed__slug=feed, route_id=route_id)


@router.get(
    "/routes/{feed}/{route_id}",
    response=responses(RouteGeometryOut, NOT_FOUND, MALFORMED),
    url_name="transit_route_geometry",
)
def route_geometry(request, feed: Text, route_id: Text):
    """The route's main shape ([lat, lon] list, in travel order) and stops, for maps and the Despierta alarm."""
    route = _route(feed, route_id)
    return {
        "feed": route.feed.slug,
        "route_id": route.route_id,
        "short_name": route.short_name,
        "long_name": route.long_name,
        "color": route.color,
        "hail_anywhere": route.hail_anywhere,
        "shape": [list(p) for p in selectors.route_main_shape(route)],
        "stops": [
            {"stop_id": s.stop_id, "name": s.name, "tts_stop_name": s.spoken_name, "lat": s.lat, "lon": s.lon}
            for s in selectors.route_stops(route)
        ],
    }


@router.get(
    "/routes/{feed}/{route_id}/vehicles",
    response=responses(list[VehicleOut], NOT_FOUND, MALFORMED),
    url_name="transit_route_vehicles",
)
def route_vehicles(request, feed: Text, route_id: Text):
    return selectors.vehicles_for_route(_route(feed, route_id))


@router.get("/plan", response=responses(PlanOut, REFUSED, MALFORMED), url_name="transit_plan")
def plan(request, query: Query[PlanQuery]):
    """Ya Voy: journeys leaving between `depart_from` and `depart_until`, Pareto-optimal in arrival time × transfers.

    On hail-anywhere routes the rider boards and alights at the nearest point of the route within walking distance.
    Bad values answer 400/422 with `errors` per field."""
    return planner.plan_trip(**query.dict())
