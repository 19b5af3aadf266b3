"""Public XML outputs: Atom feeds of incidents and CAP 1.2 alerts (OASIS Common Alerting Protocol).

Only public incident fields are written (service, place, severity, status, counts, times).
"""

from xml.etree import ElementTree as ET

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


def is_alert(incident: Incident) -> bool:
    """A public CAP alert is out for the incident (an operator confirmed it) and it is still active."""
    return incident.alert_sent_at is not None and incident.status in Incident.ACTIVE_STATUSES


def _sub(parent, tag: str, text: str | None = None, ns: str = CAP_NS):
    element = ET.SubElement(parent, f"{{{ns}}}{tag}")
    if text is not None:
        element.text = str(text)
    return element


def _identifier(host: str, incident: Incident, moment, suffix: str = "") -> str:
    return f"{host}-incidente-{incident.pk}-{int(moment.timestamp())}{suffix}"


def cap_alert(request, incident: Incident) -> str:
    """The incident's current CAP message: the Alert an operator's confirmation issued while it is active, then an
    Update (resolved) or a Cancel (discarded, or merged into another) that references that Alert. Only for an
    incident with `alert_sent_at` (see mueve.reports.services.incidents)."""
    ET.register_namespace("", CAP_NS)
    alert = ET.Element(f"{{{CAP_NS}}}alert")
    host = request.get_host().split(":")[0]
    sender = _sender(request)
    original = _identifier(host, incident, incident.alert_sent_at)
    active = incident.status in Incident.ACTIVE_STATUSES
    closed_at = incident.closed_at or incident.updated_at
    if active:
        msg_type, identifier, sent = "Alert", original, incident.alert_sent_at
    elif incident.status == Incident.Status.RESOLVED:
        msg_type, identifier, sent = "Update", _identifier(host, incident, closed_at, "-resuelta"), closed_at
    else:
        msg_type, identifier, sent = "Cancel", _identifier(host, incident, closed_at, "-anulada"), closed_at
    _sub(alert, "identifier", identifier)
    _sub(alert, "sender", sender)
    _sub(alert, "sent", cap_datetime(sent))
    _sub(alert, "status", incident.alert_status or "Actual")
    _sub(alert, "msgType", msg_type)
    _sub(alert, "scope", "Public")
    if not active:
        _sub(alert, "references", f"{sender},{original},{cap_datetime(incident.alert_sent_at)}")
    info = _sub(alert, "info")
    _sub(info, "language", "es-CL")
    _sub(info, "category", CAP_CATEGORY.get(incident.service.alert_category, "Other"))
    _sub(info, "event", incident.service.name)
    if not active:
        _sub(info, "responseType", "AllClear")
    _sub(info, "urgency", (incident.alert_urgency or "Immediate") if active else "Past")
    _sub(info, "severity", incident.alert_severity or CAP_SEVERITY.get(incident.severity, "Unknown"))
    # An operator confirmed it: that is what issues the alert at all.
    _sub(info, "certainty", "Observed")
    _sub(info, "effective", cap_datetime(sent))
    _sub(info, "senderName", _("Centro de control de Mueve"))
    place = incident.address_string or (incident.area.name if incident.area_id else "")
    _sub(info, "headline", f"{incident.service.name}: {place}" if place else incident.service.name)
    _sub(
        info,
        "description",
        ngettext(
            "%(service)s, %(count)s reporte ciudadano. Estado: %(status)s.",
            "%(service)s, %(count)s reportes ciudadanos. Estado: %(status)s.",
            incident.report_count,
        )
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
        ngettext(
            "Gravedad %(severity)s · %(status)s · %(count)s reporte",
            "Gravedad %(severity)s · %(status)s · %(count)s reportes",
            incident.report_count,
        )
        % {
            "severity": incident.get_severity_display().lower(),
            "status": incident.get_status_display(),
            "count": incident.report_count,
        },
        ns=ATOM_NS,
    )
    ET.SubElement(entry, f"{{{ATOM_NS}}}link", {"rel": "alternate", "type": kind, "href": link})
    if kind != "application/cap+xml" and is_alert(incident):
        cap_url = request.build_absolute_uri(reverse("control:public_cap", args=[incident.pk]))
        ET.SubElement(entry, f"{{{ATOM_NS}}}link", {"rel": "related", "type": "application/cap+xml", "href": cap_url})
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
    """An Atom index of the CAP messages (the usual way CAP feeds are published): confirmed incidents' alerts, and
    the updates and cancellations of those closed lately."""
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
