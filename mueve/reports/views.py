"""The citizen side of reports: the reporting page (a PWA that queues reports offline), "¿Ya fue reportado?",
tracking, report photos, and the page where outside developers ask for an Open311 key.

The page sends through the same service as Open311 (`report_submit`, source=web). With JavaScript the page posts with
`Accept: application/json` and gets JSON back; without it, the same view answers a plain form POST with HTML.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from mueve.core.errors import error_dict
from mueve.reports import selectors, services
from mueve.reports.forms import FeedbackForm, ReportForm, TrackingLookupForm
from mueve.reports.models import Report, Review, Service, ServiceAttribute

NEARBY_RADIUS_M = 250
ONE_MINUTE = timedelta(minutes=1)
# Concepción's main square: where the map starts when neither the phone nor the jurisdiction gives a position.
FALLBACK_CENTER = (-36.8270, -73.0503)

FIELD_ALIASES = {
    "service_code": "service",
    "long": "lon",
    "media_url": "photo",
    "confirms": "__all__",
    "idempotency_key": "__all__",  # a hidden field: its error shows at the top
}


def _js_text() -> dict[str, str]:
    """The messages the pages' scripts show, translated here so the scripts need no catalogue (and work offline)."""
    return {
        "locating": _("Buscando su ubicación…"),
        "no_geolocation": _(
            "Este navegador no entrega su ubicación: toque el mapa donde está el problema o escriba las coordenadas."
        ),
        "geo_failed": _(
            "No pudimos obtener su ubicación: toque el mapa donde está el problema o escriba las coordenadas."
        ),
        "geo_kept": _("No pudimos actualizar su ubicación; se mantiene el marcador."),
        "from_phone": _("Ubicación tomada del teléfono. Si el problema está en otro lugar, mueva el marcador."),
        "from_phone_accuracy": _(
            "Ubicación tomada del teléfono (±%(m)s m). Si el problema está en otro lugar, mueva el marcador."
        ),
        "moved": _("Marcador movido a %(lat)s, %(lon)s."),
        "marker_title": _("Lugar del reporte"),
        "marker_alt": _("Marcador del lugar del reporte"),
        "nearby_line": _("A %(m)s m · %(count)s · desde hace %(since)s · %(status)s"),
        "one_report": _("1 reporte"),
        "n_reports": _("%(n)s reportes"),
        "nearby_found": _(
            "¿Ya fue reportado? Reportes abiertos de esto cerca: %(n)s. Puede confirmar con «Yo también»."
        ),
        "metoo": _("Yo también"),
        "metoo_label": _("Yo también: confirmar el reporte a %(m)s m"),
        "photo_big": _("La foto pesa más de 10 MB. Elija una más liviana o envíe el reporte sin foto."),
        "photo_type": _("El archivo no es una foto JPEG, PNG o WebP. Elija otra foto o envíe el reporte sin foto."),
        "label_service": _("Categoría"),
        "label_location": _("Ubicación"),
        "label_description": _("Descripción"),
        "label_photo": _("Foto"),
        "label_email": _("Correo"),
        "errors_title": _("No se envió. Revise lo siguiente:"),
        "choose_service": _("Elija qué quiere reportar."),
        "need_location": _("Falta la ubicación: permita usar su ubicación, toque el mapa o escriba las coordenadas."),
        "queued": _("Guardado en el teléfono; se enviará al volver la conexión."),
        "no_storage": _("Sin conexión y sin espacio en el teléfono para guardar el reporte. Intente más tarde."),
        "sending": _("Enviando…"),
        "sent": _("¡Enviado! Abriendo el seguimiento…"),
        "expired": _("La página caducó. Recárguela y vuelva a enviar."),
        "send_failed": _("No se pudo enviar el reporte."),
        "sent_one": _("Se envió su reporte guardado (número %(id)s)."),
        "sent_many": _("Se enviaron %(n)s reportes guardados."),
        "see_tracking": _("Ver el seguimiento"),
        "queued_failed": _("Un reporte guardado no pudo enviarse."),
        "waiting_one": _("Hay 1 reporte guardado en el teléfono esperando conexión."),
        "waiting_many": _("Hay %(n)s reportes guardados en el teléfono esperando conexión."),
    }


# --- helpers -------------------------------------------------------------------------------------------------


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _jurisdiction(request):
    slug = request.GET.get("jurisdiccion") or request.POST.get("jurisdiccion") or None
    if slug is not None and "\x00" in slug:  # PostgreSQL cannot compare text with NUL: no such jurisdiction
        slug = "-"
    return selectors.open311_jurisdiction(slug)


def _client_key(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""


def _icon(service: Service) -> str:
    return selectors.service_icon(code=service.code, alert_category=service.alert_category)


@dataclass
class ServiceGroup:
    name: str
    services: list = field(default_factory=list)


def _services(jurisdiction) -> list[Service]:
    services_ = list(
        selectors.service_list(jurisdiction=jurisdiction).prefetch_related("attributes__values") if jurisdiction else []
    )
    for position, service in enumerate(services_):
        service.icon = _icon(service)
        service.radio_id = f"id_service_{position}"
        service.form_attributes = list(service.attributes.all())
        for attribute in service.form_attributes:
            attribute.field_name = f"attr-{service.code}-{attribute.code}"
            attribute.current = []
            attribute.errors = []
    return services_


def _keep_answers(services_: list[Service], data, attribute_errors: dict[str, list[str]]) -> None:
    """After a refused POST: the answers as typed, and the service's errors beside each question."""
    for service in services_:
        for attribute in service.form_attributes:
            attribute.current = data.getlist(attribute.field_name)
            attribute.errors = attribute_errors.get(attribute.field_name, [])


def _groups(services_: list[Service]) -> list[ServiceGroup]:
    groups: dict[str, ServiceGroup] = {}
    for service in services_:
        name = service.group or _("Otros")
        groups.setdefault(name, ServiceGroup(name)).services.append(service)
    return list(groups.values())


def _attribute_answers(data, service: Service) -> dict:
    """The answers to `service`'s questions, from fields named attr-<service>-<attribute>."""
    answers = {}
    for attribute in service.attributes.all():
        if not attribute.variable:
            continue
        name = f"attr-{service.code}-{attribute.code}"
        if attribute.datatype == ServiceAttribute.Datatype.MULTIVALUELIST:
            values = data.getlist(name)
            if values:
                answers[attribute.code] = values
        elif data.get(name, "").strip():
            answers[attribute.code] = data.get(name)
    return answers


def _tracking_url(report: Report) -> str:
    return reverse("reports:track", args=[report.token])


# --- landing -------------------------------------------------------------------------------------------------


def home(request):
    form = TrackingLookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["code"]
        token = selectors.tracking_token_for(code)
        if token is not None:
            return redirect("reports:track", token=token)
        form.add_error("code", _("No encontramos un reporte con ese número. Revise que esté bien escrito."))
    mine = []
    if request.user.is_authenticated:
        mine = selectors.reports_of(request.user)
    return render(request, "reports/home.html", {"form": form, "mine": mine, "js_text": _js_text()})


# --- the reporting page --------------------------------------------------------------------------------------


def report_new(request):
    jurisdiction = _jurisdiction(request)
    services_ = _services(jurisdiction)
    by_code = {service.code: service for service in services_}
    attribute_errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, services=services_)
        result = _handle_submission(request, form, by_code, attribute_errors)
        if isinstance(result, Report):
            if _wants_json(request):
                return JsonResponse({"public_id": result.public_id, "tracking_url": _tracking_url(result)}, status=201)
            messages.success(request, _("¡Gracias! Recibimos su reporte %(id)s.") % {"id": result.public_id})
            return redirect("reports:track", token=result.token)
        status = result
        if _wants_json(request):
            errors = {key: [str(m) for m in value] for key, value in form.errors.items()}
            errors.update(attribute_errors)
            response = JsonResponse({"errors": errors}, status=status)
            if hasattr(form, "retry_after"):
                response["Retry-After"] = str(form.retry_after)
            return response
        _keep_answers(services_, request.POST, attribute_errors)
    else:
        form = ReportForm(services=services_)
    chosen = by_code.get(form["service"].value() or "")
    center = (
        (jurisdiction.center_lat, jurisdiction.center_lon)
        if jurisdiction and jurisdiction.center_lat is not None
        else FALLBACK_CENTER
    )
    context = {
        "form": form,
        "jurisdiction": jurisdiction,
        "groups": _groups(services_),
        "chosen": chosen,
        "js_text": _js_text(),
        "map_config": {
            "center": list(center),
            "zoom": jurisdiction.default_zoom if jurisdiction else 12,
            "nearbyUrl": reverse("reports:nearby"),
            "swUrl": reverse("reports:service_worker"),
            "scope": reverse("reports:home"),
            "jurisdiction": jurisdiction.slug if jurisdiction else "",
        },
    }
    response = render(request, "reports/new.html", context, status=status)
    if hasattr(form, "retry_after"):
        response["Retry-After"] = str(form.retry_after)
    return response


def _handle_submission(request, form, by_code, attribute_errors) -> Report | int:
    """Validates and stores one report. Returns the report, or the HTTP status of the failure (form has errors)."""
    if not form.is_valid():
        return 400
    data = form.cleaned_data
    service = by_code[data["service"]]
    key = data["idempotency_key"]
    email = data["email"] if data.get("email_updates") else ""
    try:
        confirms = None
        if data.get("confirms"):
            confirms = selectors.incident_detail(pk=data["confirms"])
            if confirms is None:
                # A phone re-sending a "me too" that was stored before the incident went gets its report back.
                existing = services.report_retry(key, source=Report.Source.WEB)
                if existing is not None:
                    return existing
                form.add_error(None, _("Ese incidente ya no está disponible para confirmar; envíe un reporte nuevo."))
                return 400
        # A phone re-sending a queued report gets the stored one back from the service, before the sender's limits.
        report = services.report_submit(
            service=service,
            lat=data["lat"],
            lon=data["lon"],
            description=data["description"],
            attributes=_attribute_answers(request.POST, service),
            email=email,
            device_id=data["device_id"],
            reporter=request.user if request.user.is_authenticated else None,
            idempotency_key=key,
            source=Report.Source.WEB,
            confirms=confirms,
            client_key=_client_key(request),
            photo=data.get("photo") or None,
            check_abuse=True,
        )
    except services.RateLimited as exc:
        minutes = max(1, round(exc.retry_after / 60))
        form.add_error(
            None,
            ngettext(
                "Demasiados reportes seguidos desde este teléfono. Vuelva a intentar en %(n)s minuto.",
                "Demasiados reportes seguidos desde este teléfono. Vuelva a intentar en %(n)s minutos.",
                minutes,
            )
            % {"n": minutes},
        )
        form.retry_after = exc.retry_after
        return 429
    except services.BannedSender as exc:
        form.add_error(None, str(exc))
        return 403
    except ValidationError as exc:
        for name, messages_ in error_dict(exc).items():
            if name.startswith("attribute["):
                attribute_errors[f"attr-{service.code}-{name[10:-1]}"] = messages_
                continue
            name = FIELD_ALIASES.get(name, name)
            form.add_error(name if name in form.fields else None, messages_)
        if attribute_errors and not form.errors:
            form.add_error(None, _("Responda las preguntas de la categoría elegida."))
        return 400
    return report


@require_GET
def nearby(request):
    """ "¿Ya fue reportado?": open incidents of one category within 250 m, as JSON for the reporting page."""
    jurisdiction = _jurisdiction(request)
    code = request.GET.get("service", "").replace("\x00", "")
    try:
        lat, lon = float(request.GET.get("lat", "")), float(request.GET.get("lon", ""))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError
    except ValueError:
        return JsonResponse({"errors": {"lat": [_("Ubicación no válida.")]}}, status=400)
    service = selectors.service_definition(jurisdiction=jurisdiction, code=code) if jurisdiction else None
    if service is None:
        return JsonResponse({"errors": {"service": [_("Categoría desconocida.")]}}, status=400)
    incidents = selectors.incidents_nearby(service=service, lat=lat, lon=lon, radius_m=NEARBY_RADIUS_M)
    now = timezone.now()
    body = [
        {
            "id": incident.pk,
            "distance_m": round(incident.distance_m),
            "report_count": incident.report_count,
            "status": incident.get_status_display(),
            "opened_at": incident.opened_at.isoformat(),
            "since": timesince(incident.opened_at, now) if now - incident.opened_at >= ONE_MINUTE else _("un momento"),
        }
        for incident in incidents[:5]
    ]
    response = JsonResponse({"service": service.code, "incidents": body})
    response["Cache-Control"] = "no-store"
    return response


# --- tracking and photos -------------------------------------------------------------------------------------


def tracking(request, token: str):
    report = selectors.report_for_tracking(token)
    if report is None:
        raise Http404
    return _tracking_page(request, report)


def _tracking_page(request, report: Report, *, feedback_form=None, refusal: str = "", status: int = 200):
    visible = report.moderation != Report.Moderation.REJECTED
    changes = selectors.report_public_timeline(report)
    can_answer = not services.feedback_refusal(report)
    feedback = selectors.report_feedback(report)
    context = {
        "report": report,
        "description": selectors.report_public_description(report) if visible else "",
        "changes": changes,
        "incident": report.incident,
        "photos": [(photo, selectors.photo_url(photo)) for photo in selectors.report_public_photos(report)],
        "photos_waiting": selectors.report_pending_photo_count(report) if visible else 0,
        "rejected": not visible,
        "js_text": _js_text(),
        "map_config": ({"center": [report.lat, report.lon], "zoom": 16} if report.lat is not None else None),
        "feedback": feedback,
        "feedback_comment": selectors.feedback_public_comment(feedback) if feedback else "",
        "feedback_form": (feedback_form or FeedbackForm()) if can_answer else None,
        "feedback_refusal": refusal,
        "reopen_days": services.reopen_days(),
    }
    response = render(request, "reports/tracking.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_POST
def tracking_feedback(request, token: str):
    """«¿Quedó resuelto?»: whoever holds the tracking link is the reporter."""
    report = selectors.report_for_tracking(token)
    if report is None:
        raise Http404
    refusal = services.feedback_refusal(report)
    if refusal:
        return _tracking_page(request, report, refusal=refusal, status=409)
    form = FeedbackForm(request.POST, request.FILES)
    if not form.is_valid():
        return _tracking_page(request, report, feedback_form=form, status=400)
    data = form.cleaned_data
    try:
        services.report_feedback_answer(
            report=report, fixed=data["fixed"], comment=data["comment"], photo=data.get("photo")
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == "refused":
            return _tracking_page(request, report, refusal=exc.messages[0], status=409)
        form.add_service_errors(exc)
        return _tracking_page(request, report, feedback_form=form, status=400)
    if data["fixed"]:
        messages.success(request, _("Gracias por avisarnos que el problema quedó resuelto."))
    else:
        messages.success(request, _("Gracias. Reabrimos el reporte y el organismo a cargo verá su comentario."))
    return redirect("reports:track", token=report.token)


@require_GET
def photo(request, token: str):
    item = selectors.report_photo_by_token(token)
    if item is None or item.review == Review.REJECTED or not item.image:
        raise Http404
    if selectors.photo_is_public(item):
        cache_control = "public, max-age=86400"
    elif request.user.has_perm("reports.moderate_content", item):
        # Not yet public: only operators (of its jurisdiction) see it, and no cache (a shared one least of all) may
        # keep a copy.
        cache_control = "private, no-store"
    else:
        raise Http404
    response = FileResponse(item.image.open("rb"), content_type=item.content_type)
    response["Cache-Control"] = cache_control
    response["Content-Disposition"] = "inline"
    return response


# --- PWA -----------------------------------------------------------------------------------------------------


def _assets_version() -> str:
    """Changes whenever a cached file changes, so phones drop the old copies."""
    digest = hashlib.sha256()
    for name in ("reports/report.js", "reports/queue.js", "reports/report.css", "css/mueve.css", "maps/basemap.js"):
        path = finders.find(name)
        if path:
            digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request):
    context = {
        "version": _assets_version(),
        "precache": [
            reverse("reports:new"),
            static("css/mueve.css"),
            static("reports/report.css"),
            static("reports/report.js"),
            static("reports/queue.js"),
            static("vendor/leaflet-1.9.4/leaflet.js"),
            static("vendor/leaflet-1.9.4/leaflet.css"),
            static("maps/basemap.js"),
            static("maps/basemap.css"),
            static("vendor/leaflet-1.9.4/images/marker-icon.png"),
            static("vendor/leaflet-1.9.4/images/marker-icon-2x.png"),
            static("vendor/leaflet-1.9.4/images/marker-shadow.png"),
            static("reports/icons/icon.svg"),
            static("vendor/htmx-2.0.11/htmx.min.js"),
            static("favicon.svg"),
        ],
        "queue_js": static("reports/queue.js"),
        "new_url": reverse("reports:new"),
        # Web Push (mueve.notifications): what a notice shows and opens.
        "notices_url": reverse("notifications:list"),
        "site_name": settings.MUEVE_SITE_NAME,
        "icon": static("reports/icons/icon-192.png"),
        "site_origin": "{0.scheme}://{0.netloc}".format(urlsplit(settings.MUEVE_SITE_URL)),
    }
    response = render(request, "reports/sw.js", context, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("reports:home")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    body = {
        "name": _("Mueve — Ciudadano te Informa"),
        "short_name": _("Reportar"),
        "description": _("Reporte problemas de la ciudad desde su teléfono, también sin conexión."),
        "lang": "es-CL",
        "start_url": reverse("reports:new") + "?origen=app",
        "scope": reverse("reports:home"),
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#003a57",
        "icons": [
            {"src": static("reports/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("reports/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("reports/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("reports/icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(body, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


# --- Open311 for outside developers (their applications and keys: the developer portal, mueve.api) -------------


def developers(request):
    context = {"open311_base": request.build_absolute_uri("/open311/v2/")}
    return render(request, "reports/developers.html", context)
