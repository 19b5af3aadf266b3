import rules

from mueve.accounts.rules import is_authenticated

rules.add_perm("notifications.view_own_notifications", is_authenticated)
rules.add_perm("notifications.change_own_preferences", is_authenticated)
# Turning push on or off for one's own browsers (the subscriptions are the person's, like their preferences).
rules.add_perm("notifications.manage_own_push", is_authenticated)
