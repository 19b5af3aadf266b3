"""Reads for Tu Colectivo: lines and their geometry, what a rider, a driver and the terminal see."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from mueve.shared_taxis import matcher
from mueve.shared_taxis.models import Car, CarState, Line, SeatRequest
from mueve.transit.geometry import cumulative_m, point_at, project
from mueve.transit.selectors import route_main_shape, route_shapes

AHEAD_TOLERANCE_M = 30.0  # a rider a few metres behind the car (GPS noise) is still ahead of it


@dataclass(frozen=True)
class LinePath:
    points: list[tuple[float, float]]
    cum: list[float]

    @property
    def length_m(self) -> float:
        return self.cum[-1] if self.cum else 0.0

    def project(self, lat: float, lon: float):
        return project(self.points, lat, lon, self.cum)

    def point_at(self, along_m: float) -> tuple[float, float]:
        return point_at(self.points, along_m, self.cum)


def line_list() -> QuerySet[Line]:
    return Line.objects.filter(active=True).select_related("route").order_by("name")


def line_by_slug(slug: str) -> Line | None:
    return Line.objects.filter(slug=slug, active=True).select_related("route").first()


def line_path(line: Line) -> LinePath:
    points = route_shapes(line.route).get(line.shape_id) if line.shape_id else None
    points = points or route_main_shape(line.route)
    return LinePath(points, cumulative_m(points) if points else [])


def cars_of(line: Line) -> QuerySet[Car]:
    return Car.objects.filter(line=line, active=True).select_related("state", "driver").order_by("plate")


def car_of_driver(user) -> Car | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Car.objects.filter(driver=user, active=True).select_related("line", "state").first()


def open_requests(line: Line) -> QuerySet[SeatRequest]:
    return SeatRequest.objects.filter(line=line, status__in=SeatRequest.OPEN).order_by("requested_at", "id")


def request_by_token(line: Line, token: str | None) -> SeatRequest | None:
    if not token:
        return None
    return SeatRequest.objects.filter(line=line, token=token).select_related("car", "car__state").first()


def state_of(car: Car) -> CarState:
    try:
        return car.state
    except CarState.DoesNotExist:
        return CarState(car=car, free_seats=car.capacity)


def matcher_inputs(line: Line) -> tuple[list[matcher.Car], list[matcher.Request]]:
    """The line's cars and open requests as the matcher sees them. Riders on board are counted to the end of the
    line (the platform does not know where they get off) until the driver's free seats say otherwise. The
    terminal's queue is in order of arrival."""
    cars, queued = [], []
    for car in cars_of(line):
        state = state_of(car)
        if state.status == CarState.Status.RUNNING:
            onboard = (matcher.Onboard(car.capacity - state.free_seats),) if state.free_seats < car.capacity else ()
            cars.append(matcher.Car(car.pk, car.capacity, state.along_m, False, onboard))
        elif state.status == CarState.Status.QUEUED:
            queued.append((state.queued_since or timezone.now(), car.pk, car.capacity))
    cars += [matcher.Car(pk, capacity, 0.0, True) for _, pk, capacity in sorted(queued)]
    requests = [
        matcher.Request(r.pk, r.along_m, r.party_size, r.requested_at.timestamp(), r.car_id)
        for r in open_requests(line)
    ]
    return cars, requests


def _minutes(seconds: float | None) -> int | None:
    return None if seconds is None else max(1, round(seconds / 60))


def rider_status(seat_request: SeatRequest) -> dict:
    """What the rider's page shows, polled live: the request's state, the car coming and its ETA, and the cars on
    their way along the line behind the rider. No other rider's data."""
    line = seat_request.line
    out = {
        "id": seat_request.pk,
        "status": seat_request.status,
        "status_label": str(seat_request.get_status_display()),
        "party_size": seat_request.party_size,
        "along_m": round(seat_request.along_m),
        "open": seat_request.is_open,
        "car": None,
        "eta_s": None,
        "eta_min": None,
        "approaching": [],
    }
    if seat_request.car_id and seat_request.is_open:
        car = seat_request.car
        state = state_of(car)
        out["car"] = {
            "plate": car.plate,
            "free_seats": state.free_seats,
            "distance_m": round(max(0.0, seat_request.along_m - state.along_m)),
        }
        out["eta_s"] = seat_request.eta_s
        out["eta_min"] = _minutes(seat_request.eta_s)
    if seat_request.is_open:
        for car in cars_of(line):
            state = state_of(car)
            if state.status != CarState.Status.RUNNING:
                continue
            gap = seat_request.along_m - state.along_m
            if gap < -AHEAD_TOLERANCE_M:
                continue
            out["approaching"].append(
                {
                    "plate": car.plate,
                    "distance_m": round(max(0.0, gap)),
                    "eta_min": _minutes(max(0.0, gap) / matcher.DEFAULT_SPEED_MPS),
                    "free_seats": state.free_seats,
                    "yours": car.pk == seat_request.car_id,
                }
            )
        out["approaching"].sort(key=lambda c: c["distance_m"])
    return out


def line_cars_public(line: Line) -> list[dict]:
    """Running cars of a line for its public page: plate, where along the line, free seats."""
    out = []
    for car in cars_of(line):
        state = state_of(car)
        if state.status == CarState.Status.RUNNING:
            out.append({"plate": car.plate, "along_m": round(state.along_m), "free_seats": state.free_seats})
    return sorted(out, key=lambda c: c["along_m"])


def driver_view(car: Car) -> dict:
    """The driver's phone: its own state, the riders assigned to it in pickup order (with the point where each
    waits, so the driver can find them), and the rest of the waiting demand ahead on the line, in numbers only."""
    state = state_of(car)
    line = car.line
    here = state.along_m if state.status == CarState.Status.RUNNING else 0.0
    pickups, others = [], {"requests": 0, "seats": 0}
    for r in open_requests(car.line):
        if r.along_m < here - AHEAD_TOLERANCE_M:
            continue
        if r.car_id == car.pk:
            pickups.append(
                {
                    "id": r.pk,
                    "party_size": r.party_size,
                    "distance_m": round(max(0.0, r.along_m - here)),
                    "along_m": round(r.along_m),
                    "lat": r.lat,
                    "lon": r.lon,
                    "eta_min": _minutes(r.eta_s),
                }
            )
        elif r.car_id is None:
            others["requests"] += 1
            others["seats"] += r.party_size
    pickups.sort(key=lambda p: p["along_m"])
    return {
        "plate": car.plate,
        "line": line.name,
        "status": state.status,
        "status_label": str(state.get_status_display()),
        "free_seats": state.free_seats,
        "capacity": car.capacity,
        "along_m": round(state.along_m),
        "length_m": round(line_path(line).length_m),
        "pickups": pickups,
        "waiting_unassigned": others,
    }


def terminal_view(line: Line, *, now: datetime | None = None, rule: matcher.DispatchRule | None = None) -> dict:
    """The terminal's dispatcher: the cars queued (in order), the demand along the line by kilometre, and each
    queued car's recommended departure, from the same matcher the riders' assignments come from."""
    now = now or timezone.now()
    cars, requests = matcher_inputs(line)
    length = line_path(line).length_m
    advice = matcher.recommend_departures(cars, requests, line_m=length, now=now.timestamp(), rule=rule or RULE)
    by_pk = {c.pk: c for c in cars_of(line)}
    queue = []
    for d in advice:
        car = by_pk[d.car_id]
        state = state_of(car)
        waited = (now - state.queued_since).total_seconds() if state.queued_since else 0
        queue.append(
            {
                "plate": car.plate,
                "queued_min": int(waited // 60),
                "depart_now": d.now,
                "depart_in_min": None if d.at is None else max(0, round((d.at - now.timestamp()) / 60)),
                "seats": d.seats,
                "requests": len(d.requests),
            }
        )
    km = max(1, int(length // 1000) + (1 if length % 1000 else 0))
    buckets = [{"from_km": i, "to_km": i + 1, "requests": 0, "seats": 0, "unassigned_seats": 0} for i in range(km)]
    for r in open_requests(line):
        b = buckets[min(km - 1, int(r.along_m // 1000))]
        b["requests"] += 1
        b["seats"] += r.party_size
        if r.car_id is None:
            b["unassigned_seats"] += r.party_size
    running = [
        {"plate": c.plate, "along_m": round(state_of(c).along_m), "free_seats": state_of(c).free_seats}
        for c in by_pk.values()
        if state_of(c).status == CarState.Status.RUNNING
    ]
    return {
        "line": line.name,
        "queue": queue,
        "demand": buckets,
        "running": sorted(running, key=lambda c: c["along_m"]),
        "waiting_seats": sum(b["seats"] for b in buckets),
        "length_km": round(length / 1000, 1),
    }


RULE = matcher.DispatchRule()
