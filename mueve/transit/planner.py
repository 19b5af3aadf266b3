"""Ya Voy: the trip planner over a feed's timetable (F2's RAPTOR), shared by the page and the API."""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from mueve.core.forms import ServiceErrorsMixin
from mueve.core.geo import haversine_m
from mueve.transit import raptor, selectors
from mueve.transit.gtfs import format_time
from mueve.transit.models import Feed, Route, Stop

MAX_WINDOW_S = 3 * 3600
FEED_REACH_M = 5000
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
        raise ValidationError({"origin": [_("No hay ninguna red de transporte cerca del origen.")]})
    return best


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
) -> dict:
    """Journeys leaving in [depart_from, depart_until] (both HH:MM), Pareto-optimal in arrival × transfers."""
    errors: dict[str, list[str]] = {}
    places = {}
    for name, text in (("origin", origin), ("destination", destination)):
        try:
            places[name] = parse_place(text, name)
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
    return {
        "feed": {"slug": the_feed.slug, "name": the_feed.name, "illustrative": the_feed.illustrative},
        "date": day.isoformat(),
        "depart_from": format_time(start)[:5],
        "depart_until": format_time(end)[:5],
        "origin": _place_coords(the_feed, places["origin"]),
        "destination": _place_coords(the_feed, places["destination"]),
        "journeys": [_journey_dict(j, names, routes) for j in journeys],
    }


def _journey_dict(j, names: dict[str, str], routes: dict[str, Route]) -> dict:
    legs = []
    for leg in j.legs:
        route = routes.get(leg.route_id) if leg.route_id else None
        legs.append(
            {
                "kind": leg.kind,
                "depart": format_time(leg.depart)[:5],
                "arrive": format_time(leg.arrive)[:5],
                "minutes": round((leg.arrive - leg.depart) / 60),
                "from_stop": leg.from_stop,
                "from_name": names.get(leg.from_stop or "", ""),
                "to_stop": leg.to_stop,
                "to_name": names.get(leg.to_stop or "", ""),
                "from_point": list(leg.from_point) if leg.from_point else None,
                "to_point": list(leg.to_point) if leg.to_point else None,
                "distance_m": round(leg.distance_m),
                "route_id": leg.route_id,
                "route_name": (route.short_name or route.long_name) if route else leg.route_name,
                "route_color": route.color if route else "",
                "headsign": leg.headsign,
                "hail_board": leg.hail_board,
                "hail_alight": leg.hail_alight,
            }
        )
    return {
        "depart": format_time(j.depart)[:5],
        "arrive": format_time(j.arrive)[:5],
        "duration_min": round((j.arrive - j.depart) / 60),
        "transfers": j.transfers,
        "rides": j.rides,
        "legs": legs,
    }


class PlanForm(ServiceErrorsMixin, forms.Form):
    origin = forms.CharField(
        label=_l("Desde"), help_text=_l("Toque el mapa, busque una parada o escriba «latitud, longitud».")
    )
    destination = forms.CharField(label=_l("Hasta"))
    depart_from = forms.CharField(label=_l("Salir entre las"), initial="08:00", max_length=5)
    depart_until = forms.CharField(label=_l("y las"), initial="08:30", max_length=5)
    day = forms.DateField(
        label=_l("Día"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    max_transfers = forms.IntegerField(label=_l("Transbordos como máximo"), min_value=0, max_value=5, initial=3)
    feed = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("max_transfers") is None:
            data["max_transfers"] = 3
        return data
