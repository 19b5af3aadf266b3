"""Downloads of the files the platform generates about itself (datasets.own_data): a stale file is regenerated
before it is served, so a download is never older than the dataset's declared frequency."""

from uuid import UUID

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mueve.datasets import gate, own_data
from mueve.datasets.selectors.own_data import generated_file


@require_safe
def own_data_download(request, uuid: UUID, filename: str):
    distribution = generated_file(uuid)
    if distribution is None or not distribution.access_url.endswith("/" + filename):
        raise Http404
    dataset = distribution.dataset
    if not dataset.is_published:
        raise Http404
    decision = gate.download_decision(request, dataset, distribution=distribution)
    refusal = None if decision.allowed else decision.reason
    if refusal is not None:
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"detail": refusal}, status=403)
        return render(request, "datasets/own_data_refused.html", {"dataset": dataset, "reason": refusal}, status=403)
    own_data.refresh_if_stale(dataset)
    distribution = generated_file(uuid)
    if distribution is None or not distribution.dataset.is_published:
        raise Http404  # its source is gone: the refresh withdrew it
    if not distribution.file or not distribution.file.storage.exists(distribution.file.name):
        unavailable = _("El archivo no está disponible; intente más tarde.")
        return HttpResponse(unavailable, status=503, content_type="text/plain; charset=utf-8")
    if request.headers.get("If-None-Match") == f'"{distribution.checksum_sha256}"':
        response = HttpResponse(status=304)
    else:
        media_type = distribution.media_type or "application/octet-stream"
        if media_type.startswith("text/") or media_type.endswith("json"):
            media_type += "; charset=utf-8"
        response = FileResponse(
            distribution.file.open("rb"), content_type=media_type, as_attachment=True, filename=filename
        )
    response["ETag"] = f'"{distribution.checksum_sha256}"'
    if distribution.dataset.data_modified:
        response["Last-Modified"] = http_date(distribution.dataset.data_modified.timestamp())
    response["Cache-Control"] = "public, max-age=300"
    return response
