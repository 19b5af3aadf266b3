"""Report submission: a citizen's report checked, stored once (retries included), and processed at once
(`report_submit`) or left for the intake worker (`report_accept`, the Open311 POST)."""

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.api.models import ApiKey
from mueve.core.bulk import insert_row
from mueve.core.errors import merge_errors
from mueve.core.geo import h3_cell
from mueve.core.text import too_long
from mueve.reports.models import Asset, BannedContact, Incident, Report, Review, Service, Severity
from mueve.reports.photos import process_photo, report_photo_attach
from mueve.reports.services.abuse import report_check_abuse
from mueve.reports.services.processing import one_writer, process_batch
from mueve.reports.services.validation import check_location, clean_attributes

DESCRIPTION_MAX = 4000  # Open311: "max 4000 characters"
PUBLIC_ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud on the phone
# Spam heuristics: a description full of links (bursts from one sender are checked when processed).
SPAM_MAX_LINKS = 3
# Answers that make a report critical whatever its service's default (someone is hurt).
CRITICAL_ANSWERS = {("heridos", "si")}

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


def _report_severity(service: Service, attributes: dict[str, Any]) -> str:
    for code, value in CRITICAL_ANSWERS:
        answer = attributes.get(code)
        if answer == value or (isinstance(answer, list) and value in answer):
            return Severity.CRITICAL
    return service.default_severity


def _new_public_id() -> str:
    # 32 symbols: 5 random bits each, no bias (and one system call, not ten).
    return "".join(PUBLIC_ID_ALPHABET[byte & 31] for byte in secrets.token_bytes(10))


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
    check_location(lat, lon, address_string, address_id, errors, jurisdiction_id=service.jurisdiction_id)
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        errors.setdefault("description", []).append(too_long(DESCRIPTION_MAX, len(description)))
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
        description_review=Review.PENDING if service.moderate_text and description else Review.APPROVED,
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
            process_batch([report], confirms={report.pk: confirms} if confirms is not None else None)
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
        with one_writer():
            report, created = _insert(report, api_key=values["api_key"])  # one statement, its own transaction
    else:
        processed = process_photo(photo)
        with one_writer(), transaction.atomic():
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
