"""i-BiciPark pages: the public free-slot map, a slot's QR page (check in, unlock), the security desk (live), the
camera's upload and its pictures (staff only)."""

import json
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from mueve.realtime.hub import follow, off_thread
from mueve.sensors.bicipark import events, selectors, services
from mueve.sensors.bicipark.models import TheftAlarm
from mueve.sensors.services.devices import device_for_key

RETRY_MS = 1500


def public_map(request):
    racks = selectors.racks_public()
    center = [racks[0]["lat"], racks[0]["lon"]] if racks else [-36.8270, -73.0503]
    return render(request, "sensors/bicipark/public_map.html", {"racks": racks, "map_config": {"center": center}})


def slot_page(request, code: str):
    slot = selectors.slot_by_code(code)
    if slot is None:
        raise Http404
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        action = request.POST.get("action")
        try:
            if action == "check_in":
                services.slot_check_in(cyclist=request.user, slot=slot, push=request.POST.get("push") == "on")
            elif action == "unlock":
                services.slot_unlock(cyclist=request.user, slot=slot)
            else:
                raise ValidationError({"action": [_("Acción desconocida.")]})
        except ValidationError as exc:
            errors = [str(m) for messages in exc.message_dict.values() for m in messages]
            status = 400
        except PermissionDenied:
            errors = [_("Esta bicicleta la estacionó otra cuenta: solo esa cuenta puede retirarla.")]
            status = 403
        else:
            return redirect("bicipark:slot", code=slot.code)
    parking = selectors.open_parking(slot)
    mine = parking is not None and request.user.is_authenticated and parking.cyclist_id == request.user.pk
    return render(
        request,
        "sensors/bicipark/slot.html",
        {"slot": slot, "rack": slot.rack, "parking": parking, "mine": mine, "errors": errors},
        status=status,
    )


def _desk_org_or_403(request, org_slug: str):
    organization = selectors.desk_organization(org_slug)
    if organization is None:
        raise Http404
    if not request.user.has_perm("bicipark.watch_desk", organization):
        raise PermissionDenied
    return organization


@login_required
def desk(request, org_slug: str, *, errors=None, error_alarm: int | None = None, status: int = 200):
    organization = _desk_org_or_403(request, org_slug)
    open_alarms, closed_alarms = selectors.desk_alarms(organization)
    return render(
        request,
        "sensors/bicipark/desk.html",
        {
            "organization": organization,
            "racks": selectors.desk_racks(organization),
            "open_alarms": open_alarms,
            "closed_alarms": closed_alarms,
            "errors": errors or {},
            "error_alarm": error_alarm,
            "outcomes": [(TheftAlarm.Status.THEFT, _("Robo")), (TheftAlarm.Status.FALSE_ALARM, _("Falsa alarma"))],
            "stream_config": {"stream": reverse("bicipark:desk_stream", args=[organization.slug])},
            # The empty item the page's script clones for an alarm that arrives live (filled with textContent).
            "template_alarm": {"id": "__ID__", "status": "open"},
        },
        status=status,
    )


@login_required
@require_POST
def alarm_close(request, pk: int):
    alarm = selectors.alarm_for_desk(pk)
    if alarm is None:
        raise Http404
    organization = alarm.rack.organization
    try:
        services.alarm_close(
            actor=request.user,
            alarm=alarm,
            outcome=request.POST.get("outcome", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        return desk(request, organization.slug, errors=exc.message_dict, error_alarm=alarm.pk, status=400)
    return redirect("bicipark:desk", org_slug=organization.slug)


@login_required
def snapshot(request, pk: int):
    """A camera picture, for the building's security staff only; never cached by a shared cache."""
    picture = selectors.snapshot_for_desk(pk)
    if picture is None:
        raise Http404
    if not request.user.has_perm("bicipark.watch_desk", picture.rack.organization):
        raise PermissionDenied
    response = HttpResponse(bytes(picture.image), content_type=picture.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@csrf_exempt  # machine-to-machine: the camera's device key, never a browser cookie
def camera_upload(request):
    """The rack's camera posts a picture: the raw JPEG/PNG as the body (or a form's `image` file), with
    `Authorization: Device <secret>`."""
    if request.method != "POST":
        return JsonResponse({"detail": _("Use POST.")}, status=405)
    header = request.headers.get("Authorization", "")
    key = header.split(" ", 1)[1].strip() if header.lower().startswith("device ") else ""
    device = device_for_key(key)
    if device is None:
        return JsonResponse({"detail": _("Clave de dispositivo ausente o desconocida.")}, status=401)
    limit = services.snapshot_max_bytes()
    if int(request.headers.get("Content-Length") or 0) > limit + 64 * 1024:
        return JsonResponse({"image": [_("La imagen pesa demasiado.")]}, status=413)
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("image")
        data = upload.read(limit + 1) if upload else b""
    else:
        data = request.body
    if len(data) > limit:
        return JsonResponse({"image": [_("La imagen pesa demasiado.")]}, status=413)
    try:
        picture = services.snapshot_store(device=device, data=data)
    except PermissionDenied:
        return JsonResponse({"detail": _("Dispositivo revocado o en cuarentena.")}, status=403)
    except ValidationError as exc:
        body = exc.message_dict
        status = 415 if "Solo se aceptan" in " ".join(body.get("image", [])) else 422
        return JsonResponse(body, status=status)
    return JsonResponse({"id": picture.pk, "width": picture.width, "height": picture.height}, status=201)


# --- the security desk's live stream ------------------------------------------------------------------------------


def _may_watch(session_key: str | None, organization_id: int) -> bool:
    """Asked at connection and at every keep-alive: a logout or a lost role ends the stream."""
    probe = HttpRequest()
    probe.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    user = get_user(probe)
    organization = selectors.organization_by_id(organization_id)
    return bool(user.is_authenticated and organization and user.has_perm("bicipark.watch_desk", organization))


def _message(state: dict) -> bytes:
    return f"data: {json.dumps(state, ensure_ascii=False)}\n\n".encode()


def _open_states(organization_id: int) -> list[dict]:
    organization = selectors.organization_by_id(organization_id)
    return selectors.desk_alarms(organization, closed_limit=0)[0] if organization else []


async def _desk_events(session_key: str | None, organization_id: int):
    # Every connection starts with the open alarms (the page upserts by id): a reconnecting page misses nothing.
    yield f"retry: {RETRY_MS}\n: bienvenida\n\n".encode()
    for state in reversed(await off_thread(_open_states)(organization_id)):
        yield _message(state)
    async for batch in follow([events.TOPIC]):
        if not batch:
            if not await off_thread(_may_watch)(session_key, organization_id):
                yield b"event: revoked\ndata: {}\n\n"
                return
            yield b": keepalive\n\n"
            continue
        for event in batch:
            try:
                payload = json.loads(event.data).get("payload") or {}
            except ValueError:
                continue
            if payload.get("organization_id") != organization_id:
                continue
            state = await off_thread(selectors.alarm_state)(payload.get("alarm_id"), organization_id)
            if state is not None:
                yield _message(state)


async def desk_stream(request, org_slug: str):
    organization = await off_thread(selectors.desk_organization)(org_slug)
    if organization is None:
        raise Http404
    session_key = request.session.session_key
    if not await off_thread(_may_watch)(session_key, organization.pk):
        return HttpResponseForbidden(_("Solo el personal de seguridad del edificio puede seguir sus alarmas."))
    response = StreamingHttpResponse(
        _desk_events(session_key, organization.pk), content_type="text/event-stream; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"
    return response
