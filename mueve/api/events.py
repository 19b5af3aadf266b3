"""The events the developer portal publishes (through mueve.core.events): a key asked for, approved, revoked.
The payload is the key's id only: nothing of the key itself, nor the application's private contact."""

from mueve.api.models import ApiKey

KEY_REQUESTED = "api.key_requested"
KEY_APPROVED = "api.key_approved"
KEY_REVOKED = "api.key_revoked"


def key_payload(api_key: ApiKey) -> dict:
    return {"id": api_key.pk, "application_id": api_key.application_id}
