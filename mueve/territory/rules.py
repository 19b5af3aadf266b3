import rules

from mueve.accounts.rules import is_manager

rules.add_perm("territory.view_jurisdiction", rules.always_allow)
rules.add_perm("territory.manage_territory", is_manager)
