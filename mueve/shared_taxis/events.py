"""What Tu Colectivo publishes through mueve.core.events. Payloads carry no rider data: only which line changed."""

from mueve.shared_taxis.models import Line

DEMAND_CHANGED = "shared_taxis.demand_changed"


def demand_changed(*, line: Line, reason: str) -> dict:
    return {"line": line.slug, "reason": reason}
