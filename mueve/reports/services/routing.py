"""Routing: which agency handles an incident, and which others are told, by the jurisdiction's rules (service,
area, an answer such as "someone is hurt"), else the service's default agency. Every assignment is logged."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mueve.accounts.models import User
from mueve.core.events import publish
from mueve.core.permissions import ensure_perm
from mueve.reports import events, selectors
from mueve.reports.models import Incident, IncidentAssignment, Report, RoutingRule, Service
from mueve.reports.services.catalogue import reference_data_changed
from mueve.reports.services.history import locked, log_change
from mueve.stakeholders.models import Organization
from mueve.territory import selectors as territory_selectors
from mueve.territory.models import Area, Jurisdiction


def _rule_matches(rule: RoutingRule, attributes: dict[str, Any]) -> bool:
    if not rule.attribute_code:
        return True
    answer = attributes.get(rule.attribute_code)
    if isinstance(answer, list):
        return rule.attribute_value in answer
    return answer is not None and str(answer) == rule.attribute_value


def _rank(rule: RoutingRule) -> tuple[int, int, int]:
    return (rule.order, -rule.specificity, rule.pk)


class RuleBook:
    """The active routing rules of some jurisdictions, matched in memory (read through the reference data kept for
    a few seconds, see selectors.REFERENCE_TTL_SECONDS; saving a rule forgets them)."""

    def __init__(self, jurisdiction_ids):
        self.rules = [rule for pk in sorted(jurisdiction_ids) for rule in selectors.active_routing_rules(pk)]

    def match(self, incident: Incident, attributes: dict[str, Any], area_ids: set[int]) -> RoutingRule | None:
        """The first active rule (lowest order, then the most specific) for the incident's jurisdiction and
        service, the areas containing its centroid and the given report answers."""
        matching = [
            rule
            for rule in self.rules
            if rule.jurisdiction_id == incident.jurisdiction_id
            and rule.service_id in (None, incident.service_id)
            and (rule.area_id is None or rule.area_id in area_ids)
            and _rule_matches(rule, attributes)
        ]
        return min(matching, key=_rank) if matching else None

    def has_condition(self, service_id: int, attributes: dict[str, Any]) -> bool:
        """Whether a rule of this service has a condition these answers meet (the only way a joining report can
        change the routing)."""
        return any(
            rule.attribute_code and rule.service_id == service_id and _rule_matches(rule, attributes)
            for rule in self.rules
        )


def plan_route(
    incident: Incident,
    *,
    rule: RoutingRule | None,
    reason: str,
    already: set[int],
    only_if_better: bool = False,
) -> list[IncidentAssignment]:
    """Routing of an incident not yet stored: sets its agency and rule, returns the assignments to log."""
    if only_if_better:
        current = incident.routing_rule
        if rule is None or (current is not None and _rank(rule) >= _rank(current)):
            return []
    now = timezone.now()
    if rule is not None:
        agency, notify, why = rule.agency, list(rule.also_notify.all()), f"{reason}: {rule.name or rule}"
    elif incident.service.agency_id and not only_if_better:
        agency, notify = incident.service.agency, []
        why = f"{reason}: " + _("organismo por defecto del servicio")
    else:
        return []
    logged = []
    if agency is not None and agency.pk != incident.agency_id:
        logged.append(IncidentAssignment(agency=agency, rule=rule, reason=why, created_at=now))
        incident.agency = agency
    incident.routing_rule = rule if rule is not None else incident.routing_rule
    told = set(already) | {incident.agency_id}
    for organization in notify:
        if organization.pk not in told:
            told.add(organization.pk)
            logged.append(
                IncidentAssignment(
                    agency=organization, role=IncidentAssignment.Role.NOTIFIED, rule=rule, reason=why, created_at=now
                )
            )
    return logged


def matching_rule(
    incident: Incident, attributes: dict[str, Any], areas: list[Area] | None = None
) -> RoutingRule | None:
    """The first active rule (lowest order, then the most specific) matching the incident's service, the areas
    containing its centroid (given, or looked up) and the given report answers."""
    if areas is None:
        areas = territory_selectors.areas_containing(lat=incident.lat, lon=incident.lon)
    return RuleBook({incident.jurisdiction_id}).match(incident, attributes, {a.pk for a in areas})


def assign(
    incident: Incident,
    *,
    agency: Organization | None,
    rule: RoutingRule | None,
    reason: str,
    actor: User | None,
    notify: list[Organization] = (),
) -> list[IncidentAssignment]:
    """Logs the assignment (and every agency newly told), and sets the agency on the incident and its reports."""
    logged: list[IncidentAssignment] = []
    now = timezone.now()
    if agency is not None and agency.pk != incident.agency_id:
        logged.append(
            IncidentAssignment(incident=incident, agency=agency, rule=rule, reason=reason, actor=actor, created_at=now)
        )
        incident.agency = agency
        Report.objects.filter(incident=incident).update(agency_responsible=agency, updated_datetime=now)
    incident.routing_rule = rule if rule is not None else incident.routing_rule
    already = set(IncidentAssignment.objects.filter(incident=incident).values_list("agency_id", flat=True)) | {
        incident.agency_id
    }
    for organization in notify:
        if organization.pk not in already:
            already.add(organization.pk)
            logged.append(
                IncidentAssignment(
                    incident=incident,
                    agency=organization,
                    role=IncidentAssignment.Role.NOTIFIED,
                    rule=rule,
                    reason=reason,
                    actor=actor,
                    created_at=now,
                )
            )
    IncidentAssignment.objects.bulk_create(logged)
    incident.save(update_fields=["agency", "routing_rule", "updated_at"])
    return logged


def route(
    incident: Incident,
    *,
    attributes: dict[str, Any],
    reason: str,
    only_if_better: bool = False,
    areas: list[Area] | None = None,
) -> None:
    """Applies the routing rules. With `only_if_better` (a report joining), only a rule that ranks before the
    incident's current one changes anything (e.g. a second report says someone is injured: SAMU is told)."""
    rule = matching_rule(incident, attributes, areas)
    if only_if_better:
        current = incident.routing_rule
        if rule is None or (current is not None and _rank(rule) >= _rank(current)):
            return
    if rule is not None:
        label = rule.name or str(rule)
        assign(
            incident,
            agency=rule.agency,
            rule=rule,
            reason=f"{reason}: {label}",
            actor=None,
            notify=list(rule.also_notify.all()),
        )
    elif incident.service.agency_id and not only_if_better:
        assign(
            incident,
            agency=incident.service.agency,
            rule=None,
            reason=f"{reason}: " + _("organismo por defecto del servicio"),
            actor=None,
        )


@transaction.atomic
def incident_reroute(*, incident: Incident, actor: User, note: str = "") -> Incident:
    """Applies the current rules again (after a manager changed them), with the answers of all its reports."""
    ensure_perm(actor, "reports.manage_incidents", incident)
    incident = locked(incident)
    attributes: dict[str, Any] = {}
    for answers in Report.objects.filter(incident=incident).values_list("attributes", flat=True):
        for code, value in (answers or {}).items():
            attributes.setdefault(code, [])
            attributes[code] += value if isinstance(value, list) else [value]
    before = incident.agency_id
    rule = matching_rule(incident, attributes)
    reason = _("Derivación recalculada") + (f": {note}" if note else "")
    if rule is not None:
        assign(incident, agency=rule.agency, rule=rule, reason=reason, actor=actor, notify=list(rule.also_notify.all()))
    elif incident.service.agency_id:
        assign(incident, agency=incident.service.agency, rule=None, reason=reason, actor=actor)
    log_change(incident, "reroute", incident.status, incident.status, note, actor, {"from_agency": before})
    publish(events.INCIDENT_UPDATED, events.incident_payload(incident, "reroute", actor))
    return incident


@transaction.atomic
def routing_rule_save(
    *,
    jurisdiction: Jurisdiction,
    agency: Organization,
    service: Service | None = None,
    area: Area | None = None,
    attribute_code: str = "",
    attribute_value: str = "",
    also_notify: list[Organization] = (),
    order: int = 100,
    name: str = "",
    active: bool = True,
    actor: User | None = None,
) -> RoutingRule:
    """Creates or updates the rule with the same (jurisdiction, service, area, attribute condition)."""
    if actor is not None:
        ensure_perm(actor, "reports.manage_routing", jurisdiction)
    errors: dict[str, list[str]] = {}
    if service is not None and service.jurisdiction_id != jurisdiction.pk:
        errors.setdefault("service", []).append(_("El servicio es de otra jurisdicción."))
    if bool(attribute_code) != bool(attribute_value):
        errors.setdefault("attribute_value", []).append(_("Indique el atributo y su valor, o ninguno."))
    if attribute_code and service is None:
        errors.setdefault("attribute_code", []).append(_("Una condición sobre un atributo necesita un servicio."))
    if errors:
        raise ValidationError(errors)
    rule = RoutingRule.objects.filter(
        jurisdiction=jurisdiction,
        service=service,
        area=area,
        attribute_code=attribute_code,
        attribute_value=attribute_value,
    ).first() or RoutingRule(
        jurisdiction=jurisdiction,
        service=service,
        area=area,
        attribute_code=attribute_code,
        attribute_value=attribute_value,
    )
    rule.agency = agency
    rule.order = order
    rule.name = (name or "").strip()
    rule.active = active
    rule.full_clean()
    rule.save()
    rule.also_notify.set(also_notify)
    publish(events.ROUTING_RULE_SAVED, events.routing_rule_payload(rule, jurisdiction=jurisdiction))
    reference_data_changed()
    return rule
