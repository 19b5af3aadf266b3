import rules

from mueve.accounts.rules import is_manager, is_operator

rules.add_perm("transit.view_feed", rules.always_allow)
rules.add_perm("transit.manage_feed", is_manager)
rules.add_perm("transit.push_vehicle_positions", is_manager | is_operator)
