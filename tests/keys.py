"""Keys for tests that need an approved one without going through a manager: the rows a manager's approval leaves
(mueve.api.services does it for real, and tests/api tests that path)."""

import secrets

from django.utils import timezone

from mueve.api.models import ApiKey, Application


def issue_key(*, user=None, name: str = "script", **quota) -> tuple[ApiKey, str]:
    """An approved key of a new application of `user`'s (None: no one's), with its key in clear."""
    application = Application.objects.create(
        name=f"App {name}", contact_email="dev@example.org", owner=user, description="pruebas"
    )
    key = "mv_" + secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(
        application=application,
        name=name,
        key_hash=ApiKey.hash_key(key),
        prefix=key[:10],
        status=ApiKey.Status.APPROVED,
        approved_at=timezone.now(),
        **quota,
    )
    return api_key, key
