"""Downloads of the files the platform generates about itself (datasets.own_data): a stale file is regenerated
before it is served, so a download is never older than the dataset's declared frequency."""

import logging
from uuid import UUID

from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mueve.datasets import gate, own_data
from mueve.datasets.models import Dataset
from mueve.datasets.selectors.own_data import generated_file

log = logging.getLogger(__name__)

REFRESH_LOCK_SECONDS = 300  # longer than a regeneration takes; a crashed one frees the lock after this


def download_refusal(request, dataset: Dataset, distribution=None) -> str | None:
    """Why `request` may not download `dataset`'s files (a Spanish message), or None: the catalog's one rule
    (datasets.gate). The platform's own data is public, so this refuses only what a steward made otherwise."""
    decision = gate.download_decision(request, dataset, distribution=distribution)
    return None if decision.allowed else decision.reason


def _refresh_if_stale(dataset: Dataset) -> None:
    if not own_data.is_stale(dataset):
        return
    lock = f"mueve:own-data:refresh:{dataset.pk}"
    if not cache.add(lock, 1, REFRESH_LOCK_SECONDS):
        return  # another request is regenerating it: this one serves the file as it is
    try:
        own_data.refresh(dataset)
    except Exception:
        # The last good file stays published; the next download or the scheduled run tries again.
        log.exception("own data: could not regenerate %s", dataset.generator)
    finally:
        cache.delete(lock)


@require_safe
def own_data_download(request, uuid: UUID, filename: str):
    distribution = generated_file(uuid)
    if distribution is None or not distribution.access_url.endswith("/" + filename):
        raise Http404
    dataset = distribution.dataset
    if not dataset.is_published:
        raise Http404
    refusal = download_refusal(request, dataset, distribution)
    if refusal is not None:
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"detail": refusal}, status=403)
        return render(request, "datasets/own_data_refused.html", {"dataset": dataset, "reason": refusal}, status=403)
    _refresh_if_stale(dataset)
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
