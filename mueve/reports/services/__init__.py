"""Writes of the reports app: the service catalogue, Open311 API keys, report submission with incident fusion,
routing, operators' incident transitions, moderation and abuse limits, rewards and asset adoption.

Callers outside the package use these names (`from mueve.reports import services; services.report_submit(...)`);
the modules of the package import one another directly, never through here.
"""

from mueve.core.ratelimit import RateLimited
from mueve.reports.services.abuse import (
    RATE_CACHE_PREFIX,
    BannedSender,
    banned_contact_add,
    banned_contact_lift,
    banned_kinds,
    forget_bans,
    parse_rate,
    report_check_abuse,
)
from mueve.reports.services.adoption import asset_adopt, asset_confirm_repair, asset_unadopt, asset_upsert
from mueve.reports.services.catalogue import AttributeSpec, reference_data_changed, service_upsert
from mueve.reports.services.feedback import feedback_refusal, reopen_days, report_feedback_answer
from mueve.reports.services.fusion import confidence_for, priority_for
from mueve.reports.services.incidents import (
    incident_acknowledge,
    incident_assign,
    incident_dispatch,
    incident_merge,
    incident_reject,
    incident_reopen,
    incident_resolve,
    incident_split,
)
from mueve.reports.services.moderation import (
    report_feedback_comment_decide,
    report_moderate,
    report_photo_approve,
    report_photo_blur,
    report_photo_reject,
    report_text_approve,
    report_text_edit,
    report_text_reject,
)
from mueve.reports.services.privacy import (
    report_contact_withdraw,
    reporter_contacts_expire,
    reporter_data_erase,
    reports_claim,
)
from mueve.reports.services.processing import (
    INTAKE_MAX_ATTEMPTS,
    SPAM_BURST_COUNT,
    reports_process_pending,
    reports_process_pending_singly,
)
from mueve.reports.services.replication import (
    CatalogueCopy,
    CataloguePlan,
    agency_field,
    catalogue_copy,
    catalogue_plan,
    check_agency_map,
)
from mueve.reports.services.rewards import POINTS_CONFIRMED, POINTS_REPAIR_CONFIRMED
from mueve.reports.services.routing import incident_reroute, matching_rule, routing_rule_save
from mueve.reports.services.submission import report_accept, report_retry, report_submit, set_intake_waker
from mueve.reports.services.validation import clean_attributes

__all__ = [
    "CatalogueCopy",
    "CataloguePlan",
    "agency_field",
    "catalogue_copy",
    "catalogue_plan",
    "check_agency_map",
    "feedback_refusal",
    "incident_reopen",
    "reopen_days",
    "report_feedback_answer",
    "INTAKE_MAX_ATTEMPTS",
    "POINTS_CONFIRMED",
    "POINTS_REPAIR_CONFIRMED",
    "RATE_CACHE_PREFIX",
    "SPAM_BURST_COUNT",
    "AttributeSpec",
    "BannedSender",
    "RateLimited",
    "asset_adopt",
    "asset_confirm_repair",
    "asset_unadopt",
    "asset_upsert",
    "banned_contact_add",
    "banned_contact_lift",
    "banned_kinds",
    "clean_attributes",
    "confidence_for",
    "forget_bans",
    "incident_acknowledge",
    "report_contact_withdraw",
    "reporter_contacts_expire",
    "reporter_data_erase",
    "reports_claim",
    "incident_assign",
    "incident_dispatch",
    "incident_merge",
    "incident_reject",
    "incident_reroute",
    "incident_resolve",
    "incident_split",
    "matching_rule",
    "parse_rate",
    "priority_for",
    "reference_data_changed",
    "report_accept",
    "report_check_abuse",
    "report_moderate",
    "report_photo_approve",
    "report_photo_blur",
    "report_photo_reject",
    "report_retry",
    "report_submit",
    "report_feedback_comment_decide",
    "report_text_approve",
    "report_text_edit",
    "report_text_reject",
    "reports_process_pending",
    "reports_process_pending_singly",
    "routing_rule_save",
    "service_upsert",
    "set_intake_waker",
]
