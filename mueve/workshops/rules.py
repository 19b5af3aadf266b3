"""Who may do what with workshops.

Program managers run workshops and record their outputs; everybody may read the workshops, outputs
and progress of public programs (registrations' names stay with managers). Anybody signed in may register
themselves for a workshop of a public program that a manager opened to the public; whether it is still open
(dates, status) is the service's business, so the refusal can say why.
"""

import rules

from mueve.accounts.rules import is_manager, is_official


@rules.predicate(name="is_public_workshop")
def is_public_workshop(user, obj) -> bool:
    if obj is None:
        return True
    program = getattr(obj, "program", obj)
    return bool(program.is_public)


@rules.predicate(name="offers_public_registration")
def offers_public_registration(user, workshop) -> bool:
    return workshop is not None and bool(getattr(workshop, "public_registration", False))


rules.add_perm("workshops.view_workshop", is_public_workshop | is_manager)
rules.add_perm("workshops.manage_workshop", is_manager)
rules.add_perm("workshops.view_registrations", is_manager)
rules.add_perm(
    "workshops.register_workshop",
    rules.is_authenticated & rules.is_active & is_public_workshop & offers_public_registration,
)
rules.add_perm("workshops.update_progress", is_manager)
rules.add_perm("workshops.edit_dossier", is_manager)
rules.add_perm("workshops.import_methodology", is_manager)
rules.add_perm("workshops.view_dossier", is_manager | is_official)
