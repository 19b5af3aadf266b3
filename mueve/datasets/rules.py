"""The catalogue is public; programme managers record the inventory and keep the catalog.

`datasets.manage_catalog` (create, edit, publish and withdraw datasets, add distributions): a manager of the
dataset's programme, scoped as accounts.scopes says (programs.rules.manages_program), or the national unit (a
manager with no scope) and the platform's administrators, who also keep the datasets of no programme. Without an
object: may this person keep some part of the catalog (the lists are then filtered by programme).
"""

import rules

from mueve.accounts.rules import is_manager, is_national, is_platform_admin
from mueve.programs.rules import manages_program

is_national_unit = is_platform_admin | (is_manager & is_national)

rules.add_perm("datasets.view_dataset", rules.always_allow)
rules.add_perm("datasets.add_dataset", is_manager)
rules.add_perm("datasets.manage_catalog", is_national_unit | manages_program)
