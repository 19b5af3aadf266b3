"""Alerta Drone's pages and JSON endpoints: thin, over services and selectors.

JSON in the same shape as the control centre's actions: {"mission": ...} or {"errors": {field: [Spanish]}}.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from mueve.accounts.scopes import jurisdiction_filter
from mueve.core.errors import error_dict
from mueve.core.permissions import require_perm
from mueve.reports.models import Incident
from mueve.visual_checks import selectors, services
from mueve.visual_checks.models import Camera, Drone, Footage, Mission

MANAGE = "reports.manage_incidents"


def _errors(exc: ValidationError, status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": error_dict(exc)}, status=status)


def _denied() -> JsonResponse:
    return JsonResponse({"errors": {"__all__": [_("Su cuenta no puede hacer esto.")]}}, status=403)


def _incident(request, pk: int) -> Incident | None:
    incident = Incident.objects.select_related("service").filter(pk=pk).first()
    if incident is None or not request.user.has_perm(MANAGE, incident):
        return None  # another jurisdiction's incident is as absent as one that does not exist
    return incident


def _id(raw) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else None


# --- The control centre -------------------------------------------------------------------------------------


@require_GET
@never_cache
def incident_checks(request, pk: int):
    """What can look at this incident (covering cameras first; else the nearest drone that may fly) and the
    missions already asked for, with their feeds."""
    if not request.user.has_perm("visual_checks.request_check"):
        return _denied()
    incident = _incident(request, pk)
    if incident is None:
        raise Http404
    plan = selectors.plan_for(incident)
    return JsonResponse(
        {
            "active": incident.is_active,
            "offers": selectors.offers(plan),
            "refused": len(plan.refused),
            "missions": [selectors.mission_row(m) for m in selectors.missions_of_incident(incident)],
        }
    )


@require_POST
def incident_request(request, pk: int):
    if not request.user.has_perm("visual_checks.request_check"):
        return _denied()
    incident = _incident(request, pk)
    if incident is None:
        return JsonResponse({"errors": {"__all__": [_("El incidente no existe.")]}}, status=404)
    camera_id, drone_id = _id(request.POST.get("camera")), _id(request.POST.get("drone"))
    camera = Camera.objects.filter(pk=camera_id).first() if camera_id else None
    drone = Drone.objects.filter(pk=drone_id).first() if drone_id else None
    try:
        mission = services.mission_request(incident=incident, actor=request.user, camera=camera, drone=drone)
    except ValidationError as exc:
        return _errors(exc, 422)
    except PermissionDenied:
        return _denied()
    return JsonResponse({"mission": selectors.mission_row(selectors.mission_by_id(mission.pk))}, status=201)


@require_GET
def footage(request, token: str):
    """A snapshot, to the control centre in its incident's jurisdiction and to the mission's pilot only."""
    item = selectors.footage_by_token(token)
    if item is None or item.kind != Footage.Kind.SNAPSHOT or not item.image:
        raise Http404
    if not request.user.has_perm("visual_checks.view_footage", item.mission):
        raise Http404
    response = FileResponse(
        item.image.open("rb"), content_type="image/jpeg" if item.image.name.endswith("jpg") else "image/png"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@require_perm("visual_checks.request_check")
def statistics(request):
    stats = selectors.statistics(jurisdictions=jurisdiction_filter(request.user))
    return render(request, "visual_checks/statistics.html", {"stats": stats})


# --- The pilot's phone ----------------------------------------------------------------------------------------


@require_GET
@require_perm("visual_checks.fly")
def pilot(request):
    config = {
        "missionsUrl": reverse("visual_checks:pilot_missions"),
        "stepUrl": reverse("visual_checks:step", args=[0]),
        "positionUrl": reverse("visual_checks:position", args=[0]),
        "snapshotUrl": reverse("visual_checks:snapshot", args=[0]),
        "streamUrl": reverse("visual_checks:stream", args=[0]),
        "next": {
            Mission.Status.REQUESTED: [Mission.Status.ACCEPTED, _("Aceptar la misión")],
            Mission.Status.ACCEPTED: [Mission.Status.IN_FLIGHT, _("Despegué")],
            Mission.Status.IN_FLIGHT: [Mission.Status.ON_SCENE, _("Llegué al lugar")],
            Mission.Status.ON_SCENE: [Mission.Status.RETURNED, _("Volví a la base")],
        },
        "i18n": {
            "none": _("No hay misiones por ahora. Esta página se actualiza sola."),
            "error": _("No se pudo completar. Intente de nuevo."),
            "sent": _("Enviado."),
            "flight": _("Vuelo estimado (ida y vuelta): %(min)s min"),
            "snapshot": _("Enviar imagen (JPEG o PNG)"),
            "send": _("Enviar"),
            "stream": _("Dirección del video en vivo (HLS, .m3u8)"),
            "setStream": _("Usar este video"),
            "share": _("Compartir mi posición"),
            "noGeo": _("Este teléfono no entrega su posición."),
            "positionSent": _("Posición compartida."),
            "map": _("Ver el lugar en el mapa"),
            "images": _("Imágenes enviadas: %(n)s"),
        },
    }
    return render(request, "visual_checks/pilot.html", {"config": config})


@require_GET
@never_cache
@require_perm("visual_checks.fly")
def pilot_missions(request):
    return JsonResponse({"missions": [selectors.mission_row(m) for m in selectors.missions_of_pilot(request.user)]})


def _pilot_action(request, pk: int, action) -> JsonResponse:
    mission = selectors.mission_by_id(pk)
    if mission is None or not request.user.has_perm("visual_checks.pilot_mission", mission):
        return JsonResponse({"errors": {"__all__": [_("La misión no existe.")]}}, status=404)
    try:
        action(mission)
    except ValidationError as exc:
        return _errors(exc, 422)
    except PermissionDenied:
        return _denied()
    return JsonResponse({"mission": selectors.mission_row(selectors.mission_by_id(pk))})


def _float(raw, field: str) -> float:
    try:
        return float((raw or "").strip())
    except ValueError:
        raise ValidationError({field: [_("Indique un número.")]}) from None


@require_POST
def step(request, pk: int):
    status = (request.POST.get("status") or "").strip()[:20]
    return _pilot_action(request, pk, lambda m: services.mission_advance(mission=m, pilot=request.user, status=status))


@require_POST
def position(request, pk: int):
    def act(mission):
        lat, lon = _float(request.POST.get("lat"), "position"), _float(request.POST.get("lon"), "position")
        services.mission_position(mission=mission, pilot=request.user, lat=lat, lon=lon)

    return _pilot_action(request, pk, act)


@require_POST
def snapshot(request, pk: int):
    def act(mission):
        upload = request.FILES.get("image")
        if upload is None:
            raise ValidationError({"image": [_("Elija una imagen.")]})
        services.footage_add_snapshot(mission=mission, pilot=request.user, upload=upload)

    return _pilot_action(request, pk, act)


@require_POST
def stream(request, pk: int):
    url = request.POST.get("stream_url") or ""
    return _pilot_action(request, pk, lambda m: services.footage_set_stream(mission=m, pilot=request.user, url=url))
