"""Writes of Alerta Drone: asking for a visual check, the pilot's mission steps, footage, and its pruning.

Every refusal is a ValidationError with a Spanish message per field, raised before anything is stored.
"""

import logging
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mueve.core import events
from mueve.core.geo import validate_lat_lon
from mueve.core.permissions import ensure_perm
from mueve.reports.photos import process_photo, sniff_type
from mueve.visual_checks import events as visual_events
from mueve.visual_checks import planning, selectors
from mueve.visual_checks.models import Camera, Drone, Footage, Mission, NoFlyZone

log = logging.getLogger(__name__)

SNAPSHOT_MAX_BYTES = 8 * 1024 * 1024
STREAM_URL_MAX = 500
PLAYLIST_PEEK_BYTES = 4096
STREAM_CHECK_TIMEOUT = 5  # seconds

# The pilot's steps, each from the one before it only.
NEXT_STATUS = {
    Mission.Status.REQUESTED: Mission.Status.ACCEPTED,
    Mission.Status.ACCEPTED: Mission.Status.IN_FLIGHT,
    Mission.Status.IN_FLIGHT: Mission.Status.ON_SCENE,
    Mission.Status.ON_SCENE: Mission.Status.RETURNED,
}
STATUS_TIME = {
    Mission.Status.ACCEPTED: "accepted_at",
    Mission.Status.IN_FLIGHT: "in_flight_at",
    Mission.Status.ON_SCENE: "on_scene_at",
    Mission.Status.RETURNED: "returned_at",
}
REFUSALS = {
    planning.REASON_UNAVAILABLE: gettext_lazy("El dron no está disponible."),
    planning.REASON_ENDURANCE: gettext_lazy("La ida y vuelta no cabe en la autonomía del dron (con su reserva)."),
    planning.REASON_NO_FLY: gettext_lazy("La ruta del dron cruza una zona de exclusión de vuelo."),
}


def _publish(mission: Mission) -> None:
    # No personal data: the pilot's position stays in the panel's authenticated JSON, not in the event log.
    events.publish(visual_events.MISSION_CHANGED, visual_events.mission_payload(mission))


def _check_incident(incident) -> None:
    if not incident.is_active:
        raise ValidationError(
            {
                "incident": [
                    _("El incidente n.º %(id)s ya está cerrado (%(status)s): no se pide una verificación visual.")
                    % {"id": incident.pk, "status": incident.get_status_display()}
                ]
            }
        )


@transaction.atomic
def mission_request(*, incident, actor, camera: Camera | None = None, drone: Drone | None = None) -> Mission:
    """A visual check of `incident` through a fixed camera (its feed is there at once) or a drone (its pilot
    receives the request). The drone must be one the planner would offer now: available, within its endurance,
    and clear of every no-fly zone."""
    ensure_perm(actor, "visual_checks.request_check")
    if not actor.has_perm("reports.manage_incidents", incident):
        raise PermissionDenied
    if (camera is None) == (drone is None):
        raise ValidationError({"resource": [_("Elija una cámara o un dron.")]})
    # Locks the incident row (PostgreSQL) so a resolution racing with the request is seen by one of them.
    incident = type(incident).objects.select_for_update().get(pk=incident.pk)
    _check_incident(incident)
    now = timezone.now()
    if camera is not None:
        if camera.jurisdiction_id != incident.jurisdiction_id or not camera.active:
            raise ValidationError({"camera": [_("Esa cámara no está disponible para este incidente.")]})
        spec = next((c for c in selectors.camera_specs(incident.jurisdiction_id) if c.id == camera.pk), None)
        if spec is None or not planning.camera_covers(spec, incident.lat, incident.lon):
            raise ValidationError({"camera": [_("Esa cámara no cubre el lugar del incidente.")]})
        mission = Mission.objects.create(
            incident=incident,
            camera=camera,
            status=Mission.Status.ON_SCENE,
            requested_by=actor,
            requested_at=now,
            on_scene_at=now,
            stream_url=camera.stream_url,
            first_image_at=now if camera.stream_url else None,
        )
    else:
        drone = Drone.objects.select_for_update().get(pk=drone.pk)
        if drone.jurisdiction_id != incident.jurisdiction_id:
            raise ValidationError({"drone": [_("Ese dron no está disponible para este incidente.")]})
        spec = next(d for d in selectors.drone_specs(incident.jurisdiction_id) if d.id == drone.pk)
        reason = planning.drone_refusal(
            spec, incident.lat, incident.lon, selectors.zone_specs(incident.jurisdiction_id)
        )
        if reason is not None:
            raise ValidationError({"drone": [str(REFUSALS[reason])]})
        mission = Mission.objects.create(
            incident=incident,
            drone=drone,
            requested_by=actor,
            requested_at=now,
            flight_minutes=round(planning.round_trip_minutes(spec, incident.lat, incident.lon), 1),
        )
        drone.status = Drone.Status.BUSY
        drone.save(update_fields=["status"])
    _publish(mission)
    return mission


def _pilot_mission(mission: Mission, pilot) -> Mission:
    if not pilot.has_perm("visual_checks.pilot_mission", mission):
        raise PermissionDenied
    return Mission.objects.select_for_update(of=("self",)).select_related("drone", "incident").get(pk=mission.pk)


@transaction.atomic
def mission_advance(*, mission: Mission, pilot, status: str) -> Mission:
    """The pilot's next step (accept, take off, on the scene, back at base); only the next one is accepted."""
    mission = _pilot_mission(mission, pilot)
    expected = NEXT_STATUS.get(mission.status)
    if expected is None or status != expected:
        message = _("La misión está «%(now)s»: ese paso no corresponde.")
        raise ValidationError({"status": [message % {"now": mission.get_status_display()}]})
    if status == Mission.Status.ACCEPTED:
        _check_incident(mission.incident)  # resolved while the request waited: nothing left to look at
    mission.status = status
    setattr(mission, STATUS_TIME[status], timezone.now())
    mission.save(update_fields=["status", STATUS_TIME[status]])
    if status == Mission.Status.RETURNED:
        Drone.objects.filter(pk=mission.drone_id, status=Drone.Status.BUSY).update(status=Drone.Status.AVAILABLE)
    _publish(mission)
    return mission


@transaction.atomic
def mission_position(*, mission: Mission, pilot, lat: float, lon: float) -> Mission:
    mission = _pilot_mission(mission, pilot)
    try:
        validate_lat_lon(lat, lon)
    except ValueError:
        raise ValidationError(
            {"position": [_("La posición no es válida (latitud o longitud fuera de rango).")]}
        ) from None
    if not mission.is_active or mission.status == Mission.Status.REQUESTED:
        raise ValidationError({"position": [_("La posición se comparte solo durante una misión aceptada.")]})
    mission.pilot_lat, mission.pilot_lon, mission.pilot_position_at = lat, lon, timezone.now()
    mission.save(update_fields=["pilot_lat", "pilot_lon", "pilot_position_at"])
    return mission


def _flying(mission: Mission, field: str) -> None:
    if mission.status not in (Mission.Status.IN_FLIGHT, Mission.Status.ON_SCENE):
        raise ValidationError({field: [_("Las imágenes se envían con el dron en vuelo o en el lugar.")]})


def _first_image(mission: Mission, now) -> None:
    if mission.first_image_at is None:
        mission.first_image_at = now
        mission.save(update_fields=["first_image_at"])


@transaction.atomic
def footage_add_snapshot(*, mission: Mission, pilot, upload) -> Footage:
    """A still image from the drone: JPEG or PNG of at most 8 MB, re-encoded (no metadata kept)."""
    mission = _pilot_mission(mission, pilot)
    _flying(mission, "image")
    size = getattr(upload, "size", None)
    if size is not None and size > SNAPSHOT_MAX_BYTES:
        raise ValidationError({"image": [_("La imagen pesa más de 8 MB.")]})
    upload.seek(0)
    kind = sniff_type(upload.read(16))
    if kind not in ("image/jpeg", "image/png"):
        raise ValidationError({"image": [_("La imagen debe ser JPEG o PNG.")]})
    try:
        content, _w, _h, _type = process_photo(upload)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from exc
    now = timezone.now()
    _first_image(mission, now)
    footage = Footage(mission=mission, kind=Footage.Kind.SNAPSHOT, created_at=now)
    # Storage is not transactional: the file goes when its row cannot be stored, and the row's write is the last
    # one that can fail before commit.
    footage.image.save(content.name, content, save=False)
    try:
        footage.save()
        _publish(mission)
    except BaseException:
        footage.image.delete(save=False)
        raise
    return footage


class _Refuse(urllib.request.HTTPRedirectHandler):
    # Only the configured servers are fetched: a redirect elsewhere (another host, the local network) is an error.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.URLError("redirect refused")


_NO_REDIRECTS = urllib.request.build_opener(_Refuse)


def stream_url_check(url: str) -> str:
    """The HLS address, cleaned, or a ValidationError({"stream_url": ...}).

    An http(s) address on one of the configured video servers (MUEVE_VISUAL_STREAM_ORIGINS: the panel's
    Content-Security-Policy lets the browser reach those only), whose path ends in .m3u8 or whose answer starts
    with the HLS playlist's tag `#EXTM3U`."""
    url = (url or "").strip()
    if not url:
        raise ValidationError({"stream_url": [_("Indique la dirección del video en vivo.")]})
    if len(url) > STREAM_URL_MAX:
        raise ValidationError({"stream_url": [_("La dirección es demasiado larga.")]})
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.username or parts.password:
        raise ValidationError({"stream_url": [_("La dirección debe empezar con http:// o https://.")]})
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    if origin not in {o.lower().rstrip("/") for o in settings.MUEVE_VISUAL_STREAM_ORIGINS}:
        message = _("El servidor de video %(origin)s no está autorizado en la plataforma.")
        raise ValidationError({"stream_url": [message % {"origin": origin}]})
    if parts.path.lower().endswith(".m3u8"):
        return url
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "Mueve/visual-checks"})
        with _NO_REDIRECTS.open(request, timeout=STREAM_CHECK_TIMEOUT) as answer:
            head = answer.read(PLAYLIST_PEEK_BYTES)
    except (urllib.error.URLError, OSError, ValueError):
        raise ValidationError({"stream_url": [_("No se pudo leer el video en esa dirección.")]}) from None
    if not head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"#EXTM3U"):
        message = _("Esa dirección no es un video HLS: debe terminar en .m3u8 o entregar una lista #EXTM3U.")
        raise ValidationError({"stream_url": [message]})
    return url


@transaction.atomic
def footage_set_stream(*, mission: Mission, pilot, url: str) -> Footage:
    mission = _pilot_mission(mission, pilot)
    _flying(mission, "stream_url")
    url = stream_url_check(url)
    now = timezone.now()
    footage = Footage.objects.create(mission=mission, kind=Footage.Kind.STREAM, stream_url=url, created_at=now)
    mission.stream_url = url
    mission.save(update_fields=["stream_url"])
    _first_image(mission, now)
    _publish(mission)
    return footage


def footage_prune(*, now=None) -> int:
    """Deletes the footage past its jurisdiction's retention (rows and files). Returns how many were removed."""
    removed = 0
    for footage in selectors.expired_footage(now).iterator():
        with transaction.atomic():
            name = footage.image.name
            footage.delete()
            Mission.objects.filter(pk=footage.mission_id, stream_url=footage.stream_url).exclude(stream_url="").update(
                stream_url=""
            )
            if name:
                storage = footage.image.storage
                transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        removed += 1
    return removed


# --- Resources (the demo and the admin's imports) -----------------------------------------------------------


def _ring(polygon: list, field: str) -> list[list[float]]:
    try:
        ring = [[float(lon), float(lat)] for lon, lat in polygon]
        for lon, lat in ring:
            validate_lat_lon(lat, lon)
    except (TypeError, ValueError):
        raise ValidationError({field: [_("El polígono debe ser una lista de pares [longitud, latitud].")]}) from None
    if len(ring) < 3:
        raise ValidationError({field: [_("El polígono necesita al menos tres vértices.")]})
    return ring


@transaction.atomic
def no_fly_zone_upsert(*, name: str, polygon: list, jurisdiction=None) -> NoFlyZone:
    zone, _created = NoFlyZone.objects.update_or_create(
        name=name, jurisdiction=jurisdiction, defaults={"polygon": _ring(polygon, "polygon")}
    )
    return zone


@transaction.atomic
def camera_upsert(*, jurisdiction, name: str, lat: float, lon: float, **fields) -> Camera:
    validate_lat_lon(lat, lon)
    if fields.get("coverage"):
        fields["coverage"] = _ring(fields["coverage"], "coverage")
    if fields.get("stream_url"):
        fields["stream_url"] = stream_url_check(fields["stream_url"])
    camera, _created = Camera.objects.update_or_create(
        jurisdiction=jurisdiction, name=name, defaults={"lat": lat, "lon": lon, **fields}
    )
    return camera


@transaction.atomic
def drone_upsert(
    *, jurisdiction, name: str, base_lat: float, base_lon: float, speed_mps: float, endurance_min: float, pilot
) -> Drone:
    validate_lat_lon(base_lat, base_lon)
    if speed_mps <= 0 or endurance_min <= 0:
        raise ValidationError({"speed_mps": [_("La velocidad y la autonomía deben ser positivas.")]})
    drone, _created = Drone.objects.update_or_create(
        jurisdiction=jurisdiction,
        name=name,
        defaults={
            "base_lat": base_lat,
            "base_lon": base_lon,
            "speed_mps": speed_mps,
            "endurance_min": endurance_min,
            "pilot": pilot,
        },
    )
    return drone
