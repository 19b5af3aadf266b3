import rules

from mueve.accounts.rules import in_object_jurisdiction, is_authenticated, is_manager, is_official, is_operator

# Cuida tu Luz: any signed-in person may adopt a light or stop, leave it, and confirm its repair (as its adopter).
rules.add_perm("neighbourhood.adopt_asset", is_authenticated)
# The municipality's view: adopted and orphan assets, time to repair per area.
rules.add_perm("neighbourhood.view_adoption_overview", is_manager | is_official | is_operator)
# Cuido mi Barrio: the municipality defines rewards and records who received them. With a reward: the staff whose
# scope covers its jurisdiction; a national reward (no jurisdiction) is the national level's only.
rules.add_perm("neighbourhood.manage_rewards", (is_manager | is_official) & in_object_jurisdiction)
