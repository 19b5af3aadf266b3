"""Writes of the developer portal: a person registers an application (and gets its first key, shown once), a
manager approves or revokes keys, an owner revokes their own. Every change to a key's status or quota writes a new
version stamp after commit (mueve.api.keys), so every process stops trusting what it remembers."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.api import events, keys
from mueve.api.models import ApiKey, Application
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.stakeholders.models import Organization

KEY_PREFIX = "mv_"
DEMO_KEY_MIN_LENGTH = 24


def keys_changed() -> None:
    """This process forgets the keys it remembers now; after commit, a new version stamp makes every process read
    them again (mueve.api.keys)."""
    keys.forget()
    transaction.on_commit(keys.new_stamp)


def _random_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)  # "mv_" never reads as the demo's prefix


def _set_key(api_key: ApiKey, key: str) -> None:
    api_key.key_hash = ApiKey.hash_key(key)
    api_key.prefix = key[:10]


def _check_fixed_key(key: str, *, exclude_pk: int | None = None) -> None:
    if not key.startswith(ApiKey.DEMO_PREFIX) or len(key) < DEMO_KEY_MIN_LENGTH:
        raise ValidationError(
            {"key": [_("Una clave fija es de demostración: empieza con «o311_demo_» y tiene 24 caracteres o más.")]}
        )
    if ApiKey.objects.filter(key_hash=ApiKey.hash_key(key)).exclude(pk=exclude_pk).exists():
        raise ValidationError({"key": [_("Esa clave ya está en uso.")]})


def _application_save(*, owner: User | None, organization: Organization | None, **fields: str) -> Application:
    cleaned = {name: (value or "").strip() for name, value in fields.items()}
    application = Application(owner=owner, organization=organization, **cleaned)
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def application_register(
    *,
    owner: User,
    name: str,
    contact_email: str,
    description: str = "",
    website: str = "",
    organization: Organization | None = None,
) -> tuple[Application, ApiKey, str]:
    """A signed-in person registers an application. Its first key is made now and returned once (only its hash
    is kept); it works when a manager approves it."""
    ensure_perm(owner, "api.register_application")
    application = _application_save(
        owner=owner,
        organization=organization,
        name=name,
        contact_email=contact_email,
        description=description,
        website=website,
    )
    api_key, key = key_create(application=application, actor=owner)
    return application, api_key, key


@transaction.atomic
def application_add(
    *,
    actor: User,
    name: str,
    contact_email: str,
    description: str = "",
    website: str = "",
    organization: Organization | None = None,
    owner: User | None = None,
) -> Application:
    """A manager records an application, possibly of no one's account (the demo's, whose published key must not
    act as anybody on the platform API)."""
    ensure_perm(actor, "api.manage_keys")
    return _application_save(
        owner=owner,
        organization=organization,
        name=name,
        contact_email=contact_email,
        description=description,
        website=website,
    )


@transaction.atomic
def key_create(*, application: Application, actor: User, name: str = "", key: str = "") -> tuple[ApiKey, str]:
    """A new key for the application, returned once. The owner's waits for a manager; a manager's (from the
    admin, or the demo's) is approved at once. `key` is for the demo only: a fixed, published key that must start
    with the demo prefix and works only in demo mode."""
    if not actor.has_perm("api.manage_keys"):
        ensure_perm(actor, "api.use_application", application)
    if key:
        _check_fixed_key(key)
    key = key or _random_key()
    api_key = ApiKey(application=application, name=(name or "").strip(), requested_by=actor)
    _set_key(api_key, key)
    if actor.has_perm("api.manage_keys"):
        api_key.status = ApiKey.Status.APPROVED
        api_key.approved_by = actor
        api_key.approved_at = timezone.now()
    api_key.full_clean(exclude=["key_hash", "prefix"])
    api_key.save()
    keys_changed()
    publish(events.KEY_REQUESTED, events.key_payload(api_key))
    if api_key.status == ApiKey.Status.APPROVED:
        publish(events.KEY_APPROVED, events.key_payload(api_key))
    return api_key, key


@transaction.atomic
def key_approve(*, api_key: ApiKey, actor: User, key: str = "") -> tuple[ApiKey, str]:
    """A manager approves a requested key. The returned text is the key itself only when it is made now (a
    request moved from the old Open311 flow has none yet, or `key` fixes the demo's); otherwise ""."""
    ensure_perm(actor, "api.manage_keys")
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.status == ApiKey.Status.REVOKED:
        raise ValidationError({"status": [_("Una clave revocada no se puede volver a aprobar; pida una nueva.")]})
    shown = ""
    if key:
        _check_fixed_key(key, exclude_pk=api_key.pk)
        shown = key
    elif api_key.key_hash is None:
        shown = _random_key()
    if shown:
        _set_key(api_key, shown)
    api_key.status = ApiKey.Status.APPROVED
    api_key.approved_by = actor
    api_key.approved_at = timezone.now()
    api_key.save()
    keys_changed()
    publish(events.KEY_APPROVED, events.key_payload(api_key))
    return api_key, shown


@transaction.atomic
def key_revoke(*, api_key: ApiKey, actor: User) -> ApiKey:
    """The key stops working in every process at their next request. The owner revokes their own; a manager any."""
    ensure_perm(actor, "api.revoke_key", api_key)
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.status != ApiKey.Status.REVOKED:
        api_key.status = ApiKey.Status.REVOKED
        api_key.revoked_at = timezone.now()
        api_key.revoked_by = actor
        api_key.save(update_fields=["status", "revoked_at", "revoked_by"])
        keys_changed()
        publish(events.KEY_REVOKED, events.key_payload(api_key))
    return api_key


@transaction.atomic
def key_quota_set(*, api_key: ApiKey, actor: User, per_minute: int, per_day: int) -> ApiKey:
    ensure_perm(actor, "api.manage_keys")
    api_key.requests_per_minute = per_minute
    api_key.requests_per_day = per_day
    api_key.full_clean(exclude=["key_hash", "prefix"])
    api_key.save(update_fields=["requests_per_minute", "requests_per_day"])
    keys_changed()
    return api_key


@transaction.atomic
def keys_revoke_for_owner(*, owner: User) -> int:
    """Every key of a person's applications stops working (their account is being erased)."""
    now = timezone.now()
    revoked = ApiKey.objects.filter(application__owner=owner).exclude(status=ApiKey.Status.REVOKED)
    count = revoked.update(status=ApiKey.Status.REVOKED, revoked_at=now)
    keys_changed()
    return count
