"""Who may do what with programs and methodology templates.

Managers (and platform admins) run programs; everybody may read public programs and export public
templates (and read their printable guide), so another city can replicate the method.
"""

import rules

from mueve.accounts.rules import is_manager


@rules.predicate(name="is_public_program")
def is_public_program(user, program) -> bool:
    # Without an object the question is "may this user look at programs at all": yes.
    return program is None or bool(program.is_public)


@rules.predicate(name="is_public_template")
def is_public_template(user, template) -> bool:
    return template is None or bool(template.is_public)


rules.add_perm("programs.view_program", is_public_program | is_manager)
rules.add_perm("programs.add_program", is_manager)
rules.add_perm("programs.change_program", is_manager)
rules.add_perm("programs.import_template", is_manager)
rules.add_perm("programs.export_template", rules.always_allow)
# A template's JSON and its printable guide: everybody, unless the template is kept private (managers only).
rules.add_perm("programs.view_template", is_public_template | is_manager)
rules.add_perm("programs.record_indicator", is_manager)
