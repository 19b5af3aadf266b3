"""Data-sharing agreements through their life (draft → signed → active → expired or revoked) and the open data
policy's versions.

Each transition is a service of its own, allowed to the catalog's managers for the agreement's programme
(rule datasets.manage_catalog), and refuses an illegal step with a Spanish message: an agreement is activated
only once its signed document is on file, never after its end date, and what was signed is no longer edited.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.core.permissions import ensure_perm
from mueve.core.text import too_long
from mueve.datasets.models import Agreement, DataPolicy
from mueve.datasets.models.vocab import LICENSES

MANAGE = "datasets.manage_catalog"
MAX_PDF_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
S = Agreement.Status


def check_pdf(upload: UploadedFile | None) -> list[str]:
    """A PDF by its first bytes (never by its name or the browser's claim), at most 10 MB."""
    if upload is None:
        return [_("Elija un archivo PDF.")]
    if upload.size is not None and upload.size > MAX_PDF_BYTES:
        return [_("El archivo pesa más de 10 MB.")]
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        return [_("El documento debe ser un PDF.")]
    return []


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _dates_errors(start_date, end_date, errors: dict[str, list[str]]) -> None:
    if start_date and end_date and end_date < start_date:
        errors.setdefault("end_date", []).append(_("El término no puede ser anterior al inicio."))


def _content_errors(agreement: Agreement) -> dict[str, list[str]]:
    """What a signed agreement must say: two parties or more, the datasets, the purpose, the start."""
    errors: dict[str, list[str]] = {}
    if agreement.parties.count() < 2:
        errors["parties"] = [_("Un convenio necesita al menos dos partes.")]
    if not agreement.datasets.exists():
        errors["datasets"] = [_("Indique los conjuntos de datos que el convenio cubre.")]
    if not agreement.purpose.strip():
        errors["purpose"] = [_("Obligatorio.")]
    if agreement.start_date is None:
        errors["start_date"] = [_("Indique la fecha de inicio.")]
    _dates_errors(agreement.start_date, agreement.end_date, errors)
    return errors


def _move(agreement: Agreement, status: str, **fields) -> Agreement:
    agreement.status = status
    agreement.status_changed_at = timezone.now()
    for name, value in fields.items():
        setattr(agreement, name, value)
    agreement.save()
    return agreement


def _illegal(agreement: Agreement, step: str) -> ValidationError:
    return ValidationError(
        {
            "__all__": [
                _("Un convenio en estado «%(status)s» no se puede %(step)s.")
                % {"status": agreement.get_status_display().lower(), "step": step}
            ]
        }
    )


@transaction.atomic
def agreement_save(
    *,
    actor,
    agreement: Agreement | None = None,
    title: str,
    purpose: str,
    parties,
    datasets,
    grantees=(),
    terms: str = "",
    license: str = "",
    access_level: str = Agreement.AccessLevel.RESTRICTED,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    program=None,
) -> Agreement:
    """Creates a draft, or edits one (only drafts are edited: what was signed stays as signed)."""
    agreement = agreement or Agreement(program=program, created_by=actor)
    ensure_perm(actor, MANAGE, agreement)
    if agreement.pk and agreement.status != S.DRAFT:
        raise _illegal(agreement, _("modificar (solo se modifican los borradores)"))
    errors: dict[str, list[str]] = {}
    title, purpose = (title or "").strip(), (purpose or "").strip()
    if not title:
        errors["title"] = [_("Obligatorio.")]
    elif len(title) > 200:
        errors["title"] = [too_long(200, len(title))]
    if not purpose:
        errors["purpose"] = [_("Obligatorio.")]
    parties, grantees, datasets = list(parties), list(grantees), list(datasets)
    if len({p.pk for p in parties}) < 2:
        errors["parties"] = [_("Un convenio necesita al menos dos partes.")]
    if license and license not in LICENSES:
        errors["license"] = [_("Licencia desconocida.")]
    if access_level not in Agreement.AccessLevel.values:
        errors["access_level"] = [_("Nivel de acceso desconocido.")]
    if grantees and access_level != Agreement.AccessLevel.RESTRICTED:
        errors["grantees"] = [_("Solo un convenio restringido nombra organizaciones autorizadas.")]
    _dates_errors(start_date, end_date, errors)
    _raise(errors)
    agreement.title, agreement.purpose, agreement.terms = title, purpose, (terms or "").strip()
    agreement.license, agreement.access_level = license, access_level
    agreement.start_date, agreement.end_date = start_date, end_date
    if program is not None:
        agreement.program = program
    agreement.save()
    agreement.parties.set(parties)
    agreement.grantees.set(grantees)
    agreement.datasets.set(datasets)
    return agreement


@transaction.atomic
def agreement_attach_document(*, actor, agreement: Agreement, document: UploadedFile) -> Agreement:
    """The signed document (a PDF), while the agreement is a draft or signed and not yet in force."""
    ensure_perm(actor, MANAGE, agreement)
    if agreement.status not in (S.DRAFT, S.SIGNED):
        raise _illegal(agreement, _("cambiar su documento"))
    _raise({"signed_document": problems} if (problems := check_pdf(document)) else {})
    agreement.signed_document.save(document.name or "convenio.pdf", document, save=False)
    agreement.save(update_fields=["signed_document", "updated_at"])
    return agreement


@transaction.atomic
def agreement_sign(
    *, actor, agreement: Agreement, signed_on: datetime.date | None = None, document: UploadedFile | None = None
) -> Agreement:
    """Draft → signed: the parties signed it (on `signed_on`, today by default)."""
    ensure_perm(actor, MANAGE, agreement)
    if agreement.status != S.DRAFT:
        raise _illegal(agreement, _("firmar"))
    errors = _content_errors(agreement)
    signed_on = signed_on or timezone.localdate()
    if signed_on > timezone.localdate():
        errors["signed_on"] = [_("La fecha de firma no puede ser futura.")]
    if document is not None and (problems := check_pdf(document)):
        errors["signed_document"] = problems
    _raise(errors)
    if document is not None:
        agreement.signed_document.save(document.name or "convenio.pdf", document, save=False)
    return _move(agreement, S.SIGNED, signed_on=signed_on)


@transaction.atomic
def agreement_activate(*, actor, agreement: Agreement, today: datetime.date | None = None) -> Agreement:
    """Signed → active: from its start date on, the grantees read the datasets it covers."""
    ensure_perm(actor, MANAGE, agreement)
    if agreement.status != S.SIGNED:
        raise _illegal(agreement, _("activar (primero debe firmarse)"))
    errors = _content_errors(agreement)
    if not agreement.signed_document:
        errors["signed_document"] = [_("No se activa un convenio sin su documento firmado (PDF).")]
    if agreement.end_date and agreement.end_date < _today(today):
        errors.setdefault("end_date", []).append(_("El convenio ya terminó: no se puede activar."))
    _raise(errors)
    return _move(agreement, S.ACTIVE)


@transaction.atomic
def agreement_revoke(*, actor, agreement: Agreement, reason: str) -> Agreement:
    """Signed or active → revoked: access ends at once. The reason is published with the agreement."""
    ensure_perm(actor, MANAGE, agreement)
    if agreement.status not in (S.SIGNED, S.ACTIVE):
        raise _illegal(agreement, _("revocar"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Indique el motivo de la revocación.")]})
    return _move(agreement, S.REVOKED, revoked_reason=reason)


def agreements_expire(*, today: datetime.date | None = None) -> int:
    """Stores as expired the active agreements whose end date has passed (the system's step, no actor: the date
    decides). Returns how many. Until it runs, the selectors already read them as expired."""
    today = _today(today)
    count = 0
    for agreement in Agreement.objects.filter(status=S.ACTIVE, end_date__lt=today):
        _move(agreement, S.EXPIRED)
        count += 1
    return count


# --- the open data policy ---------------------------------------------------------------------------------------


@transaction.atomic
def policy_publish(
    *,
    actor,
    program,
    title: str,
    body: str,
    version: str,
    document: UploadedFile | None = None,
) -> DataPolicy:
    """A new version of the programme's open data policy; it becomes the current one, earlier ones stay listed."""
    ensure_perm(actor, MANAGE, program)
    errors: dict[str, list[str]] = {}
    title, body, version = (title or "").strip(), (body or "").strip(), (version or "").strip()
    for name, value, limit in (("title", title, 200), ("version", version, 20)):
        if not value:
            errors[name] = [_("Obligatorio.")]
        elif len(value) > limit:
            errors[name] = [too_long(limit, len(value))]
    if not body:
        errors["body"] = [_("Obligatorio.")]
    if version and DataPolicy.objects.filter(program=program, version=version).exists():
        errors.setdefault("version", []).append(_("Esa versión ya fue publicada: use otro número."))
    if document is not None and (problems := check_pdf(document)):
        errors["document"] = problems
    _raise(errors)
    policy = DataPolicy(program=program, title=title, body=body, version=version, published_by=actor)
    if document is not None:
        policy.document.save(document.name or "politica.pdf", document, save=False)
    policy.save()
    return policy
