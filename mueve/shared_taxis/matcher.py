"""Tu Colectivo's matcher: seat requests along a line assigned online to cars, and the terminal's departures.

Pure Python (no Django): the platform's services, the terminal page and `bench/colectivo.py` all call these two
functions, so the simulation measures the dispatch the platform runs.

A line is a path measured in metres from its terminal (0) to its end. Cars only move forward along it. A car is
either running (at `position_m`) or queued at the terminal. A request waits at `position_m` for `seats` seats.

Rules the matcher keeps (tests/shared_taxis/test_matcher.py checks them on random inputs):
- capacity: at no point of the line does a car carry more than its capacity, counting the riders on board (who
  get off at `drop_m`, or at the end of the line when the platform does not know where) and every request
  assigned to it, from its pickup onwards;
- no request is left unassigned while a running car that has not yet passed it has room for its party;
- pickup order: a car's plan lists its pickups in the order it meets them along the line (earlier requests first
  at the same point), and an assignment already given is kept while it remains feasible (riders are not swapped
  from car to car as new requests come in).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

DEFAULT_SPEED_MPS = 25 / 3.6  # a colectivo in city traffic, stops included
DEFAULT_DWELL_S = 20.0  # seconds per pickup


@dataclass(frozen=True)
class Onboard:
    seats: int
    drop_m: float | None = None  # None: unknown, counted on board to the end of the line


@dataclass(frozen=True)
class Car:
    id: int | str
    capacity: int
    position_m: float = 0.0
    queued: bool = False  # waiting at the terminal, not yet departed
    onboard: tuple[Onboard, ...] = ()
    speed_mps: float = DEFAULT_SPEED_MPS

    def seats_on_board(self) -> int:
        return sum(o.seats for o in self.onboard)


@dataclass(frozen=True)
class Request:
    id: int | str
    position_m: float
    seats: int
    requested_at: float  # seconds, any epoch; orders requests (first come, first served)
    car_id: int | str | None = None  # the car it is already assigned to, if any
    drop_m: float | None = None  # known only in the simulation


@dataclass
class Plan:
    car_id: int | str
    pickups: list[Request] = field(default_factory=list)  # in the order the car meets them
    etas: dict[int | str, float] = field(default_factory=dict)  # request id -> seconds from now


@dataclass
class Matching:
    plans: dict[int | str, Plan]
    assigned: dict[int | str, int | str]  # request id -> car id
    unassigned: list[Request]  # first come first

    def car_of(self, request_id) -> int | str | None:
        return self.assigned.get(request_id)

    def eta(self, request_id) -> float | None:
        car = self.assigned.get(request_id)
        return None if car is None else self.plans[car].etas.get(request_id)


def _order(r: Request):
    return (r.position_m, r.requested_at, str(r.id))


def _peak_load(car: Car, pickups: list[Request], line_m: float) -> int:
    """The most seats the car holds at once from its position to the end of the line."""
    changes: list[tuple[float, int]] = []
    for o in car.onboard:
        if o.drop_m is not None and o.drop_m <= line_m:
            changes.append((max(o.drop_m, car.position_m), -o.seats))
    for r in pickups:
        changes.append((r.position_m, r.seats))
        if r.drop_m is not None and r.drop_m < line_m:
            changes.append((r.drop_m, -r.seats))
    load = peak = car.seats_on_board()
    # Drop-offs before pickups at the same point: the seat is free when the next rider gets in.
    for _, delta in sorted(changes, key=lambda c: (c[0], c[1])):
        load += delta
        peak = max(peak, load)
    return peak


def fits(car: Car, pickups: list[Request], line_m: float) -> bool:
    return _peak_load(car, pickups, line_m) <= car.capacity


def _etas(car: Car, pickups: list[Request], dwell_s: float) -> dict:
    out, stops, last = {}, 0, None
    for r in pickups:
        if last is None or r.position_m != last:
            stops += 1 if last is not None else 0
            last = r.position_m
        out[r.id] = max(0.0, r.position_m - car.position_m) / car.speed_mps + stops * dwell_s
    return out


def match(cars: list[Car], requests: list[Request], *, line_m: float, dwell_s: float = DEFAULT_DWELL_S) -> Matching:
    """Assign waiting requests to running cars: keep the assignments that still hold, then give each unassigned
    request (first come, first served) to the car with room that reaches it soonest."""
    running = {c.id: c for c in cars if not c.queued}
    plans: dict = {cid: Plan(cid) for cid in running}
    queue = sorted(requests, key=lambda r: (r.requested_at, str(r.id)))
    pending: list[Request] = []
    for r in queue:  # assignments already given, kept in the order they were made while they still fit
        car = running.get(r.car_id) if r.car_id is not None else None
        if car is not None and r.position_m >= car.position_m and fits(car, [*plans[car.id].pickups, r], line_m):
            plans[car.id].pickups.append(r)
        else:
            pending.append(r)
    unassigned: list[Request] = []
    for r in pending:
        best, best_eta = None, math.inf
        for cid, car in running.items():
            if r.position_m < car.position_m or r.seats > car.capacity:
                continue
            trial = sorted([*plans[cid].pickups, r], key=_order)
            if not fits(car, trial, line_m):
                continue
            eta = _etas(car, trial, dwell_s)[r.id]
            if eta < best_eta or (eta == best_eta and str(cid) < str(best)):
                best, best_eta = cid, eta
        if best is None:
            unassigned.append(r)
        else:
            plans[best].pickups.append(r)
    assigned = {}
    for cid, plan in plans.items():
        plan.pickups.sort(key=_order)
        plan.etas = _etas(running[cid], plan.pickups, dwell_s)
        for r in plan.pickups:
            assigned[r.id] = cid
    return Matching(plans=plans, assigned=assigned, unassigned=unassigned)


@dataclass(frozen=True)
class DispatchRule:
    """When the terminal sends its next car: enough seats wanted ahead, or someone has waited long enough."""

    min_seats: int = 2
    patience_s: float = 180.0


@dataclass(frozen=True)
class Departure:
    car_id: int | str
    now: bool  # leave now
    at: float | None  # when it should leave if nothing changes (None: no demand for it yet)
    seats: int  # seats it would fill with the demand waiting now
    requests: tuple = ()  # ids of the requests it would take


def recommend_departures(
    cars: list[Car],
    requests: list[Request],
    *,
    line_m: float,
    now: float,
    rule: DispatchRule = DispatchRule(),
    dwell_s: float = DEFAULT_DWELL_S,
) -> list[Departure]:
    """For each car queued at the terminal (in queue order), whether it should leave now, from the requests the
    running cars cannot take (the same matching as `match`)."""
    matching = match(cars, requests, line_m=line_m, dwell_s=dwell_s)
    left = list(matching.unassigned)
    out: list[Departure] = []
    waiting = False  # once a car waits, the cars behind it wait too
    for car in (c for c in cars if c.queued):
        if waiting:
            out.append(Departure(car.id, False, None, 0))
            continue
        at_terminal = Car(car.id, car.capacity, 0.0, False, car.onboard, car.speed_mps)
        taken: list[Request] = []
        for r in left:
            if r.seats <= car.capacity and fits(at_terminal, [*taken, r], line_m):
                taken.append(r)
        seats = sum(r.seats for r in taken)
        if not taken:
            out.append(Departure(car.id, False, None, 0))
            waiting = True
            continue
        oldest = min(r.requested_at for r in taken)
        leave_at = now if seats >= min(rule.min_seats, car.capacity) else oldest + rule.patience_s
        go = leave_at <= now
        out.append(Departure(car.id, go, max(leave_at, now), seats, tuple(r.id for r in taken)))
        if not go:
            waiting = True
            continue
        taken_ids = {r.id for r in taken}
        left = [r for r in left if r.id not in taken_ids]
    return out
