"""Open311 API keys: an outside developer asks for one, a manager approves or revokes it."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.reports import events
from mueve.reports.models import ApiKey
from mueve.reports.services.catalogue import reference_data_changed

KEY_PREFIX = "o311_"
DEMO_KEY_PREFIX = ApiKey.DEMO_PREFIX


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
    publish(events.API_KEY_REQUESTED, events.api_key_payload(api_key))
    return api_key


def _random_key() -> str:
    while True:
        key = KEY_PREFIX + secrets.token_urlsafe(24)
        if not key.startswith(DEMO_KEY_PREFIX):  # one in a billion, but a real key must never read as a demo one
            return key


@transaction.atomic
def api_key_approve(*, api_key: ApiKey, actor: User, key: str = "") -> tuple[ApiKey, str]:
    """Approves the request and issues the key, returned once: only its hash is kept.

    `key` is for the demo only (a documented, well-known key, so it must start with DEMO_KEY_PREFIX and works only
    in demo mode); everyone else gets a random one.
    """
    ensure_perm(actor, "reports.manage_api_keys")
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.status == ApiKey.Status.REVOKED:
        raise ValidationError({"status": [_("Una clave revocada no se puede volver a aprobar; pida una nueva.")]})
    if key and (not key.startswith(DEMO_KEY_PREFIX) or len(key) < 24):
        raise ValidationError(
            {"key": [_("Una clave fija es de demostración: empieza con «o311_demo_» y tiene 24 caracteres o más.")]}
        )
    if key and ApiKey.objects.filter(key_hash=ApiKey.hash_key(key)).exclude(pk=api_key.pk).exists():
        raise ValidationError({"key": [_("Esa clave ya está en uso.")]})
    key = key or _random_key()
    api_key.key_hash = ApiKey.hash_key(key)
    api_key.prefix = key[:10]
    api_key.status = ApiKey.Status.APPROVED
    api_key.approved_by = actor
    api_key.approved_at = timezone.now()
    api_key.save()
    reference_data_changed()
    publish(events.API_KEY_APPROVED, events.api_key_payload(api_key))
    return api_key, key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, actor: User) -> ApiKey:
    ensure_perm(actor, "reports.manage_api_keys")
    api_key.status = ApiKey.Status.REVOKED
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["status", "revoked_at", "updated_at"])
    reference_data_changed()
    publish(events.API_KEY_REVOKED, events.api_key_payload(api_key))
    return api_key
