"""The NGSI-LD endpoints (ETSI GS CIM 009 V1.6 §6): thin views over representation, query and notify.

Reading is public (open data); the upsert takes a device's key (`Authorization: Device <secret>`, as HTTP
ingest) and stores each numeric Property as a reading through ingest_batch; subscriptions take an approved API key
of the developer portal. Errors are ProblemDetails (RFC 7807) with the NGSI-LD error types.
"""

import json
from datetime import datetime

from django.http import HttpResponse, JsonResponse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from mueve.api.keys import KeyRefused, key_for_request
from mueve.api.models import KeyUsage
from mueve.sensors import selectors
from mueve.sensors.models import Device, NgsiSubscription
from mueve.sensors.ngsild import notify
from mueve.sensors.ngsild import representation as rep
from mueve.sensors.ngsild.query import BadQuery, matches, parse_georel, parse_q
from mueve.sensors.services.devices import device_for_key
from mueve.sensors.services.ingest import Message, ingest_batch
from mueve.sensors.views import MAX_BODY, _device_key

ERRORS = "https://uri.etsi.org/ngsi-ld/errors/"
DEFAULT_LIMIT = 20
MAX_LIMIT = 1000
MAX_INSTANCES = 1000  # temporal instances per attribute
MAX_BATCH = 100  # entities per upsert


def problem(status: int, kind: str, title: str, detail: str = "") -> JsonResponse:
    body = {"type": ERRORS + kind, "title": title}
    if detail:
        body["detail"] = detail
    return JsonResponse(body, status=status, content_type="application/json")


def bad_request(detail: str) -> JsonResponse:
    return problem(400, "BadRequestData", _("Solicitud con datos no válidos"), detail)


def not_found(detail: str) -> JsonResponse:
    return problem(404, "ResourceNotFound", _("Recurso no encontrado"), detail)


def _wants_ld(request) -> bool:
    return "application/ld+json" in request.headers.get("Accept", "")


def respond(request, body, status: int = 200, headers: dict | None = None) -> JsonResponse:
    """application/ld+json with @context in the body when asked for, else application/json and a Link header."""
    if _wants_ld(request):
        if isinstance(body, list):
            body = [{**item, "@context": rep.CONTEXT} for item in body]
        else:
            body = {**body, "@context": rep.CONTEXT}
        response = JsonResponse(body, status=status, safe=False, content_type="application/ld+json")
    else:
        response = JsonResponse(body, status=status, safe=False, content_type="application/json")
        response["Link"] = rep.LINK
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _attrs(request) -> set[str] | None:
    raw = request.GET.get("attrs", "")
    names = {a.strip() for a in raw.split(",") if a.strip()}
    return names or None


def _int(request, name: str, default: int, high: int) -> int:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    if not raw.isdigit():
        raise BadQuery(_("%(name)s debe ser un entero no negativo.") % {"name": name})
    return min(int(raw), high)


def entities(request):
    if request.method != "GET":
        return problem(405, "OperationNotSupported", _("Operación no admitida"), _("Use GET."))
    try:
        return _entities(request)
    except BadQuery as exc:
        return bad_request(str(exc))


def _entities(request):
    params = request.GET
    types = [t.strip() for t in params.get("type", "").split(",") if t.strip()]
    ids = [i.strip() for i in params.get("id", "").split(",") if i.strip()]
    attrs = _attrs(request)
    q = params.get("q", "")
    if not (types or ids or attrs or q or params.get("georel")):
        raise BadQuery(_("Indique type, id, attrs, q o georel."))
    limit = _int(request, "limit", DEFAULT_LIMIT, MAX_LIMIT)
    offset = _int(request, "offset", 0, 10**9)
    terms = parse_q(q) if q else []
    near = None
    if params.get("georel"):
        near = parse_georel(params["georel"], params.get("geometry", ""), params.get("coordinates", ""))
    devices = rep.public_devices()
    if types:
        devices = devices.filter(kind__in=[k for t in types for k in rep.kinds_for_type(t)])
    if ids:
        uids = [parsed[1] for parsed in map(rep.uid_from_id, ids) if parsed]
        devices = devices.filter(uid__in=uids)
    devices = list(devices.order_by("uid"))
    if ids:
        devices = [d for d in devices if rep.entity_id(d) in ids]
    if near is not None:
        placed = [(near.distance(d.lon, d.lat), d) for d in devices]
        devices = [d for dist, d in sorted(placed, key=lambda p: (p[0], p[1].uid)) if near.accepts(dist)]
    if terms or attrs:
        latest = rep.latest_readings(d.pk for d in devices)
        bodies = [(d, rep.entity(d, latest.get(d.pk, {}))) for d in devices]
        if terms:
            bodies = [(d, b) for d, b in bodies if matches(b, terms)]
        if attrs:  # an entity with none of the asked attributes is not returned (§4.5.3)
            bodies = [(d, b) for d, b in bodies if set(b) & attrs]
        devices = [d for d, _b in bodies]
    total = len(devices)
    page = devices[offset : offset + limit]
    latest = rep.latest_readings(d.pk for d in page)
    body = [rep.entity(d, latest.get(d.pk, {}), attrs) for d in page]
    headers = {"NGSILD-Results-Count": str(total)} if params.get("count") == "true" else {}
    return respond(request, body, headers=headers)


def _device_for_id(entity_id: str) -> Device | None:
    parsed = rep.uid_from_id(entity_id)
    if parsed is None:
        return None
    device = rep.public_devices().filter(uid=parsed[1]).first()
    if device is None or device.smart_data_model != parsed[0]:
        return None
    return device


def entity(request, entity_id: str):
    if request.method != "GET":
        return problem(405, "OperationNotSupported", _("Operación no admitida"), _("Use GET."))
    device = _device_for_id(entity_id)
    if device is None:
        return not_found(_("No hay una entidad con id %(id)s.") % {"id": entity_id[:200]})
    latest = rep.latest_readings([device.pk])
    return respond(request, rep.entity(device, latest.get(device.pk, {}), _attrs(request)))


def _time(request, name: str) -> datetime:
    raw = request.GET.get(name, "")
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise BadQuery(
            _("%(name)s debe ser una fecha y hora ISO 8601 con zona (p. ej. 2026-12-06T10:00:00Z).") % {"name": name}
        )
    return value


def temporal_entity(request, entity_id: str):
    if request.method != "GET":
        return problem(405, "OperationNotSupported", _("Operación no admitida"), _("Use GET."))
    device = _device_for_id(entity_id)
    if device is None:
        return not_found(_("No hay una entidad con id %(id)s.") % {"id": entity_id[:200]})
    window = {}
    try:
        attrs = _attrs(request)
        timerel = request.GET.get("timerel", "")
        if timerel:
            at = _time(request, "timeAt")
            if timerel == "before":
                window = {"before": at}
            elif timerel == "after":
                window = {"after": at}
            elif timerel == "between":
                end = _time(request, "endTimeAt")
                if end <= at:
                    raise BadQuery(_("endTimeAt debe ser posterior a timeAt."))
                window = {"after": at, "after_inclusive": True, "before": end}
            else:
                raise BadQuery(_("timerel debe ser before, after o between."))
        last_n = _int(request, "lastN", 0, MAX_INSTANCES)
        if request.GET.get("lastN") is not None and last_n == 0:
            raise BadQuery(_("lastN debe ser un entero positivo."))
    except BadQuery as exc:
        return bad_request(str(exc))
    simplified = "temporalValues" in request.GET.get("options", "").split(",")
    body = {"id": rep.entity_id(device), "type": device.smart_data_model}
    found = selectors.temporal_readings(device, metrics=attrs, last_n=last_n, limit=MAX_INSTANCES, **window)
    for metric, rows in found.items():
        if simplified:
            body[metric] = {"type": "Property", "values": [[r.value, rep.timestamp(r.time)] for r in rows]}
        else:
            body[metric] = [rep.property_of(r) for r in rows]
    return respond(request, body)


def _ingest_payload(item: dict) -> dict:
    """The entity's numeric Properties as the JSON attributes HTTP ingest takes."""
    payload = {}
    for name, attribute in item.items():
        if name in ("id", "type", "@context") or name in rep.BASE_ATTRIBUTES or not isinstance(attribute, dict):
            continue
        value = attribute.get("value")
        if attribute.get("type", "Property") != "Property" or isinstance(value, dict | list | str) or value is None:
            continue
        entry = {"value": int(value) if isinstance(value, bool) else value}
        if "unitCode" in attribute:
            entry["unit"] = rep.UNITS_BY_CODE.get(attribute["unitCode"], str(attribute["unitCode"]))
        if "observedAt" in attribute:
            entry["observedAt"] = attribute["observedAt"]
        payload[name] = entry
    return payload


@csrf_exempt  # machine-to-machine: the device's key, never a browser cookie
def upsert(request):
    if request.method != "POST":
        return problem(405, "OperationNotSupported", _("Operación no admitida"), _("Use POST."))
    device = device_for_key(_device_key(request))
    if device is None:
        return problem(401, "Unauthorized", _("No autorizado"), _("Clave de dispositivo ausente o desconocida."))
    if len(request.body) > MAX_BODY:
        return bad_request(_("Mensaje demasiado grande (máximo 256 KB)."))
    try:
        batch = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return problem(400, "InvalidRequest", _("Solicitud no válida"), _("El cuerpo no es JSON válido."))
    if not isinstance(batch, list) or not batch or not all(isinstance(e, dict) for e in batch):
        return bad_request(_("El cuerpo debe ser una lista no vacía de entidades."))
    if len(batch) > MAX_BATCH:
        return bad_request(_("Como máximo %(n)d entidades por solicitud.") % {"n": MAX_BATCH})
    own = rep.entity_id(device)
    if any(e.get("id") != own for e in batch):
        return problem(
            403,
            "Forbidden",
            _("Prohibido"),
            _("Esta clave solo puede actualizar su propia entidad (%(id)s).") % {"id": own},
        )
    if device.status != Device.Status.ACTIVE:
        return problem(403, "Forbidden", _("Prohibido"), _("Dispositivo revocado o en cuarentena."))
    success, errors = [], []
    for item in batch:
        if item.get("type", device.smart_data_model) != device.smart_data_model:
            errors.append(
                {
                    "entityId": own,
                    "error": _batch_problem(_("El tipo de la entidad es %(t)s.") % {"t": device.smart_data_model}),
                }
            )
            continue
        payload = _ingest_payload(item)
        if not payload:
            errors.append({"entityId": own, "error": _batch_problem(_("La entidad no trae propiedades numéricas."))})
            continue
        outcome = ingest_batch([Message(device_uid=device.uid, payload=json.dumps(payload), via="ngsild")])
        if outcome.problems:
            detail = "; ".join(f"{p.reason}: {p.detail}" for p in outcome.problems)[:500]
            errors.append({"entityId": own, "error": _batch_problem(detail)})
        else:
            success.append(own)
    if not errors:
        return HttpResponse(status=204)
    return JsonResponse({"success": success, "errors": errors}, status=207)


def _batch_problem(detail: str) -> dict:
    return {
        "type": ERRORS + "BadRequestData",
        "title": _("Solicitud con datos no válidos"),
        "detail": detail,
        "status": 400,
    }


def _api_key(request):
    """(ApiKey, None) or (None, error response)."""
    try:
        api_key = key_for_request(request, surface=KeyUsage.Surface.API)
    except KeyRefused as refused:
        return None, problem(refused.status, "Unauthorized" if refused.status == 401 else "Forbidden", refused.message)
    if api_key is None:
        return None, problem(
            401, "Unauthorized", _("No autorizado"), _("Falta la clave de API del portal de desarrolladores.")
        )
    return api_key, None


@csrf_exempt  # an application's API key, never a browser cookie
def subscriptions(request):
    api_key, error = _api_key(request)
    if error:
        return error
    if request.method == "GET":
        subs = NgsiSubscription.objects.filter(api_key=api_key)
        return respond(request, [notify.subscription_body(s) for s in subs])
    if request.method != "POST":
        return problem(405, "OperationNotSupported", _("Operación no admitida"), _("Use GET o POST."))
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return problem(400, "InvalidRequest", _("Solicitud no válida"), _("El cuerpo no es JSON válido."))
    try:
        sub = notify.subscription_create(api_key=api_key, data=data)
    except notify.Invalid as exc:
        return bad_request(str(exc))
    response = HttpResponse(status=201)
    response["Location"] = f"/ngsi-ld/v1/subscriptions/{sub.sub_id}"
    return response


@csrf_exempt
def subscription(request, sub_id: str):
    api_key, error = _api_key(request)
    if error:
        return error
    sub = NgsiSubscription.objects.filter(api_key=api_key, sub_id=sub_id).first()
    if sub is None:
        return not_found(_("No hay una suscripción suya con id %(id)s.") % {"id": sub_id[:200]})
    if request.method == "GET":
        return respond(request, notify.subscription_body(sub))
    if request.method == "DELETE":
        sub.delete()
        return HttpResponse(status=204)
    return problem(405, "OperationNotSupported", _("Operación no admitida"), _("Use GET o DELETE."))
