"""Who may open the top-floor pages that are not public.

The ministry's view compares every region's programme: it is for the national unit (a manager with no scope,
accounts.scopes) and the platform's administrators. A manager scoped to Temuco runs Temuco, not the country.
"""

import rules

from mueve.accounts.rules import is_manager, is_national, is_platform_admin

rules.add_perm("portal.view_ministry", is_platform_admin | (is_manager & is_national))
