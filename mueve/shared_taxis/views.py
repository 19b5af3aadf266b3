"""Tu Colectivo's pages: the rider's (no account needed), the driver's phone, the terminal's dispatcher. Thin:
the services write, the selectors read, and the pages poll the same selectors as JSON to stay live."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from mueve.core import ratelimit
from mueve.core.errors import error_dict
from mueve.core.permissions import require_perm
from mueve.shared_taxis import selectors, services
from mueve.shared_taxis.forms import CarStateForm, SeatRequestForm
from mueve.shared_taxis.models import SeatRequest
from mueve.transit.selectors import route_stops

SESSION_PREFIX = "colectivo:"
REQUEST_RATE_PREFIX = "colectivo-req:"
POLL_MS = 3000


def _line_or_404(slug: str):
    line = selectors.line_by_slug(slug)
    if line is None:
        raise Http404(_("No existe esa línea de colectivos."))
    return line


def _errors_into(form, exc: ValidationError) -> None:
    for field, errors in error_dict(exc).items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _path_json(path) -> list[list[float]]:
    return [[round(lat, 6), round(lon, 6)] for lat, lon in path.points]


def index(request):
    return render(request, "shared_taxis/index.html", {"lines": selectors.line_list()})


def _points(line, path) -> list[tuple[str, str, float, float]]:
    """The line's stops that lie on it, as places a rider without GPS can choose."""
    out = []
    for stop in route_stops(line.route):
        if stop.lat is None:
            continue
        if path.points and path.project(stop.lat, stop.lon).offset_m <= services.NEAR_LINE_M:
            out.append((str(stop.pk), stop.name or stop.stop_id, stop.lat, stop.lon))
    return out


@never_cache
def line(request, slug: str):
    """The rider's page: ask for seats from a point along the line, follow the car coming, cancel."""
    line = _line_or_404(slug)
    path = selectors.line_path(line)
    key = SESSION_PREFIX + line.slug
    mine = selectors.request_by_token(line, request.session.get(key))
    form = SeatRequestForm(points=_points(line, path))
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            if mine is not None and mine.is_open:
                try:
                    services.cancel_request(seat_request=mine)
                except ValidationError:
                    pass
            return redirect("shared_taxis:line", slug=line.slug)
        form = SeatRequestForm(request.POST, points=_points(line, path))
        if mine is not None and mine.is_open:
            form.add_error(None, _("Ya tiene una solicitud abierta en esta línea: cancélela para pedir otra."))
        elif form.is_valid():
            lat, lon = form.position()
            try:
                rate = ratelimit.parse_rate(
                    settings.MUEVE_COLECTIVO_REQUEST_RATE, setting="MUEVE_COLECTIVO_REQUEST_RATE"
                )
                ratelimit.hit((f"ip:{request.META.get('REMOTE_ADDR', '')}", rate), prefix=REQUEST_RATE_PREFIX)
                seat_request = services.request_seats(
                    line=line, lat=lat, lon=lon, party_size=form.cleaned_data["party_size"]
                )
            except ratelimit.RateLimited as limited:
                form.add_error(
                    None,
                    _("Demasiadas solicitudes desde esta conexión. Intente en %(s)d segundos.")
                    % {"s": limited.retry_after},
                )
                status = 429
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                request.session[key] = seat_request.token
                return redirect("shared_taxis:line", slug=line.slug)
        if status == 200:
            status = 422
    config = {
        "path": _path_json(path),
        "status_url": reverse("shared_taxis:line_status", args=[line.slug]),
        "poll_ms": POLL_MS,
        "near_m": services.NEAR_LINE_M,
        "i18n": {
            "minutes": _("%(n)s min"),
            "metres": _("a %(n)s m"),
            "seats": _("%(n)s asientos libres"),
            "yours": _("su auto"),
            "no_cars": _("No hay autos en camino todavía."),
            "gps_error": _("No se pudo leer su ubicación: toque el mapa donde está."),
            "picked": _("Punto elegido en el mapa."),
            "gps_ok": _("Ubicación tomada del GPS."),
            "waiting": _("Buscando un auto con asientos libres…"),
            "eta": _("El auto %(plate)s llega en %(n)s min"),
        },
    }
    context = {
        "line": line,
        "form": form,
        "mine": mine,
        "status": selectors.rider_status(mine) if mine else None,
        "config": config,
        "length_km": round(path.length_m / 1000, 1),
    }
    return render(request, "shared_taxis/line.html", context, status=status)


@never_cache
def line_status(request, slug: str):
    line = _line_or_404(slug)
    mine = selectors.request_by_token(line, request.session.get(SESSION_PREFIX + line.slug))
    return JsonResponse(
        {"request": selectors.rider_status(mine) if mine else None, "cars": selectors.line_cars_public(line)}
    )


def _driver_car(request):
    car = selectors.car_of_driver(request.user)
    if car is None:
        raise PermissionDenied(_("Su cuenta no conduce ningún colectivo."))
    return car


@login_required
@never_cache
def driver(request):
    """The driver's phone: share position and free seats, see the riders waiting ahead, confirm each boarding."""
    car = _driver_car(request)
    state = selectors.state_of(car)
    form = CarStateForm(initial={"status": state.status, "free_seats": state.free_seats})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "board":
            seat_request = SeatRequest.objects.filter(pk=request.POST.get("request") or 0, line=car.line).first()
            try:
                if seat_request is None:
                    raise ValidationError({"__all__": [_("Esa solicitud no existe en su línea.")]})
                services.confirm_boarding(actor=request.user, car=car, seat_request=seat_request)
            except ValidationError as exc:
                if _wants_json(request):
                    return JsonResponse({"errors": error_dict(exc)}, status=422)
                form.add_error(None, " ".join(sum(error_dict(exc).values(), [])))
                status = 422
            else:
                if _wants_json(request):
                    return JsonResponse(selectors.driver_view(car))
                return redirect("shared_taxis:driver")
        else:
            form = CarStateForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.car_update(
                        actor=request.user,
                        car=car,
                        status=data["status"],
                        free_seats=data["free_seats"],
                        lat=data["lat"],
                        lon=data["lon"],
                    )
                except ValidationError as exc:
                    _errors_into(form, exc)
                else:
                    if _wants_json(request):
                        return JsonResponse(selectors.driver_view(car))
                    return redirect("shared_taxis:driver")
            if _wants_json(request):
                return JsonResponse({"errors": form.errors.get_json_data()}, status=422)
            status = 422
    config = {
        "status_url": reverse("shared_taxis:driver_status"),
        "poll_ms": POLL_MS,
        "i18n": {
            "board": _("Subió"),
            "free": _("%(n)s asientos libres"),
            "party": _("%(n)s asientos"),
            "ahead": _("a %(n)s m"),
            "none": _("Nadie le espera adelante por ahora."),
            "others": _("Además esperan %(r)s solicitudes (%(s)s asientos) sin auto asignado."),
            "gps_on": _("Compartiendo su posición por GPS."),
            "gps_off": _("Sin GPS: su posición no se comparte."),
        },
    }
    context = {"car": car, "form": form, "view": selectors.driver_view(car), "config": config}
    return render(request, "shared_taxis/driver.html", context, status=status)


@login_required
@never_cache
def driver_status(request):
    return JsonResponse(selectors.driver_view(_driver_car(request)))


@require_perm("shared_taxis.dispatch")
@never_cache
def terminal(request, slug: str):
    """The terminal's dispatcher: cars queued, demand along the line, recommended departure for each car."""
    line = _line_or_404(slug)
    config = {
        "status_url": reverse("shared_taxis:terminal_status", args=[line.slug]),
        "poll_ms": POLL_MS,
        "i18n": {
            "now": _("Salir ahora"),
            "in": _("Salir en %(n)s min"),
            "wait": _("Esperar: no hay demanda para este auto"),
            "seats": _("%(n)s asientos esperan"),
            "queued": _("%(n)s min en fila"),
            "km": _("km %(a)s–%(b)s"),
            "empty": _("No hay autos en fila."),
            "running": _("%(plate)s · a %(m)s m del terminal · %(n)s asientos libres"),
            "none": _("Ninguno."),
        },
    }
    return render(
        request, "shared_taxis/terminal.html", {"line": line, "view": selectors.terminal_view(line), "config": config}
    )


@require_perm("shared_taxis.dispatch")
@never_cache
def terminal_status(request, slug: str):
    return JsonResponse(selectors.terminal_view(_line_or_404(slug)))
