"""Writes of the reports app: the service catalogue, Open311 API keys, report submission with incident fusion,
routing, operators' incident transitions, moderation and abuse limits, rewards and asset adoption."""

import contextlib
import hashlib
import logging
import math
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.bulk import insert_row, update_rows
from mueve.core.errors import merge_errors
from mueve.core.events import publish, publish_many
from mueve.core.geo import h3_cell
from mueve.core.permissions import ensure_perm
from mueve.core.ratelimit import Rate, hit
from mueve.core.ratelimit import RateLimited as RateLimited  # the views catch services.RateLimited
from mueve.core.ratelimit import parse_rate as parse_any_rate
from mueve.reports import selectors
from mueve.reports.models import (
    Adoption,
    ApiKey,
    Asset,
    AttributeValue,
    BannedContact,
    Incident,
    IncidentAssignment,
    IncidentChange,
    Notification,
    Report,
    ReportStatusChange,
    RewardPoint,
    RoutingRule,
    Service,
    ServiceAttribute,
    Severity,
)
from mueve.reports.photos import process_photo, report_photo_attach
from mueve.reports.selectors import cells_within, haversine_m, incident_public_dict
from mueve.stakeholders.models import Organization
from mueve.territory import selectors as territory_selectors
from mueve.territory.models import Area, Jurisdiction

DESCRIPTION_MAX = 4000  # Open311: "max 4000 characters"
STRING_MAX = 255
TEXT_MAX = 4000
KEY_PREFIX = "o311_"
PUBLIC_ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud on the phone
# Spam heuristics: a burst of reports from one sender, or a description full of links.
SPAM_BURST_COUNT = 5
SPAM_BURST_WINDOW = timedelta(minutes=10)
SPAM_MAX_LINKS = 3

Datatype = ServiceAttribute.Datatype
log = logging.getLogger(__name__)


@dataclass
class AttributeSpec:
    """One attribute of a service definition, as `service_upsert` takes it."""

    code: str
    datatype: str
    description: str
    required: bool = False
    variable: bool = True
    datatype_description: str = ""
    order: int = 1
    values: list[tuple[str, str]] = field(default_factory=list)


# --- Service catalogue ---------------------------------------------------------------------------------------


@transaction.atomic
def service_upsert(
    *,
    jurisdiction: Jurisdiction,
    code: str,
    name: str,
    alert_category: str,
    alert_subcategory: str = "",
    description: str = "",
    group: str = "",
    keywords: list[str] | tuple[str, ...] = (),
    type: str = Service.Type.REALTIME,
    default_severity: str = Severity.MEDIUM,
    agency: Organization | None = None,
    order: int = 0,
    active: bool = True,
    attributes: list[AttributeSpec] | None = None,
    fusion_radius_m: int | None = None,
    fusion_window_minutes: int | None = None,
    actor: User | None = None,
) -> Service:
    """Creates or updates a service by (jurisdiction, code). Given `attributes` replace the definition;
    fusion settings left as None keep their current (or default) values."""
    if actor is not None:
        ensure_perm(actor, "reports.manage_services")
    service = Service.objects.filter(jurisdiction=jurisdiction, code=code).first() or Service(
        jurisdiction=jurisdiction, code=code
    )
    service.name = (name or "").strip()
    service.description = (description or "").strip()
    service.group = (group or "").strip()
    service.keywords = ", ".join(word.strip() for word in keywords if word.strip())
    service.type = type
    service.default_severity = default_severity
    service.agency = agency
    service.alert_category = alert_category
    service.alert_subcategory = alert_subcategory
    service.order = order
    service.active = active
    if fusion_radius_m is not None:
        service.fusion_radius_m = fusion_radius_m
    if fusion_window_minutes is not None:
        service.fusion_window_minutes = fusion_window_minutes
    if attributes is not None:
        service.metadata = bool(attributes)
    service.full_clean()
    service.save()
    if attributes is not None:
        _replace_attributes(service, attributes)
    _forget_reference_data()
    publish("reports.service_saved", {"jurisdiction": jurisdiction.slug, "code": service.code})
    return service


def _forget_reference_data() -> None:
    """This process's Open311 lookups (see selectors.REFERENCE_TTL_SECONDS) forget the old catalogue and keys,
    now and again once the change is committed (a request in between may have read the old rows)."""
    selectors.forget_reference_data()
    transaction.on_commit(selectors.forget_reference_data)


def _replace_attributes(service: Service, specs: list[AttributeSpec]) -> None:
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for spec in specs:
        label = f"attribute[{spec.code}]"
        if spec.code in seen:
            errors.setdefault(label, []).append(_("Código de atributo repetido."))
        seen.add(spec.code)
        is_list = spec.datatype in (Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST)
        if is_list and not spec.values:
            errors.setdefault(label, []).append(_("Una lista necesita al menos un valor permitido."))
        if not is_list and spec.values:
            errors.setdefault(label, []).append(_("Solo las listas tienen valores permitidos."))
    if errors:
        raise ValidationError(errors)
    service.attributes.exclude(code__in=seen).delete()
    for spec in specs:
        attribute = service.attributes.filter(code=spec.code).first() or ServiceAttribute(
            service=service, code=spec.code
        )
        attribute.datatype = spec.datatype
        attribute.description = spec.description
        attribute.required = spec.required and spec.variable
        attribute.variable = spec.variable
        attribute.datatype_description = spec.datatype_description
        attribute.order = spec.order
        try:
            attribute.full_clean()
        except ValidationError as exc:
            raise ValidationError({f"attribute[{spec.code}]": sum(exc.message_dict.values(), [])}) from exc
        attribute.save()
        keys = [key for key, _name in spec.values]
        attribute.values.exclude(key__in=keys).delete()
        for position, (key, name) in enumerate(spec.values):
            AttributeValue.objects.update_or_create(
                attribute=attribute, key=key, defaults={"name": name, "order": position}
            )


# --- Open311 API keys ----------------------------------------------------------------------------------------


@transaction.atomic
def api_key_request(
    *, application_name: str, contact_email: str, description: str = "", requested_by: User | None = None
) -> ApiKey:
    """An outside developer asks for a key; it works only once a manager approves it."""
    api_key = ApiKey(
        application_name=(application_name or "").strip(),
        contact_email=(contact_email or "").strip(),
        description=(description or "").strip(),
        requested_by=requested_by if requested_by and requested_by.is_authenticated else None,
    )
    api_key.full_clean()
    api_key.save()
    publish("reports.api_key_requested", {"id": api_key.pk})
    return api_key


@transaction.atomic
def api_key_approve(*, api_key: ApiKey, actor: User, key: str = "") -> tuple[ApiKey, str]:
    """Approves the request and issues the key, returned once: only its hash is kept.

    `key` is for the demo only (a documented, well-known key); everyone else gets a random one.
    """
    ensure_perm(actor, "reports.manage_api_keys")
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.status == ApiKey.Status.REVOKED:
        raise ValidationError({"status": [_("Una clave revocada no se puede volver a aprobar; pida una nueva.")]})
    if key and (not key.startswith(KEY_PREFIX) or len(key) < 24):
        raise ValidationError({"key": [_("Una clave fija debe empezar con «o311_» y tener al menos 24 caracteres.")]})
    if key and ApiKey.objects.filter(key_hash=ApiKey.hash_key(key)).exclude(pk=api_key.pk).exists():
        raise ValidationError({"key": [_("Esa clave ya está en uso.")]})
    key = key or KEY_PREFIX + secrets.token_urlsafe(24)
    api_key.key_hash = ApiKey.hash_key(key)
    api_key.prefix = key[:10]
    api_key.status = ApiKey.Status.APPROVED
    api_key.approved_by = actor
    api_key.approved_at = timezone.now()
    api_key.save()
    _forget_reference_data()
    publish("reports.api_key_approved", {"id": api_key.pk})
    return api_key, key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, actor: User) -> ApiKey:
    ensure_perm(actor, "reports.manage_api_keys")
    api_key.status = ApiKey.Status.REVOKED
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["status", "revoked_at", "updated_at"])
    _forget_reference_data()
    publish("reports.api_key_revoked", {"id": api_key.pk})
    return api_key


# --- Attribute validation ------------------------------------------------------------------------------------


def _as_list(raw: Any) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, (list, tuple)):
        return [str(item) for item in raw]
    return [str(raw)]


def _blank(values: list[str]) -> bool:
    return not any(value.strip() for value in values)


def _clean_one(attribute: ServiceAttribute, values: list[str], allowed: dict[str, str]) -> Any:
    """The stored value of one answered attribute, or a ValidationError with a Spanish message."""
    kind = attribute.datatype
    if kind == Datatype.MULTIVALUELIST:
        keys = [value.strip() for value in values if value.strip()]
        unknown = [key for key in keys if key not in allowed]
        if unknown:
            raise ValidationError(_("Valor no permitido: %(values)s.") % {"values": ", ".join(unknown)})
        return list(dict.fromkeys(keys))
    if len(values) != 1:
        raise ValidationError(_("Se esperaba un solo valor."))
    value = values[0].strip()
    if "\x00" in value:
        raise ValidationError(_("El texto no puede contener caracteres nulos."))
    if kind == Datatype.SINGLEVALUELIST:
        if value not in allowed:
            raise ValidationError(_("Valor no permitido: %(value)s.") % {"value": value[:60]})
        return value
    if kind == Datatype.NUMBER:
        try:
            number = Decimal(value)
        except InvalidOperation as exc:
            raise ValidationError(_("Se esperaba un número.")) from exc
        if not number.is_finite() or abs(number) > Decimal("1e15"):
            raise ValidationError(_("Se esperaba un número finito y razonable."))
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == Datatype.DATETIME:
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is None:
            raise ValidationError(_("Se esperaba una fecha y hora ISO 8601 (AAAA-MM-DDTHH:MM:SS±HH:MM)."))
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment.isoformat()
    limit = STRING_MAX if kind == Datatype.STRING else TEXT_MAX
    if len(value) > limit:
        raise ValidationError(_("Máximo %(limit)s caracteres.") % {"limit": limit})
    return value


def clean_attributes(*, service: Service, answers: dict[str, Any]) -> dict[str, Any]:
    """Checks `answers` ({code: value or [values]}) against the service definition; returns the values to store.

    Errors are keyed `attribute[code]`, in Spanish. Codes the service does not define are refused.
    """
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    attributes = {a.code: a for a in service.attributes.all()}
    for code in answers:
        if code not in attributes:
            errors.setdefault(f"attribute[{code}]", []).append(_("El servicio no tiene este atributo."))
    for code, attribute in attributes.items():
        label = f"attribute[{code}]"
        values = _as_list(answers.get(code))
        if not attribute.variable:
            continue
        if _blank(values):
            if attribute.required:
                errors.setdefault(label, []).append(_("Este atributo es obligatorio."))
            continue
        allowed = {v.key: v.name for v in attribute.values.all()}
        try:
            cleaned[code] = _clean_one(attribute, values, allowed)
        except ValidationError as exc:
            errors.setdefault(label, []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


# --- Report submission ---------------------------------------------------------------------------------------


def _new_public_id() -> str:
    # 32 symbols: 5 random bits each, no bias (and one system call, not ten).
    return "".join(PUBLIC_ID_ALPHABET[byte & 31] for byte in secrets.token_bytes(10))


def _check_location(
    lat: float | None, lon: float | None, address_string: str, address_id: str, errors: dict[str, list[str]]
) -> None:
    if lat is None and lon is None:
        if not address_string and not address_id:
            errors.setdefault("lat", []).append(_("Indique la ubicación: lat y long, address_string o address_id."))
        return
    if lat is None or lon is None:
        errors.setdefault("long" if lon is None else "lat", []).append(_("lat y long van juntas."))
        return
    if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
        errors.setdefault("lat", []).append(_("La latitud debe estar entre -90 y 90."))
    if not (math.isfinite(lon) and -180.0 <= lon <= 180.0):
        errors.setdefault("long", []).append(_("La longitud debe estar entre -180 y 180."))


def _reporter_key(
    *, reporter: User | None, device_id: str, email: str, phone: str, client_key: str, api_key: ApiKey | None
) -> str:
    """A private hash of who sent a report: the strongest identity available. Two reports with the same key are
    not independent confirmations. Empty when nothing identifies the sender."""
    if reporter is not None:
        identity = f"user:{reporter.pk}"
    elif device_id:
        identity = f"device:{device_id}"
    elif email:
        identity = f"email:{email.lower()}"
    elif phone:
        identity = "phone:" + BannedContact.normalise(BannedContact.Kind.PHONE, phone)
    elif client_key:
        identity = f"client:{api_key.pk if api_key else '-'}:{client_key}"
    else:
        return ""
    return hashlib.sha256(identity.encode()).hexdigest()


def _looks_like_spam(description: str) -> bool:
    """Link-heavy text: checked when the report arrives. (Bursts from one sender are checked when it is processed,
    see `_mark_bursts`.) A suspected report is kept but stays out of incidents until a moderator accepts it."""
    lowered = description.lower()
    return lowered.count("http://") + lowered.count("https://") >= SPAM_MAX_LINKS


REPORT_TRUSTED_FIELDS = ["jurisdiction", "service", "agency_responsible", "reporter", "api_key", "incident", "asset"]


def _same_sender(existing: Report, *, api_key: ApiKey | None, source: str) -> Report:
    """A retry gets its own report back; another application (or the web page) reusing the key gets an error, never
    someone else's report and tracking token."""
    if existing.api_key_id != (api_key.pk if api_key is not None else None) or existing.source != source:
        raise ValidationError({"idempotency_key": [_("Esta clave de idempotencia ya fue usada por otro remitente.")]})
    return existing


def _retry_of(idempotency_key: str, *, api_key: ApiKey | None, source: str) -> Report | None:
    if not idempotency_key:
        return None
    # Most keys are new: a bare lookup of the unique column first (the full row only for a real retry).
    table, column = Report._meta.db_table, Report._meta.get_field("idempotency_key").column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('id')} FROM {quote(table)} WHERE {quote(column)} = %s", [idempotency_key])
        found = cursor.fetchone()
    if found is None:
        return None
    return _same_sender(Report.objects.get(pk=found[0]), api_key=api_key, source=source)


def _new_report(
    *,
    service: Service,
    lat: float | None,
    lon: float | None,
    address_string: str,
    address_id: str,
    zipcode: str,
    attributes: dict[str, Any] | None,
    description: str,
    media_url: str,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    device_id: str,
    account_id: str,
    reporter: User | None,
    api_key: ApiKey | None,
    idempotency_key: str,
    source: str,
    requested_at: datetime | None,
    confirms: Incident | None,
    asset: Asset | None,
    client_key: str,
) -> Report:
    """Validates a submission and builds its (unsaved) report; ValidationError with every field's messages."""
    if api_key is not None and api_key.status != ApiKey.Status.APPROVED:
        raise ValidationError({"api_key": [_("La clave de API no está aprobada.")]})
    errors: dict[str, list[str]] = {}
    if not service.active:
        errors.setdefault("service_code", []).append(_("Este servicio no recibe reportes."))
    address_string = (address_string or "").strip()
    address_id = (address_id or "").strip()
    if confirms is not None:
        if confirms.service_id != service.pk:
            errors.setdefault("confirms", []).append(_("El incidente que confirma es de otro servicio."))
        elif not confirms.is_active:
            errors.setdefault("confirms", []).append(_("Ese incidente ya fue cerrado; envíe un reporte nuevo."))
        elif lat is None and lon is None and not address_string and not address_id:
            # "Me too" without a position: the citizen stands where the incident is.
            lat, lon = confirms.lat, confirms.lon
    if asset is not None and (not asset.active or asset.jurisdiction_id != service.jurisdiction_id):
        errors.setdefault("asset", []).append(_("Ese activo no existe en esta jurisdicción."))
    _check_location(lat, lon, address_string, address_id, errors)
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        errors.setdefault("description", []).append(
            _("La descripción admite hasta %(max)s caracteres.") % {"max": DESCRIPTION_MAX}
        )
    media_url = (media_url or "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            errors.setdefault("media_url", []).append(_("media_url debe ser una URL http o https."))
    email = (email or "").strip()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            errors.setdefault("email", []).append(_("El correo no es válido."))
    if len(idempotency_key) > 100:
        errors.setdefault("idempotency_key", []).append(_("La clave de idempotencia admite hasta 100 caracteres."))
    try:
        cleaned = clean_attributes(service=service, answers=attributes or {})
    except ValidationError as exc:
        merge_errors(errors, exc)
        cleaned = {}
    if errors:
        raise ValidationError(errors)
    now = requested_at or timezone.now()
    reporter = reporter if reporter is not None and reporter.is_authenticated else None
    phone = (phone or "").strip()
    device_id = (device_id or "").strip()
    reporter_key = _reporter_key(
        reporter=reporter,
        device_id=device_id,
        email=email,
        phone=phone,
        client_key=(client_key or "").strip(),
        api_key=api_key,
    )
    report = Report(
        public_id=_new_public_id(),
        token=secrets.token_urlsafe(16),
        jurisdiction_id=service.jurisdiction_id,
        service=service,
        lat=lat,
        lon=lon,
        h3_cell=h3_cell(lat, lon) if lat is not None and lon is not None else "",
        address_string=address_string,
        address_id=address_id,
        zipcode=(zipcode or "").strip(),
        description=description,
        media_url=media_url,
        attributes=cleaned,
        severity=_report_severity(service, cleaned),
        agency_responsible_id=service.agency_id,
        requested_datetime=now,
        updated_datetime=now,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        email=email,
        phone=phone,
        device_id=device_id,
        account_id=(account_id or "").strip(),
        reporter=reporter,
        api_key=api_key,
        source=source,
        idempotency_key=idempotency_key or None,
        is_confirmation=confirms is not None,
        reporter_key=reporter_key,
        asset=asset,
    )
    if source != Report.Source.GENERATED and _looks_like_spam(description):
        report.moderation = Report.Moderation.SUSPECTED
    try:
        # The foreign keys come from objects the caller already holds: checking they exist is a query each.
        report.full_clean(exclude=REPORT_TRUSTED_FIELDS, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    return report


def _insert(report: Report, *, api_key: ApiKey | None) -> tuple[Report, bool]:
    """Stores a new report; (the report, True), or (the original, False) when a retry with the same idempotency
    key won the race (the unique column decides, also between processes)."""
    key = report.idempotency_key
    if not key:
        insert_row(report)
        return report, True
    try:
        if connection.in_atomic_block:
            # A savepoint only where a clash is expected: a retry racing its original.
            with transaction.atomic():
                insert_row(report)
        else:
            insert_row(report)  # its own transaction: one statement
    except IntegrityError:
        existing = Report.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return _same_sender(existing, api_key=api_key, source=report.source), False
        raise
    return report, True


SUBMISSION_DEFAULTS: dict[str, Any] = {
    "lat": None,
    "lon": None,
    "address_string": "",
    "address_id": "",
    "zipcode": "",
    "attributes": None,
    "description": "",
    "media_url": "",
    "first_name": "",
    "last_name": "",
    "email": "",
    "phone": "",
    "device_id": "",
    "account_id": "",
    "reporter": None,
    "api_key": None,
    "idempotency_key": "",
    "source": Report.Source.OPEN311,
    "requested_at": None,
    "confirms": None,
    "asset": None,
    "client_key": "",
}


def report_submit(*, service: Service, check_abuse: bool = False, photo=None, **fields: Any) -> Report:
    """Stores one report and processes it at once, in one transaction: status history, incident fusion, routing,
    adopters' notifications, and `reports.report_submitted` (plus the incident's event) after commit.

    Fields: lat, lon, address_string, address_id, zipcode, attributes, description, media_url, first_name,
    last_name, email, phone, device_id, account_id, reporter, api_key, idempotency_key, source, requested_at,
    confirms, asset, client_key (see SUBMISSION_DEFAULTS).

    With an `idempotency_key` already used, returns that report unchanged: a phone that retries after a
    lost answer never creates a duplicate (also under concurrent retries, through the unique column).
    `confirms` is the "me too" of a citizen who saw the incident already reported: the report joins that
    incident (still active, same service) whatever the distance. `client_key` (the IP) only serves to tell
    independent reporters apart; it is stored hashed. With `check_abuse`, `report_check_abuse` runs once the
    report is known to be new (a retry never spends the sender's allowance) and its exceptions propagate.
    `photo` (an uploaded file) is checked, cleaned and resized after those checks and the fields' validation (a
    refused report costs no decoding, ~0.2 s of CPU for a phone photo) and before the transaction (which holds
    SQLite's write lock), then stored last in it (see `report_photo_attach`); ValidationError on `photo` when it is
    not a usable photo.
    """
    values = _submission(fields)
    existing = _retry_or_check(values, check_abuse=check_abuse)
    if existing is not None:
        return existing
    report = _new_report(service=service, **values)
    processed = process_photo(photo) if photo is not None else None
    with transaction.atomic():
        report, created = _insert(report, api_key=values["api_key"])
        if created:
            confirms = values["confirms"]
            _process_batch([report], confirms={report.pk: confirms} if confirms is not None else None)
            if processed is not None:  # last: a failure before it leaves no file behind
                report_photo_attach(report=report, processed=processed)
    return report


def report_accept(*, service: Service, check_abuse: bool = True, photo=None, **fields: Any) -> Report:
    """Accepts a report for later processing: a retry's original, else abuse limits, validation and one insert (with
    a photo, the photo's row and file too, as in `report_submit`); the intake worker
    (mueve.reports.intake) then processes it like `report_submit` does, in batches, within moments.

    This is the Open311 POST path: a phone gets its answer (id and token) without waiting for fusion and
    routing, and a burst of reports is fused many at a time. With MUEVE_REPORTS_INTAKE=inline (the tests, a
    single-process tool) it is `report_submit`. Same fields and `photo` as `report_submit`, except `confirms`.
    """
    if settings.MUEVE_REPORTS_INTAKE == "inline":
        return report_submit(service=service, check_abuse=check_abuse, photo=photo, **fields)
    values = _submission(fields)
    if values["confirms"] is not None:
        raise ValueError("report_accept does not take confirms: use report_submit")
    existing = _retry_or_check(values, check_abuse=check_abuse)
    if existing is not None:
        return existing
    report = _new_report(service=service, **values)
    report.intake_pending = True
    if photo is None:
        with _one_writer():
            report, created = _insert(report, api_key=values["api_key"])  # one statement, its own transaction
    else:
        processed = process_photo(photo)
        with _one_writer(), transaction.atomic():
            report, created = _insert(report, api_key=values["api_key"])
            if created:
                report_photo_attach(report=report, processed=processed)
    if created:
        transaction.on_commit(_wake_intake)
    return report


def _submission(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(SUBMISSION_DEFAULTS)
    if unknown:
        raise TypeError(f"unexpected report fields: {sorted(unknown)}")
    values = {**SUBMISSION_DEFAULTS, **fields}
    values["idempotency_key"] = (values["idempotency_key"] or "").strip()
    values["client_key"] = (values["client_key"] or "").strip()
    return values


def report_retry(idempotency_key: str, *, source: str, api_key: ApiKey | None = None) -> Report | None:
    """The report a sender already stored under `idempotency_key`, or None; ValidationError when another sender
    used it (never someone else's report). `report_submit` and `report_accept` begin with this themselves: it is for
    a caller that must answer a retry before it can call them (the phone page, when the incident a "me too" confirms
    has since gone)."""
    return _retry_of((idempotency_key or "").strip(), api_key=api_key, source=source)


def _retry_or_check(values: dict[str, Any], *, check_abuse: bool) -> Report | None:
    """The original report of a retry (never rate-limited); else, with `check_abuse`, the sender's limits."""
    existing = _retry_of(values["idempotency_key"], api_key=values["api_key"], source=values["source"])
    if existing is None and check_abuse:
        report_check_abuse(
            client_key=values["client_key"],
            email=values["email"],
            phone=values["phone"],
            device_id=values["device_id"],
            user=values["reporter"],
        )
    return existing


# The intake worker (mueve.reports.intake) imports these services to process what `report_accept` stores, so these
# do not import it: ReportsConfig.ready installs its wake-up here.
_intake_waker: Callable[[], None] | None = None


def set_intake_waker(waker: Callable[[], None] | None) -> None:
    """Installs what wakes the intake worker once a report `report_accept` stored is committed (None removes it)."""
    global _intake_waker
    _intake_waker = waker


def _wake_intake() -> None:
    if _intake_waker is not None:
        _intake_waker()


def _one_writer():
    """SQLite takes one writer at a time: the Open311 accept path and the intake worker (threads or processes) take
    turns on a lock that wakes the next one at once, rather than in SQLite's busy handler."""
    if connection.vendor != "sqlite":
        return contextlib.nullcontext()
    from mueve.core.sqlite.base import writer

    return writer(connection)


def reports_process_pending(*, limit: int = 200) -> int:
    """Processes up to `limit` accepted reports, oldest first, in one transaction; returns how many.

    Several workers (processes, hosts) may run it at once: on PostgreSQL each claims its rows with
    SKIP LOCKED; SQLite has one writer. A worker that dies mid-batch rolls back, and the reports wait for the
    next one: none is lost, none processed twice."""
    if not Report.objects.filter(intake_pending=True).exists():
        return 0  # a read: no write lock taken for an empty queue
    pending = Report.objects.filter(intake_pending=True).select_related("asset").order_by("id")
    if connection.features.has_select_for_update_skip_locked:
        pending = pending.select_for_update(skip_locked=True, of=("self",))
    with _one_writer(), transaction.atomic():
        reports = list(pending[:limit])
        services = Service.objects.select_related("jurisdiction").in_bulk({r.service_id for r in reports})
        for report in reports:
            report.service = services[report.service_id]  # one instance per service for the whole batch
        _process_batch(reports)
    return len(reports)


INTAKE_MAX_ATTEMPTS = 5


def reports_process_pending_singly(*, limit: int = 200) -> int:
    """After a batch failed: each pending report in a transaction of its own, so one that cannot be processed holds
    no other back. A report that fails INTAKE_MAX_ATTEMPTS times leaves the queue (kept, unfused, logged) instead of
    being retried forever. Returns how many were processed."""
    ids = list(Report.objects.filter(intake_pending=True).order_by("id").values_list("pk", flat=True)[:limit])
    done = 0
    for pk in ids:
        try:
            with _one_writer(), transaction.atomic():
                claim = Report.objects.filter(pk=pk, intake_pending=True).select_related("asset")
                if connection.features.has_select_for_update_skip_locked:
                    claim = claim.select_for_update(skip_locked=True, of=("self",))
                report = claim.first()
                if report is None:
                    continue  # another worker has it
                report.service = Service.objects.select_related("jurisdiction").get(pk=report.service_id)
                _process_batch([report])
            done += 1
        except Exception:
            log.exception("reports intake: report %s could not be processed", pk)
            with _one_writer(), transaction.atomic():
                Report.objects.filter(pk=pk).update(intake_attempts=F("intake_attempts") + 1)
                Report.objects.filter(pk=pk, intake_attempts__gte=INTAKE_MAX_ATTEMPTS).update(intake_pending=False)
    return done


def _process_batch(
    reports: list[Report], *, confirms: dict[int, Incident] | None = None, check_bursts: bool = True
) -> None:
    """What follows storing reports, for many at once inside the caller's transaction: the first line of each
    status history, the burst check, the nearby asset, fusion and routing, adopters' notifications, events."""
    if not reports:
        return
    ReportStatusChange.objects.bulk_create(
        [ReportStatusChange(report=r, to_value=r.status, changed_at=r.requested_datetime) for r in reports]
    )
    if check_bursts:
        _mark_bursts(reports)
    for report in reports:
        if report.asset_id is None and report.lat is not None:
            report.asset = _asset_near(report.service, report.lat, report.lon)
    # (A report already in an incident is never fused again: each report is counted once.)
    fused = [
        r for r in reports if r.moderation == Report.Moderation.ACCEPTED and r.lat is not None and r.incident_id is None
    ]
    fusion = _Fusion(fused, confirms or {})
    fusion.run()
    for report in reports:
        report.intake_pending = False
    update_rows(reports, ["incident", "agency_responsible", "asset", "moderation", "intake_pending"])
    fusion.after_reports_saved()
    for report in reports:
        if report.asset_id is not None:
            _notify_adopters(report)
    events = fusion.events()
    events += [
        (
            "reports.report_submitted",
            {
                "public_id": report.public_id,
                "service": report.service.code,
                "jurisdiction": report.service.jurisdiction.slug,
                "h3_cell": report.h3_cell,
                "incident_id": report.incident_id,
            },
        )
        for report in reports
    ]
    publish_many(events)


def _fuse_one(report: Report) -> None:
    """Fusion of a single stored report (one a moderator accepted), with its events."""
    fusion = _Fusion([report] if report.lat is not None else [], {})
    fusion.run()
    Report.objects.filter(pk=report.pk).update(
        incident=report.incident, agency_responsible_id=report.agency_responsible_id
    )
    fusion.after_reports_saved()
    publish_many(fusion.events())


def _mark_bursts(reports: list[Report]) -> None:
    """A sender with SPAM_BURST_COUNT reports in the SPAM_BURST_WINDOW before this one: suspected. One query for
    the batch; the reports of the batch count for the later ones."""
    checked = [
        r
        for r in reports
        if r.reporter_key and r.source != Report.Source.GENERATED and r.moderation == Report.Moderation.ACCEPTED
    ]
    if not checked:
        return
    earliest = min(r.requested_datetime for r in checked) - SPAM_BURST_WINDOW
    sent: dict[str, list[tuple[datetime, int]]] = {}
    rows = Report.objects.filter(
        reporter_key__in={r.reporter_key for r in checked}, requested_datetime__gte=earliest
    ).values_list("reporter_key", "requested_datetime", "id")
    for key, moment, pk in rows:
        sent.setdefault(key, []).append((moment, pk))
    for report in checked:
        since = report.requested_datetime - SPAM_BURST_WINDOW
        before = sum(1 for moment, pk in sent.get(report.reporter_key, ()) if pk < report.pk and moment >= since)
        if before >= SPAM_BURST_COUNT:
            report.moderation = Report.Moderation.SUSPECTED


SEVERITY_ORDER = [Severity.INFORMATIONAL, Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]
SEVERITY_WEIGHT = {Severity.INFORMATIONAL: 0.5, Severity.LOW: 1.0, Severity.MEDIUM: 2.0, Severity.HIGH: 3.0}
SEVERITY_WEIGHT[Severity.CRITICAL] = 4.0
# Answers that make a report critical whatever its service's default (someone is hurt).
CRITICAL_ANSWERS = {("heridos", "si")}


def _report_severity(service: Service, attributes: dict[str, Any]) -> str:
    for code, value in CRITICAL_ANSWERS:
        answer = attributes.get(code)
        if answer == value or (isinstance(answer, list) and value in answer):
            return Severity.CRITICAL
    return service.default_severity


def _max_severity(a: str, b: str) -> str:
    return max(a, b, key=lambda level: SEVERITY_ORDER.index(level) if level in SEVERITY_ORDER else 0)


# --- Incident fusion -----------------------------------------------------------------------------------------
#
# A located report joins the nearest active incident of its service whose centroid lies within the service's
# radius and whose last report is within the service's window; otherwise it opens a new incident. Candidates
# come from the fusion index (service, status, h3_cell) over an h3 grid_disk around each report's cell, so the
# cost does not grow with the number of incidents. A batch of reports is fused in memory, in arrival order, over
# the candidates of all its reports (one query per service), then written with a few bulk statements. The
# services' rows are locked (SELECT ... FOR UPDATE on PostgreSQL, in id order; SQLite's BEGIN IMMEDIATE already
# serialises writers) so two batches cannot both open an incident, and candidates are read under that lock so
# no count is lost.
#
# Confidence: each independent source (distinct account, device, email, phone or client; reports without any
# identity count together as one source) halves the doubt: confidence = 1 - 0.5 ** sources, in [0, 1).
# An operator acknowledging or resolving the incident makes it 1.0 (verified).
# Priority (for the control centre's queue) = severity weight × (1 + log2(reports)) × (0.5 + confidence / 2).


def confidence_for(sources: int) -> float:
    return 1.0 - 0.5 ** max(sources, 0)


def priority_for(severity: str, report_count: int, confidence: float) -> float:
    weight = SEVERITY_WEIGHT.get(severity, 1.0)
    return round(weight * (1.0 + math.log2(max(report_count, 1))) * (0.5 + confidence / 2.0), 4)


def _refresh_scores(incident: Incident) -> None:
    verified = incident.acknowledged_at is not None or incident.status == Incident.Status.RESOLVED
    incident.confidence = 1.0 if verified else confidence_for(incident.source_count)
    incident.priority = priority_for(incident.severity, incident.report_count, incident.confidence)


def _fusion_window(service: Service) -> timedelta:
    return timedelta(minutes=service.fusion_window_minutes)


def _lock_services(service_ids: list[int]) -> None:
    # Serialises fusion per service on PostgreSQL (in id order, so two batches never wait on each other in a
    # circle). SQLite has no row locks: its BEGIN IMMEDIATE write lock already serialises every writer.
    if connection.features.has_select_for_update and service_ids:
        # NO KEY: an Open311 insert's foreign-key check (FOR KEY SHARE on the service) must not wait for a batch.
        locked = Service.objects.select_for_update(no_key=True).filter(pk__in=service_ids).order_by("pk")
        list(locked.values_list("pk", flat=True))


CANDIDATE_CELLS_PER_QUERY = 2000
FUSION_UPDATE_FIELDS = [
    "lat",
    "lon",
    "h3_cell",
    "report_count",
    "source_count",
    "severity",
    "last_report_at",
    "address_string",
    "confidence",
    "priority",
    "agency",
    "routing_rule",
    "updated_at",
]


class _Fusion:
    """One batch of stored, accepted, located reports put into incidents (see the comment above)."""

    def __init__(self, reports: list[Report], confirms: dict[int, Incident]):
        self.reports = reports
        self.confirms = confirms
        self.opened: list[Incident] = []
        self.joined: dict[int, Incident] = {}  # existing incidents that got reports, by id
        self.members: dict[int, list[Report]] = {}  # id(incident) -> its reports in this batch, in order
        self.reroute: list[tuple[Incident, dict[str, Any]]] = []  # existing incidents with a condition answered
        self.assignments: list[IncidentAssignment] = []
        self.rules: _RuleBook | None = None

    def run(self) -> None:
        if not self.reports:
            return
        by_service: dict[int, list[Report]] = {}
        for report in self.reports:
            by_service.setdefault(report.service_id, []).append(report)
        _lock_services(sorted(by_service))
        self.rules = _RuleBook({r.jurisdiction_id for r in self.reports})
        for reports in by_service.values():
            self._fuse_service(reports)
        self._count_sources()
        self._open()
        now = timezone.now()
        for incident in self.joined.values():
            incident.updated_at = now
        update_rows(list(self.joined.values()), FUSION_UPDATE_FIELDS)
        for incident in self.opened + list(self.joined.values()):
            for report in self.members[id(incident)]:
                report.incident = incident
                report.agency_responsible_id = incident.agency_id

    def _fuse_service(self, reports: list[Report]) -> None:
        service = reports[0].service
        radius = service.fusion_radius_m
        window = _fusion_window(service)
        disks = {r.pk: cells_within(r.lat, r.lon, radius) for r in reports if r.pk not in self.confirms}
        wanted = sorted(set().union(*disks.values())) if disks else []
        index: dict[str, list[Incident]] = {}
        loaded: dict[int, Incident] = {}
        by_cell: dict[str, list[tuple[int, float, float]]] = {}
        for start in range(0, len(wanted), CANDIDATE_CELLS_PER_QUERY):
            chunk = wanted[start : start + CANDIDATE_CELLS_PER_QUERY]
            for pk, lat, lon, cell in _active_incident_rows(service.pk, chunk):
                by_cell.setdefault(cell, []).append((pk, lat, lon))
        # Only incidents within reach of one of the batch's reports are worth loading (a disk is far wider than
        # the radius). One that is not cannot come within reach during the batch: it would have to be joined.
        ids = {
            pk
            for report in reports
            if report.pk in disks
            for cell in disks[report.pk]
            for pk, lat, lon in by_cell.get(cell, ())
            if haversine_m(report.lat, report.lon, lat, lon) <= radius
        }
        if ids:
            # In id order, as incident_merge locks them: two lockers never wait on each other in a circle.
            rows = Incident.objects.filter(pk__in=ids).select_related("agency", "area", "routing_rule").order_by("pk")
            for incident in rows.select_for_update(of=("self",), no_key=True):
                if not incident.is_active:  # closed by an operator between the lookup and the lock
                    continue
                incident.service = service  # the same row: spares a query when events are built
                loaded[incident.pk] = incident
                index.setdefault(incident.h3_cell, []).append(incident)
        for report in reports:
            confirmed = self.confirms.get(report.pk)
            if confirmed is not None:
                target = loaded.get(confirmed.pk) or self._locked_confirmed(confirmed, service)
                loaded[target.pk] = target
            else:
                target = self._nearest(report, disks[report.pk], index, radius, window)
            if target is None:
                target = self._new_incident(report)
                index.setdefault(target.h3_cell, []).append(target)
                continue
            old_cell = target.h3_cell
            self._join(target, report)
            if target.h3_cell != old_cell or target not in index.get(old_cell, ()):
                if target in index.get(old_cell, ()):
                    index[old_cell].remove(target)
                index.setdefault(target.h3_cell, []).append(target)

    @staticmethod
    def _locked_confirmed(confirmed: Incident, service: Service) -> Incident:
        target = (
            Incident.objects.select_for_update(of=("self",))
            .select_related("agency", "area")
            .filter(pk=confirmed.pk)
            .first()
        )
        if target is None or not target.is_active:
            raise ValidationError({"confirms": [_("Ese incidente ya fue cerrado; envíe un reporte nuevo.")]})
        target.service = service
        return target

    @staticmethod
    def _nearest(report: Report, cells, index, radius: float, window: timedelta) -> Incident | None:
        now = report.requested_datetime
        best = None
        for cell in cells:
            for incident in index.get(cell, ()):
                if incident.last_report_at < now - window or incident.opened_at > now + window:
                    continue
                distance = haversine_m(report.lat, report.lon, incident.lat, incident.lon)
                if distance <= radius and (best is None or distance < best[0]):
                    best = (distance, incident)
        return best[1] if best else None

    def _new_incident(self, report: Report) -> Incident:
        incident = Incident(
            jurisdiction_id=report.jurisdiction_id,
            service=report.service,
            h3_cell=report.h3_cell,
            lat=report.lat,
            lon=report.lon,
            address_string=report.address_string[:255],
            report_count=1,
            source_count=0,
            severity=report.severity,
            opened_at=report.requested_datetime,
            last_report_at=report.requested_datetime,
        )
        self.opened.append(incident)
        self.members[id(incident)] = [report]
        return incident

    def _join(self, incident: Incident, report: Report) -> None:
        if incident.pk is not None and incident.pk not in self.joined:
            self.joined[incident.pk] = incident
            self.members[id(incident)] = []
        self.members[id(incident)].append(report)
        count = incident.report_count + 1
        # Running mean of the located reports (every report in an incident is located).
        incident.lat += (report.lat - incident.lat) / count
        incident.lon += (report.lon - incident.lon) / count
        incident.h3_cell = h3_cell(incident.lat, incident.lon)
        incident.report_count = count
        incident.severity = _max_severity(incident.severity, report.severity)
        incident.last_report_at = max(incident.last_report_at, report.requested_datetime)
        if not incident.address_string and report.address_string:
            incident.address_string = report.address_string[:255]
        if report.attributes and self.rules.has_condition(incident.service_id, report.attributes):
            self.reroute.append((incident, report.attributes))

    def _count_sources(self) -> None:
        """New independent sources per incident: the batch's distinct senders not already in the incident."""
        known: dict[int, set[str]] = {}
        if self.joined:
            rows = (
                Report.objects.filter(incident_id__in=list(self.joined))
                .values_list("incident_id", "reporter_key")
                .distinct()
            )
            for incident_id, key in rows:
                known.setdefault(incident_id, set()).add(key)
        for incident in self.opened + list(self.joined.values()):
            seen = set(known.get(incident.pk, ())) if incident.pk else set()
            for report in self.members[id(incident)]:
                if report.reporter_key not in seen:
                    seen.add(report.reporter_key)
                    incident.source_count += 1
            _refresh_scores(incident)

    def _open(self) -> None:
        """Areas and routing of the new incidents, then one insert for them and one for their assignments."""
        if not self.opened:
            return
        areas = territory_selectors.areas_containing_points([(i.lat, i.lon) for i in self.opened])
        planned: list[tuple[Incident, list[IncidentAssignment]]] = []
        for incident, containing in zip(self.opened, areas, strict=True):
            incident.area = _area_for(incident.lat, incident.lon, containing)
            first = self.members[id(incident)][0]
            logged = _plan_route(
                incident,
                rule=self.rules.match(incident, first.attributes, {a.pk for a in containing}),
                reason=_("Al abrirse el incidente"),
                already=set(),
            )
            # Later reports of the same batch answering a routing condition (someone is hurt: SAMU is told).
            for report in self.members[id(incident)][1:]:
                if report.attributes and self.rules.has_condition(incident.service_id, report.attributes):
                    logged += _plan_route(
                        incident,
                        rule=self.rules.match(incident, report.attributes, {a.pk for a in containing}),
                        reason=_("Nuevo reporte con más información"),
                        already={a.agency_id for a in logged} | {incident.agency_id},
                        only_if_better=True,
                    )
            planned.append((incident, logged))
        self.reroute = [(i, a) for i, a in self.reroute if i.pk is not None]
        Incident.objects.bulk_create(self.opened)
        for incident, logged in planned:
            for assignment in logged:
                assignment.incident = incident
            self.assignments += logged
        IncidentAssignment.objects.bulk_create(self.assignments)

    def after_reports_saved(self) -> None:
        """What needs the reports stored with their incident: an incident already being worked tells its new
        reports so; an existing incident whose new report answers a routing condition is routed again."""
        for incident in self.joined.values():
            if incident.status != Incident.Status.OPEN:
                _set_report_state(
                    self.members[id(incident)],
                    incident,
                    incident.status,
                    note=_public_note(incident.status, ""),
                    actor=None,
                )
        for incident, attributes in self.reroute:
            _route(incident, attributes=attributes, reason=_("Nuevo reporte con más información"), only_if_better=True)

    def events(self) -> list[tuple[str, dict[str, Any]]]:
        return [("reports.incident_opened", _event_payload(i, "opened", None)) for i in self.opened] + [
            ("reports.incident_updated", _event_payload(i, "report_added", None)) for i in self.joined.values()
        ]


def _active_incident_rows(service_id: int, cells: list[str]) -> list[tuple[int, float, float, str]]:
    """(id, lat, lon, h3_cell) of the service's active incidents whose centroid lies in one of `cells`, through
    the fusion index. Plain SQL: the ORM spends longer building a long IN list than the database answering it."""
    quote = connection.ops.quote_name
    statuses = list(Incident.ACTIVE_STATUSES)
    sql = (
        f"SELECT {quote('id')}, {quote('lat')}, {quote('lon')}, {quote('h3_cell')}"
        f" FROM {quote(Incident._meta.db_table)} WHERE {quote('service_id')} = %s"
        f" AND {quote('status')} IN ({', '.join(['%s'] * len(statuses))})"
        f" AND {quote('h3_cell')} IN ({', '.join(['%s'] * len(cells))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [service_id, *statuses, *cells])
        return cursor.fetchall()


class _RuleBook:
    """The active routing rules of some jurisdictions, matched in memory (read through the reference data kept for
    a few seconds, see selectors.REFERENCE_TTL_SECONDS; saving a rule forgets them)."""

    def __init__(self, jurisdiction_ids):
        self.rules = [rule for pk in sorted(jurisdiction_ids) for rule in selectors.active_routing_rules(pk)]

    def match(self, incident: Incident, attributes: dict[str, Any], area_ids: set[int]) -> RoutingRule | None:
        """The first active rule (lowest order, then the most specific) for the incident's jurisdiction and
        service, the areas containing its centroid and the given report answers."""
        matching = [
            rule
            for rule in self.rules
            if rule.jurisdiction_id == incident.jurisdiction_id
            and rule.service_id in (None, incident.service_id)
            and (rule.area_id is None or rule.area_id in area_ids)
            and _rule_matches(rule, attributes)
        ]
        return min(matching, key=_rank) if matching else None

    def has_condition(self, service_id: int, attributes: dict[str, Any]) -> bool:
        """Whether a rule of this service has a condition these answers meet (the only way a joining report can
        change the routing)."""
        return any(
            rule.attribute_code and rule.service_id == service_id and _rule_matches(rule, attributes)
            for rule in self.rules
        )


def _plan_route(
    incident: Incident,
    *,
    rule: RoutingRule | None,
    reason: str,
    already: set[int],
    only_if_better: bool = False,
) -> list[IncidentAssignment]:
    """Routing of an incident not yet stored: sets its agency and rule, returns the assignments to log."""
    if only_if_better:
        current = incident.routing_rule
        if rule is None or (current is not None and _rank(rule) >= _rank(current)):
            return []
    now = timezone.now()
    if rule is not None:
        agency, notify, why = rule.agency, list(rule.also_notify.all()), f"{reason}: {rule.name or rule}"
    elif incident.service.agency_id and not only_if_better:
        agency, notify = incident.service.agency, []
        why = f"{reason}: " + _("organismo por defecto del servicio")
    else:
        return []
    logged = []
    if agency is not None and agency.pk != incident.agency_id:
        logged.append(IncidentAssignment(agency=agency, rule=rule, reason=why, created_at=now))
        incident.agency = agency
    incident.routing_rule = rule if rule is not None else incident.routing_rule
    told = set(already) | {incident.agency_id}
    for organization in notify:
        if organization.pk not in told:
            told.add(organization.pk)
            logged.append(
                IncidentAssignment(
                    agency=organization, role=IncidentAssignment.Role.NOTIFIED, rule=rule, reason=why, created_at=now
                )
            )
    return logged


def _area_for(lat: float, lon: float, areas: list[Area] | None = None) -> Area | None:
    """The smallest territory area containing the point: the neighbourhood, or the commune when no finer one."""
    if areas is None:
        areas = territory_selectors.areas_containing(lat=lat, lon=lon)
    if not areas:
        return None
    return min(areas, key=lambda a: (a.max_lat - a.min_lat) * (a.max_lon - a.min_lon))


def _recount(incident: Incident) -> None:
    """Recomputes counts, centroid and times from the incident's reports (after merge, split, moderation)."""
    rows = list(
        Report.objects.filter(incident=incident).values_list("lat", "lon", "reporter_key", "requested_datetime")
    )
    incident.report_count = len(rows)
    if rows:
        incident.lat = sum(r[0] for r in rows) / len(rows)
        incident.lon = sum(r[1] for r in rows) / len(rows)
        incident.h3_cell = h3_cell(incident.lat, incident.lon)
        incident.source_count = len({r[2] for r in rows})
        incident.last_report_at = max(r[3] for r in rows)
        incident.opened_at = min(incident.opened_at, min(r[3] for r in rows))
    else:
        incident.source_count = 0
    _refresh_scores(incident)


# --- Routing -------------------------------------------------------------------------------------------------


def _rule_matches(rule: RoutingRule, attributes: dict[str, Any]) -> bool:
    if not rule.attribute_code:
        return True
    answer = attributes.get(rule.attribute_code)
    if isinstance(answer, list):
        return rule.attribute_value in answer
    return answer is not None and str(answer) == rule.attribute_value


def _rank(rule: RoutingRule) -> tuple[int, int, int]:
    return (rule.order, -rule.specificity, rule.pk)


def matching_rule(
    incident: Incident, attributes: dict[str, Any], areas: list[Area] | None = None
) -> RoutingRule | None:
    """The first active rule (lowest order, then the most specific) matching the incident's service, the areas
    containing its centroid (given, or looked up) and the given report answers."""
    if areas is None:
        areas = territory_selectors.areas_containing(lat=incident.lat, lon=incident.lon)
    return _RuleBook({incident.jurisdiction_id}).match(incident, attributes, {a.pk for a in areas})


def _assign(
    incident: Incident,
    *,
    agency: Organization | None,
    rule: RoutingRule | None,
    reason: str,
    actor: User | None,
    notify: list[Organization] = (),
) -> list[IncidentAssignment]:
    """Logs the assignment (and every agency newly told), and sets the agency on the incident and its reports."""
    logged: list[IncidentAssignment] = []
    now = timezone.now()
    if agency is not None and agency.pk != incident.agency_id:
        logged.append(
            IncidentAssignment(incident=incident, agency=agency, rule=rule, reason=reason, actor=actor, created_at=now)
        )
        incident.agency = agency
        Report.objects.filter(incident=incident).update(agency_responsible=agency, updated_datetime=now)
    incident.routing_rule = rule if rule is not None else incident.routing_rule
    already = set(IncidentAssignment.objects.filter(incident=incident).values_list("agency_id", flat=True)) | {
        incident.agency_id
    }
    for organization in notify:
        if organization.pk not in already:
            already.add(organization.pk)
            logged.append(
                IncidentAssignment(
                    incident=incident,
                    agency=organization,
                    role=IncidentAssignment.Role.NOTIFIED,
                    rule=rule,
                    reason=reason,
                    actor=actor,
                    created_at=now,
                )
            )
    IncidentAssignment.objects.bulk_create(logged)
    incident.save(update_fields=["agency", "routing_rule", "updated_at"])
    return logged


def _route(
    incident: Incident,
    *,
    attributes: dict[str, Any],
    reason: str,
    only_if_better: bool = False,
    areas: list[Area] | None = None,
) -> None:
    """Applies the routing rules. With `only_if_better` (a report joining), only a rule that ranks before the
    incident's current one changes anything (e.g. a second report says someone is injured: SAMU is told)."""
    rule = matching_rule(incident, attributes, areas)
    if only_if_better:
        current = incident.routing_rule
        if rule is None or (current is not None and _rank(rule) >= _rank(current)):
            return
    if rule is not None:
        label = rule.name or str(rule)
        _assign(
            incident,
            agency=rule.agency,
            rule=rule,
            reason=f"{reason}: {label}",
            actor=None,
            notify=list(rule.also_notify.all()),
        )
    elif incident.service.agency_id and not only_if_better:
        _assign(
            incident,
            agency=incident.service.agency,
            rule=None,
            reason=f"{reason}: " + _("organismo por defecto del servicio"),
            actor=None,
        )


@transaction.atomic
def incident_reroute(*, incident: Incident, actor: User, note: str = "") -> Incident:
    """Applies the current rules again (after a manager changed them), with the answers of all its reports."""
    ensure_perm(actor, "reports.manage_incidents", incident)
    incident = _locked(incident)
    attributes: dict[str, Any] = {}
    for answers in Report.objects.filter(incident=incident).values_list("attributes", flat=True):
        for code, value in (answers or {}).items():
            attributes.setdefault(code, [])
            attributes[code] += value if isinstance(value, list) else [value]
    before = incident.agency_id
    rule = matching_rule(incident, attributes)
    reason = _("Derivación recalculada") + (f": {note}" if note else "")
    if rule is not None:
        _assign(
            incident, agency=rule.agency, rule=rule, reason=reason, actor=actor, notify=list(rule.also_notify.all())
        )
    elif incident.service.agency_id:
        _assign(incident, agency=incident.service.agency, rule=None, reason=reason, actor=actor)
    _log(incident, "reroute", incident.status, incident.status, note, actor, {"from_agency": before})
    publish("reports.incident_updated", _event_payload(incident, "reroute", actor))
    return incident


@transaction.atomic
def routing_rule_save(
    *,
    jurisdiction: Jurisdiction,
    agency: Organization,
    service: Service | None = None,
    area: Area | None = None,
    attribute_code: str = "",
    attribute_value: str = "",
    also_notify: list[Organization] = (),
    order: int = 100,
    name: str = "",
    active: bool = True,
    actor: User | None = None,
) -> RoutingRule:
    """Creates or updates the rule with the same (jurisdiction, service, area, attribute condition)."""
    if actor is not None:
        ensure_perm(actor, "reports.manage_routing")
    errors: dict[str, list[str]] = {}
    if service is not None and service.jurisdiction_id != jurisdiction.pk:
        errors.setdefault("service", []).append(_("El servicio es de otra jurisdicción."))
    if bool(attribute_code) != bool(attribute_value):
        errors.setdefault("attribute_value", []).append(_("Indique el atributo y su valor, o ninguno."))
    if attribute_code and service is None:
        errors.setdefault("attribute_code", []).append(_("Una condición sobre un atributo necesita un servicio."))
    if errors:
        raise ValidationError(errors)
    rule = RoutingRule.objects.filter(
        jurisdiction=jurisdiction,
        service=service,
        area=area,
        attribute_code=attribute_code,
        attribute_value=attribute_value,
    ).first() or RoutingRule(
        jurisdiction=jurisdiction,
        service=service,
        area=area,
        attribute_code=attribute_code,
        attribute_value=attribute_value,
    )
    rule.agency = agency
    rule.order = order
    rule.name = (name or "").strip()
    rule.active = active
    rule.full_clean()
    rule.save()
    rule.also_notify.set(also_notify)
    publish("reports.routing_rule_saved", {"id": rule.pk, "jurisdiction": jurisdiction.slug})
    _forget_reference_data()
    return rule


def reference_data_changed() -> None:
    """Services, keys or rules edited outside this module's services (the admin): this process stops using the
    old ones at once."""
    _forget_reference_data()


# --- Incident transitions (operators) ------------------------------------------------------------------------

Status = Incident.Status
POINTS_CONFIRMED = 10
POINTS_REPAIR_CONFIRMED = 5
# action: (statuses it may start from, status it leads to)
TRANSITIONS = {
    "acknowledge": ((Status.OPEN,), Status.ACKNOWLEDGED),
    "dispatch": ((Status.OPEN, Status.ACKNOWLEDGED), Status.DISPATCHED),
    "resolve": (Incident.ACTIVE_STATUSES, Status.RESOLVED),
    "reject": (Incident.ACTIVE_STATUSES, Status.REJECTED),
}


def _public_note(status: str, note: str, resolution: str = "") -> str:
    """What the citizen reads on the tracking page and in Open311 `status_notes` (the operator's note is public)."""
    defaults = {
        Status.OPEN: _("El reporte está abierto."),
        Status.ACKNOWLEDGED: _("El organismo responsable recibió el reporte."),
        Status.DISPATCHED: _("Un equipo va en camino o está trabajando en el lugar."),
        Status.RESOLVED: _("El problema fue resuelto."),
        Status.REJECTED: _("El reporte fue revisado y descartado."),
    }
    text = defaults.get(status, "")
    if resolution == Incident.Resolution.DUPLICATE:
        text = _("Es un duplicado de otro incidente ya reportado.")
    elif resolution == Incident.Resolution.MERGED:
        text = _("Se unió a otro incidente que trata del mismo problema.")
    note = (note or "").strip()
    return f"{text} {note}".strip()


def _locked(incident: Incident) -> Incident:
    return (
        Incident.objects.select_for_update(of=("self",))
        .select_related("service", "agency", "jurisdiction")
        .get(pk=incident.pk)
    )


def _log(
    incident: Incident, action: str, from_status: str, to_status: str, note: str, actor: User | None, data=None
) -> IncidentChange:
    return IncidentChange.objects.create(
        incident=incident,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=(note or "").strip(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        data=data or {},
    )


def _set_report_state(
    reports, incident: Incident, status: str, *, note: str, actor: User | None, from_status: str = ""
) -> None:
    """Propagates an incident status to reports: Open311 status (open/closed), status_notes, and a public
    ReportStatusChange (field "incident", values are incident statuses) for the tracking page."""
    reports = list(reports)
    if not reports:
        return
    now = timezone.now()
    open311_status = Report.Status.OPEN if status in Incident.ACTIVE_STATUSES else Report.Status.CLOSED
    changes = [
        ReportStatusChange(
            report=report,
            field="incident",
            from_value=from_status,
            to_value=status,
            notes=note,
            public=True,
            changed_by=actor if actor is not None and actor.is_authenticated else None,
            changed_at=now,
        )
        for report in reports
    ]
    ReportStatusChange.objects.bulk_create(changes)
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(
        status=open311_status, status_notes=note, updated_datetime=now
    )
    for report in reports:
        report.status, report.status_notes, report.updated_datetime = open311_status, note, now
    _email_updates(reports, Incident.Status(status).label, note)


def _email_updates(reports: list[Report], label: str, note: str) -> None:
    """Citizens who left an email (they ticked "Quiero recibir novedades") are told, after commit."""
    recipients = [(r.email, r.token, r.public_id) for r in reports if r.email]
    if not recipients:
        return
    site = str(getattr(settings, "MUEVE_SITE_URL", "") or os.environ.get("MUEVE_SITE_URL", "http://localhost:8000"))

    def send() -> None:
        for email, token, public_id in recipients:
            link = site.rstrip("/") + reverse("reports:track", args=[token])
            body = _("Su reporte %(id)s cambió de estado: %(label)s.\n\n%(note)s\n\nSígalo en %(link)s") % {
                "id": public_id,
                "label": label,
                "note": note,
                "link": link,
            }
            # A mail server that is down must not undo or break the operator's action.
            send_mail(
                _("Novedades de su reporte %(id)s") % {"id": public_id},
                body,
                None,
                [email],
                fail_silently=True,
            )

    transaction.on_commit(send)


def _award_points(incident: Incident) -> int:
    """Points for each citizen with an account whose accepted report is in the incident; once per report."""
    rows = Report.objects.filter(
        incident=incident, reporter__isnull=False, moderation=Report.Moderation.ACCEPTED
    ).values_list("pk", "reporter_id")
    awards = [
        RewardPoint(
            user_id=user_id,
            report_id=report_id,
            points=POINTS_CONFIRMED,
            reason=RewardPoint.Reason.CONFIRMED,
            area_id=incident.area_id,
        )
        for report_id, user_id in rows
    ]
    before = RewardPoint.objects.filter(report__incident=incident, reason=RewardPoint.Reason.CONFIRMED).count()
    RewardPoint.objects.bulk_create(awards, ignore_conflicts=True)
    return RewardPoint.objects.filter(report__incident=incident, reason=RewardPoint.Reason.CONFIRMED).count() - before


def _notify_reporters(incident: Incident, message: str) -> None:
    users = set(Report.objects.filter(incident=incident, reporter__isnull=False).values_list("reporter_id", flat=True))
    Notification.objects.bulk_create(
        [
            Notification(user_id=user_id, kind=Notification.Kind.REPORT_STATUS, incident=incident, message=message)
            for user_id in users
        ]
    )


def _event_payload(incident: Incident, action: str, actor: User | None) -> dict[str, Any]:
    return {
        "incident": incident_public_dict(incident),
        "action": action,
        "actor": actor.get_username() if actor is not None and actor.is_authenticated else None,
    }


def _action_label(action: str) -> str:
    return {
        "acknowledge": _("acusar recibo de"),
        "dispatch": _("despachar"),
        "resolve": _("resolver"),
        "reject": _("descartar"),
    }[action]


def _transition(
    incident: Incident,
    action: str,
    *,
    actor: User,
    note: str,
    resolution: str = "",
    duplicate_of: Incident | None = None,
) -> Incident:
    ensure_perm(actor, "reports.manage_incidents", incident)
    incident = _locked(incident)
    allowed_from, to_status = TRANSITIONS[action]
    if incident.status not in allowed_from:
        raise ValidationError(
            {
                "status": [
                    _("No se puede «%(action)s» un incidente en estado «%(status)s».")
                    % {"action": _action_label(action), "status": incident.get_status_display()}
                ]
            }
        )
    now = timezone.now()
    from_status = incident.status
    incident.status = to_status
    if to_status == Status.ACKNOWLEDGED or (to_status == Status.RESOLVED and incident.acknowledged_at is None):
        incident.acknowledged_at = incident.acknowledged_at or now
    if to_status == Status.DISPATCHED:
        incident.dispatched_at = now
        incident.acknowledged_at = incident.acknowledged_at or now
    if to_status in (Status.RESOLVED, Status.REJECTED):
        incident.closed_at = now
        incident.resolution = resolution or Incident.Resolution.FIXED
        incident.resolution_note = (note or "").strip()
        incident.duplicate_of = duplicate_of
    _refresh_scores(incident)
    incident.save()
    public_note = _public_note(to_status, note, incident.resolution if to_status == Status.REJECTED else "")
    _set_report_state(
        incident.reports.all(), incident, to_status, note=public_note, actor=actor, from_status=from_status
    )
    data: dict[str, Any] = {}
    if action in ("acknowledge", "resolve"):
        data["points_awarded"] = _award_points(incident)
    if duplicate_of is not None:
        data["duplicate_of"] = duplicate_of.pk
    if resolution:
        data["resolution"] = resolution
    _log(incident, action, from_status, to_status, note, actor, data)
    _notify_reporters(incident, public_note)
    publish("reports.incident_updated", _event_payload(incident, action, actor))
    return incident


@transaction.atomic
def incident_acknowledge(*, incident: Incident, actor: User, note: str = "") -> Incident:
    """The agency has seen it (confirms the citizens' reports: they earn points)."""
    return _transition(incident, "acknowledge", actor=actor, note=note)


@transaction.atomic
def incident_dispatch(*, incident: Incident, actor: User, note: str = "") -> Incident:
    return _transition(incident, "dispatch", actor=actor, note=note)


@transaction.atomic
def incident_resolve(*, incident: Incident, actor: User, note: str = "") -> Incident:
    """Closed as fixed; a later report of the same problem opens a new incident."""
    return _transition(incident, "resolve", actor=actor, note=note, resolution=Incident.Resolution.FIXED)


@transaction.atomic
def incident_reject(
    *, incident: Incident, actor: User, reason: str = "invalid", duplicate_of: Incident | None = None, note: str = ""
) -> Incident:
    """Closed without action: `invalid` (not a real problem) or `duplicate` of another incident."""
    if reason not in (Incident.Resolution.INVALID, Incident.Resolution.DUPLICATE):
        raise ValidationError({"reason": [_("El motivo debe ser «invalid» o «duplicate».")]})
    if reason == Incident.Resolution.DUPLICATE:
        if duplicate_of is None:
            raise ValidationError({"duplicate_of": [_("Indique de qué incidente es duplicado.")]})
        if duplicate_of.pk == incident.pk:
            raise ValidationError({"duplicate_of": [_("Un incidente no puede ser duplicado de sí mismo.")]})
    elif duplicate_of is not None:
        raise ValidationError({"duplicate_of": [_("Solo un duplicado indica otro incidente.")]})
    return _transition(incident, "reject", actor=actor, note=note, resolution=reason, duplicate_of=duplicate_of)


@transaction.atomic
def incident_assign(*, incident: Incident, agency: Organization, actor: User, note: str = "") -> Incident:
    """An operator assigns the incident to another agency by hand (logged like the rules' assignments)."""
    ensure_perm(actor, "reports.manage_incidents", incident)
    incident = _locked(incident)
    if not incident.is_active:
        raise ValidationError({"status": [_("Un incidente cerrado no se reasigna.")]})
    before = incident.agency_id
    reason = _("Asignación manual") + (f": {note.strip()}" if note and note.strip() else "")
    _assign(incident, agency=agency, rule=None, reason=reason, actor=actor)
    incident.routing_rule = None
    incident.save(update_fields=["routing_rule", "updated_at"])
    _log(incident, "assign", incident.status, incident.status, note, actor, {"from": before, "to": agency.pk})
    publish("reports.incident_updated", _event_payload(incident, "assign", actor))
    return incident


@transaction.atomic
def incident_merge(*, target: Incident, sources: list[Incident], actor: User, note: str = "") -> Incident:
    """Moves the reports of `sources` into `target` (same service, all active); the sources close as merged."""
    ensure_perm(actor, "reports.manage_incidents", target)
    ids = sorted({target.pk, *(s.pk for s in sources)})
    locked = {i.pk: i for i in Incident.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    target = locked[target.pk]
    sources = [locked[s.pk] for s in sources if s.pk != target.pk]
    errors: dict[str, list[str]] = {}
    if not sources:
        errors.setdefault("sources", []).append(_("Elija al menos otro incidente para unir."))
    if not target.is_active:
        errors.setdefault("target", []).append(_("El incidente de destino ya está cerrado."))
    for source in sources:
        if source.service_id != target.service_id:
            errors.setdefault("sources", []).append(_("#%(id)s es de otro servicio.") % {"id": source.pk})
        elif not source.is_active:
            errors.setdefault("sources", []).append(_("#%(id)s ya está cerrado.") % {"id": source.pk})
    if errors:
        raise ValidationError(errors)
    moved = list(Report.objects.filter(incident__in=sources))
    Report.objects.filter(pk__in=[r.pk for r in moved]).update(incident=target, agency_responsible=target.agency)
    now = timezone.now()
    for source in sources:
        from_status = source.status
        source.status = Status.REJECTED
        source.resolution = Incident.Resolution.MERGED
        source.duplicate_of = target
        source.closed_at = now
        _recount(source)
        source.save()
        _log(source, "merged_into", from_status, source.status, note, actor, {"target": target.pk})
        publish("reports.incident_updated", _event_payload(source, "merged_into", actor))
    if any(s.acknowledged_at for s in sources) and target.acknowledged_at is None:
        target.acknowledged_at = min(s.acknowledged_at for s in sources if s.acknowledged_at)
    _recount(target)
    target.severity = max([target.severity, *(s.severity for s in sources)], key=_severity_index)
    _refresh_scores(target)
    target.save()
    for report in moved:
        report.incident = target
    note_text = _public_note(target.status, note) + " " + _("Se unió a otro incidente que trata del mismo problema.")
    _set_report_state(moved, target, target.status, note=note_text.strip(), actor=actor)
    _log(target, "merge", target.status, target.status, note, actor, {"sources": [s.pk for s in sources]})
    publish("reports.incident_updated", _event_payload(target, "merge", actor))
    return target


def _severity_index(level: str) -> int:
    return SEVERITY_ORDER.index(level) if level in SEVERITY_ORDER else 0


@transaction.atomic
def incident_split(*, incident: Incident, reports: list[Report], actor: User, note: str = "") -> Incident:
    """Moves some reports of an active incident into a new incident (routed anew); returns the new one."""
    ensure_perm(actor, "reports.manage_incidents", incident)
    incident = _locked(incident)
    ids = {r.pk for r in reports}
    own = set(Report.objects.filter(incident=incident).values_list("pk", flat=True))
    errors: dict[str, list[str]] = {}
    if not incident.is_active:
        errors.setdefault("incident", []).append(_("Un incidente cerrado no se separa."))
    if not ids:
        errors.setdefault("reports", []).append(_("Elija los reportes que van al incidente nuevo."))
    elif not ids <= own:
        errors.setdefault("reports", []).append(_("Algunos reportes no son de este incidente."))
    elif ids == own:
        errors.setdefault("reports", []).append(_("Deje al menos un reporte en el incidente original."))
    if errors:
        raise ValidationError(errors)
    moving = list(Report.objects.filter(pk__in=ids).order_by("requested_datetime", "pk"))
    first = moving[0]
    new = Incident(
        jurisdiction_id=incident.jurisdiction_id,
        service_id=incident.service_id,
        area=_area_for(first.lat, first.lon),
        h3_cell=first.h3_cell,
        lat=first.lat,
        lon=first.lon,
        address_string=first.address_string[:255],
        severity=max((r.severity for r in moving), key=_severity_index),
        opened_at=first.requested_datetime,
        last_report_at=first.requested_datetime,
    )
    new.save(force_insert=True)
    Report.objects.filter(pk__in=ids).update(incident=new)
    _recount(new)
    new.save()
    _recount(incident)
    incident.save()
    for report in moving:
        report.incident = new
    attributes: dict[str, Any] = {}
    for report in moving:
        for code, value in (report.attributes or {}).items():
            attributes.setdefault(code, [])
            attributes[code] += value if isinstance(value, list) else [value]
    _route(new, attributes=attributes, reason=_("Al separarse de #%(id)s") % {"id": incident.pk})
    new_note = (_("Su reporte pasó a un incidente aparte.") + " " + (note or "").strip()).strip()
    _set_report_state(moving, new, new.status, note=new_note, actor=actor)
    _log(incident, "split", incident.status, incident.status, note, actor, {"new": new.pk, "reports": sorted(ids)})
    _log(new, "split_from", "", new.status, note, actor, {"from": incident.pk, "reports": sorted(ids)})
    publish("reports.incident_opened", _event_payload(new, "split_from", actor))
    publish("reports.incident_updated", _event_payload(incident, "split", actor))
    return new


# --- Moderation and abuse ------------------------------------------------------------------------------------


class BannedSender(PermissionDenied):
    """The sender's contact is banned; views answer 403 and store nothing."""


# The reports' rate counters live under keys of their own, so they can be found and cleared (each test has its own).
RATE_CACHE_PREFIX = "mueve:reports:rate:"


def parse_rate(text: str) -> Rate | None:
    """ "10/hour" → (10, 3600); "off", "0" or "" → None (no limit)."""
    return parse_any_rate(text, setting="MUEVE_REPORTS_RATE")


def _rate_setting(name: str, default: str) -> str:
    # Settings win; the environment serves until the lead adds them to settings (bench/ingest.py sets it).
    return str(getattr(settings, name, None) or os.environ.get(name) or default)


def banned_kinds(*, email: str = "", phone: str = "", device_id: str = "", client_key: str = "") -> list[str]:
    """The kinds of the sender's contacts that are banned (active and not expired)."""
    given = {
        BannedContact.Kind.EMAIL: email,
        BannedContact.Kind.PHONE: phone,
        BannedContact.Kind.DEVICE: device_id,
        BannedContact.Kind.CLIENT: client_key,
    }
    hashes = {BannedContact.hash_value(kind, value): kind for kind, value in given.items() if (value or "").strip()}
    if not hashes:
        return []
    now = timezone.now()
    bans = _active_bans()
    return sorted({hashes[h] for h in hashes if h in bans and (bans[h] is None or bans[h] > now)})


BANS_CACHE_KEY = "mueve:reports:bans"
BANS_TTL = 30  # seconds: another process may take this long to see a new ban


def _active_bans() -> dict[str, datetime | None]:
    """{value_hash: expires_at} of active bans: a short list, cached so a report costs no query for it."""
    bans = cache.get(BANS_CACHE_KEY)
    if bans is None:
        bans = dict(BannedContact.objects.filter(active=True).values_list("value_hash", "expires_at"))
        cache.set(BANS_CACHE_KEY, bans, BANS_TTL)
    return bans


def _forget_bans() -> None:
    cache.delete(BANS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(BANS_CACHE_KEY))


def report_check_abuse(
    *, client_key: str, email: str = "", phone: str = "", device_id: str = "", user: User | None = None
) -> None:
    """Refuses a report before anything is stored: BannedSender (403) for a banned contact, RateLimited (429)
    past the per-client rate (MUEVE_REPORTS_RATE, default 10/hour for anonymous senders, counted per IP and
    per device id; MUEVE_REPORTS_RATE_USER, default 60/hour, for signed-in users, counted per account)."""
    if banned_kinds(email=email, phone=phone, device_id=device_id, client_key=client_key):
        raise BannedSender(_("No se aceptan reportes de este remitente."))
    if user is not None and user.is_authenticated:
        limit = parse_rate(_rate_setting("MUEVE_REPORTS_RATE_USER", "60/hour"))
        hit((f"user:{user.pk}", limit), prefix=RATE_CACHE_PREFIX)
        return
    limit = parse_rate(_rate_setting("MUEVE_REPORTS_RATE", "10/hour"))
    limits = []
    if device_id:
        limits.append((f"device:{device_id.strip()}", limit))
    if client_key:
        # Phones behind a carrier's NAT share an IP: the IP gets a wider allowance than a single device.
        limits.append((f"client:{client_key}", (limit[0] * IP_RATE_FACTOR, limit[1]) if limit else None))
    hit(*limits, prefix=RATE_CACHE_PREFIX)


IP_RATE_FACTOR = 5


@transaction.atomic
def banned_contact_add(
    *, kind: str, value: str, actor: User, reason: str = "", expires_at: datetime | None = None
) -> BannedContact:
    ensure_perm(actor, "reports.moderate_report")
    if kind not in BannedContact.Kind.values:
        raise ValidationError({"kind": [_("Tipo de contacto desconocido.")]})
    normalised = BannedContact.normalise(kind, value)
    if not normalised:
        raise ValidationError({"value": [_("Indique el contacto que se bloquea.")]})
    banned, _created = BannedContact.objects.update_or_create(
        kind=kind,
        value_hash=BannedContact.hash_value(kind, value),
        defaults={
            "hint": normalised[:3] + "…",
            "reason": (reason or "").strip()[:255],
            "created_by": actor,
            "expires_at": expires_at,
            "active": True,
        },
    )
    _forget_bans()
    publish("reports.contact_banned", {"id": banned.pk, "kind": kind})
    return banned


@transaction.atomic
def banned_contact_lift(*, banned: BannedContact, actor: User) -> BannedContact:
    ensure_perm(actor, "reports.moderate_report")
    banned.active = False
    banned.save(update_fields=["active", "updated_at"])
    _forget_bans()
    publish("reports.contact_unbanned", {"id": banned.pk, "kind": banned.kind})
    return banned


@transaction.atomic
def report_moderate(*, report: Report, moderation: str, actor: User, note: str = "") -> Report:
    """Accepts, suspects or rejects a report (audited, not public). Accepting a suspected report fuses it into an
    incident; rejecting one takes it out of its incident."""
    ensure_perm(actor, "reports.moderate_report", report)
    if moderation not in Report.Moderation.values:
        raise ValidationError({"moderation": [_("Estado de moderación desconocido.")]})
    report = Report.objects.select_for_update().select_related("service").get(pk=report.pk)
    before = report.moderation
    if before == moderation:
        return report
    report.moderation = moderation
    report.updated_datetime = timezone.now()
    update = ["moderation", "updated_datetime"]
    if moderation == Report.Moderation.REJECTED:
        report.status = Report.Status.CLOSED
        update.append("status")
    report.save(update_fields=update)
    ReportStatusChange.objects.create(
        report=report,
        field="moderation",
        from_value=before,
        to_value=moderation,
        notes=(note or "").strip(),
        public=False,
        changed_by=actor,
    )
    if report.intake_pending:
        # Not yet processed (we hold its row, so no worker has it): process it now, with the moderator's decision
        # standing over the burst check; the worker will find nothing left to do.
        _process_batch([report], check_bursts=False)
    elif moderation == Report.Moderation.ACCEPTED and report.incident_id is None:
        if report.status == Report.Status.CLOSED:
            report.status = Report.Status.OPEN
            report.save(update_fields=["status"])
        _fuse_one(report)
    elif moderation != Report.Moderation.ACCEPTED and report.incident_id is not None:
        incident = _locked(report.incident)
        Report.objects.filter(pk=report.pk).update(incident=None)
        report.incident = None
        _recount(incident)
        incident.save()
        publish("reports.incident_updated", _event_payload(incident, "report_removed", actor))
    publish("reports.report_moderated", {"public_id": report.public_id, "moderation": moderation})
    return report


# --- Rewards and adoption (Cuido mi Barrio, Cuida tu Luz) ----------------------------------------------------

ASSET_RADIUS_M = 30


ASSET_SERVICES_CACHE_KEY = "mueve:reports:asset-services"
ASSET_SERVICES_TTL = 30  # seconds: a new asset's first reports may miss it that long on other processes


def _services_with_assets() -> set[int]:
    found = cache.get(ASSET_SERVICES_CACHE_KEY)
    if found is None:
        found = set(Asset.objects.filter(active=True, service__isnull=False).values_list("service_id", flat=True))
        cache.set(ASSET_SERVICES_CACHE_KEY, found, ASSET_SERVICES_TTL)
    return found


def _asset_near(service: Service, lat: float, lon: float) -> Asset | None:
    """The nearest active asset of the report's service within 30 m (h3 ring lookup, not a scan)."""
    if service.pk not in _services_with_assets():
        return None  # most services have no assets: no query per report
    cells = cells_within(lat, lon, ASSET_RADIUS_M)
    best = None
    for asset in Asset.objects.filter(service=service, active=True, h3_cell__in=cells):
        distance = haversine_m(lat, lon, asset.lat, asset.lon)
        if distance <= ASSET_RADIUS_M and (best is None or distance < best[0]):
            best = (distance, asset)
    return best[1] if best else None


def _notify_adopters(report: Report) -> None:
    asset = report.asset
    users = Adoption.objects.filter(asset=asset).exclude(user_id=report.reporter_id).values_list("user_id", flat=True)
    message = _("Nuevo reporte en %(asset)s que usted adoptó: %(service)s.") % {
        "asset": asset.name,
        "service": report.service.name,
    }
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=user_id,
                kind=Notification.Kind.ASSET_REPORT,
                asset=asset,
                report=report,
                incident_id=report.incident_id,
                message=message[:255],
            )
            for user_id in users
        ]
    )


@transaction.atomic
def asset_upsert(
    *,
    jurisdiction: Jurisdiction,
    kind: str,
    code: str,
    name: str,
    lat: float,
    lon: float,
    service: Service | None = None,
    active: bool = True,
    actor: User | None = None,
) -> Asset:
    if actor is not None:
        ensure_perm(actor, "reports.manage_services")
    errors: dict[str, list[str]] = {}
    _check_location(lat, lon, "", "", errors)
    if service is not None and service.jurisdiction_id != jurisdiction.pk:
        errors.setdefault("service", []).append(_("El servicio es de otra jurisdicción."))
    if errors:
        raise ValidationError(errors)
    asset = Asset.objects.filter(jurisdiction=jurisdiction, code=code).first() or Asset(
        jurisdiction=jurisdiction, code=code
    )
    asset.kind, asset.name, asset.lat, asset.lon = kind, (name or "").strip(), lat, lon
    asset.h3_cell = h3_cell(lat, lon)
    asset.service, asset.active = service, active
    asset.full_clean()
    asset.save()
    # Now (this process) and after commit (in case a concurrent reader cached the old set meanwhile).
    cache.delete(ASSET_SERVICES_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(ASSET_SERVICES_CACHE_KEY))
    return asset


@transaction.atomic
def asset_adopt(*, asset: Asset, user: User) -> Adoption:
    """A signed-in citizen adopts an asset (again: nothing changes)."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    if not asset.active:
        raise ValidationError({"asset": [_("Este activo ya no se puede adoptar.")]})
    adoption, created = Adoption.objects.get_or_create(asset=asset, user=user)
    if created:
        publish("reports.asset_adopted", {"asset": asset.code, "user": user.pk})
    return adoption


@transaction.atomic
def asset_unadopt(*, asset: Asset, user: User) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    deleted, _rows = Adoption.objects.filter(asset=asset, user=user).delete()
    if deleted:
        publish("reports.asset_unadopted", {"asset": asset.code, "user": user.pk})


REPAIR_CONFIRM_WINDOW = timedelta(days=30)


@transaction.atomic
def asset_confirm_repair(*, asset: Asset, user: User, note: str = "") -> Incident:
    """An adopter confirms that the latest incident resolved on their asset is really fixed (logged on the
    incident; the adopter earns a few points, once)."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    if not Adoption.objects.filter(asset=asset, user=user).exists():
        raise PermissionDenied
    incident = (
        Incident.objects.filter(
            reports__asset=asset,
            status=Status.RESOLVED,
            closed_at__gte=timezone.now() - REPAIR_CONFIRM_WINDOW,
        )
        .exclude(changes__action="repair_confirmed")
        .order_by("-closed_at")
        .first()
    )
    if incident is None:
        raise ValidationError({"asset": [_("No hay una reparación reciente por confirmar en este activo.")]})
    _log(incident, "repair_confirmed", incident.status, incident.status, note, user, {"asset": asset.code})
    report = Report.objects.filter(incident=incident, asset=asset).order_by("-requested_datetime").first()
    RewardPoint.objects.bulk_create(
        [
            RewardPoint(
                user=user,
                report=report,
                points=POINTS_REPAIR_CONFIRMED,
                reason=RewardPoint.Reason.REPAIR_CONFIRMED,
                area_id=incident.area_id,
            )
        ],
        ignore_conflicts=True,
    )
    message = _("Quien adoptó %(asset)s confirmó la reparación.") % {"asset": asset.name}
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=uid, kind=Notification.Kind.ASSET_REPAIRED, asset=asset, incident=incident, message=message
            )
            for uid in Adoption.objects.filter(asset=asset).exclude(user=user).values_list("user_id", flat=True)
        ]
    )
    # The adopter is a citizen: the operators' stream gets the fact, not who they are.
    publish("reports.incident_updated", _event_payload(incident, "repair_confirmed", None))
    return incident


@transaction.atomic
def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
