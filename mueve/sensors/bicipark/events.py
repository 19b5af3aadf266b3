"""What i-BiciPark publishes (topic `bicipark` of the realtime log). Payloads carry ids only: the security desk's
stream reads the alarm afresh for its staff (selectors.alarm_state), so no personal data sits in the log."""

ALARM_RAISED = "bicipark.alarm_raised"
ALARM_UPDATED = "bicipark.alarm_updated"
ALARM_CLOSED = "bicipark.alarm_closed"
TOPIC = "bicipark"


def alarm_payload(alarm) -> dict:
    return {
        "alarm_id": alarm.pk,
        "rack_id": alarm.rack_id,
        "organization_id": alarm.rack.organization_id,
        "jurisdiction_id": alarm.rack.jurisdiction_id,
        "status": alarm.status,
    }
