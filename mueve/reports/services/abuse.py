"""Abuse limits, checked before a report is stored: banned contacts, and how many reports a sender may send."""

import os
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.core.ratelimit import Rate, hit
from mueve.core.ratelimit import parse_rate as parse_any_rate
from mueve.core.text import too_long
from mueve.reports import events
from mueve.reports.models import BannedContact

# The reports' rate counters live under keys of their own, so they can be found and cleared (each test has its own).
RATE_CACHE_PREFIX = "mueve:reports:rate:"
IP_RATE_FACTOR = 5
BANS_CACHE_KEY = "mueve:reports:bans"
BANS_TTL = 30  # seconds: another process may take this long to see a new ban
BANNED_REASON_MAX = BannedContact._meta.get_field("reason").max_length


class BannedSender(PermissionDenied):
    """The sender's contact is banned; views answer 403 and store nothing."""


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


def _active_bans() -> dict[str, datetime | None]:
    """{value_hash: expires_at} of active bans: a short list, cached so a report costs no query for it."""
    bans = cache.get(BANS_CACHE_KEY)
    if bans is None:
        bans = dict(BannedContact.objects.filter(active=True).values_list("value_hash", "expires_at"))
        cache.set(BANS_CACHE_KEY, bans, BANS_TTL)
    return bans


def forget_bans() -> None:
    """Bans changed (here or in the admin): the next report reads them from the database, now and once the change is
    committed."""
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


@transaction.atomic
def banned_contact_add(
    *, kind: str, value: str, actor: User, reason: str = "", expires_at: datetime | None = None
) -> BannedContact:
    ensure_perm(actor, "reports.manage_banned_contacts")
    if kind not in BannedContact.Kind.values:
        raise ValidationError({"kind": [_("Tipo de contacto desconocido.")]})
    normalised = BannedContact.normalise(kind, value)
    if not normalised:
        raise ValidationError({"value": [_("Indique el contacto que se bloquea.")]})
    reason = (reason or "").strip()
    if len(reason) > BANNED_REASON_MAX:
        raise ValidationError({"reason": [too_long(BANNED_REASON_MAX, len(reason))]})
    banned, _created = BannedContact.objects.update_or_create(
        kind=kind,
        value_hash=BannedContact.hash_value(kind, value),
        defaults={
            "hint": normalised[:3] + "…",
            "reason": reason,
            "created_by": actor,
            "expires_at": expires_at,
            "active": True,
        },
    )
    forget_bans()
    publish(events.CONTACT_BANNED, events.banned_contact_payload(banned))
    return banned


@transaction.atomic
def banned_contact_lift(*, banned: BannedContact, actor: User) -> BannedContact:
    ensure_perm(actor, "reports.manage_banned_contacts")
    banned.active = False
    banned.save(update_fields=["active", "updated_at"])
    forget_bans()
    publish(events.CONTACT_UNBANNED, events.banned_contact_payload(banned))
    return banned
