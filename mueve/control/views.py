"""Pages and endpoints of the control centre (operators) and of the public incident views.

Operator triage goes through mueve.reports.services; the dashboard learns the result from the live
stream like every other open dashboard (the POST answer only confirms, or carries the errors).

An operator scoped to some jurisdictions (accounts.scopes) sees their incidents only: lists are filtered by
`jurisdiction_filter`, and another jurisdiction's incident answers 404, as if it did not exist (the object check
is reports' rules: `reports.manage_incidents` on the incident).
"""

import hashlib
import json
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from mueve.accounts.scopes import jurisdiction_filter
from mueve.control import cap, charts, selectors
from mueve.control.public_filters import PublicFilters, public_filter_choices
from mueve.core import csvio
from mueve.core.errors import error_dict
from mueve.core.permissions import require_perm
from mueve.core.text import plural_forms, too_long
from mueve.realtime.selectors import head_id
from mueve.reports import services as report_services
from mueve.reports.models import CapSeverity, CapUrgency, Incident, Severity
from mueve.sensors.selectors import incident_sensor_evidence
from mueve.visual_checks import panel as visual_panel

PERM = "reports.manage_incidents"
VISUAL_PERM = "visual_checks.request_check"
PUBLIC_TTL = 15  # seconds: the public views are cheap because they are cached, and stale at most this long


def _state(filters: selectors.IncidentFilters, jurisdictions: frozenset[int] | None) -> dict:
    # The cursor is read before the incidents: an event committed in between is both in the state and
    # replayed by the stream, which is harmless (an incident update replaces the row), never missed.
    cursor = head_id()
    return {
        "cursor": cursor,
        "incidents": selectors.dashboard_incidents(filters, jurisdictions=jurisdictions),
        "unacknowledged": selectors.unacknowledged_count(jurisdictions=jurisdictions),
    }


def _triage_incident(request, pk: int) -> Incident | None:
    """The incident, when it exists and the person may triage it (in their scope); else None (a 404)."""
    incident = selectors.incident_for_triage(pk)
    if incident is None or not request.user.has_perm(PERM, incident):
        return None
    return incident


@require_GET
@require_perm(PERM)
def dashboard(request):
    filters, errors = selectors.IncidentFilters.from_query(request.GET)
    jurisdictions = jurisdiction_filter(request.user)
    state = _state(filters, jurisdictions)
    center, zoom = selectors.map_view(jurisdictions=jurisdictions)
    config = {
        "state": state,
        "stream": reverse("realtime:stream") + "?topics=control",
        "stateUrl": reverse("control:state"),
        "actionUrl": reverse("control:action", args=[0, "ACTION"]),
        "detailUrl": reverse("control:incident", args=[0]),
        "center": center,
        "zoom": zoom,
        "highSeverities": list(selectors.HIGH_SEVERITIES),
        "severityLabels": {value: str(label) for value, label in Severity.choices},
        "i18n": {
            "reports": plural_forms(lambda n: ngettext("%(n)s reporte", "%(n)s reportes", n)),
            "live": _("En vivo"),
            "reconnecting": _("Reconectando…"),
            "reloading": _("Recargando el estado…"),
            "unassigned": _("Sin organismo"),
            "quickAck": _("Acusar recibo"),
            "cluster": _("incidentes en esta zona; acerque el mapa"),
            "error": _("No se pudo completar la acción. Intente de nuevo."),
            "done": _("Acción registrada."),
            "newHigh": _("Nuevo incidente grave"),
            "noAddress": _("Sin dirección"),
            "photoAlt": _("Foto del reporte %(id)s"),
            "noDescription": _("Sin descripción."),
            "internalNote": _("Nota interna"),
            "sensorActive": _("sigue activa"),
            "sensorTime": _("Momento"),
            "sensorValue": _("Valor"),
            "agenciesFound": _("%(count)s organismos coinciden; se muestran los primeros %(shown)s en «Asignar a»."),
            "agenciesNone": _("Ningún organismo coincide con la búsqueda."),
            "publicReply": _("Respuesta pública"),
        },
    }
    response = render(
        request,
        "control/dashboard.html",
        {
            "config": config,
            "visual_config": visual_panel.panel_config() if request.user.has_perm(VISUAL_PERM) else None,
            "filters": filters,
            "filter_errors": errors,
            "choices": selectors.filter_choices(jurisdictions=jurisdictions),
            "agencies": list(selectors.agencies_for_assignment().values_list("pk", "name")),
            "severities": list(reversed(Severity.choices)),
            "alert_severities": CapSeverity.choices,
            "alert_urgencies": CapUrgency.choices,
        },
    )
    # The incident panel plays drones' and cameras' live HLS feeds: see visual_checks.csp for the two sources added.
    response["Content-Security-Policy"] = visual_panel.feed_policy(request.csp_nonce)
    return response


@require_GET
@require_perm(PERM)
def state(request):
    filters, errors = selectors.IncidentFilters.from_query(request.GET)
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    return JsonResponse(_state(filters, jurisdiction_filter(request.user)))


@require_GET
@require_perm(PERM)
def incident_detail(request, pk: int):
    incident = _triage_incident(request, pk)
    if incident is None:
        raise Http404
    return JsonResponse(
        {
            "incident": selectors.incident_row(incident),
            "agencies": selectors.handling_agencies(incident),
            "reports": selectors.incident_reports(incident),
            "history": selectors.incident_history(incident),
            "sensors": incident_sensor_evidence(incident),
        }
    )


def _incident_from_field(raw: str, field: str, actor) -> Incident:
    raw = (raw or "").strip().lstrip("#")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise ValidationError({field: [_("Indique el número de un incidente.")]})
    incident = selectors.incident_by_id(int(raw))
    # Another jurisdiction's incident, for a scoped operator, is as absent as a number nobody used.
    if incident is None or not actor.has_perm(PERM, incident):
        raise ValidationError({field: [_("No existe el incidente n.º %(id)s.") % {"id": raw}]})
    return incident


ACTION_TEXT_MAX = 2000


def _action_text(data, field: str) -> str:
    value = (data.get(field) or "").strip()
    if len(value) > ACTION_TEXT_MAX:
        raise ValidationError({field: [too_long(ACTION_TEXT_MAX, len(value))]})
    return value


def _run_action(action: str, incident: Incident, data, actor) -> Incident:
    # Two texts: the internal note stays with the operators; only the public reply reaches the reporters.
    common = {
        "actor": actor,
        "note": _action_text(data, "note"),
        "public_reply": _action_text(data, "public_reply"),
    }
    # Confirming an incident issues its public CAP alert, with the severity and urgency the operator chose.
    alert = {
        "alert_severity": (data.get("alert_severity") or "").strip()[:20],
        "alert_urgency": (data.get("alert_urgency") or "").strip()[:20],
    }
    if action == "acknowledge":
        return report_services.incident_acknowledge(incident=incident, **common, **alert)
    if action == "dispatch":
        return report_services.incident_dispatch(incident=incident, **common, **alert)
    if action == "resolve":
        return report_services.incident_resolve(incident=incident, **common)
    if action == "assign":
        raw = (data.get("agency") or "").strip()
        valid = raw.isascii() and raw.isdigit() and len(raw) < 12
        agency = selectors.agency_by_id(int(raw)) if valid else None
        if agency is None:
            raise ValidationError({"agency": [_("Elija el organismo al que asignar el incidente.")]})
        return report_services.incident_assign(incident=incident, agency=agency, **common)
    if action == "reject":
        reason = (data.get("reason") or "invalid").strip()
        duplicate_of = None
        if reason == "duplicate":
            duplicate_of = _incident_from_field(data.get("duplicate_of"), "duplicate_of", actor)
        return report_services.incident_reject(incident=incident, reason=reason, duplicate_of=duplicate_of, **common)
    if action == "merge":
        # The incident in the URL is absorbed into `target` (the one that stays).
        target = _incident_from_field(data.get("target"), "target", actor)
        if target.pk == incident.pk:
            raise ValidationError({"target": [_("Elija otro incidente para fusionar.")]})
        return report_services.incident_merge(target=target, sources=[incident], **common)
    if action == "split":
        public_ids = [p.strip() for p in data.getlist("reports") if p.strip()][:500]
        reports = selectors.reports_of_incident(incident, public_ids)
        if not reports or len(reports) != len(set(public_ids)):
            raise ValidationError({"reports": [_("Elija los reportes de este incidente que forman otro.")]})
        return report_services.incident_split(incident=incident, reports=reports, **common)
    raise Http404


ACTIONS = {"acknowledge", "dispatch", "resolve", "assign", "reject", "merge", "split"}


@require_POST
def incident_action(request, pk: int, action: str):
    """Triage: JSON in, JSON out ({"incident": ...} or {"errors": {field: [Spanish message]}})."""
    if action not in ACTIONS:
        raise Http404
    if not request.user.has_perm(PERM):
        return JsonResponse({"errors": {"__all__": [_("Su cuenta no puede gestionar incidentes.")]}}, status=403)
    incident = selectors.incident_by_id(pk)
    if incident is None or not request.user.has_perm(PERM, incident):
        return JsonResponse({"errors": {"__all__": [_("El incidente no existe.")]}}, status=404)
    try:
        result = _run_action(action, incident, request.POST, request.user)
    except ValidationError as exc:
        return JsonResponse({"errors": error_dict(exc)}, status=400)
    except PermissionDenied:
        return JsonResponse({"errors": {"__all__": [_("Su cuenta no puede gestionar incidentes.")]}}, status=403)
    result = selectors.incident_for_triage(result.pk)
    return JsonResponse({"incident": selectors.incident_row(result)})


# --- Statistics --------------------------------------------------------------------------------------------


def _period(request) -> tuple[datetime, datetime, str]:
    days = request.GET.get("days", "1")
    days = days if days in {"1", "7", "30"} else "1"
    until = timezone.localtime()
    return until - timedelta(days=int(days)), until, days


STATS_TTL = 60  # seconds: the aggregates scan a day to a month of reports; a minute-old figure is fine


def _statistics(request) -> tuple[selectors.Statistics, str]:
    since, until, days = _period(request)
    jurisdictions = jurisdiction_filter(request.user)
    # One cached figure per period and scope: a regional operator's statistics are their jurisdictions' only.
    scope = "all" if jurisdictions is None else "-".join(str(pk) for pk in sorted(jurisdictions)) or "none"
    key = f"control:stats:{days}:{scope if len(scope) <= 64 else hashlib.sha1(scope.encode()).hexdigest()}"
    stats = cache.get(key)
    if stats is None:
        stats = selectors.statistics(since=since, until=until, jurisdictions=jurisdictions)
        cache.set(key, stats, STATS_TTL)
    return stats, days


@require_GET
@require_perm(PERM)
def statistics(request):
    stats, days = _statistics(request)
    return render(
        request,
        "control/statistics.html",
        {
            "stats": stats,
            "days": days,
            "hourly_svg": charts.hourly_chart(stats.reports_per_hour, title=_("Reportes por hora")),
            "category_svg": charts.bar_chart(stats.by_category, title=_("Reportes por categoría"), chart_id="cat"),
            "municipality_svg": charts.bar_chart(stats.by_municipality, title=_("Reportes por comuna"), chart_id="mun"),
            "agency_svg": charts.bar_chart(stats.by_agency, title=_("Incidentes por organismo"), chart_id="age"),
        },
    )


def _minutes(value):
    # A number (one decimal), not text: the CSV writes it with a decimal comma, the workbook as a number.
    return "" if value is None else Decimal(f"{value:.1f}")


def _statistics_table(request) -> tuple[list[list], object]:
    stats, _days = _statistics(request)
    until = timezone.localtime(stats.until)
    rows = [[_("serie"), _("clave"), _("valor")]]
    for hour, count in stats.reports_per_hour:
        rows.append(["reportes_por_hora", timezone.localtime(hour).isoformat(), count])
    for label, count in stats.by_category:
        rows.append(["reportes_por_categoria", label, count])
    for label, count in stats.by_municipality:
        rows.append(["reportes_por_comuna", label, count])
    for label, count in stats.by_agency:
        rows.append(["incidentes_por_organismo", label, count])
    for name, values in (
        ("minutos_hasta_recibo", stats.acknowledge_minutes),
        ("minutos_hasta_resolver", stats.resolve_minutes),
    ):
        rows.append([name, "mediana", _minutes(values["median"])])
        rows.append([name, "p90", _minutes(values["p90"])])
        rows.append([name, "n", values["count"]])
    return rows, until


@require_GET
@require_perm(PERM)
def statistics_csv(request):
    rows, until = _statistics_table(request)
    return csvio.download(csvio.write_rows(rows), filename=f"estadisticas-{until:%Y%m%d-%H%M}.csv")


@require_GET
@require_perm(PERM)
def statistics_xlsx(request):
    rows, until = _statistics_table(request)
    data = csvio.xlsx_rows(rows, sheet=_("Estadísticas"))
    return csvio.download_xlsx(data, filename=f"estadisticas-{until:%Y%m%d-%H%M}.xlsx")


# --- Public views (cached, no personal data) -----------------------------------------------------------------


def _cached(key: str, build, content_type: str) -> HttpResponse:
    body = cache.get(key)
    if body is None:
        body = build()
        cache.set(key, body, PUBLIC_TTL)
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = f"public, max-age={PUBLIC_TTL}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _moment(raw: str | None, field: str, errors: dict) -> datetime | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw)
    except ValueError:
        moment = None
    if moment is None:
        errors.setdefault(field, []).append(_("Fecha y hora ISO 8601, p. ej. 2026-11-28T10:00:00-03:00."))
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


PUBLIC_LIST_LIMIT = 300


@require_GET
def public_map(request):
    """The citizens' incident map: filters in a GET form (the page works without JavaScript: the list is drawn
    here), a legend, and the list by date; the script draws the same incidents on the map and follows them."""
    filters, errors = PublicFilters.from_query(request.GET)
    features = selectors.public_features(limit=PUBLIC_LIST_LIMIT, **filters.query())
    choices = public_filter_choices()
    icons = {category["code"]: category["icon"] for category in choices["categories"]}
    incidents = [
        {
            **feature["properties"],
            "icon": icons.get(feature["properties"]["service_code"], "pin"),
            "when": parse_datetime(feature["properties"]["last_report_at"]),
        }
        for feature in features
    ]
    config = {
        "geojson": reverse("control:public_geojson") + ("?" + urlencode(filters.params()) if filters.params() else ""),
        "i18n": {
            "reports": plural_forms(lambda n: ngettext("%(n)s reporte", "%(n)s reportes", n)),
            "show": _("Ver en el mapa"),
            "none": _("No hay incidentes con estos filtros."),
            "lastReport": _("Último reporte"),
        },
        "icons": icons,
        "center": [-36.82, -73.06],
        "zoom": 12,
    }
    return render(
        request,
        "control/public_map.html",
        {
            "config": config,
            "areas": selectors.public_areas(),
            "filters": filters,
            "filter_errors": errors,
            "choices": choices,
            "incidents": incidents,
            "limit": PUBLIC_LIST_LIMIT,
        },
    )


@require_GET
def public_geojson(request):
    errors: dict[str, list[str]] = {}
    bbox = None
    if request.GET.get("bbox"):
        try:
            bbox = selectors.parse_bbox(request.GET["bbox"])
        except ValueError as exc:
            errors["bbox"] = [str(exc)]
    since = _moment(request.GET.get("since"), "since", errors)
    until = _moment(request.GET.get("until"), "until", errors)
    if since and until and since > until:
        errors.setdefault("until", []).append(_("«until» debe ser posterior a «since»."))
    active = request.GET.get("active", "") in {"1", "true"}
    map_filters, filter_errors = PublicFilters.from_query(request.GET)
    errors.update(filter_errors)
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    # The page's filters; "status" defaults to every status here (the feed's documented behaviour), "active=1"
    # and "status=active" keep the open ones.
    if not request.GET.get("status"):
        map_filters.status = "all"
    query = map_filters.query()
    if since is not None:  # an explicit "since" wins over the page's period
        query["since"] = since
    # Keyed by the period's name, not its start: the start moves every second, the cache would never hit.
    filters = [bbox and [bbox.west, bbox.south, bbox.east, bbox.north], since, until, active, map_filters]
    key = "control:geojson:" + hashlib.sha1(repr(filters).encode()).hexdigest()

    def build() -> bytes:
        features = selectors.public_features(bbox=bbox, until=until, active_only=active, **query)
        collection = {"type": "FeatureCollection", "features": features}
        return json.dumps(collection, ensure_ascii=False).encode()

    return _cached(key, build, "application/geo+json; charset=utf-8")


@require_GET
def public_atom(request, area_code: str = ""):
    area = None
    if area_code:
        area = selectors.area_by_code(area_code)
        if area is None:
            raise Http404
    key = f"control:atom:{area.pk if area else 'all'}"

    def build() -> bytes:
        incidents = selectors.public_incidents(area=area, limit=100)
        return cap.atom_feed(request, incidents, area=area).encode()

    return _cached(key, build, "application/atom+xml; charset=utf-8")


@require_GET
def public_cap_index(request):
    def build() -> bytes:
        return cap.cap_index(request, selectors.cap_incidents(limit=100)).encode()

    return _cached("control:cap:index", build, "application/atom+xml; charset=utf-8")


@require_GET
def public_cap(request, pk: int):
    def build() -> bytes | str:
        incident = selectors.cap_incident(pk)
        # No alert before an operator confirms the incident: one unverified report is not an emergency.
        if incident is None:
            return ""
        return cap.cap_alert(request, incident).encode()

    response = _cached(f"control:cap:{pk}", build, "application/cap+xml; charset=utf-8")
    if not response.content:
        raise Http404
    return response
