"""Who may do what in the developer portal."""

import rules

from mueve.accounts.rules import is_authenticated, is_manager, is_national


@rules.predicate
def owns_application(user, obj) -> bool:
    """The application's (or the key's application's) owner."""
    application = getattr(obj, "application", obj)
    return bool(user and user.is_authenticated and getattr(application, "owner_id", None) == user.pk)


# A key works in every jurisdiction: only an unscoped manager (the national unit) or an administrator approves one.
manages_keys = is_manager & is_national

# Anyone with an account registers an application; its keys work once a manager approves them.
rules.add_perm("api.register_application", is_authenticated)
rules.add_perm("api.manage_keys", manages_keys)
rules.add_perm("api.use_application", owns_application | manages_keys)
# The owner stops their own key (a leaked one); a manager any.
rules.add_perm("api.revoke_key", owns_application | manages_keys)

# The back office (accounts.apps gives other apps' models to every manager; not these): keys are revoked, never
# deleted (reports keep the key they came with).
for _model in ("application", "apikey", "keyusage"):
    rules.add_perm(f"api.view_{_model}", manages_keys)
    rules.add_perm(f"api.add_{_model}", manages_keys)
    rules.add_perm(f"api.change_{_model}", manages_keys)
    rules.add_perm(f"api.delete_{_model}", rules.always_deny)
