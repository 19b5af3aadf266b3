"""The catalogue is public; program managers record the inventory."""

import rules

from mueve.accounts.rules import is_manager

rules.add_perm("datasets.view_dataset", rules.always_allow)
rules.add_perm("datasets.add_dataset", is_manager)
