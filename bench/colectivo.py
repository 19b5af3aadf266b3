"""Tu Colectivo: a discrete-event simulation of one colectivo line, comparing two ways to run the terminal.

    .venv/bin/python bench/colectivo.py [--seeds 5] [--cars 14] [--svg docs/]

A: "wait until full": a car leaves the terminal only with its four seats taken; riders along the line hail a
   passing car that has room (what colectivos do today).
B: demand-responsive dispatch, the one the platform runs (mueve/shared_taxis/matcher.py): every rider asks for
   seats through the app; requests are assigned online to running cars with room (`match`), and the terminal sends
   its next car when the demand no running car can take justifies it (`recommend_departures`: two seats, or a
   rider waiting three minutes). The matcher, like the platform, does not know where riders get off: a car's
   riders count as on board until the driver's free seats say otherwise (here, when they get off).

The line: 7 km from its terminal, one direction simulated; a car that reaches the end comes back to the terminal
after the return run (the other direction, not simulated). Demand: Poisson, 06:00-22:00, with morning and evening
peaks; 45 % of riders start at the terminal, the rest anywhere along the first 6 km; each gets off uniformly
between where they got on and the end; parties of 1 (80 %), 2 (15 %) or 3 (5 %). Every run of a seed uses the same
riders for A and B. Events: a rider's request, a car reaching its next stop (pickup, drop-off, end), the end of
a dwell, a car back at the terminal, the terminal's next dispatch check. The run stops at 23:00; riders still
waiting then are counted as unserved.

A rider's wait: from asking (or reaching the stop) until the car they sit in moves off, so riders sitting in a car
parked at the terminal are still waiting.
"""

import argparse
import math
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mueve.shared_taxis.matcher import (  # noqa: E402
    Car,
    DispatchRule,
    Onboard,
    Request,
    match,
    recommend_departures,
)

LINE_M = 7000.0
SPEED = 25 / 3.6
RETURN_S = LINE_M / SPEED + 120
CAPACITY = 4
DWELL_PICKUP = 20.0
DWELL_DROP = 10.0
DAY_START, DEMAND_END, DAY_END = 6 * 3600.0, 22 * 3600.0, 23 * 3600.0
TERMINAL_SHARE = 0.45
EPS = 1e-6


def rate_per_h(t: float) -> float:
    """Riders (parties) per hour asking at time t (seconds since midnight)."""
    h = t / 3600
    if h < 6 or h >= 22:
        return 0.0
    return (
        35
        + 110 * math.exp(-(((h - 7.75) / 1.0) ** 2))
        + 95 * math.exp(-(((h - 18.5) / 1.2) ** 2))
        + 25 * math.exp(-(((h - 13.5) / 1.0) ** 2))
    )


RATE_MAX = 160.0


@dataclass
class Rider:
    id: int
    t: float
    origin: float
    dest: float
    seats: int
    car: int | None = None  # assigned (B)
    boarded: bool = False
    t_go: float | None = None


def riders_for(seed: int) -> list[Rider]:
    rng = random.Random(seed)
    out, t, i = [], DAY_START, 0
    while True:  # thinning of a homogeneous Poisson process
        t += rng.expovariate(RATE_MAX / 3600)
        if t >= DEMAND_END:
            return out
        if rng.random() * RATE_MAX > rate_per_h(t):
            continue
        origin = 0.0 if rng.random() < TERMINAL_SHARE else rng.uniform(0, LINE_M - 1000)
        dest = rng.uniform(origin + 300, LINE_M)
        u = rng.random()
        seats = 1 if u < 0.8 else 2 if u < 0.95 else 3
        out.append(Rider(i, t, origin, dest, seats))
        i += 1


@dataclass
class SimCar:
    id: int
    state: str = "queued"  # queued | running | dwell | return
    pos: float = 0.0
    t_last: float = DAY_START
    until: float = math.inf
    onboard: list[Rider] = field(default_factory=list)
    queued_since: float | None = DAY_START
    trip_seats: int = 0

    def load(self) -> int:
        return sum(r.seats for r in self.onboard)


class Sim:
    def __init__(self, policy: str, riders: list[Rider], cars: int, rule: DispatchRule):
        self.policy, self.rule = policy, rule
        self.arrivals = [Rider(r.id, r.t, r.origin, r.dest, r.seats) for r in riders]
        self.cars = [SimCar(i) for i in range(cars)]
        self.queue: list[SimCar] = list(self.cars)
        self.waiting: list[Rider] = []  # asked, not yet on board (A: at the terminal too, until they get in)
        self.next_arrival = 0
        self.check_at = math.inf  # B: the terminal's next dispatch check
        self.idle_s = 0.0
        self.departures = 0
        self.trip_seats: list[int] = []  # seats sold over each trip to the end of the line
        self.queue_series: list[tuple[float, int]] = [(DAY_START, len(self.queue))]
        self.max_load = 0
        self.events = 0

    # --- where each car goes next ---------------------------------------------------------------
    def target(self, car: SimCar) -> float:
        stops = [LINE_M]
        stops += [r.dest for r in car.onboard if r.dest >= car.pos - EPS]
        if self.policy == "A":
            for r in sorted(
                (r for r in self.waiting if r.origin > 0 and r.origin >= car.pos - EPS), key=lambda r: r.origin
            ):
                room = CAPACITY - sum(o.seats for o in car.onboard if o.dest > r.origin + EPS)
                if r.seats <= room:
                    stops.append(r.origin)
                    break
        else:
            stops += [r.origin for r in self.waiting if r.car == car.id and r.origin >= car.pos - EPS]
        return max(car.pos, min(stops))

    def next_time(self, car: SimCar) -> float:
        if car.state == "running":
            return car.t_last + (self.target(car) - car.pos) / SPEED
        if car.state in ("dwell", "return"):
            return car.until
        return math.inf

    # --- the loop ----------------------------------------------------------------------------------
    def run(self) -> "Sim":
        now = DAY_START
        while True:
            t_arr = self.arrivals[self.next_arrival].t if self.next_arrival < len(self.arrivals) else math.inf
            times = [(self.next_time(c), c) for c in self.cars]
            t_car = min((t for t, _ in times), default=math.inf)
            t_next = min(t_arr, t_car, self.check_at)
            if t_next > DAY_END:
                break
            self.events += 1
            for car in self.cars:  # move the running cars along
                if car.state == "running":
                    car.pos = min(LINE_M, car.pos + (t_next - car.t_last) * SPEED)
                    car.t_last = t_next
            now = t_next
            for t, car in times:
                if t <= now + EPS:
                    self.car_event(car, now)
            if t_arr <= now:
                self.waiting.append(self.arrivals[self.next_arrival])
                self.next_arrival += 1
            self.terminal(now)
        for car in self.queue:
            self.idle_s += DAY_END - car.queued_since
        self.end = now
        return self

    def car_event(self, car: SimCar, now: float) -> None:
        if car.state == "return":
            car.state, car.pos, car.queued_since, car.until = "queued", 0.0, now, math.inf
            self.queue.append(car)
            self.queue_series.append((now, len(self.queue)))
            return
        if car.state == "dwell":
            self.go(car, now)
            return
        target = self.target(car)
        if target > car.pos + 1e-3:  # its stop went to another car in this same instant: keep driving
            return
        car.pos = target
        car.t_last = now
        dropped = [r for r in car.onboard if r.dest <= car.pos + EPS]
        car.onboard = [r for r in car.onboard if r.dest > car.pos + EPS]
        if car.pos >= LINE_M - EPS:
            self.trip_seats.append(car.trip_seats)
            car.trip_seats = 0
            car.state, car.until, car.onboard = "return", now + RETURN_S, []
            return
        boarded = self.board(car, now, at=car.pos)
        if boarded or dropped:
            car.state, car.until = "dwell", now + (DWELL_PICKUP if boarded else DWELL_DROP)

    def board(self, car: SimCar, now: float, *, at: float) -> list[Rider]:
        got = []
        for r in sorted(self.waiting, key=lambda r: r.t):
            if abs(r.origin - at) > EPS:
                continue
            if self.policy == "B" and r.car != car.id:
                continue
            if self.policy == "A" and r.seats > CAPACITY - car.load():
                continue
            got.append(r)
            car.trip_seats += r.seats
            r.boarded = True
            car.onboard.append(r)
        if got:
            ids = {r.id for r in got}
            self.waiting = [r for r in self.waiting if r.id not in ids]
        self.max_load = max(self.max_load, car.load())
        return got

    def go(self, car: SimCar, now: float) -> None:
        car.state, car.t_last, car.until = "running", now, math.inf
        for r in car.onboard:
            if r.t_go is None:
                r.t_go = now

    def depart(self, car: SimCar, now: float) -> None:
        self.queue.remove(car)
        self.queue_series.append((now, len(self.queue)))
        self.idle_s += now - car.queued_since
        car.queued_since = None
        self.departures += 1

    # --- the terminal ---------------------------------------------------------------------------------
    def terminal(self, now: float) -> None:
        if self.policy == "A":
            while self.queue:
                head = self.queue[0]
                self.board(head, now, at=0.0)
                if head.load() < CAPACITY:
                    return
                self.depart(head, now)
                self.go(head, now)
            return
        self.assign(now)
        while self.queue:
            advice = recommend_departures(
                self.matcher_cars(), self.matcher_requests(), line_m=LINE_M, now=now, rule=self.rule
            )
            self.check_at = min((d.at for d in advice if not d.now and d.at is not None), default=math.inf)
            leaving = [d for d in advice if d.now]
            if not leaving:
                return
            car = self.cars[leaving[0].car_id]
            self.depart(car, now)
            car.state, car.pos, car.t_last = "running", 0.0, now
            self.assign(now)
            if any(r.car == car.id and r.origin == 0.0 for r in self.waiting):
                self.car_event(car, now)  # boards its riders at the terminal and dwells
            else:
                self.go(car, now)
        self.check_at = math.inf

    def matcher_cars(self) -> list[Car]:
        out = []
        for c in self.cars:
            if c.state in ("running", "dwell"):
                onboard = tuple(Onboard(r.seats) for r in c.onboard)
                out.append(Car(c.id, CAPACITY, c.pos, False, onboard, SPEED))
        out += [Car(c.id, CAPACITY, 0.0, True) for c in self.queue]
        return out

    def matcher_requests(self) -> list[Request]:
        return [Request(r.id, r.origin, r.seats, r.t, r.car) for r in self.waiting]

    def assign(self, now: float) -> None:
        m = match(self.matcher_cars(), self.matcher_requests(), line_m=LINE_M, dwell_s=DWELL_PICKUP)
        for r in self.waiting:
            r.car = m.assigned.get(r.id)

    # --- figures ----------------------------------------------------------------------------------------
    def waits(self) -> list[float]:
        return [r.t_go - r.t for r in self.arrivals if r.t_go is not None]

    def unserved(self) -> int:
        return sum(1 for r in self.arrivals if r.t_go is None)

    def queue_at(self, t: float) -> int:
        n = self.queue_series[0][1]
        for when, size in self.queue_series:
            if when > t:
                break
            n = size
        return n


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) > 1 else (values[0] if values else float("nan"))


def summary(sims: list[Sim]) -> dict:
    waits = [w for s in sims for w in s.waits()]
    minutes = [DAY_START + 60 * i for i in range(int((DEMAND_END - DAY_START) / 60))]
    queued = [s.queue_at(t) for s in sims for t in minutes]
    peak = [s.queue_at(t) for s in sims for t in minutes if 7 * 3600 <= t < 9 * 3600 or 17.5 * 3600 <= t < 19.5 * 3600]
    deps = sum(s.departures for s in sims)
    return {
        "riders": sum(len(s.arrivals) for s in sims) / len(sims),
        "mean_wait_min": statistics.fmean(waits) / 60,
        "p90_wait_min": p90(waits) / 60,
        "unserved": sum(s.unserved() for s in sims) / len(sims),
        "idle_car_h": sum(s.idle_s for s in sims) / len(sims) / 3600,
        "idle_per_departure_min": sum(s.idle_s for s in sims) / max(1, deps) / 60,
        "departures": deps / len(sims),
        "seats_per_trip": statistics.fmean(x for s in sims for x in s.trip_seats),
        "queued_mean": statistics.fmean(queued),
        "queued_peak_mean": statistics.fmean(peak),
        "queued_max": max(queued),
        "max_load": max(s.max_load for s in sims),
        "events": sum(s.events for s in sims) / len(sims),
    }


def by_hour(sims: list[Sim]) -> tuple[list[float], list[float]]:
    hours = list(range(6, 22))
    mean = []
    for h in hours:
        w = [r.t_go - r.t for s in sims for r in s.arrivals if r.t_go is not None and int(r.t // 3600) == h]
        mean.append(statistics.fmean(w) / 60 if w else 0.0)
    return [float(h) for h in hours], mean


# --- SVG (matplotlib is not in the platform's environment) --------------------------------------------------
def svg_chart(
    path: Path, title: str, ylabel: str, series: list[tuple[str, str, list[float], list[float]]], *, step=False
):
    w, h, left, right, top, bottom = 720, 340, 60, 20, 40, 50
    xs = [x for _, _, sx, _ in series for x in sx]
    ys = [y for _, _, _, sy in series for y in sy]
    x0, x1 = 6.0, 22.0
    y1 = max(1.0, max(ys) * 1.1)
    y1 = math.ceil(y1 / (5 if y1 > 10 else 1)) * (5 if y1 > 10 else 1)
    assert min(xs) >= x0 - 1e-9

    def px(x):
        return left + (x - x0) / (x1 - x0) * (w - left - right)

    def py(y):
        return h - bottom - y / y1 * (h - top - bottom)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        f'font-family="sans-serif" font-size="12" role="img" aria-label="{title}">',
        f'<rect width="{w}" height="{h}" fill="white"/>',
        f'<text x="{w / 2}" y="22" text-anchor="middle" font-size="15">{title}</text>',
    ]
    ticks = 5
    for i in range(ticks + 1):
        y = y1 * i / ticks
        out.append(f'<line x1="{left}" x2="{w - right}" y1="{py(y):.1f}" y2="{py(y):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{py(y) + 4:.1f}" text-anchor="end">{y:g}</text>')
    for hr in range(6, 23, 2):
        out.append(f'<text x="{px(hr):.1f}" y="{h - bottom + 18}" text-anchor="middle">{hr}:00</text>')
    out.append(f'<text x="{w / 2}" y="{h - 10}" text-anchor="middle">hora del día</text>')
    out.append(
        f'<text x="16" y="{(top + h - bottom) / 2}" text-anchor="middle" '
        f'transform="rotate(-90 16 {(top + h - bottom) / 2})">{ylabel}</text>'
    )
    out.append(
        f'<rect x="{left}" y="{top}" width="{w - left - right}" height="{h - top - bottom}" fill="none" stroke="#444"/>'
    )
    for k, (name, colour, sx, sy) in enumerate(series):
        pts = []
        for i, (x, y) in enumerate(zip(sx, sy, strict=True)):
            if step and i:
                pts.append(f"{px(x):.1f},{py(sy[i - 1]):.1f}")
            pts.append(f"{px(x):.1f},{py(y):.1f}")
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(pts)}"/>')
        ly = top + 16 + 18 * k
        out.append(f'<line x1="{w - 200}" x2="{w - 176}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="3"/>')
        out.append(f'<text x="{w - 170}" y="{ly + 4}">{name}</text>')
    out.append("</svg>")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--cars", type=int, default=14)
    ap.add_argument("--min-seats", type=int, default=2)
    ap.add_argument("--patience", type=float, default=180.0, help="seconds")
    ap.add_argument("--svg", type=Path, default=None, help="folder to write the figures into (e.g. docs/)")
    args = ap.parse_args()
    rule = DispatchRule(min_seats=args.min_seats, patience_s=args.patience)
    started = time.perf_counter()
    runs = {"A": [], "B": []}
    for seed in range(args.seeds):
        riders = riders_for(seed)
        for policy in runs:
            runs[policy].append(Sim(policy, riders, args.cars, rule).run())
    elapsed = time.perf_counter() - started
    names = {"A": "A: esperar hasta llenar", "B": "B: despacho según demanda"}
    print(f"line {LINE_M / 1000:g} km, {args.cars} cars of {CAPACITY} seats, {args.seeds} seeds, rule {rule}")
    rows = {p: summary(s) for p, s in runs.items()}
    keys = list(rows["A"])
    print(f"{'':26}" + "".join(f"{names[p][:24]:>26}" for p in rows))
    for k in keys:
        print(f"{k:26}" + "".join(f"{rows[p][k]:>26.2f}" for p in rows))
    print(f"simulated in {elapsed:.1f} s")
    if args.svg:
        args.svg.mkdir(parents=True, exist_ok=True)
        minutes = [DAY_START + 60 * i for i in range(int((DAY_END - DAY_START) / 60) - 60)]
        hours = [t / 3600 for t in minutes]
        colours = {"A": "#c0392b", "B": "#1f6fb2"}
        queue_series = []
        for p, sims in runs.items():
            mean_q = [statistics.fmean(s.queue_at(t) for s in sims) for t in minutes]
            queue_series.append((names[p], colours[p], hours, mean_q))
        svg_chart(
            args.svg / "colectivo-queue.svg",
            "Autos en fila en el terminal",
            "autos (media de las semillas)",
            queue_series,
        )
        wait_series = []
        for p, sims in runs.items():
            hx, hy = by_hour(sims)
            wait_series.append((names[p], colours[p], [x + 0.5 for x in hx], hy))
        svg_chart(args.svg / "colectivo-wait.svg", "Espera media de los pasajeros por hora", "minutos", wait_series)
        demand = [rate_per_h(t) for t in minutes]
        svg_chart(
            args.svg / "colectivo-demand.svg",
            "Demanda simulada",
            "grupos por hora",
            [("demanda", "#555", hours, demand)],
        )
        print(f"figures written to {args.svg}/colectivo-*.svg")


if __name__ == "__main__":
    main()
