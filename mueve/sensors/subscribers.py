"""A quarantined device is told to its owner organization's people (run by the notifications app's consumer)."""

from typing import Any

from django.urls import reverse

from mueve.accounts.models import User
from mueve.notifications import kinds
from mueve.notifications.services import notify_many
from mueve.sensors import events

KINDS = {events.DEVICE_QUARANTINED}


def on_event(kind: str, payload: dict[str, Any]) -> None:
    if kind != events.DEVICE_QUARANTINED:
        return
    people = User.objects.filter(organization_id=payload["owner_id"], is_active=True).exclude(role="citizen")
    notify_many(
        users=list(people),
        kind=kinds.DEVICE_ALERT,
        context={
            "title": f"Dispositivo {payload['device']} en cuarentena",
            "body": f"La plataforma dejó de recibir sus datos: {payload['reason']}",
            "url": reverse("sensors:device_list"),
        },
        ref=f"device-quarantine:{payload['device_id']}",
    )
