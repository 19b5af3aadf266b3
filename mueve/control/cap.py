"""Public XML outputs: Atom feeds of incidents and CAP 1.2 alerts (OASIS Common Alerting Protocol).

Only public incident fields are written (service, place, severity, status, counts, times).
"""

from xml.etree import ElementTree as ET

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.reports.models import AlertCategory, Incident, Severity

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NS = "http://www.w3.org/2005/Atom"
CAP_RADIUS_KM = 0.3  # the fusion radius is a few hundred metres: the alert covers that circle

# FIWARE Alert severity -> CAP <severity>.
CAP_SEVERITY = {
    Severity.CRITICAL: "Extreme",
    Severity.HIGH: "Severe",
    Severity.MEDIUM: "Moderate",
    Severity.LOW: "Minor",
    Severity.INFORMATIONAL: "Unknown",
}
# FIWARE Alert category -> CAP <category>.
CAP_CATEGORY = {
    AlertCategory.TRAFFIC: "Transport",
    AlertCategory.NATURAL_DISASTER: "Geo",
    AlertCategory.WEATHER: "Met",
    AlertCategory.ENVIRONMENT: "Env",
    AlertCategory.HEALTH: "Health",
    AlertCategory.SECURITY: "Security",
    AlertCategory.AGRICULTURE: "Other",
}


def cap_datetime(moment) -> str:
    """CAP dateTime: local time with a numeric offset, no fractions, never "Z"."""
    text = timezone.localtime(moment).replace(microsecond=0).isoformat()
    return text.replace("+00:00", "-00:00")


def _sender(request) -> str:
    return f"control@{request.get_host().split(':')[0]}"


def _certainty(incident: Incident) -> str:
    if incident.status in (Incident.Status.ACKNOWLEDGED, Incident.Status.DISPATCHED):
        return "Observed"
    return "Likely" if incident.confidence >= 0.5 else "Possible"


def _urgency(incident: Incident) -> str:
    return "Immediate" if incident.status in Incident.ACTIVE_STATUSES else "Past"


def _sub(parent, tag: str, text: str | None = None, ns: str = CAP_NS):
    element = ET.SubElement(parent, f"{{{ns}}}{tag}")
    if text is not None:
        element.text = str(text)
    return element


def cap_alert(request, incident: Incident) -> str:
    ET.register_namespace("", CAP_NS)
    alert = ET.Element(f"{{{CAP_NS}}}alert")
    host = request.get_host().split(":")[0]
    stamp = int(incident.updated_at.timestamp())
    _sub(alert, "identifier", f"{host}-incidente-{incident.pk}-{stamp}")
    _sub(alert, "sender", _sender(request))
    _sub(alert, "sent", cap_datetime(incident.updated_at))
    _sub(alert, "status", "Actual")
    _sub(alert, "msgType", "Alert" if incident.status in Incident.ACTIVE_STATUSES else "Cancel")
    _sub(alert, "scope", "Public")
    info = _sub(alert, "info")
    _sub(info, "language", "es-CL")
    _sub(info, "category", CAP_CATEGORY.get(incident.service.alert_category, "Other"))
    _sub(info, "event", incident.service.name)
    _sub(info, "urgency", _urgency(incident))
    _sub(info, "severity", CAP_SEVERITY.get(incident.severity, "Unknown"))
    _sub(info, "certainty", _certainty(incident))
    _sub(info, "effective", cap_datetime(incident.opened_at))
    _sub(info, "senderName", _("Centro de control de Mueve"))
    place = incident.address_string or (incident.area.name if incident.area_id else "")
    _sub(info, "headline", f"{incident.service.name}: {place}" if place else incident.service.name)
    _sub(
        info,
        "description",
        _("%(service)s, %(count)s reportes ciudadanos. Estado: %(status)s.")
        % {
            "service": incident.service.name,
            "count": incident.report_count,
            "status": incident.get_status_display(),
        },
    )
    _sub(info, "web", request.build_absolute_uri(reverse("control:public_map") + f"#incidente-{incident.pk}"))
    area = _sub(info, "area")
    _sub(area, "areaDesc", place or incident.jurisdiction.name)
    _sub(area, "circle", f"{incident.lat:.6f},{incident.lon:.6f} {CAP_RADIUS_KM}")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(alert, encoding="unicode")


def _atom_entry(feed, request, incident: Incident, *, link: str, kind: str = "text/html") -> None:
    entry = _sub(feed, "entry", ns=ATOM_NS)
    _sub(entry, "id", f"tag:{request.get_host().split(':')[0]},2014:incidente:{incident.pk}", ns=ATOM_NS)
    place = incident.address_string or (incident.area.name if incident.area_id else "")
    _sub(entry, "title", f"{incident.service.name}" + (f" — {place}" if place else ""), ns=ATOM_NS)
    _sub(entry, "updated", timezone.localtime(incident.updated_at).isoformat(), ns=ATOM_NS)
    _sub(entry, "published", timezone.localtime(incident.opened_at).isoformat(), ns=ATOM_NS)
    _sub(
        entry,
        "summary",
        _("Gravedad %(severity)s · %(status)s · %(count)s reportes")
        % {
            "severity": incident.get_severity_display().lower(),
            "status": incident.get_status_display(),
            "count": incident.report_count,
        },
        ns=ATOM_NS,
    )
    ET.SubElement(entry, f"{{{ATOM_NS}}}link", {"rel": "alternate", "type": kind, "href": link})
    ET.SubElement(entry, f"{{{ATOM_NS}}}category", {"term": incident.service.code, "label": incident.service.name})
    _sub(entry, "point", f"{incident.lat:.6f} {incident.lon:.6f}", ns="http://www.georss.org/georss")


def _feed(request, title: str, self_url: str, incidents) -> ET.Element:
    ET.register_namespace("", ATOM_NS)
    ET.register_namespace("georss", "http://www.georss.org/georss")
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _sub(feed, "id", request.build_absolute_uri(self_url), ns=ATOM_NS)
    _sub(feed, "title", title, ns=ATOM_NS)
    newest = max((i.updated_at for i in incidents), default=timezone.now())
    _sub(feed, "updated", timezone.localtime(newest).isoformat(), ns=ATOM_NS)
    author = _sub(feed, "author", ns=ATOM_NS)
    _sub(author, "name", _("Centro de control de Mueve"), ns=ATOM_NS)
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", {"rel": "self", "href": request.build_absolute_uri(self_url)})
    return feed


def atom_feed(request, incidents, *, area=None) -> str:
    title = _("Incidentes en %(area)s") % {"area": area.name} if area else _("Incidentes reportados")
    feed = _feed(request, title, request.path, incidents)
    for incident in incidents:
        _atom_entry(
            feed,
            request,
            incident,
            link=request.build_absolute_uri(reverse("control:public_map") + f"#incidente-{incident.pk}"),
        )
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(feed, encoding="unicode")


def cap_index(request, incidents) -> str:
    """An Atom index of the current CAP alerts (the usual way CAP feeds are published)."""
    feed = _feed(request, _("Alertas CAP de incidentes graves"), request.path, incidents)
    for incident in incidents:
        _atom_entry(
            feed,
            request,
            incident,
            link=request.build_absolute_uri(reverse("control:public_cap", args=[incident.pk])),
            kind="application/cap+xml",
        )
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(feed, encoding="unicode")
