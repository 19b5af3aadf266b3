"""Who may do what with organizations, people and their place in programs.

The registry of organizations is shared by every region; an organization's place in a programme (its roles,
interest and influence, engagements), its commitments and the programme's champions are that programme's, managed
by whoever manages the programme (programs.rules.manages_program: the managers whose scope covers it, and those it
names). A manager scoped to some regions changes the organizations of their jurisdictions and those taking part in
a programme they manage; the national unit changes any."""

import rules

from mueve.accounts import scopes
from mueve.accounts.rules import is_manager
from mueve.programs.rules import manages_program


@rules.predicate
def keeps_organization(user, organization) -> bool:
    """The organization is within the person's reach: the national unit's every one; a scoped manager's those of
    their jurisdictions and those that take part in a programme they manage. Without an object: yes (creating one
    touches nobody else's)."""
    if organization is None:
        return True
    from mueve.programs.selectors import programs_managed_by

    managed = programs_managed_by(user)
    if managed is None:
        return True
    if organization.jurisdiction_id is not None and scopes.in_jurisdiction(user, organization.jurisdiction_id):
        return True
    return bool(organization.pk and organization.program_links.filter(program__in=managed.values("pk")).exists())


# Organizations are public information: anyone may look them up.
rules.add_perm("stakeholders.view_organization", rules.always_allow)
rules.add_perm("stakeholders.export_organizations", rules.always_allow)
# The registry is curated by program managers (and platform admins, whom is_manager includes).
rules.add_perm("stakeholders.add_organization", is_manager)
rules.add_perm("stakeholders.change_organization", is_manager & keeps_organization)
# A file's rows that update an organization are checked one by one against change_organization.
rules.add_perm("stakeholders.import_organizations", is_manager)
rules.add_perm("stakeholders.manage_people", is_manager)
# With a programme: its managers; without: whoever manages some programme (lists are filtered to theirs).
rules.add_perm("stakeholders.manage_program_stakeholders", manages_program)


@rules.predicate
def sees_contacts_of(user, person) -> bool:
    """The person's e-mail and phone are the user's to read (stakeholders.selectors.people_with_visible_contacts:
    the national unit; a scoped manager for the people within their region's or programmes' reach; the person
    themself). Without a person: whether they may read some (a manager)."""
    if person is None:
        return bool(is_manager(user))
    from mueve.stakeholders.selectors import people_with_visible_contacts

    visible = people_with_visible_contacts(user)
    return visible is None or visible.filter(pk=person.pk).exists()


# Emails and phones of people are personal data: only the managers whose scope covers the person's organization or
# programme (and the national unit, the platform's admins, and the person themself) see them; others, the name and
# position only.
rules.add_perm("stakeholders.view_people_contacts", sees_contacts_of)
