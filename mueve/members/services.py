"""A person's rights over their own data: correct it, withdraw consents, delete the account."""

import re
import secrets

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.api import services as api_services
from mueve.challenges import services as challenge_services
from mueve.core.permissions import ensure_perm
from mueve.members.models import MemberSettings
from mueve.notifications import services as notification_services
from mueve.reports import services as report_services
from mueve.reports.models import Report
from mueve.workshops import services as workshop_services


@transaction.atomic
def profile_update(*, user: User, first_name: str, last_name: str, phone: str) -> User:
    """Right of rectification. (The e-mail address changes through its own verified flow.)"""
    ensure_perm(user, "members.change_own_profile")
    user.first_name, user.last_name, user.phone = first_name.strip(), last_name.strip(), phone.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "phone"])
    return user


@transaction.atomic
def ranking_opt_out_set(*, user: User, opt_out: bool) -> MemberSettings:
    ensure_perm(user, "members.withdraw_own_consent")
    member, _created = MemberSettings.objects.update_or_create(
        user=user, defaults={"public_ranking_opt_out": bool(opt_out), "updated_at": timezone.now()}
    )
    return member


ALIAS_MAX = MemberSettings._meta.get_field("public_alias").max_length
ALIAS_PATTERN = re.compile(r"^[\w .'-]+$")


@transaction.atomic
def ranking_alias_set(*, user: User, alias: str) -> MemberSettings:
    """The name the public rankings show for this person ("" = first name and initial). It is read by everyone:
    it may not carry an e-mail, a link or a phone number."""
    ensure_perm(user, "members.withdraw_own_consent")
    alias = " ".join((alias or "").split())
    error = None
    if len(alias) > ALIAS_MAX:
        error = _("El seudónimo puede tener hasta %(n)s caracteres.") % {"n": ALIAS_MAX}
    elif alias and (not ALIAS_PATTERN.match(alias) or "_" in alias):
        error = _("Use solo letras, números, espacios, puntos, guiones o apóstrofos.")
    elif alias and (re.search(r"\d{5}", alias.replace(" ", "")) or re.search(r"(?i)www|http", alias)):
        error = _("El seudónimo no puede contener un teléfono ni una dirección web.")
    if error:
        raise ValidationError({"alias": [error]})
    member, _created = MemberSettings.objects.update_or_create(
        user=user, defaults={"public_alias": alias, "updated_at": timezone.now()}
    )
    return member


@transaction.atomic
def report_email_withdraw(*, user: User, public_id: str) -> None:
    ensure_perm(user, "members.withdraw_own_consent")
    report = Report.objects.filter(reporter=user, public_id=public_id).first()
    if report is None:
        raise ValidationError({"report": [_("Ese reporte no es suyo o no existe.")]})
    report_services.report_contact_withdraw(user=user, report=report)


@transaction.atomic
def device_reports_claim(*, user: User, device_id: str) -> int:
    """Reports made from this phone before the person had an account (the phone keeps a random id) join it."""
    ensure_perm(user, "members.change_own_profile")
    device_id = (device_id or "").strip()
    if not device_id or len(device_id) > 100:
        raise ValidationError({"device_id": [_("Este teléfono no guarda un identificador de reportes.")]})
    return report_services.reports_claim(user=user, device_id=device_id)


@transaction.atomic
def account_delete(*, user: User, password: str) -> None:
    """Right of deletion. The person's reports stay as the city's record, without their name, e-mail, phone, device
    or link to them, and so do their comments on challenges (shown as "Cuenta eliminada"); their notices, consents,
    adoptions, points, addresses, and their follows, supports and abuse reports of challenges go. The account row
    stays as an empty, inactive placeholder so that the records other people share with it (a team it captained, a
    competition's entries) keep their shape without naming anybody. Workshop registrations are anonymised; those
    for workshops still to come are cancelled first (the seat goes to the next in line)."""
    ensure_perm(user, "members.delete_own_account")
    if user.has_usable_password() and not user.check_password(password or ""):
        raise ValidationError({"password": [_("La contraseña no es correcta. No se eliminó nada.")]})
    report_services.reporter_data_erase(user=user)
    notification_services.user_notifications_erase(user=user)
    challenge_services.participant_data_erase(user=user)
    # Workshop sign-ups keep the count of people who came, under an anonymous name; seats (and places in line) for
    # workshops still to come are cancelled, so the next person in line gets them.
    workshop_services.registrations_erase(user=user)
    MemberSettings.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    api_services.keys_revoke_for_owner(owner=user)
    user.username = f"eliminada-{secrets.token_hex(8)}"
    user.first_name = user.last_name = user.email = user.phone = ""
    user.is_active = user.is_staff = user.is_superuser = False
    # A new password hash also ends every open session (Django checks it on each request).
    user.set_unusable_password()
    user.save()
