from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from mueve.core.permissions import require_perm
from mueve.sensors import selectors
from mueve.sensors.forms import DeviceForm
from mueve.sensors.models import Device
from mueve.sensors.services.devices import device_for_key, device_provision, device_revoke
from mueve.sensors.services.ingest import Message, ingest_batch

MAX_BODY = 256 * 1024


def _device_key(request) -> str:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("device "):
        return header.split(" ", 1)[1].strip()
    return request.headers.get("X-Device-Key", "").strip()


@csrf_exempt  # machine-to-machine: the device's key, never a browser cookie
def ingest(request):
    """HTTP ingest: POST JSON attributes or SenML with `Authorization: Device <secret>`."""
    if request.method != "POST":
        return JsonResponse({"detail": _("Use POST.")}, status=405)
    device = device_for_key(_device_key(request))
    if device is None:
        return JsonResponse({"detail": _("Clave de dispositivo ausente o desconocida.")}, status=401)
    if len(request.body) > MAX_BODY:
        return JsonResponse({"detail": _("Mensaje demasiado grande (máximo 256 KB).")}, status=413)
    outcome = ingest_batch([Message(device_uid=device.uid, payload=request.body, via="http")])
    body = {
        "stored": outcome.stored,
        "duplicates": outcome.duplicates,
        "rejected": outcome.rejected,
        "problems": [{"reason": p.reason, "detail": p.detail} for p in outcome.problems],
    }
    if device.status != Device.Status.ACTIVE:
        return JsonResponse({"detail": _("Dispositivo revocado o en cuarentena."), **body}, status=403)
    if outcome.rejected and not outcome.stored and not outcome.duplicates:
        status = 429 if any(p.reason == "rate" for p in outcome.problems) else 400
        return JsonResponse({"detail": _("Ninguna lectura válida."), **body}, status=status)
    return JsonResponse(body, status=202)


@require_perm("sensors.view_devices")
def device_list(request):
    devices = selectors.devices_with_rejections(request.user)
    form = DeviceForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        owner = request.user.organization
        try:
            if owner is None:
                raise ValidationError({"uid": [_("Su cuenta no pertenece a una organización dueña de dispositivos.")]})
            device, secret = device_provision(actor=request.user, owner=owner, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            devices = selectors.devices_with_rejections(request.user)
            form = DeviceForm()
    return render(
        request,
        "sensors/device_list.html",
        {
            "devices": devices,
            "form": form,
            "secret": secret,
            "retention": selectors.retention_per_metric(),
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
@require_POST
def device_revoke_view(request, uid: str):
    device = get_object_or_404(selectors.devices_for(request.user), uid=uid)
    device_revoke(actor=request.user, device=device, reason=request.POST.get("reason", ""))
    return redirect("sensors:device_list")
