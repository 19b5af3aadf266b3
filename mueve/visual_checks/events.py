"""The events Alerta Drone publishes (through mueve.core.events): their names and payloads.

They go to the `visual_checks` topic of the event log (an audit of every mission's steps); no live stream follows
that topic yet, so the incident panel and the pilot's page poll their JSON. The payload carries ids and the status
only: never the pilot's position nor a footage address.
"""

MISSION_CHANGED = "visual_checks.mission_changed"


def mission_payload(mission) -> dict:
    return {
        "mission": mission.pk,
        "incident": mission.incident_id,
        "jurisdiction_id": mission.incident.jurisdiction_id,
        "status": mission.status,
    }
