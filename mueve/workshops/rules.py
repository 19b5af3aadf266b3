"""Who may do what with workshops.

A programme's managers (programs.rules.manages_program: managers whose scope includes it, and those it names) run
its workshops and record their outputs, progress and dossier; everybody may read the workshops, outputs and progress
of public programs (registrations' names stay with managers). Officials read the full dossier of the programmes where
they act for their institution. Methodologies (templates with workshop formats) are the national unit's. Anybody
signed in may register themselves for a workshop of a public program that a manager opened to the public; whether it
is still open (dates, status) is the service's business, so the refusal can say why.
"""

import rules

from mueve.accounts.rules import is_official
from mueve.programs.rules import acts_in_program, is_national_unit, manages_program


@rules.predicate(name="is_public_workshop")
def is_public_workshop(user, obj) -> bool:
    if obj is None:
        return True
    program = getattr(obj, "program", obj)
    return bool(program.is_public)


@rules.predicate(name="offers_public_registration")
def offers_public_registration(user, workshop) -> bool:
    return workshop is not None and bool(getattr(workshop, "public_registration", False))


rules.add_perm("workshops.view_workshop", is_public_workshop | manages_program)
rules.add_perm("workshops.manage_workshop", manages_program)
rules.add_perm("workshops.view_registrations", manages_program)
rules.add_perm(
    "workshops.register_workshop",
    rules.is_authenticated & rules.is_active & is_public_workshop & offers_public_registration,
)
rules.add_perm("workshops.update_progress", manages_program)
rules.add_perm("workshops.edit_dossier", manages_program)
rules.add_perm("workshops.import_methodology", is_national_unit)
rules.add_perm("workshops.view_dossier", manages_program | (is_official & acts_in_program))
