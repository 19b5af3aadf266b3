"""Writes for Tu Colectivo: seat requests, the drivers' shared state, boardings, and the online matching.

Every write that changes supply or demand on a line runs the matcher again for that line (`_rematch`), in the
same transaction, so the riders' assigned cars and ETAs, the drivers' pickups and the terminal's advice always
come from one matching.
"""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.core import events
from mueve.core.geo import validate_lat_lon
from mueve.core.permissions import ensure_perm
from mueve.shared_taxis import events as st_events
from mueve.shared_taxis import matcher, selectors
from mueve.shared_taxis.models import Car, CarState, Line, SeatRequest

NEAR_LINE_M = 150.0  # how far from the line a rider may ask from (a block or so)
DRIVER_OFF_LINE_M = 300.0
REQUEST_TTL = timedelta(minutes=30)


def _point(lat, lon) -> tuple[float, float]:
    try:
        lat, lon = float(lat), float(lon)
        validate_lat_lon(lat, lon)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"position": [_("Indique su ubicación: use el GPS o toque el mapa.")]}) from exc
    return lat, lon


def _end(seat_request: SeatRequest, status: str, now) -> None:
    seat_request.status = status
    seat_request.ended_at = now
    seat_request.lat = seat_request.lon = None  # the rider's position is kept only for the trip
    seat_request.eta_s = None
    if status != SeatRequest.Status.BOARDED:
        seat_request.car = None


def _rematch(line: Line) -> None:
    now = timezone.now()
    stale = list(SeatRequest.objects.filter(line=line, status__in=SeatRequest.OPEN, requested_at__lt=now - REQUEST_TTL))
    for r in stale:
        _end(r, SeatRequest.Status.EXPIRED, now)
    SeatRequest.objects.bulk_update(stale, ["status", "ended_at", "lat", "lon", "eta_s", "car"])
    cars, requests = selectors.matcher_inputs(line)
    result = matcher.match(cars, requests, line_m=selectors.line_path(line).length_m)
    changed = []
    for r in selectors.open_requests(line):
        car_id = result.car_of(r.pk)
        eta = result.eta(r.pk)
        eta_s = None if eta is None else round(eta)
        status = SeatRequest.Status.ASSIGNED if car_id else SeatRequest.Status.REQUESTED
        if (r.car_id, r.eta_s, r.status) != (car_id, eta_s, status):
            if car_id and car_id != r.car_id:
                r.assigned_at = now
            r.car_id, r.eta_s, r.status = car_id, eta_s, status
            changed.append(r)
    SeatRequest.objects.bulk_update(changed, ["car", "eta_s", "status", "assigned_at"])


@transaction.atomic
def request_seats(*, line: Line, lat: float, lon: float, party_size: int) -> SeatRequest:
    """A rider asks for `party_size` seats from a point near the line; the request is matched at once."""
    errors: dict[str, list[str]] = {}
    if not line.active:
        errors["line"] = [_("Esta línea no está en servicio.")]
    biggest = max(selectors.cars_of(line).values_list("capacity", flat=True), default=4)
    try:
        party_size = int(party_size)
    except (TypeError, ValueError):
        party_size = 0
    if not 1 <= party_size <= biggest:
        errors["party_size"] = [_("Pida entre 1 y %(max)d asientos.") % {"max": biggest}]
    try:
        lat, lon = _point(lat, lon)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        lat = lon = None
    path = selectors.line_path(line)
    along = 0.0
    if lat is not None and path.points:
        where = path.project(lat, lon)
        if where.offset_m > NEAR_LINE_M:
            errors["position"] = [
                _(
                    "Está a %(distance)s m del recorrido de la línea %(line)s. Acérquese a menos de %(max)d m del "
                    "recorrido para pedir asiento."
                )
                % {"distance": f"{where.offset_m:,.0f}".replace(",", "."), "line": line.name, "max": NEAR_LINE_M}
            ]
        along = where.along_m
    elif lat is not None:
        errors["line"] = [_("Esta línea no tiene trazado todavía.")]
    if errors:
        raise ValidationError(errors)
    seat_request = SeatRequest.objects.create(
        line=line, along_m=along, lat=lat, lon=lon, party_size=party_size, token=secrets.token_urlsafe(32)
    )
    _rematch(line)
    seat_request.refresh_from_db()
    events.publish(st_events.DEMAND_CHANGED, st_events.demand_changed(line=line, reason="requested"))
    return seat_request


@transaction.atomic
def cancel_request(*, seat_request: SeatRequest) -> SeatRequest:
    seat_request = SeatRequest.objects.select_for_update().get(pk=seat_request.pk)
    if not seat_request.is_open:
        raise ValidationError({"__all__": [_("Esta solicitud ya terminó: no se puede cancelar.")]})
    _end(seat_request, SeatRequest.Status.CANCELLED, timezone.now())
    seat_request.save()
    _rematch(seat_request.line)
    events.publish(st_events.DEMAND_CHANGED, st_events.demand_changed(line=seat_request.line, reason="cancelled"))
    return seat_request


@transaction.atomic
def car_update(
    *,
    actor,
    car: Car,
    status: str,
    free_seats: int,
    lat: float | None = None,
    lon: float | None = None,
) -> CarState:
    """The driver shares where the car is and how many seats are free. A car in the terminal's queue is at 0 m;
    a running car is placed along the line from its position."""
    ensure_perm(actor, "shared_taxis.drive_car", car)
    errors: dict[str, list[str]] = {}
    if status not in CarState.Status.values:
        errors["status"] = [_("Estado desconocido.")]
    try:
        free_seats = int(free_seats)
    except (TypeError, ValueError):
        free_seats = -1
    if not 0 <= free_seats <= car.capacity:
        errors["free_seats"] = [_("Los asientos libres van de 0 a %(max)d.") % {"max": car.capacity}]
    state = selectors.state_of(car)
    now = timezone.now()
    along = state.along_m
    if status == CarState.Status.RUNNING:
        if lat is None or lon is None or lat == "" or lon == "":
            if state.status != CarState.Status.RUNNING:
                along = 0.0  # leaving the terminal before the first GPS fix
        else:
            try:
                lat, lon = _point(lat, lon)
                where = selectors.line_path(car.line).project(lat, lon)
                if where.offset_m > DRIVER_OFF_LINE_M:
                    errors["position"] = [
                        _("El auto está a %(distance)d m del recorrido: su posición no se comparte.")
                        % {"distance": round(where.offset_m)}
                    ]
                along = where.along_m
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if status == CarState.Status.QUEUED:
        if state.status != CarState.Status.QUEUED:
            state.queued_since = now
        along = 0.0
    else:
        state.queued_since = None
    if status == CarState.Status.RUNNING and lat not in (None, ""):
        state.lat, state.lon = lat, lon
    elif status == CarState.Status.OFF:
        state.lat = state.lon = None
    state.status, state.free_seats, state.along_m = status, free_seats, along
    state.save()
    _rematch(car.line)
    events.publish(st_events.DEMAND_CHANGED, st_events.demand_changed(line=car.line, reason="car"))
    return state


@transaction.atomic
def confirm_boarding(*, actor, car: Car, seat_request: SeatRequest) -> SeatRequest:
    """The driver confirms a party got in: the request ends (and the rider's position with it) and the car has
    that many fewer free seats."""
    ensure_perm(actor, "shared_taxis.drive_car", car)
    seat_request = SeatRequest.objects.select_for_update().get(pk=seat_request.pk)
    if seat_request.line_id != car.line_id or not seat_request.is_open:
        raise ValidationError({"__all__": [_("Esta solicitud ya no espera un auto.")]})
    if seat_request.car_id not in (None, car.pk):
        raise ValidationError({"__all__": [_("Esta solicitud está asignada a otro auto.")]})
    state = selectors.state_of(car)
    if seat_request.party_size > state.free_seats:
        raise ValidationError({"__all__": [_("No hay asientos libres suficientes para este grupo.")]})
    now = timezone.now()
    seat_request.car = car
    _end(seat_request, SeatRequest.Status.BOARDED, now)
    seat_request.save()
    state.free_seats -= seat_request.party_size
    state.save()
    _rematch(car.line)
    events.publish(st_events.DEMAND_CHANGED, st_events.demand_changed(line=car.line, reason="boarded"))
    return seat_request
