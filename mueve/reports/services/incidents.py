"""What operators do with incidents: acknowledge, dispatch, resolve or reject one, assign it to another agency by
hand, merge several into one, or split some reports off into a new one."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.reports import events
from mueve.reports.models import CapSeverity, CapUrgency, Incident, Report, Severity
from mueve.reports.services.fusion import area_for, recount, refresh_scores, severity_index
from mueve.reports.services.history import locked, log_change, public_note, set_report_state
from mueve.reports.services.rewards import award_points, settle_points
from mueve.reports.services.routing import assign, route
from mueve.stakeholders.models import Organization

Status = Incident.Status
# action: (statuses it may start from, status it leads to)
TRANSITIONS = {
    "acknowledge": ((Status.OPEN,), Status.ACKNOWLEDGED),
    "dispatch": ((Status.OPEN, Status.ACKNOWLEDGED), Status.DISPATCHED),
    "resolve": (Incident.ACTIVE_STATUSES, Status.RESOLVED),
    "reject": (Incident.ACTIVE_STATUSES, Status.REJECTED),
    # A reporter answered «no, no quedó resuelto» (services.feedback): back to the agency's desk.
    "reopen": ((Status.RESOLVED,), Status.ACKNOWLEDGED),
}


def _action_label(action: str) -> str:
    return {
        "acknowledge": _("acusar recibo de"),
        "dispatch": _("despachar"),
        "resolve": _("resolver"),
        "reject": _("descartar"),
        "reopen": _("reabrir"),
    }[action]


# The incident's severity (its service's default, raised by answers such as "someone is hurt") -> the CAP severity
# and urgency an operator is offered when confirming it.
DEFAULT_ALERT_SEVERITY = {
    Severity.CRITICAL: CapSeverity.EXTREME,
    Severity.HIGH: CapSeverity.SEVERE,
    Severity.MEDIUM: CapSeverity.MODERATE,
    Severity.LOW: CapSeverity.MINOR,
    Severity.INFORMATIONAL: CapSeverity.MINOR,
}
# Only these go out as public CAP alerts: the feed is of serious incidents.
ALERTING_SEVERITIES = (CapSeverity.EXTREME, CapSeverity.SEVERE)


def default_alert(incident: Incident) -> tuple[str, str]:
    """The CAP (severity, urgency) an operator is offered for an incident."""
    severity = DEFAULT_ALERT_SEVERITY.get(incident.severity, CapSeverity.MODERATE)
    urgency = CapUrgency.IMMEDIATE if severity in ALERTING_SEVERITIES else CapUrgency.EXPECTED
    return severity, urgency


def _clean_alert(alert_severity: str, alert_urgency: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    alert_severity, alert_urgency = (alert_severity or "").strip(), (alert_urgency or "").strip()
    if alert_severity and alert_severity not in CapSeverity.values:
        errors["alert_severity"] = [_("Elija la gravedad de la alerta de la lista.")]
    if alert_urgency and alert_urgency not in CapUrgency.values:
        errors["alert_urgency"] = [_("Elija la urgencia de la alerta de la lista.")]
    if errors:
        raise ValidationError(errors)
    return alert_severity, alert_urgency


def _confirm(incident: Incident, alert_severity: str, alert_urgency: str, now) -> None:
    """An operator's first acknowledgement (or dispatch) confirms the incident: the public CAP alert is issued now,
    with the severity and urgency the operator chose, and never before (one anonymous report is not a fact).
    Demonstration data goes out as a CAP exercise, never as a real alert."""
    default_severity, default_urgency = default_alert(incident)
    incident.alert_severity = alert_severity or default_severity
    incident.alert_urgency = alert_urgency or default_urgency
    generated = incident.reports.filter(source=Report.Source.GENERATED).exists()
    incident.alert_status = "Exercise" if generated else "Actual"
    if incident.alert_severity in ALERTING_SEVERITIES:
        incident.alert_sent_at = now


def _transition(
    incident: Incident,
    action: str,
    *,
    actor: User | None,
    note: str,
    public_reply: str = "",
    citizen_note: str = "",
    resolution: str = "",
    duplicate_of: Incident | None = None,
    alert_severity: str = "",
    alert_urgency: str = "",
) -> Incident:
    if action != "reopen":  # only a reporter's answer reopens, and it brings no operator
        ensure_perm(actor, "reports.manage_incidents", incident)
    alert_severity, alert_urgency = _clean_alert(alert_severity, alert_urgency)
    incident = locked(incident)
    allowed_from, to_status = TRANSITIONS[action]
    if incident.status not in allowed_from:
        raise ValidationError(
            {
                "status": [
                    _("No se puede «%(action)s» un incidente en estado «%(status)s».")
                    % {"action": _action_label(action), "status": incident.get_status_display()}
                ]
            }
        )
    now = timezone.now()
    from_status = incident.status
    incident.status = to_status
    if from_status == Status.OPEN and to_status in (Status.ACKNOWLEDGED, Status.DISPATCHED):
        _confirm(incident, alert_severity, alert_urgency, now)
    if to_status == Status.ACKNOWLEDGED or (to_status == Status.RESOLVED and incident.acknowledged_at is None):
        incident.acknowledged_at = incident.acknowledged_at or now
    if to_status == Status.DISPATCHED:
        incident.dispatched_at = now
        incident.acknowledged_at = incident.acknowledged_at or now
    if to_status in (Status.RESOLVED, Status.REJECTED):
        incident.closed_at = now
        incident.resolution = resolution or Incident.Resolution.FIXED
        incident.resolution_note = (note or "").strip()
        incident.duplicate_of = duplicate_of
    if action == "reopen":
        incident.closed_at = None
        incident.resolution = Incident.Resolution.NONE
    refresh_scores(incident)
    incident.save()
    # Only the public reply reaches the citizen; the internal note stays in the operators' log.
    citizen_note = citizen_note or public_note(
        to_status, public_reply, incident.resolution if to_status == Status.REJECTED else ""
    )
    set_report_state(
        incident.reports.all(), incident, to_status, note=citizen_note, actor=actor, from_status=from_status
    )
    data: dict[str, Any] = {}
    if action in ("acknowledge", "resolve"):
        data["points_awarded"] = award_points(incident, actor=actor)
    elif to_status == Status.REJECTED:
        settle_points(incident)
    if duplicate_of is not None:
        data["duplicate_of"] = duplicate_of.pk
    if resolution:
        data["resolution"] = resolution
    log_change(incident, action, from_status, to_status, note, actor, data, public_reply=public_reply)
    publish(events.INCIDENT_UPDATED, events.incident_payload(incident, action, actor))
    return incident


@transaction.atomic
def incident_acknowledge(
    *,
    incident: Incident,
    actor: User,
    note: str = "",
    public_reply: str = "",
    alert_severity: str = "",
    alert_urgency: str = "",
) -> Incident:
    """The agency has seen it and confirms it: the citizens' reports earn points, and a serious incident's public CAP
    alert goes out with `alert_severity`/`alert_urgency` (CAP values; blank: from the incident's severity).
    `note` is internal (operators only); `public_reply` is what the reporters read."""
    return _transition(
        incident,
        "acknowledge",
        actor=actor,
        note=note,
        public_reply=public_reply,
        alert_severity=alert_severity,
        alert_urgency=alert_urgency,
    )


@transaction.atomic
def incident_dispatch(
    *,
    incident: Incident,
    actor: User,
    note: str = "",
    public_reply: str = "",
    alert_severity: str = "",
    alert_urgency: str = "",
) -> Incident:
    """A team is on its way; dispatching an unconfirmed incident confirms it (see `incident_acknowledge`)."""
    return _transition(
        incident,
        "dispatch",
        actor=actor,
        note=note,
        public_reply=public_reply,
        alert_severity=alert_severity,
        alert_urgency=alert_urgency,
    )


@transaction.atomic
def incident_resolve(*, incident: Incident, actor: User, note: str = "", public_reply: str = "") -> Incident:
    """Closed as fixed; a later report of the same problem opens a new incident."""
    return _transition(
        incident, "resolve", actor=actor, note=note, public_reply=public_reply, resolution=Incident.Resolution.FIXED
    )


@transaction.atomic
def incident_reject(
    *,
    incident: Incident,
    actor: User,
    reason: str = "invalid",
    duplicate_of: Incident | None = None,
    note: str = "",
    public_reply: str = "",
) -> Incident:
    """Closed without action: `invalid` (not a real problem) or `duplicate` of another incident."""
    if reason not in (Incident.Resolution.INVALID, Incident.Resolution.DUPLICATE):
        raise ValidationError({"reason": [_("El motivo debe ser «invalid» o «duplicate».")]})
    if reason == Incident.Resolution.DUPLICATE:
        if duplicate_of is None:
            raise ValidationError({"duplicate_of": [_("Indique de qué incidente es duplicado.")]})
        if duplicate_of.pk == incident.pk:
            raise ValidationError({"duplicate_of": [_("Un incidente no puede ser duplicado de sí mismo.")]})
    elif duplicate_of is not None:
        raise ValidationError({"duplicate_of": [_("Solo un duplicado indica otro incidente.")]})
    return _transition(
        incident,
        "reject",
        actor=actor,
        note=note,
        public_reply=public_reply,
        resolution=reason,
        duplicate_of=duplicate_of,
    )


@transaction.atomic
def incident_reopen(*, incident: Incident, note: str = "", public_reply: str = "") -> Incident:
    """A reporter says the resolved problem is still there: the incident goes back to «recibido por el organismo»,
    with the same log, report history, e-mails, notifications and live event as an operator's change (no actor).
    `note` (the citizen's own words) stays in the operators' log; `public_reply` is what every reporter reads and
    must already be fit for the public."""
    text = _("Quien lo reportó indicó que el problema no quedó resuelto; el incidente se reabrió.")
    return _transition(
        incident,
        "reopen",
        actor=None,
        note=note,
        public_reply=public_reply,
        citizen_note=f"{text} {(public_reply or '').strip()}".strip(),
    )


@transaction.atomic
def incident_assign(
    *, incident: Incident, agency: Organization, actor: User, note: str = "", public_reply: str = ""
) -> Incident:
    """An operator assigns the incident to another agency by hand (logged like the rules' assignments)."""
    ensure_perm(actor, "reports.manage_incidents", incident)
    incident = locked(incident)
    if not incident.is_active:
        raise ValidationError({"status": [_("Un incidente cerrado no se reasigna.")]})
    before = incident.agency_id
    reason = _("Asignación manual") + (f": {note.strip()}" if note and note.strip() else "")
    assign(incident, agency=agency, rule=None, reason=reason, actor=actor)
    incident.routing_rule = None
    incident.save(update_fields=["routing_rule", "updated_at"])
    log_change(
        incident,
        "assign",
        incident.status,
        incident.status,
        note,
        actor,
        {"from": before, "to": agency.pk},
        public_reply=public_reply,
    )
    publish(events.INCIDENT_UPDATED, events.incident_payload(incident, "assign", actor))
    return incident


@transaction.atomic
def incident_merge(
    *, target: Incident, sources: list[Incident], actor: User, note: str = "", public_reply: str = ""
) -> Incident:
    """Moves the reports of `sources` into `target` (same service, all active); the sources close as merged."""
    # Every incident the merge closes is acted on too: a scoped operator merges within their jurisdictions.
    for incident in (target, *sources):
        ensure_perm(actor, "reports.manage_incidents", incident)
    ids = sorted({target.pk, *(s.pk for s in sources)})
    held = {i.pk: i for i in Incident.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    target = held[target.pk]
    sources = [held[s.pk] for s in sources if s.pk != target.pk]
    errors: dict[str, list[str]] = {}
    if not sources:
        errors.setdefault("sources", []).append(_("Elija al menos otro incidente para unir."))
    if not target.is_active:
        errors.setdefault("target", []).append(_("El incidente de destino ya está cerrado."))
    for source in sources:
        if source.service_id != target.service_id:
            errors.setdefault("sources", []).append(_("#%(id)s es de otro servicio.") % {"id": source.pk})
        elif not source.is_active:
            errors.setdefault("sources", []).append(_("#%(id)s ya está cerrado.") % {"id": source.pk})
    if errors:
        raise ValidationError(errors)
    moved = list(Report.objects.filter(incident__in=sources))
    Report.objects.filter(pk__in=[r.pk for r in moved]).update(incident=target, agency_responsible=target.agency)
    now = timezone.now()
    for source in sources:
        from_status = source.status
        source.status = Status.REJECTED
        source.resolution = Incident.Resolution.MERGED
        source.duplicate_of = target
        source.closed_at = now
        recount(source)
        source.save()
        log_change(
            source,
            "merged_into",
            from_status,
            source.status,
            note,
            actor,
            {"target": target.pk},
            public_reply=public_reply,
        )
        publish(events.INCIDENT_UPDATED, events.incident_payload(source, "merged_into", actor))
    if any(s.acknowledged_at for s in sources) and target.acknowledged_at is None:
        target.acknowledged_at = min(s.acknowledged_at for s in sources if s.acknowledged_at)
    recount(target)
    target.severity = max([target.severity, *(s.severity for s in sources)], key=severity_index)
    refresh_scores(target)
    target.save()
    settle_points(target)  # a person whose duplicates met here keeps one award
    for report in moved:
        report.incident = target
    note_text = (
        public_note(target.status, public_reply) + " " + _("Se unió a otro incidente que trata del mismo problema.")
    )
    set_report_state(moved, target, target.status, note=note_text.strip(), actor=actor)
    log_change(
        target,
        "merge",
        target.status,
        target.status,
        note,
        actor,
        {"sources": [s.pk for s in sources]},
        public_reply=public_reply,
    )
    publish(events.INCIDENT_UPDATED, events.incident_payload(target, "merge", actor))
    return target


@transaction.atomic
def incident_split(
    *, incident: Incident, reports: list[Report], actor: User, note: str = "", public_reply: str = ""
) -> Incident:
    """Moves some reports of an active incident into a new incident (routed anew); returns the new one."""
    ensure_perm(actor, "reports.manage_incidents", incident)
    incident = locked(incident)
    ids = {r.pk for r in reports}
    own = set(Report.objects.filter(incident=incident).values_list("pk", flat=True))
    errors: dict[str, list[str]] = {}
    if not incident.is_active:
        errors.setdefault("incident", []).append(_("Un incidente cerrado no se separa."))
    if not ids:
        errors.setdefault("reports", []).append(_("Elija los reportes que van al incidente nuevo."))
    elif not ids <= own:
        errors.setdefault("reports", []).append(_("Algunos reportes no son de este incidente."))
    elif ids == own:
        errors.setdefault("reports", []).append(_("Deje al menos un reporte en el incidente original."))
    if errors:
        raise ValidationError(errors)
    moving = list(Report.objects.filter(pk__in=ids).order_by("requested_datetime", "pk"))
    first = moving[0]
    new = Incident(
        jurisdiction_id=incident.jurisdiction_id,
        service_id=incident.service_id,
        area=area_for(first.lat, first.lon),
        h3_cell=first.h3_cell,
        lat=first.lat,
        lon=first.lon,
        address_string=first.address_string[:255],
        severity=max((r.severity for r in moving), key=severity_index),
        opened_at=first.requested_datetime,
        last_report_at=first.requested_datetime,
    )
    new.save(force_insert=True)
    Report.objects.filter(pk__in=ids).update(incident=new)
    recount(new)
    new.save()
    recount(incident)
    incident.save()
    for report in moving:
        report.incident = new
    attributes: dict[str, Any] = {}
    for report in moving:
        for code, value in (report.attributes or {}).items():
            attributes.setdefault(code, [])
            attributes[code] += value if isinstance(value, list) else [value]
    route(new, attributes=attributes, reason=_("Al separarse de #%(id)s") % {"id": incident.pk})
    new_note = (_("Su reporte pasó a un incidente aparte.") + " " + (public_reply or "").strip()).strip()
    set_report_state(moving, new, new.status, note=new_note, actor=actor)
    log_change(
        incident, "split", incident.status, incident.status, note, actor, {"new": new.pk, "reports": sorted(ids)}
    )
    log_change(new, "split_from", "", new.status, note, actor, {"from": incident.pk, "reports": sorted(ids)})
    publish(events.INCIDENT_OPENED, events.incident_payload(new, "split_from", actor))
    publish(events.INCIDENT_UPDATED, events.incident_payload(incident, "split", actor))
    return new
