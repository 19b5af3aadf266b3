"""HTTP for CKAN's action API (`/api/3/action/<name>`, also `/api/action/<name>`) and for the resources' download
links (`/dataset/<id>/resource/<id>/download/<file>`, CKAN's own layout, so harvesters recognise an upload).

Every action reads: GET with query parameters or POST with a JSON object (or a form), as CKAN accepts them. No
cookies are read or set, so there is no CSRF to check."""

import json
import logging
from pathlib import PurePosixPath

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from mueve.datasets import gate
from mueve.datasets.ckan.actions import ACTIONS, Call
from mueve.datasets.ckan.errors import ActionError, bad_request, envelope_error
from mueve.datasets.models import Dataset, Distribution

log = logging.getLogger(__name__)


def _request_data(request) -> dict:
    """The action's parameters; ValueError when the body is not a JSON object."""
    if request.method == "GET":
        return {k: (v[0] if len(v) == 1 else v) for k, v in request.GET.lists()}
    if request.content_type == "application/json" or (request.body and request.body[:1] in (b"{", b"[")):
        data = json.loads(request.body.decode("utf-8") or "{}") if request.body else {}
    elif request.POST:
        data = {k: (v[0] if len(v) == 1 else v) for k, v in request.POST.lists()}
    else:
        data = {}
    if not isinstance(data, dict):
        raise ValueError(_("Los datos de la solicitud deben ser un objeto JSON."))
    return data


def _json(payload, status: int = 200) -> JsonResponse:
    return JsonResponse(payload, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def action(request, name: str, ver: str = "3"):
    function = ACTIONS.get(name)
    if function is None:
        return bad_request(f"Action name not known: {name}")
    help_url = request.build_absolute_uri(f"/api/{ver}/action/help_show") + f"?name={name}"
    try:
        data = _request_data(request)
    except (ValueError, UnicodeDecodeError) as exc:
        return bad_request(_("Error de JSON: %(error)s") % {"error": exc})
    data.pop("callback", None)
    call = Call(request=request, base_url=request.build_absolute_uri("/").rstrip("/"))
    try:
        result = function(call, data)
    except ActionError as error:
        return envelope_error(help_url, error)
    return _json({"help": help_url, "success": True, "result": result})


@require_http_methods(["GET"])
def api_version(request, ver: str):
    return _json({"version": int(ver)})


@require_http_methods(["GET", "HEAD"])
def download(request, package: str, resource: str, filename: str):
    """A resource's file, when its dataset is published and the request may read its data."""
    distribution = get_object_or_404(
        Distribution.objects.select_related("dataset"),
        uuid=resource,
        dataset__uuid=package,
        dataset__status=Dataset.Status.PUBLISHED,
    )
    if not distribution.file:
        raise Http404
    decision = gate.download_decision(request, distribution.dataset, distribution=distribution)
    if not decision.allowed:
        if "application/json" in request.headers.get("Accept", ""):
            return _json({"detail": decision.reason}, status=decision.status)
        return HttpResponse(decision.reason, status=decision.status, content_type="text/plain; charset=utf-8")
    try:
        handle = distribution.file.open("rb")
    except FileNotFoundError:
        log.error("distribution file missing: distribution %s (%s)", distribution.uuid, distribution.file.name)
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=PurePosixPath(distribution.file.name).name)
    if distribution.media_type:
        response["Content-Type"] = distribution.media_type
    return response
