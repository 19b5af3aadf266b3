"""Writes for programs and methodology templates.

Every write to a program leaves a line in its activity log (`activity_record`) and publishes an
event after commit. Updates that change nothing write nothing, so loading the demo twice (or a
form submitted twice) does not fill the log with noise.

Template import: importing a file whose slug already exists UPDATES that template in place
(atomically: its components and phases are replaced by the file's). Programs already created from
it keep their own copies, so they are not affected. Nothing is written if the file has any error.

The writes live in sub-domain modules (activity, templates, lifecycle, indicators); this package
re-exports them so callers keep writing `from mueve.programs import services`.
"""

from mueve.programs.services.activity import activity_record, activity_withdraw
from mueve.programs.services.govlab import govlab_project_save, govlab_project_status_set, govlab_save
from mueve.programs.services.indicators import (
    MAX_INDICATOR_MAGNITUDE,
    indicator_create,
    indicator_record_value,
    result_add,
)
from mueve.programs.services.lifecycle import (
    EARLIEST_PROGRAM_YEAR,
    LATEST_PROGRAM_YEAR,
    RESERVED_PROGRAM_SLUGS,
    component_update,
    phase_update,
    program_create,
    program_manager_add,
    program_update,
)
from mueve.programs.services.templates import (
    MAX_COMPONENTS,
    MAX_PHASES,
    TEMPLATE_FORMAT,
    TEMPLATE_VERSION,
    template_export,
    template_import,
    template_import_detailed,
    template_parse,
)

__all__ = [
    "govlab_project_save",
    "govlab_project_status_set",
    "govlab_save",
    "EARLIEST_PROGRAM_YEAR",
    "LATEST_PROGRAM_YEAR",
    "MAX_COMPONENTS",
    "MAX_INDICATOR_MAGNITUDE",
    "MAX_PHASES",
    "RESERVED_PROGRAM_SLUGS",
    "TEMPLATE_FORMAT",
    "TEMPLATE_VERSION",
    "activity_record",
    "activity_withdraw",
    "component_update",
    "indicator_create",
    "indicator_record_value",
    "phase_update",
    "program_create",
    "program_manager_add",
    "program_update",
    "result_add",
    "template_export",
    "template_import",
    "template_import_detailed",
    "template_parse",
]
