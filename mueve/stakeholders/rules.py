"""Who may do what with organizations, people and their place in programs."""

import rules

from mueve.accounts.rules import is_manager

# Organizations are public information: anyone may look them up.
rules.add_perm("stakeholders.view_organization", rules.always_allow)
rules.add_perm("stakeholders.export_organizations", rules.always_allow)
# The registry is curated by program managers (and platform admins, whom is_manager includes).
rules.add_perm("stakeholders.add_organization", is_manager)
rules.add_perm("stakeholders.change_organization", is_manager)
rules.add_perm("stakeholders.import_organizations", is_manager)
rules.add_perm("stakeholders.manage_people", is_manager)
rules.add_perm("stakeholders.manage_program_stakeholders", is_manager)
# Emails and phones of people are personal data: only managers and admins see them.
rules.add_perm("stakeholders.view_people_contacts", is_manager)
