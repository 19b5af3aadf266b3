"""Writes for organizations, people and their place in programs. Every write goes through here.

`actor` is the user asking; None means the system itself (demo loader, management commands).
Services that concern a program leave a line in that program's activity log, but only when
something actually changed, so loading the demo twice does not repeat the log; `occurred_at`
back-dates that line for history entered after the fact (the demo).

Callers outside the package use these names (`services.organization_create(...)` after
`from mueve.stakeholders import services`);
the modules of the package import one another directly, never through here.
"""

from mueve.stakeholders.services._common import RESERVED_SLUGS, SLUG_MAX
from mueve.stakeholders.services.commitments import commitment_create, commitment_set_status
from mueve.stakeholders.services.participation import champion_add, engagement_set, program_stakeholder_set
from mueve.stakeholders.services.registry import (
    check_name_free,
    check_parent,
    membership_add,
    organization_create,
    organization_update,
    person_create,
)
from mueve.stakeholders.services.spreadsheet import (
    COLUMN_ALIASES,
    CSV_COLUMNS,
    CSV_REQUIRED_COLUMNS,
    organizations_export_csv,
    organizations_export_xlsx,
    organizations_import_csv,
)

__all__ = [
    "COLUMN_ALIASES",
    "CSV_COLUMNS",
    "CSV_REQUIRED_COLUMNS",
    "RESERVED_SLUGS",
    "SLUG_MAX",
    "champion_add",
    "check_name_free",
    "check_parent",
    "commitment_create",
    "commitment_set_status",
    "engagement_set",
    "membership_add",
    "organization_create",
    "organization_update",
    "organizations_export_csv",
    "organizations_export_xlsx",
    "organizations_import_csv",
    "person_create",
    "program_stakeholder_set",
]
