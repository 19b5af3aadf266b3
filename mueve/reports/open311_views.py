"""Open311 GeoReport v2 endpoints: parse the call, ask selectors/services, render with `open311`."""

from datetime import timedelta

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from mueve.api.keys import KeyRefused, key_for_request
from mueve.api.models import KeyUsage
from mueve.core.errors import error_dict
from mueve.reports import open311, selectors, services
from mueve.reports.models import Report, Service

DEFAULT_WINDOW = timedelta(days=90)
MAX_RESULTS = 1000


def _has_nul(request: HttpRequest, data=None) -> bool:
    """PostgreSQL text cannot hold NUL: such input is refused up front (400), never stored nor queried."""
    sources = [request.GET] + ([data] if data is not None else [request.POST] if request.method == "POST" else [])
    return any("\x00" in value for source in sources for values in source.lists() for value in values[1])


def _jurisdiction_or_error(request: HttpRequest, fmt: str, data=None):
    if _has_nul(request, data):
        return None, open311.error(fmt, 400, [_("Los datos no pueden contener el carácter NUL.")])
    slug = (data if data is not None else request.GET).get("jurisdiction_id") or request.GET.get("jurisdiction_id")
    jurisdiction = selectors.open311_jurisdiction(slug)
    if jurisdiction is None:
        text = _("jurisdiction_id: no se encontró la jurisdicción «%(slug)s».") % {"slug": slug} if slug else None
        return None, open311.error(fmt, 404, [text or _("No hay ninguna jurisdicción con servicios.")])
    return jurisdiction, None


@require_GET
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    latest = selectors.catalogue_changed_at() or timezone.now()
    base = request.build_absolute_uri("/open311/v2/")
    body = {
        "changeset": open311.iso(latest),
        "contact": _("Unidad de Ciudad Inteligente — escriba desde la plataforma Mueve."),
        "key_service": _("Las aplicaciones piden su api_key a la Unidad de Ciudad Inteligente; un gestor la aprueba."),
        "endpoints": [
            {
                "specification": open311.SPEC_URL,
                "url": base,
                "changeset": open311.iso(latest),
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return open311.render(fmt, "discovery", body)


@require_GET
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    jurisdiction, failure = _jurisdiction_or_error(request, fmt)
    if failure:
        return failure
    body = [open311.service_body(service) for service in selectors.service_list(jurisdiction=jurisdiction)]
    return open311.render(fmt, "services", body)


@require_GET
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    jurisdiction, failure = _jurisdiction_or_error(request, fmt)
    if failure:
        return failure
    service = selectors.service_definition(jurisdiction=jurisdiction, code=code)
    if service is None:
        return open311.error(fmt, 404, [_("service_code: no existe el servicio «%(code)s».") % {"code": code}])
    return open311.render(fmt, "service_definition", open311.definition_body(service))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    return _search(request, fmt)


def _float_or_none(data, name: str, errors: dict[str, list[str]]) -> float | None:
    raw = (data.get(name) or "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        errors.setdefault(name, []).append(_("Se esperaba un número."))
        return None


def client_ip(request: HttpRequest) -> str:
    """The peer's address. Forwarded headers are not trusted: anyone can send them."""
    return request.META.get("REMOTE_ADDR", "") or ""


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        data = request.POST
    except (RequestDataTooBig, TooManyFieldsSent):
        return open311.error(fmt, 400, [_("La solicitud es demasiado grande.")])
    jurisdiction, failure = _jurisdiction_or_error(request, fmt, data)
    if failure:
        return failure
    try:
        api_key = key_for_request(request, surface=KeyUsage.Surface.OPEN311)
    except KeyRefused as refused:
        # GeoReport v2 answers 403 for an invalid api_key; a key past its quota, 429 with Retry-After.
        response = open311.error(fmt, 429 if refused.status == 429 else 403, [f"api_key: {refused.message}"])
        if refused.retry_after is not None:
            response["Retry-After"] = str(refused.retry_after)
        return response
    if api_key is None:
        return open311.error(fmt, 403, [_("api_key: falta la clave de API.")])
    code = (data.get("service_code") or "").strip()
    if not code:
        return open311.error(fmt, 400, [_("service_code: indique el servicio.")])
    service = selectors.service_for_submission(jurisdiction=jurisdiction, code=code)
    if service is None:
        return open311.error(fmt, 400, [_("service_code: no existe el servicio «%(code)s».") % {"code": code}])
    errors: dict[str, list[str]] = {}
    lat = _float_or_none(data, "lat", errors)
    lon = _float_or_none(data, "long", errors)
    if errors:
        return open311.error(fmt, 400, open311.validation_descriptions(errors))
    idempotency_key = data.get("idempotency_key") or request.headers.get("Idempotency-Key", "")
    try:
        report = _accept(request, data, service, api_key, lat, lon, idempotency_key)
    except services.BannedSender:
        return open311.error(fmt, 403, [_("No se aceptan reportes de este remitente.")])
    except services.RateLimited as limited:
        response = open311.error(fmt, 429, [_("Demasiados reportes seguidos desde este cliente; intente más tarde.")])
        response["Retry-After"] = str(limited.retry_after)
        return response
    except ValidationError as exc:
        errors = error_dict(exc)
        if "photo" in errors:  # the multipart field is `media`
            errors["media"] = errors.pop("photo")
        return open311.error(fmt, 400, open311.validation_descriptions(errors))
    return open311.render(fmt, "service_requests", [open311.created_body(report)])


def _accept(request: HttpRequest, data, service: Service, api_key, lat, lon, idempotency_key: str) -> Report:
    """The report of a POST. A photo may come as the multipart field `media`: an extension of the spec (which has
    only media_url), as Open311 phone clients send photos; its address becomes the request's media_url."""
    return services.report_accept(
        service=service,
        lat=lat,
        lon=lon,
        address_string=data.get("address_string", ""),
        address_id=data.get("address_id", ""),
        zipcode=data.get("zipcode", ""),
        attributes=open311.attributes_from(data),
        description=data.get("description", ""),
        media_url=data.get("media_url", ""),
        first_name=data.get("first_name", ""),
        last_name=data.get("last_name", ""),
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        device_id=data.get("device_id", ""),
        account_id=data.get("account_id", ""),
        api_key=api_key,
        idempotency_key=idempotency_key,
        source=Report.Source.OPEN311,
        client_key=client_ip(request),
        photo=request.FILES.get("media"),
    )


def _date(raw: str | None, name: str, errors: dict[str, list[str]]):
    if not raw:
        return None
    try:
        moment = parse_datetime(raw.strip())
    except ValueError:
        moment = None
    if moment is None:
        errors.setdefault(name, []).append(_("Se esperaba una fecha y hora ISO 8601."))
        return None
    if not 1970 <= moment.year <= 2999:
        # The 90-day default window is added to or taken from it: keep that arithmetic inside datetime's range.
        errors.setdefault(name, []).append(_("La fecha debe estar entre los años 1970 y 2999."))
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _positive(raw: str | None, name: str, default: int, maximum: int, errors: dict[str, list[str]]) -> int:
    if raw in (None, ""):
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= maximum:
        errors.setdefault(name, []).append(_("Debe ser un entero entre 1 y %(max)s.") % {"max": maximum})
        return default
    return int(raw)


def _search(request: HttpRequest, fmt: str) -> HttpResponse:
    jurisdiction, failure = _jurisdiction_or_error(request, fmt)
    if failure:
        return failure
    query = request.GET
    errors: dict[str, list[str]] = {}
    start = _date(query.get("start_date"), "start_date", errors)
    end = _date(query.get("end_date"), "end_date", errors)
    statuses = open311.comma_list(query.get("status"))
    if any(status not in Report.Status.values for status in statuses):
        errors.setdefault("status", []).append(_("Los estados posibles son open y closed."))
    page = _positive(query.get("page"), "page", 1, 100_000, errors)
    page_size = _positive(query.get("page_size"), "page_size", MAX_RESULTS, MAX_RESULTS, errors)
    if start and end and start > end:
        errors.setdefault("end_date", []).append(_("end_date debe ser posterior a start_date."))
    elif start and end and end - start > DEFAULT_WINDOW:
        errors.setdefault("end_date", []).append(_("El intervalo no puede superar 90 días."))
    if errors:
        return open311.error(fmt, 400, open311.validation_descriptions(errors))
    # The spec's default: the last 90 days, or 90 days from the one end given.
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - DEFAULT_WINDOW
    elif end is None:
        end = start + DEFAULT_WINDOW
    reports = selectors.report_public_search(
        jurisdiction=jurisdiction,
        public_ids=open311.comma_list(query.get("service_request_id")),
        service_codes=open311.comma_list(query.get("service_code")),
        start=start,
        end=end,
        statuses=statuses,
    )
    offset = (page - 1) * page_size
    page_rows = reports.prefetch_related("photos")[offset : offset + page_size]
    body = [open311.request_body(report, request.build_absolute_uri) for report in page_rows]
    return open311.render(fmt, "service_requests", body)


@require_GET
def request_detail(request: HttpRequest, public_id: str, fmt: str) -> HttpResponse:
    jurisdiction, failure = _jurisdiction_or_error(request, fmt)
    if failure:
        return failure
    report = selectors.report_public_detail(jurisdiction=jurisdiction, public_id=public_id)
    if report is None:
        return open311.error(fmt, 404, [_("service_request_id: no existe la solicitud «%(id)s».") % {"id": public_id}])
    # A one-element array: clients read [0].
    return open311.render(fmt, "service_requests", [open311.request_body(report, request.build_absolute_uri)])


@require_GET
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    jurisdiction, failure = _jurisdiction_or_error(request, fmt)
    if failure:
        return failure
    report = selectors.report_by_token(jurisdiction=jurisdiction, token=token)
    if report is None or report.service.type == Service.Type.BLACKBOX:
        return open311.error(fmt, 404, [_("token: no existe el token.")])
    return open311.render(fmt, "service_requests", [{"service_request_id": report.public_id, "token": report.token}])
