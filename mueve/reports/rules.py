import rules

from mueve.accounts.rules import is_manager, is_operator

# Anyone may read the public side of reports (never the reporter's contact) and send one.
rules.add_perm("reports.view_report", rules.always_allow)
rules.add_perm("reports.submit_report", rules.always_allow)
# Outside developers ask for an Open311 key without an account; a manager approves it.
rules.add_perm("reports.request_api_key", rules.always_allow)
rules.add_perm("reports.manage_api_keys", is_manager)
rules.add_perm("reports.manage_services", is_manager)
rules.add_perm("reports.manage_routing", is_manager)
# Control-centre work: status changes, moderation, incidents (merge/split), and the reporter's contact.
rules.add_perm("reports.change_report_status", is_operator | is_manager)
rules.add_perm("reports.moderate_report", is_operator | is_manager)
rules.add_perm("reports.manage_incidents", is_operator | is_manager)
rules.add_perm("reports.view_reporter_contact", is_operator | is_manager)
# The moderation queue: what citizens' photos and texts show is decided before the public sees it.
rules.add_perm("reports.moderate_content", is_operator | is_manager)
