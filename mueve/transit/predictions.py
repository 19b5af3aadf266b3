"""Live predictions: where each bus is along its trip, how late it runs, when it will reach the stops ahead.

These feed the GTFS-Realtime TripUpdates, the stop page, the route page and the planner's legs.

A bus's delay is measured once, where it is now: its position projected on the trip's shape, against the time the
timetable puts the bus at that point. The delay is then carried unchanged to every stop ahead (the simplest model
that does not invent knowledge), with an uncertainty that grows with the travel time still ahead. Stops behind the
bus are left out. Trips with no bus reporting get no prediction: the pages say «programado» and the feed omits them,
which GTFS-Realtime reads as "no realtime data", not as "on time".

Times are seconds after "noon minus 12 h" of the service day, as in GTFS, so trips past midnight and the days the
clocks change come out right.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mueve.transit import selectors
from mueve.transit.geometry import Projection, cumulative_m, project_each
from mueve.transit.gtfs import format_time
from mueve.transit.models import Feed, Frequency, Route, ShapePoint, Stop, StopTime, Trip, VehiclePosition

MAX_OFF_ROUTE_M = 150  # farther than this from the trip's shape the bus is on a detour or on another trip
PASSED_SLACK_M = 15  # a stop this little behind the bus is the one it is standing at: still ahead
PASS_CHOICE_M = 30  # shape passes this much farther than the nearest one are also candidates (loops, both ways)
MAX_DELAY_S = 2 * 3600  # further off the timetable than this, the bus is not running that trip instance
BASE_UNCERTAINTY_S = 30
UNCERTAINTY_SHARE = 0.1  # plus a tenth of the travel time still ahead
ON_TIME_S = 60
STOP_HORIZON = timedelta(hours=2)


# --- service-day clock ---------------------------------------------------------------------------------------------


def feed_tz(feed: Feed):
    try:
        return ZoneInfo(feed.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.get_current_timezone()


def day_start(feed: Feed, day: date) -> datetime:
    """GTFS's origin of a service day's times: noon minus 12 h (midnight, except on the days the clocks change)."""
    return datetime(day.year, day.month, day.day, 12, tzinfo=feed_tz(feed)) - timedelta(hours=12)


def at(feed: Feed, day: date, seconds: float) -> datetime:
    return day_start(feed, day) + timedelta(seconds=round(seconds))


def seconds_since(feed: Feed, day: date, when: datetime) -> int:
    return round((when - day_start(feed, day)).total_seconds())


def local_date(feed: Feed, when: datetime) -> date:
    return when.astimezone(feed_tz(feed)).date()


def describe_delay(seconds: int | None) -> str:
    """«3 min de atraso», «1 min adelantado», «a tiempo»: how a delay reads on a page."""
    if seconds is None:
        return ""
    minutes = round(abs(seconds) / 60)
    if abs(seconds) < ON_TIME_S or minutes == 0:
        return _("a tiempo")
    if seconds > 0:
        return ngettext("%(n)d min de atraso", "%(n)d min de atraso", minutes) % {"n": minutes}
    return ngettext("%(n)d min adelantado", "%(n)d min adelantado", minutes) % {"n": minutes}


# --- a trip's timetable laid along its shape -----------------------------------------------------------------------


def frequency_slots(frequencies: list[Frequency]) -> list[int]:
    """The nominal start of each instance of a frequencies.txt trip: one per headway, end excluded (as the planner)."""
    out: set[int] = set()
    for f in frequencies:
        if f.headway_secs > 0:
            out.update(range(f.start_time, f.end_time, f.headway_secs))
    return sorted(out)


@dataclass
class Call:
    stop: Stop
    sequence: int
    arrival: int
    departure: int
    along_m: float


class TripPlan:
    """One trip's stop times placed on its shape (metres along), and the time the timetable puts the bus anywhere."""

    def __init__(self, trip: Trip, calls: list[Call], path, cum: list[float], frequencies: list[Frequency]):
        self.trip = trip
        self.calls = calls
        self.path = path
        self.cum = cum
        self.frequencies = frequencies
        self._positions = [c.along_m for c in calls]

    @property
    def first_departure(self) -> int:
        return self.calls[0].departure

    @property
    def last_sequence(self) -> int:
        return self.calls[-1].sequence

    @property
    def frequency_based(self) -> bool:
        """frequencies.txt with exact_times=0: a headway, no timetable (GTFS-RT calls these UNSCHEDULED)."""
        return any(f.exact_times != 1 for f in self.frequencies)

    def slots(self) -> list[int]:
        return frequency_slots(self.frequencies)

    def scheduled_at(self, along_m: float) -> float:
        """Template time (before any frequency shift) at which the bus is due `along_m` metres into the trip."""
        calls = self.calls
        i = bisect.bisect_right(self._positions, along_m) - 1
        if i < 0:
            return calls[0].departure
        if i >= len(calls) - 1:
            return calls[-1].arrival
        c0, c1 = calls[i], calls[i + 1]
        span = c1.along_m - c0.along_m
        frac = 0.0 if span <= 0 else (along_m - c0.along_m) / span
        return c0.departure + frac * (c1.arrival - c0.departure)

    def along_at(self, t: float) -> float:
        """Where the timetable puts the bus at template time `t` (the inverse of `scheduled_at`)."""
        calls = self.calls
        if t <= calls[0].departure:
            return calls[0].along_m
        for c0, c1 in zip(calls, calls[1:], strict=False):
            if t <= c0.departure:
                return c0.along_m  # standing at the stop
            if t <= c1.arrival:
                span = c1.arrival - c0.departure
                frac = 1.0 if span <= 0 else (t - c0.departure) / span
                return c0.along_m + frac * (c1.along_m - c0.along_m)
        return calls[-1].along_m

    def locate(self, lat: float, lon: float, hint_m: float | None = None) -> Projection | None:
        """The bus on the shape; where the shape passes near it more than once, the pass nearest to `hint_m`."""
        candidates = project_each(self.path, lat, lon, self.cum)
        if not candidates:
            return None
        best = min(candidates, key=lambda p: p.offset_m)
        if best.offset_m > MAX_OFF_ROUTE_M:
            return None
        if hint_m is None:
            return best
        close = [p for p in candidates if p.offset_m <= best.offset_m + PASS_CHOICE_M]
        return min(close, key=lambda p: (abs(p.along_m - hint_m), p.offset_m))


class Plans:
    """TripPlans and active services read once per request (a feed message may name the same trip many times)."""

    def __init__(self, feed: Feed):
        self.feed = feed
        self._plans: dict[int, TripPlan | None] = {}
        self._shapes: dict[str, list[tuple[float, float]]] = {}
        self._services: dict[date, set[str]] = {}

    def services(self, day: date) -> set[str]:
        if day not in self._services:
            self._services[day] = selectors.active_service_ids(self.feed, day)
        return self._services[day]

    def _shape(self, shape_id: str) -> list[tuple[float, float]]:
        if shape_id not in self._shapes:
            self._shapes[shape_id] = list(
                ShapePoint.objects.filter(feed=self.feed, shape_id=shape_id)
                .order_by("sequence")
                .values_list("lat", "lon", "dist_traveled")
            )
        return self._shapes[shape_id]

    def get(self, trip: Trip) -> TripPlan | None:
        if trip.pk not in self._plans:
            self._plans[trip.pk] = self._load(trip)
        return self._plans[trip.pk]

    def _load(self, trip: Trip) -> TripPlan | None:
        rows = [
            st
            for st in StopTime.objects.filter(trip=trip).select_related("stop").order_by("stop_sequence")
            if st.arrival_time is not None or st.departure_time is not None
        ]
        if len(rows) < 2:
            return None
        shape = self._shape(trip.shape_id) if trip.shape_id else []
        if len(shape) >= 2:
            path = [(lat, lon) for lat, lon, _d in shape]
            cum = cumulative_m(path)
            alongs = _stop_positions(rows, shape, path, cum)
        else:
            located = [st for st in rows if st.stop.lat is not None]
            if len(located) < 2:
                return None
            rows = located
            path = [(st.stop.lat, st.stop.lon) for st in rows]
            cum = cumulative_m(path)
            alongs = cum
        calls = []
        for st, along in zip(rows, alongs, strict=True):
            arrival = st.arrival_time if st.arrival_time is not None else st.departure_time
            departure = st.departure_time if st.departure_time is not None else st.arrival_time
            calls.append(Call(st.stop, st.stop_sequence, arrival, departure, along))
        return TripPlan(trip, calls, path, cum, list(trip.frequencies.all()))


def _stop_positions(rows: list[StopTime], shape, path, cum: list[float]) -> list[float]:
    """Metres along the shape of each stop: from shape_dist_traveled when both files carry it (in whatever unit the
    feed uses, mapped onto measured metres), else by projecting each stop onto the shape, never going backwards."""
    dists = [d for _lat, _lon, d in shape]
    if all(d is not None for d in dists) and all(st.shape_dist_traveled is not None for st in rows):
        out = []
        for st in rows:
            d = st.shape_dist_traveled
            i = min(max(bisect.bisect_right(dists, d) - 1, 0), len(dists) - 2)
            span = dists[i + 1] - dists[i]
            frac = 0.0 if span <= 0 else max(0.0, min(1.0, (d - dists[i]) / span))
            out.append(cum[i] + frac * (cum[i + 1] - cum[i]))
        return out
    out, previous = [], 0.0
    for st in rows:
        if st.stop.lat is not None:
            ahead = [p for p in project_each(path, st.stop.lat, st.stop.lon, cum) if p.along_m >= previous - 1]
            if ahead:
                previous = max(previous, min(ahead, key=lambda p: p.offset_m).along_m)
        out.append(previous)
    return out


# --- which trip instance a bus runs ----------------------------------------------------------------------------------


def infer_instance(
    plans: Plans, trip: Trip, *, lat: float, lon: float, when: datetime, taken: set | frozenset = frozenset()
) -> tuple[date, int] | None:
    """(start_date, start_time) of the instance of `trip` a bus at (lat, lon) at `when` most likely runs.

    A scheduled trip has one instance per service day. A frequencies.txt trip has one per headway: the bus takes the
    nominal slot nearest to the start its position implies, skipping slots another bus already holds (`taken` has
    (trip_id, start_date, start_time) triples), so two buses on one trip never share an instance."""
    plan = plans.get(trip)
    if plan is None:
        return None
    where = plan.locate(lat, lon)
    if where is None:
        return None
    elapsed = plan.scheduled_at(where.along_m) - plan.first_departure
    today = local_date(plans.feed, when)
    estimates = [
        (day, seconds_since(plans.feed, day, when) - elapsed)
        for day in (today, today - timedelta(days=1))
        if trip.service_id in plans.services(day)
    ]
    best: tuple[float, date, int] | None = None
    for day, estimate in estimates:
        if plan.frequencies:
            candidates = [s for s in plan.slots() if (trip.trip_id, day, s) not in taken]
        else:
            candidates = [plan.first_departure]
        for start in candidates:
            gap = abs(start - estimate)
            if gap <= MAX_DELAY_S and (best is None or gap < best[0]):
                best = (gap, day, start)
    if best is None and plan.frequency_based:
        # exact_times=0 allows any start: when every nearby slot is held (buses bunching), the bus's own start,
        # within the hours the trip runs.
        slots = plan.slots()
        for day, estimate in estimates:
            start = round(estimate / 60) * 60
            if slots and slots[0] - MAX_DELAY_S <= start <= slots[-1] + MAX_DELAY_S:
                if (trip.trip_id, day, start) not in taken:
                    return day, start
    return (best[1], best[2]) if best else None


# --- live trips ----------------------------------------------------------------------------------------------------


@dataclass
class StopPrediction:
    stop: Stop
    stop_sequence: int
    scheduled_arrival: int  # service-day seconds, this instance
    scheduled_departure: int
    delay_s: int
    uncertainty_s: int
    arrival_at: datetime  # predicted
    departure_at: datetime
    scheduled_departure_at: datetime

    @property
    def arrival_shown(self) -> datetime:
        return _nearest_minute(self.arrival_at)

    @property
    def predicted_departure(self) -> int:
        return self.scheduled_departure + self.delay_s

    @property
    def predicted_arrival(self) -> int:
        return self.scheduled_arrival + self.delay_s


@dataclass
class LiveTrip:
    vehicle: VehiclePosition
    trip: Trip
    start_date: date
    start_time: int
    frequency_based: bool
    delay_s: int
    along_m: float
    last_sequence: int
    stops: list[StopPrediction]  # the stops still ahead, in order

    @property
    def key(self) -> tuple[str, date, int]:
        return (self.trip.trip_id, self.start_date, self.start_time)

    @property
    def start_hhmm(self) -> str:
        return format_time(self.start_time)[:5]

    @property
    def next_stop(self) -> StopPrediction | None:
        return self.stops[0] if self.stops else None

    @property
    def delay_text(self) -> str:
        return describe_delay(self.delay_s)

    def at_stop(self, stop: Stop) -> StopPrediction | None:
        return next((p for p in self.stops if p.stop.pk == stop.pk), None)


def predict(plans: Plans, vehicle: VehiclePosition, trip: Trip, day: date, start: int) -> LiveTrip | None:
    """The vehicle's delay where it is now, carried to each stop ahead. None when it cannot be placed on the trip."""
    plan = plans.get(trip)
    if plan is None:
        return None
    feed = plans.feed
    shift = start - plan.first_departure
    observed = seconds_since(feed, day, vehicle.timestamp)
    where = plan.locate(vehicle.lat, vehicle.lon, plan.along_at(observed - shift))
    if where is None:
        return None
    delay = round(observed - (plan.scheduled_at(where.along_m) + shift))
    if where.along_m <= plan.calls[0].along_m + PASSED_SLACK_M and delay < 0:
        delay = 0  # waiting at the first stop before its time: it leaves on time, not early
    if abs(delay) > MAX_DELAY_S:
        return None
    stops = []
    for c in plan.calls:
        if c.along_m < where.along_m - PASSED_SLACK_M:
            continue
        arrival, departure = c.arrival + shift, c.departure + shift
        ahead = max(0, arrival + delay - observed)
        stops.append(
            StopPrediction(
                stop=c.stop,
                stop_sequence=c.sequence,
                scheduled_arrival=arrival,
                scheduled_departure=departure,
                delay_s=delay,
                uncertainty_s=BASE_UNCERTAINTY_S + round(UNCERTAINTY_SHARE * ahead),
                arrival_at=at(feed, day, arrival + delay),
                departure_at=at(feed, day, departure + delay),
                scheduled_departure_at=at(feed, day, departure),
            )
        )
    if not stops:
        return None
    return LiveTrip(vehicle, trip, day, start, plan.frequency_based, delay, where.along_m, plan.last_sequence, stops)


def live_trips(feed: Feed, *, now: datetime | None = None, route: Route | None = None) -> list[LiveTrip]:
    """A prediction for each trip instance a recently reporting vehicle runs (the freshest report wins a tie)."""
    now = now or timezone.now()
    vehicles = selectors.vehicles_for_route(route, now=now) if route else selectors.vehicles_for_feed(feed, now=now)
    vehicles = [v for v in vehicles if v.trip_id]
    if not vehicles:
        return []
    trips = {
        t.trip_id: t
        for t in Trip.objects.filter(feed=feed, trip_id__in={v.trip_id for v in vehicles})
        .select_related("route")
        .prefetch_related("frequencies")
    }
    plans = Plans(feed)
    taken = {(v.trip_id, v.start_date, v.start_time) for v in vehicles if v.start_date and v.start_time is not None}
    out: dict[tuple, LiveTrip] = {}
    for v in sorted(vehicles, key=lambda v: v.timestamp, reverse=True):
        trip = trips.get(v.trip_id)
        if trip is None:
            continue
        if v.start_date and v.start_time is not None:
            instance = (v.start_date, v.start_time)
        else:  # stored before the instance was known, or pushed where it could not be placed
            instance = infer_instance(plans, trip, lat=v.lat, lon=v.lon, when=v.timestamp, taken=taken)
            if instance is None:
                continue
            taken.add((trip.trip_id, *instance))
        live = predict(plans, v, trip, *instance)
        if live is not None and live.key not in out:
            out[live.key] = live
    return sorted(
        out.values(), key=lambda lt: (lt.trip.route.short_name, lt.trip.trip_id, lt.start_date, lt.start_time)
    )


# --- a stop's next departures ----------------------------------------------------------------------------------------


@dataclass
class Departure:
    route: Route
    trip_id: str
    headsign: str
    service_date: date
    start_time: int
    scheduled_at: datetime
    frequency_based: bool
    predicted_at: datetime | None = None
    delay_s: int | None = None
    uncertainty_s: int | None = None
    vehicle_label: str = ""
    minutes_away: int = 0

    @property
    def realtime(self) -> bool:
        return self.predicted_at is not None

    @property
    def expected_at(self) -> datetime:
        return self.predicted_at or self.scheduled_at

    @property
    def delay_text(self) -> str:
        return describe_delay(self.delay_s)

    @property
    def shown_at(self) -> datetime:
        """The expected time to the nearest minute, as a page shows it."""
        return _nearest_minute(self.expected_at)


def _nearest_minute(when: datetime) -> datetime:
    return (when + timedelta(seconds=30)).replace(second=0, microsecond=0)


def stop_departures(
    stop: Stop, *, now: datetime | None = None, horizon: timedelta = STOP_HORIZON, limit: int = 12
) -> list[Departure]:
    """The next departures from `stop` within `horizon`: the timetable's (frequencies expanded into their nominal
    instances), each replaced by its live prediction when a bus is running it, without the ones a bus has already
    taken past the stop. A stop where a trip ends is no departure, nor one where the trip takes nobody on."""
    feed = stop.feed
    now = now or timezone.now()
    today = local_date(feed, now)
    found: dict[tuple, Departure] = {}
    for day in (today - timedelta(days=1), today):
        services = selectors.active_service_ids(feed, day)
        if not services:
            continue
        lo = seconds_since(feed, day, now)
        hi = lo + int(horizon.total_seconds())
        rows = (
            StopTime.objects.filter(stop=stop, trip__feed=feed, trip__service_id__in=services)
            .exclude(pickup_type=1)
            .select_related("trip__route")
            .prefetch_related("trip__frequencies")
            .annotate(
                first_dep=Subquery(
                    StopTime.objects.filter(trip=OuterRef("trip"))
                    .order_by("stop_sequence")
                    .values("departure_time")[:1]
                ),
                last_seq=Subquery(
                    StopTime.objects.filter(trip=OuterRef("trip"))
                    .order_by("-stop_sequence")
                    .values("stop_sequence")[:1]
                ),
            )
        )
        for st in rows:
            dep = st.departure_time if st.departure_time is not None else st.arrival_time
            if dep is None or st.first_dep is None or st.stop_sequence == st.last_seq:
                continue
            trip = st.trip
            freqs = list(trip.frequencies.all())
            offset = dep - st.first_dep
            if freqs:
                starts = [s for s in frequency_slots(freqs) if lo <= s + offset <= hi]
            else:
                starts = [st.first_dep] if lo <= dep <= hi else []
            for start in starts:
                found[(trip.trip_id, day, start)] = Departure(
                    route=trip.route,
                    trip_id=trip.trip_id,
                    headsign=st.stop_headsign or trip.headsign,
                    service_date=day,
                    start_time=start,
                    scheduled_at=at(feed, day, start + offset),
                    frequency_based=any(f.exact_times != 1 for f in freqs),
                )
    latest = now + horizon
    for live in live_trips(feed, now=now):
        here = live.at_stop(stop)
        if here is None or here.stop_sequence == live.last_sequence:
            found.pop(live.key, None)  # gone past the stop (or ends here): that bus is no departure from it
            continue
        if here.departure_at > latest:
            continue
        departure = found.get(live.key) or Departure(
            route=live.trip.route,
            trip_id=live.trip.trip_id,
            headsign=live.trip.headsign,
            service_date=live.start_date,
            start_time=live.start_time,
            scheduled_at=here.scheduled_departure_at,
            frequency_based=live.frequency_based,
        )
        departure.predicted_at = here.departure_at
        departure.delay_s = here.delay_s
        departure.uncertainty_s = here.uncertainty_s
        departure.vehicle_label = live.vehicle.label
        found[live.key] = departure
    out = [d for d in found.values() if d.expected_at >= now - timedelta(seconds=30)]
    out.sort(key=lambda d: (d.expected_at, d.route.short_name))
    for d in out:
        d.minutes_away = max(0, int((d.expected_at - now).total_seconds() // 60))
    return out[:limit]


# --- planner legs --------------------------------------------------------------------------------------------------


def live_index(feed: Feed, day: date, *, now: datetime | None = None) -> dict[tuple[str, int | None], LiveTrip]:
    """Live trips of `day`'s service by (trip_id, instance start); scheduled trips also by (trip_id, None), the way
    the planner names them (frequency instances as «trip_id@start»)."""
    index: dict[tuple[str, int | None], LiveTrip] = {}
    for live in live_trips(feed, now=now):
        if live.start_date != day:
            continue
        index[(live.trip.trip_id, live.start_time)] = live
        if not live.trip.frequencies.all():
            index[(live.trip.trip_id, None)] = live
    return index


def _hhmm(seconds: int) -> str:
    return format_time((seconds + 30) // 60 * 60)[:5]


def leg_live(
    index: dict, *, kind: str, trip_id: str | None, from_stop: str | None, to_stop: str | None, depart: int, arrive: int
) -> dict:
    """What the planner's JSON adds to a leg: the GTFS trip and instance it rides, and, when a bus is running it now,
    its delay and predicted times (HH:MM, service day). `vehicle_passed` says the bus has already left the boarding
    stop."""
    out = {
        "trip_id": None,
        "start_time": None,
        "realtime": False,
        "vehicle_passed": False,
        "delay_s": None,
        "predicted_departure": None,
        "predicted_arrival": None,
    }
    if kind != "ride" or not trip_id:
        return out
    base, _sep, start = trip_id.partition("@")
    start_s = int(start) if start.isdigit() else None
    out["trip_id"] = base
    out["start_time"] = format_time(start_s) if start_s is not None else None
    live = index.get((base, start_s))
    if live is None:
        return out
    by_stop = {p.stop.stop_id: p for p in live.stops}
    out["realtime"] = True
    out["delay_s"] = live.delay_s
    board = by_stop.get(from_stop) if from_stop else None
    if from_stop and board is None:
        out["vehicle_passed"] = True
        return out
    out["predicted_departure"] = _hhmm(board.predicted_departure if board else depart + live.delay_s)
    alight = by_stop.get(to_stop) if to_stop else None
    out["predicted_arrival"] = _hhmm(alight.predicted_arrival if alight else arrive + live.delay_s)
    return out
