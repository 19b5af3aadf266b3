import rules

from mueve.accounts.rules import is_authenticated

# Every person, whatever their role, over their own data (Ley 21.719).
rules.add_perm("members.view_own_data", is_authenticated)
rules.add_perm("members.export_own_data", is_authenticated)
rules.add_perm("members.change_own_profile", is_authenticated)
rules.add_perm("members.delete_own_account", is_authenticated)
rules.add_perm("members.withdraw_own_consent", is_authenticated)
