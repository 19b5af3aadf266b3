"""Who may do what with programs and methodology templates.

A programme is managed by the managers whose scope includes it (accounts.RoleScope: its jurisdiction or the
programme itself; a manager without any scope is the ministry's national unit and manages every programme), and by
the people its `managers` list names, whatever their scope or role: the programme named them. Officials act for
their institution in the programmes their scope covers and in those their institution takes part in (it is one of
the programme's actors, stakeholders.ProgramStakeholder).

Workshops, competitions and challenges build their permissions from `manages_program` and `acts_in_program`: the
object they are given (a workshop, a competition, a team, a round, a challenge, a comment...) leads to its programme
through `program_of`. Without an object the question is "may this person do this somewhere": lists and back-office
pages are filtered by programs.selectors.programs_managed_by / programs_reached_by.

Everybody may read public programs and export public templates (and read their printable guide), so another city
can replicate the method; templates are the national unit's to change.
"""

import rules

from mueve.accounts import scopes
from mueve.accounts.rules import is_manager, is_national, is_platform_admin
from mueve.programs.models import Program

# How objects of other apps reach their programme, in the order tried: a team has a competition (and a challenge),
# a comment a challenge, a registration a workshop, an engagement its organization's place in the programme...
_PATHS = (
    "program",
    "competition",
    "workshop",
    "challenge",
    "round",
    "team",
    "clinic",
    "concept",
    "action_line",
    "stakeholder",
)


def program_of(obj) -> Program | None:
    """The programme `obj` belongs to (the object itself when it is one); None when it has none."""
    for _step in range(len(_PATHS)):
        if obj is None or isinstance(obj, Program):
            return obj
        obj = next((found for name in _PATHS if (found := getattr(obj, name, None)) is not None), None)
    return None


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_named_manager(user, program: Program) -> bool:
    """Listed in the programme's `managers` (its creator is, too)."""
    return bool(_active(user) and program.pk and program.managers.filter(pk=user.pk).exists())


@rules.predicate
def manages_program(user, obj) -> bool:
    """Manages the object's programme. Without an object: manages some programme (a manager, or named by one)."""
    if not _active(user):
        return False
    if obj is None:
        return bool(is_manager(user) or user.managed_programs.exists())
    program = program_of(obj)
    if program is None:
        return False
    return bool((is_manager(user) and scopes.in_program(user, program)) or is_named_manager(user, program))


@rules.predicate
def acts_in_program(user, obj) -> bool:
    """The object's programme is one where the person acts for their institution: their scope covers it (no scope:
    every programme), or their organization is one of its actors. Without an object: yes (lists are filtered)."""
    if obj is None:
        return True
    if not _active(user):
        return False
    program = program_of(obj)
    if program is None:
        return False
    if scopes.in_program(user, program):
        return True
    return bool(
        user.organization_id
        and program.pk
        and program.stakeholders.filter(organization_id=user.organization_id).exists()
    )


@rules.predicate
def covers_a_jurisdiction(user) -> bool:
    """A new programme belongs to a jurisdiction: the person's scope must hold one (no scope: all)."""
    scope = scopes.scope_of(user)
    return scope.platform or bool(scope.jurisdiction_ids)


@rules.predicate(name="is_public_program")
def is_public_program(user, program) -> bool:
    # Without an object the question is "may this user look at programs at all": yes.
    return program is None or bool(program.is_public)


# The national unit: a manager without any scope, or a platform administrator.
is_national_unit = is_platform_admin | (is_manager & is_national)


@rules.predicate(name="is_public_template")
def is_public_template(user, template) -> bool:
    return template is None or bool(template.is_public)


rules.add_perm("programs.view_program", is_public_program | manages_program)
rules.add_perm("programs.add_program", is_manager & covers_a_jurisdiction)
rules.add_perm("programs.change_program", manages_program)
# Methodology templates are the method every region replicates: the national unit keeps them.
rules.add_perm("programs.import_template", is_national_unit)
rules.add_perm("programs.export_template", rules.always_allow)
# A template's JSON and its printable guide: everybody, unless the template is kept private (managers only).
rules.add_perm("programs.view_template", is_public_template | is_manager)
rules.add_perm("programs.record_indicator", manages_program)
