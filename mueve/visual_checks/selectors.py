"""Reads of Alerta Drone: the plan for an incident, missions for the panel and the pilot, statistics."""

from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from django.conf import settings
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone

from mueve.visual_checks import planning
from mueve.visual_checks.models import Camera, Drone, Footage, Mission, NoFlyZone, RetentionPolicy


def camera_specs(jurisdiction_id: int) -> list[planning.CameraSpec]:
    return [
        planning.CameraSpec(
            id=c.pk,
            lat=c.lat,
            lon=c.lon,
            range_m=c.range_m,
            bearing_deg=c.bearing_deg,
            fov_deg=c.fov_deg,
            coverage=tuple(tuple(p) for p in c.coverage or ()),
        )
        for c in Camera.objects.filter(jurisdiction_id=jurisdiction_id, active=True)
    ]


def drone_specs(jurisdiction_id: int) -> list[planning.DroneSpec]:
    active = Mission.objects.filter(drone__isnull=False, status__in=Mission.ACTIVE_STATUSES)
    busy = set(active.values_list("drone_id", flat=True))
    return [
        planning.DroneSpec(
            id=d.pk,
            lat=d.base_lat,
            lon=d.base_lon,
            speed_mps=d.speed_mps,
            endurance_min=d.endurance_min,
            available=d.status == Drone.Status.AVAILABLE and d.pk not in busy,
        )
        for d in Drone.objects.filter(jurisdiction_id=jurisdiction_id)
    ]


def zone_specs(jurisdiction_id: int) -> list[planning.ZoneSpec]:
    zones = NoFlyZone.objects.filter(Q(jurisdiction__isnull=True) | Q(jurisdiction_id=jurisdiction_id))
    return [planning.ZoneSpec(id=z.pk, name=z.name, ring=tuple(tuple(p) for p in z.polygon)) for z in zones]


def plan_for(incident) -> planning.Plan:
    j = incident.jurisdiction_id
    return planning.plan(
        incident.lat, incident.lon, cameras=camera_specs(j), drones=drone_specs(j), zones=zone_specs(j)
    )


def offers(plan: planning.Plan) -> list[dict]:
    """What the incident panel offers: the covering cameras, nearest first; failing those, the planned drone."""
    cameras = {c.pk: c for c in Camera.objects.filter(pk__in=plan.cameras)}
    rows = [{"kind": "camera", "id": pk, "name": cameras[pk].name} for pk in plan.cameras]
    drone = Drone.objects.filter(pk=plan.drone.drone_id).first() if plan.drone else None
    if not rows and drone is not None:
        rows.append(
            {
                "kind": "drone",
                "id": drone.pk,
                "name": drone.name,
                "distance_m": round(plan.drone.distance_m),
                "flight_minutes": round(plan.drone.flight_minutes, 1),
            }
        )
    return rows


def footage_url(footage: Footage) -> str:
    return reverse("visual_checks:footage", args=[footage.token])


def mission_row(mission: Mission) -> dict:
    """A mission as the panel and the pilot's page read it (no personal data beyond the pilot's live position,
    which only these two, both entitled, see)."""
    snapshots = [
        {"url": footage_url(f), "at": f.created_at.isoformat()}
        for f in mission.footage.all()
        if f.kind == Footage.Kind.SNAPSHOT
    ]
    return {
        "id": mission.pk,
        "incident": mission.incident_id,
        "resource": "camera" if mission.camera_id else "drone",
        "resource_name": str(mission.camera or mission.drone),
        "status": mission.status,
        "status_label": str(mission.get_status_display()),
        "requested_at": mission.requested_at.isoformat(),
        "flight_minutes": mission.flight_minutes,
        "pilot_position": ([mission.pilot_lat, mission.pilot_lon] if mission.pilot_lat is not None else None),
        "stream_url": mission.stream_url,
        "snapshots": snapshots,
        "incident_lat": mission.incident.lat,
        "incident_lon": mission.incident.lon,
        "incident_label": f"#{mission.incident_id} {mission.incident.service.name}",
    }


def _missions():
    return Mission.objects.select_related("incident__service", "camera", "drone").prefetch_related("footage")


def mission_by_id(pk: int) -> Mission | None:
    return _missions().filter(pk=pk).first()


def missions_of_incident(incident) -> list[Mission]:
    return list(_missions().filter(incident=incident))


def missions_of_pilot(user) -> list[Mission]:
    """The pilot's current missions, and the last returned ones (for the record)."""
    mine = _missions().filter(drone__pilot=user)
    active = list(mine.filter(status__in=Mission.ACTIVE_STATUSES).order_by("requested_at"))
    return active + list(mine.filter(status=Mission.Status.RETURNED).order_by("-returned_at")[:5])


def footage_by_token(token: str) -> Footage | None:
    return Footage.objects.select_related("mission__incident", "mission__drone").filter(token=token).first()


def retention_days(jurisdiction_id: int) -> int:
    policy = RetentionPolicy.objects.filter(jurisdiction_id=jurisdiction_id).first()
    return policy.footage_days if policy else settings.MUEVE_FOOTAGE_RETENTION_DAYS


def expired_footage(now=None):
    """Footage past its jurisdiction's retention (computed per jurisdiction: few of them, many rows)."""
    now = now or timezone.now()
    jurisdictions = set(Footage.objects.values_list("mission__incident__jurisdiction_id", flat=True).distinct())
    expired = Footage.objects.none()
    for j in jurisdictions:
        cutoff = now - timedelta(days=retention_days(j))
        expired = expired | Footage.objects.filter(mission__incident__jurisdiction_id=j, created_at__lt=cutoff)
    return expired


@dataclass
class Timing:
    count: int
    median_min: float | None


def _timing(values: list[float]) -> Timing:
    return Timing(count=len(values), median_min=round(median(values), 1) if values else None)


@dataclass
class Statistics:
    missions: int
    by_status: list[tuple[str, int]]
    by_resource: list[tuple[str, int]]
    to_first_image: Timing
    to_physical: Timing
    compared: list[dict]


def statistics(*, jurisdictions: frozenset[int] | None) -> Statistics:
    """Missions, the minutes from a check's request to its first image, and — for the same incidents — the
    minutes from the incident's opening to the dispatch of a team on the ground (`Incident.dispatched_at`, the
    physical inspection's record in reports), where one was recorded."""
    missions = Mission.objects.select_related("incident")
    if jurisdictions is not None:
        missions = missions.filter(incident__jurisdiction_id__in=jurisdictions)
    missions = list(missions.annotate(first_footage=Min("footage__created_at")))
    by_status: dict[str, int] = {}
    by_resource = {"camera": 0, "drone": 0}
    to_image, to_physical, compared = [], [], []
    labels = dict(Mission.Status.choices)
    for m in missions:
        by_status[str(labels[m.status])] = by_status.get(str(labels[m.status]), 0) + 1
        by_resource["camera" if m.camera_id else "drone"] += 1
        image_min = None
        if m.first_image_at:
            image_min = (m.first_image_at - m.requested_at).total_seconds() / 60
            to_image.append(image_min)
        physical_min = None
        if m.incident.dispatched_at:
            physical_min = (m.incident.dispatched_at - m.incident.opened_at).total_seconds() / 60
            to_physical.append(physical_min)
        if image_min is not None and physical_min is not None:
            compared.append(
                {"incident": m.incident_id, "image_min": round(image_min, 1), "physical_min": round(physical_min, 1)}
            )
    return Statistics(
        missions=len(missions),
        by_status=sorted(by_status.items()),
        by_resource=sorted(by_resource.items()),
        to_first_image=_timing(to_image),
        to_physical=_timing(to_physical),
        compared=compared,
    )
