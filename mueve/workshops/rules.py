"""Who may do what with workshops.

Program managers run workshops and record their outputs; everybody may read the workshops, outputs
and progress of public programs (registrations' names stay with managers).
"""

import rules

from mueve.accounts.rules import is_manager, is_official


@rules.predicate(name="is_public_workshop")
def is_public_workshop(user, obj) -> bool:
    if obj is None:
        return True
    program = getattr(obj, "program", obj)
    return bool(program.is_public)


rules.add_perm("workshops.view_workshop", is_public_workshop | is_manager)
rules.add_perm("workshops.manage_workshop", is_manager)
rules.add_perm("workshops.view_registrations", is_manager)
rules.add_perm("workshops.update_progress", is_manager)
rules.add_perm("workshops.edit_dossier", is_manager)
rules.add_perm("workshops.import_methodology", is_manager)
rules.add_perm("workshops.view_dossier", is_manager | is_official)
