import rules

from mueve.accounts.rules import is_authenticated

rules.add_perm("notifications.view_own_notifications", is_authenticated)
rules.add_perm("notifications.change_own_preferences", is_authenticated)
