"""Writes of the reports app: the service catalogue, Open311 API keys and report submission."""

import math
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.errors import merge_errors
from mueve.core.events import publish
from mueve.core.geo import h3_cell
from mueve.core.permissions import ensure_perm
from mueve.reports.models import (
    ApiKey,
    AttributeValue,
    Report,
    ReportStatusChange,
    Service,
    ServiceAttribute,
    Severity,
)
from mueve.stakeholders.models import Organization
from mueve.territory.models import Jurisdiction

DESCRIPTION_MAX = 4000  # Open311: "max 4000 characters"
STRING_MAX = 255
TEXT_MAX = 4000
KEY_PREFIX = "o311_"
PUBLIC_ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud on the phone

Datatype = ServiceAttribute.Datatype


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
    actor: User | None = None,
) -> Service:
    """Creates or updates a service by (jurisdiction, code). Given `attributes` replace the definition."""
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
    if attributes is not None:
        service.metadata = bool(attributes)
    service.full_clean()
    service.save()
    if attributes is not None:
        _replace_attributes(service, attributes)
    publish("reports.service_saved", {"jurisdiction": jurisdiction.slug, "code": service.code})
    return service


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
    publish("reports.api_key_approved", {"id": api_key.pk})
    return api_key, key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, actor: User) -> ApiKey:
    ensure_perm(actor, "reports.manage_api_keys")
    api_key.status = ApiKey.Status.REVOKED
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["status", "revoked_at", "updated_at"])
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
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _i in range(10))


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


@transaction.atomic
def report_submit(
    *,
    service: Service,
    lat: float | None = None,
    lon: float | None = None,
    address_string: str = "",
    address_id: str = "",
    zipcode: str = "",
    attributes: dict[str, Any] | None = None,
    description: str = "",
    media_url: str = "",
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    device_id: str = "",
    account_id: str = "",
    reporter: User | None = None,
    api_key: ApiKey | None = None,
    idempotency_key: str = "",
    source: str = Report.Source.OPEN311,
    requested_at: datetime | None = None,
) -> Report:
    """Stores one report, all or nothing, and publishes `reports.report_submitted` after commit.

    With an `idempotency_key` already used, returns that report unchanged: a phone that retries after a
    lost answer never creates a duplicate (also under concurrent retries, through the unique column).
    """
    idempotency_key = (idempotency_key or "").strip()
    if idempotency_key:
        existing = Report.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    if api_key is not None and api_key.status != ApiKey.Status.APPROVED:
        raise ValidationError({"api_key": [_("La clave de API no está aprobada.")]})
    errors: dict[str, list[str]] = {}
    if not service.active:
        errors.setdefault("service_code", []).append(_("Este servicio no recibe reportes."))
    address_string = (address_string or "").strip()
    address_id = (address_id or "").strip()
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
        severity=service.default_severity,
        agency_responsible_id=service.agency_id,
        requested_datetime=now,
        updated_datetime=now,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        email=email,
        phone=(phone or "").strip(),
        device_id=(device_id or "").strip(),
        account_id=(account_id or "").strip(),
        reporter=reporter if reporter is not None and reporter.is_authenticated else None,
        api_key=api_key,
        source=source,
        idempotency_key=idempotency_key or None,
    )
    try:
        report.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    try:
        with transaction.atomic():
            report.save(force_insert=True)
    except IntegrityError:
        # A concurrent request with the same idempotency key won the race: answer with its report.
        if idempotency_key:
            existing = Report.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        raise
    ReportStatusChange.objects.create(report=report, to_value=report.status, changed_at=now)
    publish(
        "reports.report_submitted",
        {
            "public_id": report.public_id,
            "service": service.code,
            "jurisdiction": service.jurisdiction.slug,
            "h3_cell": report.h3_cell,
        },
    )
    return report
