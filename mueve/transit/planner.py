"""Ya Voy: the trip planner over a feed's timetable (F2's RAPTOR), shared by the page and the API."""

import math
import re
import threading
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import ngettext

from mueve.core import places as place_search
from mueve.core.forms import ServiceErrorsMixin
from mueve.core.geo import haversine_m
from mueve.transit import predictions, raptor, selectors
from mueve.transit.geometry import cumulative_m, project
from mueve.transit.gtfs import format_time
from mueve.transit.models import Feed, Route, Stop

MAX_WINDOW_S = 3 * 3600
FEED_REACH_M = 5000
# Closer than this, origin and destination are one place: there is no trip to plan.
SAME_PLACE_M = 60
WALK_SPEED_MPS = 1.2  # raptor.plan's walking speed
POINT_RE = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,; ]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
HHMM_RE = re.compile(r"^([01]?\d|2[0-9]):([0-5]\d)$")


def parse_place(text: str, field: str) -> tuple[float, float] | str:
    """'-36.82, -73.05' -> (lat, lon); 'stop:ID' -> the stop id; anything else is an error."""
    text = (text or "").strip()
    if text.startswith("stop:") and len(text) > 5:
        return text[5:]
    m = POINT_RE.match(text)
    if not m:
        raise ValidationError({field: [_("Indique un punto «latitud, longitud» o elija una parada.")]})
    lat, lon = float(m.group(1)), float(m.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError({field: [_("Coordenadas fuera de rango.")]})
    return lat, lon


def resolve_place(text: str, ref: str, field: str) -> tuple[tuple[float, float] | str, str]:
    """(what the planner plans from, the name to show). `ref` is the exact point or stop chosen from the place
    list ("lat,lon" or "stop:ID"); without it `text` may be a point, a stop reference or a place's name, which
    the place search resolves to its best match (a place is planned from its point: the rider walks to the
    stops near it)."""
    text = (text or "").strip()
    if ref:
        return parse_place(ref, field), text
    if not text:
        raise ValidationError({field: [_("Escriba un lugar, una calle o una parada.")]})
    if text.startswith("stop:") or POINT_RE.match(text):
        return parse_place(text, field), ""
    try:
        found = place_search.search(text, limit=1)
    except ValidationError:
        found = []
    if not found:
        raise ValidationError(
            {
                field: [
                    _("No encontramos «%(q)s». Elija un lugar de la lista o escriba «latitud, longitud».") % {"q": text}
                ]
            }
        )
    return (found[0].lat, found[0].lon), found[0].name


def parse_hhmm(text: str, field: str) -> int:
    m = HHMM_RE.match((text or "").strip())
    if not m:
        raise ValidationError({field: [_("Hora inválida: use HH:MM, por ejemplo 08:30.")]})
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60


def _place_coords(feed: Feed, place) -> tuple[float, float] | None:
    if isinstance(place, tuple):
        return place
    stop = Stop.objects.filter(feed=feed, stop_id=place).first()
    return (stop.lat, stop.lon) if stop and stop.lat is not None else None


def choose_feed(origin, slug: str = "") -> Feed:
    feeds = list(selectors.feeds_with_data())
    if slug:
        feeds = [f for f in feeds if f.slug == slug]
        if not feeds:
            raise ValidationError({"feed": [_("No existe una red con ese identificador.")]})
        return feeds[0]
    if not feeds:
        raise ValidationError({"feed": [_("Todavía no hay redes de transporte cargadas.")]})
    if isinstance(origin, str):
        for feed in feeds:
            if Stop.objects.filter(feed=feed, stop_id=origin).exists():
                return feed
        raise ValidationError({"origin": [_("No se encontró esa parada.")]})
    lat, lon = origin
    best, best_d = None, None
    for feed in feeds:
        near = Stop.objects.filter(
            feed=feed, lat__range=(lat - 0.05, lat + 0.05), lon__range=(lon - 0.06, lon + 0.06)
        ).values_list("lat", "lon")
        d = min((haversine_m(lat, lon, a, b) for a, b in near), default=None)
        if d is not None and (best_d is None or d < best_d):
            best, best_d = feed, d
    if best is None or best_d > FEED_REACH_M:
        raise ValidationError(
            {"origin": [_("El origen está fuera del área atendida: no hay ninguna red de transporte cerca.")]}
        )
    return best


_shapes_lock = threading.Lock()
_hail_shapes_cache: dict = {}


def _hail_shapes(feed: Feed) -> list[tuple[list, list]]:
    """The main shapes of the feed's hail-anywhere routes (riders board anywhere along them), per feed version."""
    key = (feed.pk, feed.imported_at)
    with _shapes_lock:
        if key in _hail_shapes_cache:
            return _hail_shapes_cache[key]
    shapes = []
    for route in Route.objects.filter(feed=feed):
        if route.hail_anywhere:
            shape = selectors.route_main_shape(route)
            if len(shape) > 1:
                shapes.append((shape, cumulative_m(shape)))
    with _shapes_lock:
        _hail_shapes_cache.clear()
        _hail_shapes_cache[key] = shapes
    return shapes


def service_reach_m(feed: Feed, lat: float, lon: float) -> float:
    """How far the point is from where a rider can board: the nearest stop, or the nearest point of a
    hail-anywhere route. math.inf when the feed has neither within ~10 km."""
    near = Stop.objects.filter(
        feed=feed, lat__range=(lat - 0.1, lat + 0.1), lon__range=(lon - 0.12, lon + 0.12)
    ).values_list("lat", "lon")
    best = min((haversine_m(lat, lon, a, b) for a, b in near), default=math.inf)
    for shape, cum in _hail_shapes(feed):
        best = min(best, project(shape, lat, lon, cum).offset_m)
    return best


def _distance_text(metres: float) -> str:
    if metres >= 1000:
        return _("%(km)s km") % {"km": f"{metres / 1000:.1f}".replace(".", ",")}
    return _("%(m)d m") % {"m": round(metres / 10) * 10}


def _check_served(feed: Feed, name: str, point, max_walk_m: int) -> None:
    """A point farther than a walk from any boarding point is outside the area the network serves: say so,
    instead of an empty list of trips that reads as a matter of the hour."""
    if not isinstance(point, tuple):
        return
    reach = service_reach_m(feed, *point)
    if reach <= max_walk_m:
        return
    label = _("El origen") if name == "origin" else _("El destino")
    if math.isinf(reach):
        message = _("%(what)s está fuera del área atendida por la red «%(feed)s».") % {"what": label, "feed": feed.name}
    else:
        message = _(
            "%(what)s está fuera del área atendida por la red «%(feed)s»: la línea más cercana pasa a %(d)s, "
            "más de lo que se camina (%(walk)d m)."
        ) % {"what": label, "feed": feed.name, "d": _distance_text(reach), "walk": max_walk_m}
    raise ValidationError({name: [message]})


def plan_trip(
    *,
    origin: str,
    destination: str,
    day: date | None = None,
    depart_from: str = "",
    depart_until: str = "",
    max_transfers: int = 3,
    feed: str = "",
    max_walk_m: int = 600,
    origin_ref: str = "",
    destination_ref: str = "",
) -> dict:
    """Journeys leaving in [depart_from, depart_until] (both HH:MM), Pareto-optimal in arrival × transfers.

    `origin` and `destination` are a point «lat, lon», «stop:ID» or a place's name; `*_ref` the exact point or
    stop the rider picked from the place list for that name."""
    errors: dict[str, list[str]] = {}
    places, labels = {}, {}
    for name, text, ref in (("origin", origin, origin_ref), ("destination", destination, destination_ref)):
        try:
            places[name], labels[name] = resolve_place(text, ref, name)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    now = timezone.localtime()
    start = end = None
    try:
        start = parse_hhmm(depart_from, "depart_from") if depart_from else now.hour * 3600 + now.minute * 60
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        end = parse_hhmm(depart_until, "depart_until") if depart_until else (start or 0) + 1800
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if start is not None and end is not None:
        if end < start:
            errors.setdefault("depart_until", []).append(_("El fin de la ventana debe ser posterior al inicio."))
        elif end - start > MAX_WINDOW_S:
            errors.setdefault("depart_until", []).append(_("La ventana de salida puede durar hasta 3 horas."))
    if not (0 <= max_transfers <= 5):
        errors["max_transfers"] = [_("Entre 0 y 5 transbordos.")]
    if errors:
        raise ValidationError(errors)
    the_feed = choose_feed(places["origin"], feed)
    for name, place in places.items():
        if isinstance(place, str) and not Stop.objects.filter(feed=the_feed, stop_id=place).exists():
            errors[name] = [_("No se encontró esa parada en la red %s.") % the_feed.name]
    if errors:
        raise ValidationError(errors)
    points = {name: _place_coords(the_feed, place) for name, place in places.items()}
    if places["origin"] == places["destination"] or (
        points["origin"]
        and points["destination"]
        and haversine_m(*points["origin"], *points["destination"]) < SAME_PLACE_M
    ):
        raise ValidationError({"destination": [_("El origen y el destino son el mismo lugar.")]})
    for name, place in places.items():
        try:
            _check_served(the_feed, name, place, max_walk_m)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    for name, place in places.items():
        if not labels[name] and isinstance(place, str):
            labels[name] = (
                Stop.objects.filter(feed=the_feed, stop_id=place).values_list("name", flat=True).first() or ""
            )
    day = day or now.date()
    timetable = selectors.timetable_for_feed(the_feed, day)
    try:
        journeys = raptor.plan(
            timetable,
            places["origin"],
            places["destination"],
            depart_from=start,
            depart_until=end,
            max_transfers=max_transfers,
            max_walk_m=max_walk_m,
        )
    except (KeyError, ValueError):
        raise ValidationError({"destination": [_("No se encontró el origen o el destino en la red.")]}) from None
    stop_ids = {s for j in journeys for leg in j.legs for s in (leg.from_stop, leg.to_stop) if s}
    names = dict(Stop.objects.filter(feed=the_feed, stop_id__in=stop_ids).values_list("stop_id", "name"))
    routes = {
        r.route_id: r
        for r in Route.objects.filter(feed=the_feed, route_id__in={leg.route_id for j in journeys for leg in j.legs})
    }
    # Live predictions concern the buses running now: only a plan for today can ride them.
    live = predictions.live_index(the_feed, day) if journeys and day == predictions.local_date(the_feed, now) else {}
    out = [_journey_dict(j, names, routes, labels, start, live) for j in journeys]
    walk = next((j for j in out if j["rides"] == 0), None)
    return {
        "feed": {"slug": the_feed.slug, "name": the_feed.name, "illustrative": the_feed.illustrative},
        "date": day.isoformat(),
        "depart_from": format_time(start)[:5],
        "depart_until": format_time(end)[:5],
        "origin": points["origin"],
        "destination": points["destination"],
        "origin_name": labels["origin"],
        "destination_name": labels["destination"],
        # Within a walk: the planner says so first, with the walk's real length and time.
        "walk": {"distance_m": walk["legs"][0]["distance_m"], "minutes": walk["duration_min"]} if walk else None,
        "journeys": sorted(out, key=lambda j: (j["rides"] > 0, j["depart"], j["arrive"])),
    }


def _minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60)) if seconds > 0 else 0


def _rule_notices(leg) -> list[str]:
    """What the rider must do at a stop whose GTFS pickup_type / drop_off_type is 2 or 3."""
    notices = []
    if leg.pickup_type == 2:
        notices.append(_("Para subir, llame antes a la empresa de transporte."))
    elif leg.pickup_type == 3:
        notices.append(_("Para subir, haga señas al conductor."))
    if leg.drop_off_type == 2:
        notices.append(_("Para bajar, llame antes a la empresa de transporte."))
    elif leg.drop_off_type == 3:
        notices.append(_("Para bajar, avise al conductor."))
    return notices


def _journey_dict(
    j, names: dict[str, str], routes: dict[str, Route], labels: dict[str, str], start: int, live: dict
) -> dict:
    if j.rides == 0:
        # A walk needs no bus: it leaves at the start of the window, not at its end where the search put it.
        shift = start - j.depart
        for leg in j.legs:
            leg.depart += shift
            leg.arrive += shift
        j.depart, j.arrive = start, j.arrive + shift
    legs = []
    last = len(j.legs) - 1
    for i, leg in enumerate(j.legs):
        route = routes.get(leg.route_id) if leg.route_id else None
        legs.append(
            {
                "kind": leg.kind,
                "depart": format_time(leg.depart)[:5],
                "arrive": format_time(leg.arrive)[:5],
                "depart_s": leg.depart,
                "arrive_s": leg.arrive,
                "minutes": _minutes(leg.arrive - leg.depart),
                "from_stop": leg.from_stop,
                "from_name": names.get(leg.from_stop or "", "") or (labels["origin"] if i == 0 else ""),
                "to_stop": leg.to_stop,
                "to_name": names.get(leg.to_stop or "", "") or (labels["destination"] if i == last else ""),
                "from_point": list(leg.from_point) if leg.from_point else None,
                "to_point": list(leg.to_point) if leg.to_point else None,
                "distance_m": round(leg.distance_m),
                "route_id": leg.route_id,
                "route_name": (route.short_name or route.long_name) if route else leg.route_name,
                "route_color": route.color if route else "",
                "headsign": leg.headsign,
                "hail_board": leg.hail_board,
                "hail_alight": leg.hail_alight,
                **predictions.leg_live(
                    live,
                    kind=leg.kind,
                    trip_id=leg.trip_id,
                    from_stop=leg.from_stop,
                    to_stop=leg.to_stop,
                    depart=leg.depart,
                    arrive=leg.arrive,
                ),
                "trip_id": leg.gtfs_trip_id,
                "pickup_type": leg.pickup_type,
                "drop_off_type": leg.drop_off_type,
                "notices": _rule_notices(leg),
            }
        )
    # When the rider must set off: the start of the first leg (the walk to the bus, or the bus itself). The
    # search's own departure is the moment it tried, which may be minutes before the bus leaves.
    leave = j.legs[0].depart if j.legs else j.depart
    first_ride = next((leg for leg in j.legs if leg.kind == "ride"), None)
    return {
        "depart": format_time(leave)[:5],
        "board": format_time(first_ride.depart)[:5] if first_ride else None,
        "board_route": legs[j.legs.index(first_ride)]["route_name"] if first_ride else "",
        "arrive": format_time(j.arrive)[:5],
        "depart_s": leave,
        "arrive_s": j.arrive,
        "duration_min": _minutes(j.arrive - leave),
        "transfers": j.transfers,
        "rides": j.rides,
        "summary": _summary(j.rides, j.transfers),
        "legs": legs,
    }


def _summary(rides: int, transfers: int) -> str:
    if rides == 0:
        return _("A pie, sin bus")
    if transfers == 0:
        return _("Directo, sin transbordos")
    return ngettext("%(n)d transbordo", "%(n)d transbordos", transfers) % {"n": transfers}


class PlanForm(ServiceErrorsMixin, forms.Form):
    origin = forms.CharField(
        label=_l("Desde"),
        max_length=120,
        help_text=_l("Escriba un lugar, una calle o una parada y elíjalo de la lista; o toque el mapa."),
    )
    destination = forms.CharField(label=_l("Hasta"), max_length=120)
    # The exact point or stop picked from the list for the name shown (filled by the page's script).
    origin_ref = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    destination_ref = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    depart_from = forms.CharField(label=_l("Salir entre las"), initial="08:00", max_length=5, required=False)
    depart_until = forms.CharField(label=_l("y las"), initial="08:30", max_length=5, required=False)
    day = forms.DateField(
        label=_l("Día"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    max_transfers = forms.IntegerField(
        label=_l("Transbordos como máximo"), min_value=0, max_value=5, initial=3, required=False
    )
    feed = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("max_transfers") is None:
            data["max_transfers"] = 3
        return data
