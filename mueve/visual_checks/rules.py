import rules

from mueve.accounts.rules import in_object_jurisdiction, is_manager, is_operator


@rules.predicate
def flies_a_drone(user) -> bool:
    from mueve.visual_checks.models import Drone

    return bool(user and user.is_authenticated and Drone.objects.filter(pilot=user).exists())


@rules.predicate
def is_mission_pilot(user, mission) -> bool:
    return mission is not None and mission.drone_id is not None and mission.drone.pilot_id == user.pk


@rules.predicate
def in_mission_jurisdiction(user, mission) -> bool:
    return mission is None or in_object_jurisdiction(user, mission.incident)


control_staff = is_operator | is_manager

# The control centre asks for a check on an incident of its jurisdictions (the object: the mission or None).
rules.add_perm("visual_checks.request_check", control_staff & in_mission_jurisdiction)
# The footage is evidence: the control centre in the incident's jurisdiction and the mission's pilot only.
rules.add_perm("visual_checks.view_footage", (control_staff & in_mission_jurisdiction) | is_mission_pilot)
rules.add_perm("visual_checks.fly", flies_a_drone)
rules.add_perm("visual_checks.pilot_mission", is_mission_pilot)
