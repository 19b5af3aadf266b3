import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from mueve.api.keys import KeyRefused, key_for_request, refusal_response
from mueve.core.permissions import require_perm
from mueve.core.text import plural_forms
from mueve.transit import planner, predictions, realtime, selectors, services
from mueve.transit.forms import BuilderRouteForm, FeedCreateForm, FeedUploadForm, PointForm
from mueve.transit.models import Feed, FeedImport, Route, Stop

# Gran Concepción: where the maps open when nothing else is known.
DEFAULT_CENTER = [-36.8201, -73.0444]


def _map_config(**extra) -> str:
    return json.dumps({"center": DEFAULT_CENTER, "zoom": 12, **extra})


def home(request):
    feeds = list(selectors.feeds_with_data())
    routes_by_feed = [(feed, list(selectors.route_list(feed))) for feed in feeds]
    return render(
        request,
        "transit/home.html",
        {"routes_by_feed": routes_by_feed, "can_manage": request.user.has_perm("transit.manage_feed")},
    )


def _route(feed_slug: str, route_id: str) -> Route:
    return get_object_or_404(
        Route.objects.select_related("feed"), feed__slug=feed_slug, route_id=route_id, feed__imported_at__isnull=False
    )


def route_detail(request, feed_slug: str, route_id: str):
    route = _route(feed_slug, route_id)
    shape = selectors.route_main_shape(route)
    stops = selectors.route_stops(route)
    today = timezone.localdate()
    form = PointForm(request.GET or None)
    arrivals = None
    if form.is_valid():
        arrivals = selectors.next_arrivals(route, lat=form.cleaned_data["lat"], lon=form.cleaned_data["lon"])
    alerts = selectors.route_alerts(route, shape=shape)
    vehicles = selectors.vehicles_for_route(route)
    live = predictions.live_trips(route.feed, route=route)
    center = list(shape[len(shape) // 2]) if shape else DEFAULT_CENTER
    return render(
        request,
        "transit/route.html",
        {
            "route": route,
            "stops": stops,
            "schedule": selectors.route_schedule(route, today),
            "today": today,
            "form": form,
            "arrivals": arrivals,
            "alerts": alerts,
            "vehicles": vehicles,
            "live": live,
            "simulated_vehicles": any(v.simulated for v in vehicles),
            "map_config": _map_config(
                center=center,
                zoom=13,
                shape=shape,
                color="#" + (route.color or "00557F"),
                stops=[{"name": s.name, "lat": s.lat, "lon": s.lon} for s in stops if s.lat is not None],
                alerts=[{"lat": a.lat, "lon": a.lon, "header": a.header} for a in alerts],
                vehiclesUrl=reverse("api-1:transit_route_vehicles", args=[route.feed.slug, route.route_id]),
            ),
        },
    )


def stop_detail(request, feed_slug: str, stop_id: str):
    stop = get_object_or_404(
        Stop.objects.select_related("feed"), feed__slug=feed_slug, stop_id=stop_id, feed__imported_at__isnull=False
    )
    now = timezone.now()
    departures = predictions.stop_departures(stop, now=now)
    return render(
        request,
        "transit/stop.html",
        {
            "stop": stop,
            "now": now,
            "departures": departures,
            "realtime_count": sum(1 for d in departures if d.realtime),
            "routes": selectors.routes_at_stop(stop),
            "horizon_hours": int(predictions.STOP_HORIZON.total_seconds() // 3600),
        },
    )


def planner_page(request):
    form = planner.PlanForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        try:
            result = planner.plan_trip(**form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
    return render(
        request,
        "transit/planner.html",
        {
            "form": form,
            "result": result,
            "map_config": _map_config(
                planUrl=reverse("api-1:transit_plan"),
                placesUrl=reverse("api-1:places_search"),
                texts=place_search_texts(),
            ),
        },
    )


def place_search_texts() -> dict:
    """What the place list says (kinds of place, counts), translated on the server."""
    return {
        "kinds": {
            "parada": _("Parada"),
            "lugar": _("Lugar"),
            "calle": _("Calle"),
            "organización": _("Organización"),
            "dirección": _("Dirección"),
        },
        "none": _("No encontramos lugares con ese nombre."),
        "list_label": _("Lugares para «{field}»"),
        "one": _("1 lugar encontrado; use las flechas para elegir."),
        "many": _("{n} lugares encontrados; use las flechas para elegir."),
        "chosen": _("Elegido: {name}."),
        "map_point": _("Punto del mapa ({lat}, {lon})"),
        "origin": _("Desde"),
        "destination": _("Hasta"),
    }


def despierta_texts() -> str:
    """What Despierta says and shows, translated on the server ({placeholders} filled in the browser)."""
    return json.dumps(
        {
            "m": _("{d} metros"),
            "km": _("{d} kilómetros"),
            "near": _("Atención: faltan {d} para {name}. Prepárese para bajar y pida la parada."),
            "arrive": _("Llegó a {name}. Baje aquí."),
            "arrived_status": _("Llegó a {name}."),
            "remaining": _("Faltan {d} para {name}."),
            "bus": _("Viene un bus de la línea {line}, a unos {d}. Hágale señas para que se detenga."),
            "started": _("Siguiendo su viaje hacia {name}. Le avisaremos {w} metros antes de llegar."),
            "stopped": _("Seguimiento detenido."),
            "denied": _(
                "Sin permiso para conocer su ubicación: actívelo en la configuración del navegador para usar Despierta."
            ),
            "unavailable": _("No se pudo obtener su ubicación. Revise que la ubicación del teléfono esté encendida."),
            "timeout": _("La ubicación tarda en llegar; seguimos intentando."),
            "unsupported": _("Este navegador no permite conocer la ubicación."),
            "poor": _("Señal de ubicación débil (± {a} m): el aviso puede llegar algo tarde o temprano."),
            "off_route": _("Está a {d} metros del recorrido de la línea."),
            "choose_route": _("Elija primero la línea."),
            "choose_destination": _("Elija el destino"),
            "map_point": _("el punto elegido en el mapa"),
            "route_failed": _("No se pudo cargar el recorrido de la línea. Intente de nuevo."),
            "planner_will_pick": _("Destino: {name}. Al empezar, Ya Voy elegirá la línea desde su ubicación."),
            "picking": _("Buscando la línea que lo lleva a su destino…"),
            "picked": _("Ya Voy eligió la línea {line}."),
            "no_line": _("No encontramos una línea directa hasta ese destino. Elija la línea a mano."),
        },
        ensure_ascii=False,
    )


def despierta(request):
    routes = list(selectors.route_list())
    return render(
        request,
        "transit/despierta.html",
        {
            "routes": routes,
            "messages_js": despierta_texts(),
            "map_config": _map_config(
                routeUrl=reverse("api-1:transit_route_geometry", args=["FEED", "ROUTE"]),
                vehiclesUrl=reverse("api-1:transit_route_vehicles", args=["FEED", "ROUTE"]),
                stopsUrl=reverse("api-1:transit_stop_search"),
                planUrl=reverse("api-1:transit_plan"),
            ),
        },
    )


# --- open feeds ---------------------------------------------------------------------------------------------------


def _feed(slug: str) -> Feed:
    return get_object_or_404(Feed, slug=slug, imported_at__isnull=False)


def gtfs_export(request, feed_slug: str):
    feed = _feed(feed_slug)
    response = HttpResponse(selectors.export_zip(feed), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{feed.slug}-gtfs.zip"'
    return response


def alerts_feed(request, feed_slug: str):
    feed = _feed(feed_slug)
    message = realtime.alerts_message(feed, selectors.feed_alerts(feed))
    if request.GET.get("format") == "json":
        return JsonResponse(realtime.as_json(message), json_dumps_params={"ensure_ascii": False})
    return HttpResponse(message.SerializeToString(), content_type="application/x-protobuf")


def trip_updates_feed(request, feed_slug: str):
    feed = _feed(feed_slug)
    message = realtime.trip_updates_message(feed, predictions.live_trips(feed))
    if request.GET.get("format") == "json":
        return JsonResponse(realtime.as_json(message), json_dumps_params={"ensure_ascii": False})
    return HttpResponse(message.SerializeToString(), content_type="application/x-protobuf")


@csrf_exempt  # machine-to-machine: authenticated by an application's key, never by a browser cookie
@require_http_methods(["GET", "POST"])
def vehicle_positions_feed(request, feed_slug: str):
    feed = _feed(feed_slug)
    if request.method == "GET":
        message = realtime.vehicles_message(feed, selectors.vehicles_for_feed(feed))
        if request.GET.get("format") == "json":
            return JsonResponse(realtime.as_json(message), json_dumps_params={"ensure_ascii": False})
        return HttpResponse(message.SerializeToString(), content_type="application/x-protobuf")
    try:
        api_key = key_for_request(request, surface="api")
    except KeyRefused as refused:
        return refusal_response(refused)
    user = api_key.application.owner if api_key is not None else None
    if user is None or not user.is_active:
        return JsonResponse({"detail": _("Se requiere autenticación.")}, status=401)
    try:
        stored = services.vehicle_positions_ingest(actor=user, feed=feed, data=request.body)
    except PermissionDenied:
        return JsonResponse({"detail": _("No tiene permiso para esta acción.")}, status=403)
    except ValidationError as exc:
        return JsonResponse({"detail": _("Datos inválidos."), "errors": exc.message_dict}, status=400)
    return JsonResponse({"stored": stored})


# --- management (managers) ------------------------------------------------------------------------------------------


@require_perm("transit.manage_feed")
def manage(request):
    form = FeedCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feed = services.feed_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                illustrative=form.cleaned_data["illustrative"],
                source=Feed.Source.UPLOAD,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return redirect("transit:feed_manage", feed_slug=feed.slug)
    return render(request, "transit/manage.html", {"feeds": selectors.feed_list(), "form": form})


@require_perm("transit.manage_feed")
def feed_manage(request, feed_slug: str):
    feed = get_object_or_404(Feed, slug=feed_slug)
    form = FeedUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = services.feed_import(actor=request.user, feed=feed, file=upload, filename=upload.name)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            if record.status == FeedImport.Status.FAILED:
                messages.error(request, _("El feed tiene errores: no se importó nada. Revise el informe."))
            else:
                messages.success(request, _("Feed importado."))
            return redirect("transit:feed_manage", feed_slug=feed.slug)
    return render(
        request,
        "transit/feed_manage.html",
        {"feed": feed, "form": form, "last": selectors.last_import(feed), "builder_routes": feed.builder_routes.all()},
    )


@require_perm("transit.manage_feed")
def builder_route(request, feed_slug: str, code: str | None = None):
    feed = get_object_or_404(Feed, slug=feed_slug)
    existing = get_object_or_404(feed.builder_routes, code=code) if code else None
    initial = None
    if existing is not None:
        initial = {
            "short_name": existing.short_name,
            "long_name": existing.long_name,
            "color": existing.color,
            "hail_anywhere": existing.hail_anywhere,
            "both_directions": existing.both_directions,
            "explicit_trips": existing.explicit_trips,
            "speed_kmh": existing.speed_kmh,
            "days": existing.days,
            "bands": "\n".join(f"{b['start']}-{b['end']} {b['headway_min']:g}" for b in existing.bands),
            "path": json.dumps(existing.path),
            "reference_points": "\n".join(f"{p['name']}; {p['lat']}; {p['lon']}" for p in existing.reference_points),
        }
    form = BuilderRouteForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            path = data["path"]
            if data["trace"]:
                path = services.parse_trace(data["trace"].read(), data["trace"].name)
            route = services.builder_route_save(
                actor=request.user,
                feed=feed,
                code=existing.code if existing else data["short_name"],
                short_name=data["short_name"],
                long_name=data["long_name"],
                path=path,
                reference_points=data["reference_points"],
                bands=data["bands"],
                days=data["days"],
                color=data["color"],
                hail_anywhere=data["hail_anywhere"],
                speed_kmh=data["speed_kmh"],
                both_directions=data["both_directions"],
                explicit_trips=data["explicit_trips"],
            )
            if request.POST.get("publish"):
                record = services.builder_publish(actor=request.user, feed=feed)
                if record.status == FeedImport.Status.FAILED:
                    messages.error(request, _("La exportación no pasó la validación; revise el informe."))
                else:
                    messages.success(request, _("Ruta guardada y feed publicado."))
            else:
                messages.success(request, _("Ruta «%s» guardada.") % route.short_name)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return redirect("transit:feed_manage", feed_slug=feed.slug)
    return render(
        request,
        "transit/builder.html",
        {
            "feed": feed,
            "form": form,
            "existing": existing,
            "map_config": _map_config(
                zoom=13,
                i18n={
                    "points": plural_forms(
                        lambda n: ngettext("%(n)s punto del recorrido", "%(n)s puntos del recorrido", n)
                    ),
                    "refs": plural_forms(
                        lambda n: ngettext("%(n)s punto de referencia", "%(n)s puntos de referencia", n)
                    ),
                    "point": _("Punto %(n)s"),
                    "nameFirst": _("Escriba el nombre del punto de referencia antes de tocar el mapa."),
                },
            ),
        },
    )


@require_perm("transit.manage_feed")
def builder_export(request, feed_slug: str):
    feed = get_object_or_404(Feed, slug=feed_slug)
    if not feed.builder_routes.exists():
        raise Http404
    response = HttpResponse(services.builder_zip(feed), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{feed.slug}-gtfs.zip"'
    return response
