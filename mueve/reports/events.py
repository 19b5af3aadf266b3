"""The events the reports app publishes (through mueve.core.events): their names and payloads.

The names and payloads are a contract with whoever follows the live stream (the control centre's page, outside
applications): change them only together with their readers. Kinds starting `reports.incident_` and
`reports.report_` go to the operators' control topic (mueve.realtime.recorder.CONTROL_PREFIXES); each of their
payloads carries `jurisdiction_id`, by which the stream gives an operator scoped to some jurisdictions only theirs.
"""

from typing import Any

from mueve.accounts.models import User
from mueve.reports.models import Asset, BannedContact, Incident, Report, RoutingRule
from mueve.reports.selectors import incident_public_dict
from mueve.territory.models import Jurisdiction

SERVICE_SAVED = "reports.service_saved"
ROUTING_RULE_SAVED = "reports.routing_rule_saved"
REPORT_SUBMITTED = "reports.report_submitted"
REPORT_MODERATED = "reports.report_moderated"
INCIDENT_OPENED = "reports.incident_opened"
INCIDENT_UPDATED = "reports.incident_updated"
CONTACT_BANNED = "reports.contact_banned"
CONTACT_UNBANNED = "reports.contact_unbanned"
ASSET_ADOPTED = "reports.asset_adopted"
ASSET_UNADOPTED = "reports.asset_unadopted"

Payload = dict[str, Any]


def service_payload(*, jurisdiction: Jurisdiction, code: str) -> Payload:
    return {"jurisdiction": jurisdiction.slug, "code": code}


def routing_rule_payload(rule: RoutingRule, *, jurisdiction: Jurisdiction) -> Payload:
    # The jurisdiction the caller holds: reading it through the rule could cost a query.
    return {"id": rule.pk, "jurisdiction": jurisdiction.slug}


def report_submitted_payload(report: Report) -> Payload:
    return {
        "public_id": report.public_id,
        "service": report.service.code,
        "jurisdiction": report.service.jurisdiction.slug,
        "jurisdiction_id": report.jurisdiction_id,
        "h3_cell": report.h3_cell,
        "incident_id": report.incident_id,
    }


def report_moderated_payload(report: Report) -> Payload:
    return {"public_id": report.public_id, "moderation": report.moderation, "jurisdiction_id": report.jurisdiction_id}


def incident_payload(incident: Incident, action: str, actor: User | None) -> Payload:
    """An incident's public fields, what happened to it (`action`), and the operator who did it (None for the
    system or a citizen: the stream never names citizens)."""
    return {
        "jurisdiction_id": incident.jurisdiction_id,
        "incident": incident_public_dict(incident),
        "action": action,
        "actor": actor.get_username() if actor is not None and actor.is_authenticated else None,
    }


def banned_contact_payload(banned: BannedContact) -> Payload:
    # The kind only: the banned value itself is never stored, let alone published.
    return {"id": banned.pk, "kind": banned.kind}


def adoption_payload(asset: Asset, user: User) -> Payload:
    return {"asset": asset.code, "user": user.pk}
