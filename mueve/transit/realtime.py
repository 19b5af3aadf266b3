"""GTFS-Realtime messages (protobuf, gtfs-realtime-bindings) built from our rows, and the vehicle simulator."""

from datetime import datetime

from django.utils import timezone
from google.protobuf import json_format
from google.transit import gtfs_realtime_pb2

from mueve.transit import predictions, selectors
from mueve.transit.geometry import bearing_deg, cumulative_m, point_at
from mueve.transit.gtfs import format_time
from mueve.transit.models import (
    SIMULATED_VEHICLE_PREFIX,
    Feed,
    Frequency,
    ShapePoint,
    StopTime,
    Trip,
    VehiclePosition,
)


def _header(message: gtfs_realtime_pb2.FeedMessage, now: datetime | None = None) -> None:
    message.header.gtfs_realtime_version = "2.0"
    message.header.incrementality = gtfs_realtime_pb2.FeedHeader.FULL_DATASET
    message.header.timestamp = int((now or timezone.now()).timestamp())


def _translated(target, text: str, lang: str = "es") -> None:
    tr = target.translation.add()
    tr.text = text
    tr.language = lang


def alerts_message(feed: Feed, alerts: list[selectors.RouteAlert]) -> gtfs_realtime_pb2.FeedMessage:
    """One Alert per incident, informing every route whose shape passes within ~30 m of it."""
    message = gtfs_realtime_pb2.FeedMessage()
    _header(message)
    by_incident: dict[int, list[selectors.RouteAlert]] = {}
    for alert in alerts:
        by_incident.setdefault(alert.incident_id, []).append(alert)
    for incident_id, group in sorted(by_incident.items()):
        first = group[0]
        entity = message.entity.add()
        entity.id = f"incidente-{incident_id}"
        alert = entity.alert
        period = alert.active_period.add()
        period.start = int(first.opened_at.timestamp())
        for a in group:
            informed = alert.informed_entity.add()
            informed.agency_id = a.route.agency.agency_id if a.route.agency_id else ""
            informed.route_id = a.route.route_id
        alert.cause = gtfs_realtime_pb2.Alert.OTHER_CAUSE
        alert.effect = gtfs_realtime_pb2.Alert.UNKNOWN_EFFECT
        lines = ", ".join(a.route.short_name or a.route.route_id for a in group)
        header = first.header if len(group) == 1 else f"{first.service_name} en el recorrido de las líneas {lines}"
        tts = (
            first.tts_header
            if len(group) == 1
            else f"Atención: {first.service_name} en el recorrido de las líneas {lines}."
        )
        _translated(alert.header_text, header)
        _translated(alert.description_text, first.description)
        _translated(alert.tts_header_text, tts)
    return message


def _unscheduled_trip_ids(feed: Feed) -> set[str]:
    """Trips of frequencies.txt with exact_times=0: GTFS-RT marks them UNSCHEDULED (a headway, no timetable)."""
    return set(Frequency.objects.filter(trip__feed=feed).exclude(exact_times=1).values_list("trip__trip_id", flat=True))


def _trip_descriptor(target, *, trip_id: str, route_id: str, start_date, start_time, unscheduled: bool) -> None:
    target.trip_id = trip_id
    if route_id:
        target.route_id = route_id
    if start_date is not None and start_time is not None:
        # The instance: required for frequency-based trips, where many buses share one trip_id.
        target.start_date = start_date.strftime("%Y%m%d")
        target.start_time = format_time(start_time)
    target.schedule_relationship = (
        gtfs_realtime_pb2.TripDescriptor.UNSCHEDULED if unscheduled else gtfs_realtime_pb2.TripDescriptor.SCHEDULED
    )


def vehicles_message(feed: Feed, vehicles: list[VehiclePosition]) -> gtfs_realtime_pb2.FeedMessage:
    message = gtfs_realtime_pb2.FeedMessage()
    _header(message)
    unscheduled = _unscheduled_trip_ids(feed) if any(v.trip_id for v in vehicles) else set()
    for v in vehicles:
        entity = message.entity.add()
        entity.id = v.vehicle_id
        vp = entity.vehicle
        vp.vehicle.id = v.vehicle_id
        if v.label:
            vp.vehicle.label = v.label
        if v.trip_id:
            _trip_descriptor(
                vp.trip,
                trip_id=v.trip_id,
                route_id=v.route.route_id if v.route_id else "",
                start_date=v.start_date,
                start_time=v.start_time,
                unscheduled=v.trip_id in unscheduled,
            )
        elif v.route_id:
            vp.trip.route_id = v.route.route_id
        vp.position.latitude = v.lat
        vp.position.longitude = v.lon
        if v.bearing is not None:
            vp.position.bearing = v.bearing
        if v.speed is not None:
            vp.position.speed = v.speed
        vp.timestamp = int(v.timestamp.timestamp())
    return message


def trip_updates_message(
    feed: Feed, live: list[predictions.LiveTrip], *, now: datetime | None = None
) -> gtfs_realtime_pb2.FeedMessage:
    """One TripUpdate per trip instance a bus is running, with a StopTimeUpdate for each stop still ahead.

    Scheduled trips carry the delay and the predicted time; frequency-based trips (exact_times=0) are UNSCHEDULED
    and carry predicted times only, as the specification asks. Trips with no bus reporting are left out: for a
    consumer that means "no realtime data", never "on time"."""
    message = gtfs_realtime_pb2.FeedMessage()
    _header(message, now)
    stu_rel = gtfs_realtime_pb2.TripUpdate.StopTimeUpdate
    for lt in live:
        entity = message.entity.add()
        entity.id = f"{lt.trip.trip_id}-{lt.start_date:%Y%m%d}-{format_time(lt.start_time).replace(':', '')}"
        tu = entity.trip_update
        _trip_descriptor(
            tu.trip,
            trip_id=lt.trip.trip_id,
            route_id=lt.trip.route.route_id,
            start_date=lt.start_date,
            start_time=lt.start_time,
            unscheduled=lt.frequency_based,
        )
        if lt.trip.direction_id is not None:
            tu.trip.direction_id = lt.trip.direction_id
        tu.vehicle.id = lt.vehicle.vehicle_id
        if lt.vehicle.label:
            tu.vehicle.label = lt.vehicle.label
        tu.timestamp = int(lt.vehicle.timestamp.timestamp())
        if not lt.frequency_based:
            tu.delay = lt.delay_s
        for p in lt.stops:
            stu = tu.stop_time_update.add()
            stu.stop_sequence = p.stop_sequence
            stu.stop_id = p.stop.stop_id
            stu.schedule_relationship = stu_rel.UNSCHEDULED if lt.frequency_based else stu_rel.SCHEDULED
            for event, when in ((stu.arrival, p.arrival_at), (stu.departure, p.departure_at)):
                event.time = int(when.timestamp())
                event.uncertainty = p.uncertainty_s
                if not lt.frequency_based:
                    event.delay = p.delay_s
    return message


def as_json(message) -> dict:
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


# --- simulator ----------------------------------------------------------------------------------------------------


def simulated_message(
    feed: Feed, *, now: datetime | None = None, max_vehicles: int = 50
) -> gtfs_realtime_pb2.FeedMessage:
    """VehiclePositions for the trips of `feed` running now, placed along their shapes by the timetable
    (frequency-based trips expanded at their headway). Labelled "simulado" so nobody mistakes it for real."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    t_now = local.hour * 3600 + local.minute * 60 + local.second
    services = selectors.active_service_ids(feed, local.date())
    message = gtfs_realtime_pb2.FeedMessage()
    _header(message, now)
    shapes: dict[str, tuple[list, list]] = {}
    runs = []  # (trip, start offset seconds)
    trips = Trip.objects.filter(feed=feed, service_id__in=services).select_related("route")
    freq = {}
    for f in Frequency.objects.filter(trip__in=trips):
        freq.setdefault(f.trip_id, []).append(f)
    for trip in trips:
        times = list(
            StopTime.objects.filter(trip=trip)
            .order_by("stop_sequence")
            .values_list("departure_time", "shape_dist_traveled")
        )
        if len(times) < 2 or times[0][0] is None:
            continue
        first, last = times[0][0], times[-1][0]
        duration = last - first
        if trip.pk in freq:
            for f in freq[trip.pk]:
                k0 = max(0, (t_now - duration - f.start_time) // f.headway_secs)
                start = f.start_time + k0 * f.headway_secs
                while start < f.end_time and start <= t_now:
                    if start + duration >= t_now:
                        runs.append((trip, times, start - first, start))
                    start += f.headway_secs
        elif first <= t_now <= last:
            runs.append((trip, times, 0, first))
    for trip, times, shift, start in runs[:max_vehicles]:
        if trip.shape_id not in shapes:
            pts = list(
                ShapePoint.objects.filter(feed=feed, shape_id=trip.shape_id)
                .order_by("sequence")
                .values_list("lat", "lon")
            )
            shapes[trip.shape_id] = (pts, cumulative_m(pts) if len(pts) > 1 else [0.0])
        path, cum = shapes[trip.shape_id]
        if len(path) < 2:
            continue
        elapsed = t_now - shift
        # Position by time between the two surrounding stop times, distance from shape_dist_traveled when known.
        along = 0.0
        for (t0, d0), (t1, d1) in zip(times, times[1:], strict=False):
            if t0 <= elapsed <= t1:
                frac = 0 if t1 == t0 else (elapsed - t0) / (t1 - t0)
                if d0 is not None and d1 is not None:
                    along = d0 + frac * (d1 - d0)
                else:
                    along = cum[-1] * (elapsed - times[0][0]) / max(1, times[-1][0] - times[0][0])
                break
        lat, lon = point_at(path, along, cum)
        ahead = point_at(path, along + 20, cum)
        entity = message.entity.add()
        entity.id = f"{SIMULATED_VEHICLE_PREFIX}{trip.trip_id}-{start}"
        vp = entity.vehicle
        vp.vehicle.id = entity.id
        vp.vehicle.label = f"{trip.route.short_name or trip.route.route_id} (simulado)"
        _trip_descriptor(
            vp.trip,
            trip_id=trip.trip_id,
            route_id=trip.route.route_id,
            start_date=local.date(),
            start_time=start,
            unscheduled=trip.pk in freq and any(f.exact_times != 1 for f in freq[trip.pk]),
        )
        vp.position.latitude = lat
        vp.position.longitude = lon
        vp.position.bearing = bearing_deg((lat, lon), ahead)
        vp.timestamp = int(now.timestamp())
    return message
