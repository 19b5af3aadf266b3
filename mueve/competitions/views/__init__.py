"""The competition pages, by sub-domain; `mueve.competitions.views.<name>` stays the import path of every view."""

from .jury import conflict_declare, jury
from .management import manage, manage_action
from .public import competition_detail, competition_list, public_vote, register
from .results import results, results_csv, results_xlsx
from .teams import (
    clinic_action,
    invitation_respond,
    milestone_action,
    submission_file,
    team_action,
    team_create,
    team_detail,
)

__all__ = [
    "clinic_action",
    "competition_detail",
    "competition_list",
    "conflict_declare",
    "invitation_respond",
    "jury",
    "manage",
    "manage_action",
    "milestone_action",
    "public_vote",
    "register",
    "results",
    "results_csv",
    "results_xlsx",
    "submission_file",
    "team_action",
    "team_create",
    "team_detail",
]
