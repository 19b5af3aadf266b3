import rules

from mueve.accounts.rules import in_object_jurisdiction, is_manager, is_national, is_operator


def jurisdiction_of(obj) -> int | None:
    """The jurisdiction a reports object belongs to: its own (incident, report, service, rule, asset), a
    jurisdiction itself (a service or a rule about to be created there), or its report's (a photo, a feedback)."""
    from mueve.territory.models import Jurisdiction

    if isinstance(obj, Jurisdiction):
        return obj.pk
    if hasattr(obj, "jurisdiction_id"):
        return obj.jurisdiction_id
    report = getattr(obj, "report", None)
    return getattr(report, "jurisdiction_id", None)


class _Holder:
    __slots__ = ("jurisdiction_id",)

    def __init__(self, jurisdiction_id: int | None):
        self.jurisdiction_id = jurisdiction_id


@rules.predicate
def in_scope(user, obj) -> bool:
    """accounts' `in_object_jurisdiction` for any reports object (see `jurisdiction_of`); no object: yes, and the
    lists are filtered by accounts.scopes.jurisdiction_filter. An object of no known jurisdiction is refused to a
    scoped person."""
    return obj is None or in_object_jurisdiction(user, _Holder(jurisdiction_of(obj)))


control_staff = is_operator | is_manager

# Anyone may read the public side of reports (never the reporter's contact) and send one.
rules.add_perm("reports.view_report", rules.always_allow)
rules.add_perm("reports.submit_report", rules.always_allow)
# Open311 keys are the developer portal's (mueve.api.rules: api.register_application, api.manage_keys).
# A regional manager edits their jurisdictions' catalogue and routing only.
rules.add_perm("reports.manage_services", is_manager & in_scope)
rules.add_perm("reports.manage_routing", is_manager & in_scope)
# Control-centre work: status changes, moderation, incidents (merge/split), and the reporter's contact; a scoped
# operator or manager only on their jurisdictions' incidents and reports.
rules.add_perm("reports.change_report_status", control_staff & in_scope)
rules.add_perm("reports.moderate_report", control_staff & in_scope)
rules.add_perm("reports.manage_incidents", control_staff & in_scope)
rules.add_perm("reports.view_reporter_contact", control_staff & in_scope)
# The moderation queue: what citizens' photos and texts show is decided before the public sees it.
rules.add_perm("reports.moderate_content", control_staff & in_scope)
# The banned contacts refuse a sender's reports in every jurisdiction: the national level's list (unscoped operators
# and managers, administrators), not a region's.
rules.add_perm("reports.manage_banned_contacts", control_staff & is_national)
