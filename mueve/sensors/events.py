"""What the sensors app publishes through mueve.core.events (and so into the realtime log)."""

DEVICE_CHANGED = "sensors.device_changed"
DEVICE_QUARANTINED = "sensors.device_quarantined"


def device_payload(device) -> dict:
    return {
        "device": device.uid,
        "device_id": device.pk,
        "kind": device.kind,
        "status": device.status,
        "reason": device.status_reason,
        "owner_id": device.owner_id,
        "jurisdiction_id": device.jurisdiction_id,
    }
